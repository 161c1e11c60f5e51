from django.utils.functional import SimpleLazyObject

from symetrie.roles import is_hr, is_manager


def roles(request):
    """`is_hr` and `is_manager` for the navigation, worked out only when a template asks."""
    return {
        "is_hr": SimpleLazyObject(lambda: is_hr(request.user)),
        "is_manager": SimpleLazyObject(lambda: is_manager(request.user)),
    }
