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


def managed_team_codes(user):
    """Codes of the teams a user manages and of every team below them."""
    from surveys.models import Team

    parents = dict(Team.objects.values_list("code", "parent__code"))
    roots = set(user.managed_teams.values_list("code", flat=True))
    reached = set()
    for code in parents:
        ancestor = code
        # Walk up until a managed team is met (the tree has no cycles).
        while ancestor is not None and ancestor not in roots:
            ancestor = parents.get(ancestor)
        if ancestor is not None:
            reached.add(code)
    return reached


def require_dashboard_viewer(user):
    """Allow HR and managers (the dashboards' readers); anybody else gets 404."""
    if is_hr(user) or is_manager(user):
        return
    raise Http404


def require_team_viewer(user, code):
    """Allow HR, and a manager of the team or of a team above it.

    A manager asking for an existing team outside their subtrees gets 403; a manager
    asking for an unknown code, and anybody else, gets 404 (HR passes: the view then
    answers 404 for a team its document lacks).
    """
    from surveys.models import Team

    if is_hr(user):
        return
    if not is_manager(user):
        raise Http404
    if code in managed_team_codes(user):
        return
    if Team.objects.filter(code=code).exists():
        raise PermissionDenied
    raise Http404
