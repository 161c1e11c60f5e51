"""Which teams a user may reach: the team tree's side of the access checks (the roles
are in `symetrie.roles`). Every view's first lines call one of these or a role check."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from surveys.models import Team
from symetrie.roles import is_hr, is_manager


def managed_team_codes(user):
    """Codes of the teams a user manages and of every team below them."""
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


def require_team_viewer(user, code):
    """Allow HR, and a manager of the team or of a team above it.

    A manager asking for an existing team outside their subtrees gets 403; a manager
    asking for an unknown code, and anybody else, gets 404 (HR passes: the view then
    answers 404 for a team its document lacks).
    """
    if is_hr(user):
        return
    if not is_manager(user):
        raise Http404
    if code in managed_team_codes(user):
        return
    if Team.objects.filter(code=code).exists():
        raise PermissionDenied
    raise Http404
