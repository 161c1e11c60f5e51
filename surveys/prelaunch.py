"""Pre-launch checks: what HR should know about a draft campaign before the invitations leave.

Warnings, never blocks: the campaign launches the same. `campaign_facts` reads the few
counts the checks need (SQL, whatever the campaign's size); the checks are plain
functions over those facts; `prelaunch_warnings` turns what they find into sentences,
each with a link to where it can be fixed. Where small teams' answers will count comes
from the barometer's own pooling rule (`barometer.refresh.pooling_forecast`), played as
if everyone invited answered: the best case, so every warning here holds for real.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from barometer.refresh import pooling_forecast
from surveys.models import Person, Side, Team
from surveys.teams import tree_paths, tree_rows

ORGANISATION = ""  # the landing of answers that count only in the organisation's figures
SIDE_WORDS = {Side.EMPLOYEE: gettext_lazy("employees"), Side.CLIENT: gettext_lazy("clients")}
DUPLICATES_SHOWN = 20


@dataclass
class Facts:
    """What the checks read: the campaign's tree (its teams and their ancestors, parents
    by code), the chosen teams, the asked sides, the people per (team, side) of the
    chosen teams, the thresholds, and the addresses invited more than once as
    ``{address: [(team, side), ...]}``."""

    parents: dict
    chosen: list
    sides: list
    people: dict
    scores: int
    comments: int
    duplicates: dict = field(default_factory=dict)

    def __post_init__(self):
        self.children = {}
        for code, parent in self.parents.items():
            self.children.setdefault(parent, []).append(code)
        self._totals = {}

    def subtree(self, code, side):
        """People on ``side`` in ``code`` and in every chosen team below it."""
        if (code, side) not in self._totals:
            below = sum(self.subtree(child, side) for child in self.children.get(code, []))
            self._totals[code, side] = self.people.get((code, side), 0) + below
        return self._totals[code, side]

    def has_chosen_below(self, code):
        chosen, todo = set(self.chosen), list(self.children.get(code, []))
        while todo:
            child = todo.pop()
            if child in chosen:
                return True
            todo += self.children.get(child, [])
        return False


@dataclass
class PrelaunchWarning:
    kind: str
    message: str
    link: str
    link_label: str


def campaign_facts(campaign):
    """The facts of ``campaign`` as its teams and people are now (a draft's, typically)."""
    chosen = list(campaign.teams.values_list("code", flat=True))
    rows = tree_rows(chosen)
    people = Person.objects.filter(team__code__in=chosen, side__in=campaign.sides)
    counts = {
        (group["team__code"], group["side"]): group["n"]
        for group in people.values("team__code", "side").annotate(n=Count("id")).order_by()
    }
    addresses = people.annotate(address=Lower("email"))
    repeated = addresses.values("address").annotate(n=Count("id")).filter(n__gt=1).values("address")
    duplicates = {}
    for address, team, side in (
        addresses.filter(address__in=repeated)
        .order_by("address", "team__name", "side")
        .values_list("address", "team__code", "side")
    ):
        duplicates.setdefault(address, []).append((team, side))
    facts = Facts(
        parents={row["code"]: row["parent"] for row in rows},
        chosen=[row["code"] for row in rows if row["code"] in set(chosen)],
        sides=list(campaign.sides),
        people=counts,
        scores=campaign.score_threshold,
        comments=campaign.comment_threshold,
        duplicates=duplicates,
    )
    return facts, tree_paths(rows)


# --- the checks: plain functions over the facts ------------------------------------


def forecast(facts):
    """``(landing, with_comments)`` of `pooling_forecast` for these facts."""
    return pooling_forecast(
        tree=facts.parents,
        invited={
            (team, side): facts.people.get((team, side), 0)
            for team in facts.chosen
            for side in facts.sides
        },
        scores=facts.scores,
        comments=facts.comments,
    )


def empty_sides(facts):
    """``[(team, [sides])]``: chosen teams with nobody of their own on some asked side."""
    found = []
    for team in facts.chosen:
        sides = [side for side in facts.sides if not facts.people.get((team, side))]
        if sides:
            found.append((team, sides))
    return found


def below_threshold(facts, landing):
    """``[(team, side, invited, landing)]``: chosen team-sides whose people, theirs and
    those of the chosen teams below them, number fewer than the score threshold (but
    some): their figures can never show. ``landing`` says where their answers count."""
    found = []
    for team in facts.chosen:
        for side in facts.sides:
            invited = facts.subtree(team, side)
            if 0 < invited < facts.scores:
                found.append((team, side, invited, landing.get((team, side))))
    return found


def pooled_together(facts, landing):
    """``[(side, [(team, invited)], landing)]``: two or more chosen team-sides too small
    for figures of their own whose answers are pooled at the same place at the close
    (a team above them, the organisation ``""``, or None: no figure at all)."""
    groups = {}
    for team in facts.chosen:
        for side in facts.sides:
            own = facts.people.get((team, side), 0)
            where = landing.get((team, side))
            if 0 < own < facts.scores and where != team:
                groups.setdefault((side, where), []).append((team, own))
    return [(side, teams, where) for (side, where), teams in groups.items() if len(teams) > 1]


def comments_out_of_reach(facts, with_comments):
    """``(largest, [teams])`` when the comment threshold is above the number of people
    of every chosen team-side (``largest``), with the teams (or ``""``, the organisation)
    where pooled comments could still show; None when some team reaches it."""
    largest = max(
        (facts.people.get((t, s), 0) for t in facts.chosen for s in facts.sides), default=0
    )
    if largest == 0 or largest >= facts.comments:
        return None
    return largest, sorted({team for team, _side in with_comments})


def duplicate_addresses(facts):
    """``[(address, [(team, side)])]``: addresses that would be invited more than once."""
    return sorted(facts.duplicates.items())


# --- the sentences -------------------------------------------------------------------


def prelaunch_warnings(campaign):
    """The warnings of ``campaign`` as `PrelaunchWarning` rows, in the order of the checks;
    an empty list when nothing needs HR's attention."""
    facts, paths = campaign_facts(campaign)
    if not facts.chosen:
        return []
    landing, with_comments = forecast(facts)
    team_pks = dict(Team.objects.filter(code__in=facts.parents).values_list("code", "pk"))
    words = _Words(campaign, paths, team_pks, facts.scores)
    warnings = [
        words.empty(team, sides, facts.has_chosen_below(team)) for team, sides in empty_sides(facts)
    ]
    warnings += [words.below(*found) for found in below_threshold(facts, landing)]
    warnings += [words.pooled(*found) for found in pooled_together(facts, landing)]
    reach = comments_out_of_reach(facts, with_comments)
    if reach:
        warnings.append(words.comments(facts.comments, *reach))
    duplicates = duplicate_addresses(facts)
    warnings += [words.duplicate(*found) for found in duplicates[:DUPLICATES_SHOWN]]
    if len(duplicates) > DUPLICATES_SHOWN:
        warnings.append(words.more_duplicates(len(duplicates) - DUPLICATES_SHOWN))
    return warnings


class _Words:
    """The sentences and links of the warnings of one campaign."""

    def __init__(self, campaign, paths, team_pks, scores):
        self.campaign, self.paths, self.team_pks, self.scores = campaign, paths, team_pks, scores

    def name(self, code):
        return f"“{self.paths.get(code, code)}”"

    def landing(self, where):
        if where is None:
            return _(
                "Even pooled up the tree they reach no threshold: they will count in no figure."
            )
        if where == ORGANISATION:
            return _("Their answers will count only in the organisation’s figures.")
        return _("Their answers will count only in the figures of %(team)s.") % {
            "team": self.name(where)
        }

    def people_link(self, **query):
        return f"{reverse('surveys:people')}?{urlencode(query)}"

    def edit_link(self):
        return reverse("surveys:campaign_edit", kwargs={"slug": self.campaign.slug})

    def team_link(self, code):
        return reverse("surveys:team_edit", kwargs={"pk": self.team_pks[code]})

    def empty(self, team, sides, has_chosen_below):
        if len(sides) == 2:
            message = _("%(team)s has nobody to invite: no employees and no clients.")
        elif sides[0] == Side.EMPLOYEE:
            message = _("%(team)s has no employees to invite.")
        else:
            message = _(
                "%(team)s has no client contacts to invite: only its public link can bring "
                "client answers."
            )
        message %= {"team": self.name(team)}
        if has_chosen_below:
            message += " " + _("Its figures will be those of the teams below it.")
        elif Side.CLIENT in sides and self.campaign.ask_clients:
            message += " " + _("It still gets a public link and a poster for its clients.")
        return PrelaunchWarning(
            "empty", message, self.people_link(team=team), _("See this team’s people")
        )

    def below(self, team, side, invited, where):
        message = ngettext(
            "%(team)s, %(side)s: %(count)s person invited, fewer than the score threshold "
            "(%(k)s): this team can never show figures on this side.",
            "%(team)s, %(side)s: %(count)s people invited, fewer than the score threshold "
            "(%(k)s): this team can never show figures on this side.",
            invited,
        ) % {"team": self.name(team), "side": SIDE_WORDS[side], "count": invited, "k": self.scores}
        message += " " + self.landing(where)
        if side == Side.CLIENT:
            message += " " + _("Answers through its public link may still add up at the close.")
        return PrelaunchWarning("below", message, self.team_link(team), _("Open the team"))

    def pooled(self, side, teams, where):
        names = ", ".join(
            _("%(team)s (%(count)s)") % {"team": self.name(team), "count": count}
            for team, count in teams
        )
        message = _(
            "%(side)s of %(teams)s: each team is below the score threshold (%(k)s), so at the "
            "close their answers are pooled together and none of them shows figures of its own."
        ) % {"side": str(SIDE_WORDS[side]).capitalize(), "teams": names, "k": self.scores}
        message += " " + self.landing(where)
        if where:
            link, label = (
                self.people_link(team=where, subteams="on", side=side),
                _("See these people"),
            )
        else:
            link, label = self.edit_link(), _("Change the teams")
        return PrelaunchWarning("pooled", message, link, label)

    def comments(self, threshold, largest, where):
        message = _(
            "The comment threshold (%(threshold)s) is above the size of every team (the largest "
            "has %(largest)s people on one side): no team will show comments of its own."
        ) % {"threshold": threshold, "largest": largest}
        if where:
            places = ", ".join(
                _("the organisation") if code == ORGANISATION else self.name(code) for code in where
            )
            message += " " + _("Pooled, comments can show only in: %(places)s.") % {
                "places": places
            }
        else:
            message += " " + _("No comment will show anywhere, even if everyone answers.")
        return PrelaunchWarning("comments", message, self.edit_link(), _("Change the thresholds"))

    def duplicate(self, address, places):
        where = ", ".join(
            f"{SIDE_WORDS[side]} · {self.paths.get(team, team)}" for team, side in places
        )
        message = _("%(address)s would be invited %(count)s times: %(where)s.") % {
            "address": address,
            "count": len(places),
            "where": where,
        }
        return PrelaunchWarning("duplicate", message, self.people_link(q=address), _("Find them"))

    def more_duplicates(self, count):
        message = ngettext(
            "And %(count)s more address would be invited more than once.",
            "And %(count)s more addresses would be invited more than once.",
            count,
        ) % {"count": count}
        return PrelaunchWarning("duplicate", message, self.people_link(), _("See the people"))
