"""Who may see what. Every view's first lines call one of these."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

HR_GROUP = "hr"


def is_hr(user):
    """True for members of the `hr` group and superusers."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=HR_GROUP).exists()


def is_manager(user):
    return user.is_authenticated and user.managed_teams.exists()


def require_hr(user):
    """Allow HR only: a manager gets 403, anybody else 404 (nothing to see here)."""
    if is_hr(user):
        return
    if is_manager(user):
        raise PermissionDenied
    raise Http404
