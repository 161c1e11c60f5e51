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


def results_within(document, codes):
    """The document cut to the teams of ``codes`` (the organisation's figures and the
    correlations stay), or None when none of its teams is among them."""
    teams = [team for team in document["teams"] if team["code"] in codes]
    return {**document, "teams": teams} if teams else None


def results_for(user, document):
    """The results document as `user` may see it, or None when it is out of their reach.

    HR sees everything. A manager sees the teams of their subtrees plus the
    organisation-wide figures and correlations; a campaign none of their teams took
    part in is out of reach, like it is for everyone else.
    """
    if is_hr(user):
        return document
    if not user.is_authenticated:
        return None
    return results_within(document, managed_team_codes(user))


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


def results_for_each(user, documents):
    """:func:`results_for` over several documents, working out the user's reach once.

    Returns a list in the same order, with None where a document is out of reach.
    """
    if is_hr(user):
        return list(documents)
    if not user.is_authenticated:
        return [None for _ in documents]
    visible = managed_team_codes(user)
    return [results_within(document, visible) for document in documents]
