"""Who a signed-in user is to the app: HR, a manager, or neither.

The lowest of the access checks, importing no app, so that every app can use them
(audit's screens as well as surveys' and barometer's). Which teams a manager may
reach is a question about the team tree: `surveys.access` answers it.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

HR_GROUP = "hr"


def is_hr(user):
    """True for members of the `hr` group and superusers."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=HR_GROUP).exists()


def is_manager(user):
    """True for a user listed as manager of at least one team."""
    return user.is_authenticated and user.managed_teams.exists()


def require_hr(user):
    """Allow HR only: a manager gets 403, anybody else 404 (nothing to see here)."""
    if is_hr(user):
        return
    if is_manager(user):
        raise PermissionDenied
    raise Http404


def require_dashboard_viewer(user):
    """Allow HR and managers (the dashboards' readers); anybody else gets 404."""
    if is_hr(user) or is_manager(user):
        return
    raise Http404
