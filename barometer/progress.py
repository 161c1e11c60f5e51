"""What the dashboards say about releases: answers waiting for one, answers pooled into a
larger group, campaigns whose results come at close.

Participation only (how many answered, never what): the reader already knows who answered.
Counted in the database at request time, one GROUP BY, like the campaign monitor.
"""

from django.db.models import Count
from django.utils.translation import gettext, ngettext

from surveys.access import managed_team_codes
from surveys.models import Campaign, Response
from symetrie.roles import is_hr


def _answered(campaign, codes=None):
    responses = Response.objects.filter(campaign=campaign)
    if codes is not None:
        responses = responses.filter(team__code__in=codes)
    return responses.aggregate(n=Count("id"))["n"]


def _published(entry):
    return sum(entry[side].get("responses", 0) for side in ("employee", "client"))


def _subtree(document, code):
    children = {}
    for team in document["teams"]:
        children.setdefault(team["parent"], []).append(team["code"])
    found, stack = [], [code]
    while stack:
        found.append(stack.pop())
        stack.extend(children.get(found[-1], []))
    return found


def release_notice(campaign, document, code=None):
    """Sentences for the page of ``document`` (the organisation, or the team ``code``):
    how figures move while the campaign is open, and what is not in them."""
    k = document["thresholds"]["scores"]
    if code is None:
        entry, codes = document["organisation"], None
    else:
        entry = next(t for t in document["teams"] if t["code"] == code)
        codes = _subtree(document, code)
    outside = max(0, _answered(campaign, codes) - _published(entry))
    if campaign.status == Campaign.Status.OPEN:
        if not campaign.live_results:
            return [
                gettext(
                    "The campaign was reopened: these are the results published at its close; "
                    "they change when it closes again."
                )
            ]
        return [
            ngettext(
                "Figures are updated by groups of at least %(k)s answer in a team.",
                "Figures are updated by groups of at least %(k)s answers in a team.",
                k,
            )
            % {"k": k},
            ngettext(
                "%(n)s new answer is waiting for the next update.",
                "%(n)s new answers are waiting for the next update.",
                outside,
            )
            % {"n": outside},
        ]
    if not outside:
        return []
    if code is None:
        return [
            ngettext(
                "%(n)s answer is in no figure: with the others left over, it was still too "
                "few to be shown without exposing someone.",
                "%(n)s answers are in no figure: together they were still too few to be "
                "shown without exposing someone.",
                outside,
            )
            % {"n": outside}
        ]
    return [
        ngettext(
            "%(n)s answer of this team is not in its figures: it counts in those of a larger "
            "group above it, or in none if even together they were too few to be shown "
            "without exposing someone.",
            "%(n)s answers of this team are not in its figures: they count in those of a "
            "larger group above it, or in none if even together they were too few to be "
            "shown without exposing someone.",
            outside,
        )
        % {"n": outside}
    ]


def results_at_close(user):
    """The open campaigns in ``user``'s reach that publish their results at close (no live
    results, nothing published yet), soonest close first: HR sees every one, a manager
    those their teams or the teams below them take part in."""
    campaigns = Campaign.objects.open().filter(live_results=False, snapshot__isnull=True)
    if not is_hr(user):
        campaigns = campaigns.filter(teams__code__in=managed_team_codes(user)).distinct()
    return list(campaigns.order_by("closes_on", "pk"))
