from django.utils.functional import SimpleLazyObject

from symetrie.roles import is_hr


def roles(request):
    """`is_hr` for the navigation, worked out only when a template asks."""
    return {"is_hr": SimpleLazyObject(lambda: is_hr(request.user))}
