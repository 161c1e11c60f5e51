"""`manage.py seed_demo [--reset] [--small]`: the demo organisation, made once and kept."""

import logging
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from barometer.models import Snapshot
from demo.organisation import MANAGER_PASSWORD, ORGANISATION, PREFIX
from demo.queries import demo_campaigns, demo_exists, demo_public_link, login_lines
from demo.seeding import DemoError, demo_delete, demo_seed, hr_account_ensure
from surveys.models import Side, Team


class Command(BaseCommand):
    help = (
        "Create the demo organisation (Hôtels Lumière: about 40 teams, four closed quarterly "
        "barometers and the current one open). Does nothing when it is already there."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete the demo organisation (and only it), then create it again",
        )
        parser.add_argument(
            "--small", action="store_true", help="about a third of the people (for tests)"
        )

    def handle(self, *args, reset, small, **options):
        if demo_exists() and not reset:
            hr_account_ensure()
            campaigns = list(demo_campaigns())
            self.stdout.write(
                f"{ORGANISATION} is already there "
                f"({Team.objects.filter(code__startswith=PREFIX).count()} teams, "
                f"{len(campaigns)} campaigns): nothing changed. "
                "`manage.py seed_demo --reset` creates it again."
            )
            self._stale_warning(campaigns)
            self._logins()
            self._links(personal=None)
            return
        try:
            # Quiet outside the transaction: the tasks run as it commits.
            with _quiet_task_log(), transaction.atomic():
                if reset:
                    deleted = demo_delete()
                    self.stdout.write(f"Deleted the demo organisation ({deleted} teams).")
                self.stdout.write(f"Creating {ORGANISATION}…")
                seeded = demo_seed(small=small)
        except DemoError as error:
            raise CommandError(str(error)) from None
        self._summary(seeded)
        self._logins()
        self._links(personal=seeded.personal_link)
        self._highlights(seeded.campaigns)

    def _summary(self, seeded):
        self.stdout.write(
            f"  {seeded.teams} teams, {seeded.employees:,} employees, "
            f"{seeded.clients:,} client contacts"
        )
        for campaign in seeded.campaigns:
            document = Snapshot.objects.latest_for(campaign).document
            correlation = document["correlations"]["recommend"]
            responses = campaign.responses.count()
            if campaign.status == campaign.Status.OPEN:
                what = f"open until {campaign.closes_on}, {responses:,} answers so far"
            else:
                what = f"closed on {campaign.closes_on}, {responses:,} answers (imported)"
            self.stdout.write(
                f"  {campaign.slug}: {what}; eNPS ↔ client NPS across teams: "
                f"{_correlation(correlation)}"
            )
        self.stdout.write(f"  Barometers computed. Done in {seeded.seconds:.1f} s.")

    def _logins(self):
        self.stdout.write("")
        self.stdout.write("Log in with:")
        for line in login_lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(f"  (every demo manager's password is {MANAGER_PASSWORD})")

    def _links(self, *, personal):
        found = demo_public_link()
        if found is None:
            return
        team, campaign, url = found
        self.stdout.write("")
        self.stdout.write(f"Answer the open campaign “{campaign.name}”:")
        if personal:
            self.stdout.write(
                f"  an employee's personal link ({team.name}, single use): {personal}"
            )
        else:
            self.stdout.write(
                "  (personal links are printed only when created: the database keeps their "
                "hash alone)"
            )
        self.stdout.write(f"  the clients' public link of {team.name}: {url}")

    def _highlights(self, campaigns):
        documents = [
            Snapshot.objects.latest_for(campaign).document
            for campaign in campaigns
            if campaign.status == campaign.Status.CLOSED
        ]
        self.stdout.write("")
        self.stdout.write(
            f"Worth a look (from the barometers of {documents[-1]['campaign']['name']}):"
        )
        for line in highlights(documents):
            self.stdout.write(f"  {line}")

    def _stale_warning(self, campaigns):
        today = timezone.localdate()
        if any(c.status != c.Status.CLOSED and c.closes_on < today for c in campaigns):
            self.stdout.write(
                "  Its open campaign is past its close date: --reset brings the demo to today."
            )


def highlights(documents):
    """Sentences on what the closed barometers show, read from their results documents
    (oldest first): the teams whose clients are least and most happy compared with their
    employees, the steepest rise and fall of eNPS over the year, the hidden (suppressed)
    sides, the teams without client answers and the lagged correlation."""
    first, last = documents[0], documents[-1]
    names = {team["code"]: team for team in last["teams"]}
    parents = {team["parent"] for team in last["teams"]}
    leaves = [team for team in last["teams"] if team["code"] not in parents]

    def label(team):
        site = team
        while site["parent"]:
            site = names[site["parent"]]
        return f"{team['name']} ({site['name']})"

    def gap(team):
        gaps = team["symmetry"]["gaps"].values()
        return sum(gaps) / len(gaps)

    def nps(team, side):
        value = team[side].get("nps")
        return "—" if value is None else f"{value:+.0f}"

    lines = []
    both = [team for team in leaves if team["symmetry"]["gaps"]]
    if both:
        for team, words in (
            (min(both, key=gap), "clients less happy than their employees"),
            (max(both, key=gap), "clients happier than their employees"),
        ):
            lines.append(
                f"{label(team)}: {words} (mean gap {gap(team):+.0f} points; "
                f"eNPS {nps(team, 'employee')}, client NPS {nps(team, 'client')})"
            )
    before = {team["code"]: team for team in first["teams"]}
    moves = [
        (team["employee"]["nps"] - before[team["code"]]["employee"]["nps"], team)
        for team in leaves
        if team["employee"].get("nps") is not None
        and before.get(team["code"], {}).get("employee", {}).get("nps") is not None
    ]
    if moves:
        for (_move, team), words in (
            (max(moves, key=lambda move: move[0]), "rising"),
            (min(moves, key=lambda move: move[0]), "falling"),
        ):
            old = before[team["code"]]
            lines.append(
                f"{label(team)}: eNPS {words}, {nps(old, 'employee')} → {nps(team, 'employee')} "
                f"since {first['campaign']['name']}; client NPS "
                f"{nps(old, 'client')} → {nps(team, 'client')}"
            )
    hidden = [
        f"{label(team)} ({'employees' if side == Side.EMPLOYEE else 'clients'})"
        for team in last["teams"]
        for side in Side.values
        if team[side]["status"] == "suppressed"
    ]
    if hidden:
        k = last["thresholds"]["scores"]
        lines.append(f"Hidden (fewer than {k} respondents): " + "; ".join(hidden))
    silent = [label(team) for team in leaves if team["client"]["status"] == "no_data"]
    if silent:
        lines.append("No client answers (back office): " + "; ".join(silent))
    lagged = (last["correlations"].get("lagged") or {}).get("employee_to_client")
    if lagged and lagged.get("pearson") is not None:
        lines.append(
            "A team's eNPS and its client NPS one quarter later: "
            f"r = {lagged['pearson']:.2f} over {lagged['teams']} teams ({lagged['label']})"
        )
    return lines


@contextmanager
def _quiet_task_log():
    """Without a broker, the sending tasks the launch queues run here after the commit
    and find nothing to send; their "succeeded" lines would bury the summary."""
    trace = logging.getLogger("celery.app.trace")
    level = trace.level
    trace.setLevel(logging.WARNING)
    try:
        yield
    finally:
        trace.setLevel(level)


def _correlation(correlation):
    if correlation["pearson"] is None:
        return correlation["label"]
    pearson, teams, label = (correlation[key] for key in ("pearson", "teams", "label"))
    return f"r = {pearson:.2f} over {teams} teams ({label})"
