"""Results filtering: a results document cut to what a user may see."""

from surveys.access import managed_team_codes
from symetrie.roles import is_hr


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
