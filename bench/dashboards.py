"""Benchmark `dashboards`: the team dashboard and the overview, read by their users.

It runs on the barometer benchmark's reference organisations (bench/barometer.py,
shared through the run's fixtures: generated once, by whichever benchmark comes
first): the full one (1,000 teams, 4 campaigns, ~14 million answers) and the one
tenth of it (100 teams, 2 campaigns). Every campaign of the two (all closed) gets its
final document computed by `snapshot_compute` when it has none yet, oldest first (the
barometer benchmark leaves the latest two campaigns' documents). An HR user and a
manager of one team in each organisation are created through the models and log in
through the login page (fixtures the `weights` benchmark, bench/weights.py, shares).

The app runs under gunicorn as in production: sync workers, DEBUG off, and static
files collected with STATIC_MANIFEST on (hashed names, precompressed, served by
WhiteNoise with a far-future lifetime) into var/bench/static-hashed.

`dashboards`: 4 clients at once, each a tab of the logged-in browser, open one page
over and over for a few seconds after a warm-up, and the time of each request is
taken from the client (loopback: the server's time plus a fraction of a millisecond).
The pages: the team dashboard as the team's manager, the organisation overview as HR
(1,000 teams) and as the manager, on both organisations. The baseline is /healthz
through the same gunicorn with the same session (middleware, session, user, one
database round trip and a Redis ping): the floor of any page of this app.
"""

import os
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.models import Group, User

from barometer.dashboards.snapshots import snapshot_documents
from barometer.models import Snapshot
from barometer.services import snapshot_compute
from bench.barometer import reference
from bench.flows import CSRF_FIELD, PageFlow
from bench.loadgen import Client, run_load
from bench.registry import Figure, benchmark, noise_figure
from bench.stack import ROOT, WORK_DIR, ServerConfig, postgres_cpu_seconds
from surveys.models import Campaign, Team
from symetrie.roles import HR_GROUP

NAME = "dashboards"
CLIENTS = 4
CORES = len(os.sched_getaffinity(0))
CONFIG = ServerConfig("sync", 2 * CORES + 1)
HASHED_STATIC = WORK_DIR / "static-hashed"
# What the app's servers run with here: production static files.
STATIC_ENVIRONMENT = {"STATIC_MANIFEST": "true", "STATIC_ROOT": str(HASHED_STATIC)}
TARGET_TEAM_P95_MS = 150
TARGET_OVERVIEW_P95_MS = 400
# The same page on an organisation ten times larger (teams and answers) may cost this
# much more at most: its cost does not follow the answers.
TARGET_GROWTH = 1.5


@dataclass(frozen=True)
class Scale:
    warmup: float  # seconds, and until every client has been served once
    measure: float  # seconds of measurement of each page


FULL = Scale(warmup=2.0, measure=5.0)
QUICK = Scale(warmup=0.3, measure=1.0)


@dataclass(frozen=True)
class Organisation:
    label: str  # "full", "1/10"
    prefix: str  # of its team codes and campaign slugs
    slug: str  # its latest campaign
    team: str  # the code of the team whose manager reads it
    teams: int
    campaigns: int
    manager: str  # username


# --- the fixtures ------------------------------------------------------------------


def _leaf_code(size):
    """A team in the middle of the organisation's tree, at the lowest level."""
    return f"{size.prefix}-s{size.sites // 2}-d{size.departments // 2}-t{size.teams // 2}"


def _snapshots(ctx, prefix):
    """Compute the final document of every campaign of the organisation that has none yet,
    the oldest first, as they closed (each reads the previous one's for its lagged
    correlations)."""
    campaigns = Campaign.objects.filter(slug__startswith=f"{prefix}-", snapshot=None)
    for campaign in campaigns.order_by("closes_on", "pk"):
        started = time.monotonic()
        snapshot_compute(campaign=campaign)
        ctx.say(f"snapshot of {campaign.slug} computed in {time.monotonic() - started:.1f} s")


def organisations_with_readers(ctx):
    """The full organisation and the one tenth of it, with snapshots and readers:
    ({label: Organisation}, {username: password})."""

    def build():
        organisations = reference(ctx)
        hr_group, _ = Group.objects.get_or_create(name=HR_GROUP)
        passwords = {"bench-hr": secrets.token_urlsafe(16)}
        User.objects.create_user("bench-hr", password=passwords["bench-hr"]).groups.add(hr_group)
        found = {}
        for size in organisations.sizes[:2]:
            _snapshots(ctx, size.prefix)
            username = f"bench-manager-{size.prefix}"
            passwords[username] = secrets.token_urlsafe(16)
            manager = User.objects.create_user(username, password=passwords[username])
            team = Team.objects.get(code=_leaf_code(size))
            team.managers.add(manager)
            campaign = organisations.made[size.label][0]
            found[size.label] = Organisation(
                label=size.label,
                prefix=size.prefix,
                slug=campaign.slug,
                team=team.code,
                teams=Team.objects.filter(code__startswith=f"{size.prefix}-").count(),
                campaigns=Campaign.objects.filter(slug__startswith=f"{size.prefix}-").count(),
                manager=username,
            )
        return found, passwords

    return ctx.fixture("dashboard readers", build)


def hashed_static(ctx):
    """collectstatic with STATIC_MANIFEST on, in a process of its own (the runner's
    settings have it off), once per run."""

    def build():
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "--clear", "-v0"],
            cwd=ROOT,
            env={**ctx.environment, **STATIC_ENVIRONMENT},
            check=True,
        )
        ctx.say(f"static files collected with hashed names in {time.monotonic() - started:.1f} s")
        return HASHED_STATIC

    return ctx.fixture("hashed static files", build)


def reader_sessions(ctx, server):
    """{username: session cookies} of the readers, logged in once per run (the sessions
    live in the database: every server of the run accepts them)."""
    _, passwords = organisations_with_readers(ctx)
    return ctx.fixture(
        "dashboard sessions",
        lambda: {name: _login(server, name, password) for name, password in passwords.items()},
    )


def _login(server, username, password):
    """Log in through the login page; return the session's cookies as (name, value) pairs."""
    client = Client(server.host, server.port)
    page = client.request("login", "GET", "/login/")
    csrf = CSRF_FIELD.search(page[2]) if page else None
    if csrf is None:
        raise RuntimeError(f"no login form at /login/: {page and page[0]}")
    form = urlencode(
        {"csrfmiddlewaretoken": csrf.group(1).decode(), "username": username, "password": password}
    )
    sent = client.request(
        "login",
        "POST",
        "/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": client.origin,
            "Referer": client.origin + "/login/",
        },
    )
    if sent is None or sent[0] != 302 or "sessionid" not in client.cookies:
        raise RuntimeError(f"{username} could not log in: {sent and sent[0]}")
    return tuple(client.cookies.items())


# --- dashboards --------------------------------------------------------------------


def _load(server, flow, scale):
    result = run_load(
        flow,
        host=server.host,
        port=server.port,
        clients=CLIENTS,
        warmup=scale.warmup,
        duration=scale.measure,
        sample=lambda: {"app": server.cpu_seconds(), "postgres": postgres_cpu_seconds()},
    )
    if not result.succeeded:
        raise RuntimeError(f"{flow.label}: nothing succeeded: {'; '.join(result.notes[:2])}")
    return result


def _ms(result, label, fraction):
    return result.percentile(label, fraction) * 1000


def _cpu(result):
    split = result.cpu_per_flow()
    return f"gunicorn {split['app']:.0f} ms + PostgreSQL {split['postgres']:.0f} ms of CPU a page"


def _first_load(organisation):
    """Seconds this process takes to load the organisation's latest documents, as a web
    process does on its first dashboard page after a new snapshot."""
    keys = [
        (snapshot.pk, snapshot.computed_at)
        for campaign in Campaign.objects.filter(slug__startswith=f"{organisation.prefix}-")
        if (snapshot := Snapshot.objects.only("pk", "computed_at").latest_for(campaign))
    ]
    started = time.perf_counter()
    snapshot_documents(keys)
    return time.perf_counter() - started, len(keys)


HEALTHZ = b'"database": "ok"'
TEAM_PAGE = b'data-chart="mirror-spec"'  # markers of a page served whole
OVERVIEW_PAGE = b'data-chart="heatmap-spec"'


def _pages(full, tenth, sessions):
    """What is measured, in order: [(label, organisation label, flow)]."""
    hr = sessions["bench-hr"]
    pages = [("healthz", "full", PageFlow("healthz", "/healthz", hr, HEALTHZ))]
    for org in (full, tenth):
        manager = sessions[org.manager]
        team = f"/dashboards/{org.slug}/teams/{org.team}/"
        overview = f"/dashboards/{org.slug}/"
        pages += [
            ("team", org.label, PageFlow("team", team, manager, TEAM_PAGE)),
            ("overview", org.label, PageFlow("overview", overview, hr, OVERVIEW_PAGE)),
            (
                "manager overview",
                org.label,
                PageFlow("manager overview", overview, manager, OVERVIEW_PAGE),
            ),
        ]
    return pages


@benchmark(NAME)
def dashboards(ctx):
    scale = QUICK if ctx.quick else FULL
    organisations, _ = organisations_with_readers(ctx)
    full, tenth = organisations["full"], organisations["1/10"]
    hashed_static(ctx)
    results = {}
    with ctx.server(CONFIG, name="gunicorn-dashboards", environment=STATIC_ENVIRONMENT) as server:
        pages = _pages(full, tenth, reader_sessions(ctx, server))
        # Every worker's first dashboard page loads the latest documents (see the figure
        # below): more clients than workers on the team dashboard, as a warm-up only.
        run_load(
            pages[1][2],
            host=server.host,
            port=server.port,
            clients=2 * CONFIG.workers,
            warmup=scale.warmup,
            duration=0,
        )
        for label, org, flow in pages:
            result = _load(server, flow, scale)
            results[label, org] = result
            ctx.say(
                f"{label}, {org}: p50 {_ms(result, label, 0.5):.0f} ms, "
                f"p95 {_ms(result, label, 0.95):.0f} ms, {result.rate:.1f} pages/s, "
                f"{result.failed} failed; {_cpu(result)}"
            )
        memory = server.largest_worker_mb()
    first_load, documents = _first_load(full)
    return _dashboard_figures(results, full, tenth, memory, first_load, documents)


def _dashboard_figures(results, full, tenth, memory, first_load, documents):
    base = results["healthz", "full"]

    def latency(label, org, fraction):
        return _ms(results[label, org.label], label, fraction)

    def base_ms(fraction):
        return _ms(base, "healthz", fraction)

    team_p95, overview_p95 = latency("team", full, 0.95), latency("overview", full, 0.95)
    growth = {
        label: latency(label, full, 0.5) / latency(label, tenth, 0.5)
        for label in ("team", "overview", "manager overview")
    }
    shape = f"{full.teams} teams, {full.campaigns} campaigns"
    figures = [
        Figure(
            NAME,
            f"team dashboard p95, its manager, {CLIENTS} clients",
            team_p95,
            "ms",
            baseline=base_ms(0.95),
            target=f"< {TARGET_TEAM_P95_MS} ms",
            passed=team_p95 < TARGET_TEAM_P95_MS,
            note=(
                f"full organisation ({shape}); baseline: /healthz with the same session "
                f"through the same gunicorn ({CONFIG.label}); {_cpu(results['team', 'full'])}"
            ),
        ),
        Figure(
            NAME,
            "team dashboard p50",
            latency("team", full, 0.5),
            "ms",
            baseline=base_ms(0.5),
        ),
        Figure(
            NAME,
            f"overview p95, HR, {full.teams} teams",
            overview_p95,
            "ms",
            baseline=base_ms(0.95),
            target=f"< {TARGET_OVERVIEW_P95_MS} ms",
            passed=overview_p95 < TARGET_OVERVIEW_P95_MS,
            note=_cpu(results["overview", "full"]),
        ),
        Figure(
            NAME, "overview p50, HR", latency("overview", full, 0.5), "ms", baseline=base_ms(0.5)
        ),
        Figure(
            NAME,
            "team dashboard p50, full organisation vs 1/10",
            latency("team", full, 0.5),
            "ms",
            baseline=latency("team", tenth, 0.5),
            target=f"ratio ≤ {TARGET_GROWTH}",
            passed=growth["team"] <= TARGET_GROWTH,
            note=(
                f"the same page of a team of the same size in an organisation with 10 times "
                f"the teams and answers ({full.teams} vs {tenth.teams} teams, "
                f"{full.campaigns} vs {tenth.campaigns} campaigns in its trend)"
            ),
        ),
        Figure(
            NAME,
            "overview p50, manager of one team, full vs 1/10",
            latency("manager overview", full, 0.5),
            "ms",
            baseline=latency("manager overview", tenth, 0.5),
            target=f"ratio ≤ {TARGET_GROWTH}",
            passed=growth["manager overview"] <= TARGET_GROWTH,
            note="the same overview (their team, the organisation's figures) over 10 times "
            "the answers",
        ),
        Figure(
            NAME,
            "overview p50, HR, full vs 1/10",
            latency("overview", full, 0.5),
            "ms",
            baseline=latency("overview", tenth, 0.5),
            note=(
                f"HR sees every team: {full.teams} vs {tenth.teams}, one dot each in the "
                "scatter; the heatmap (top of the tree) and the teams table (a page) are "
                "bounded. The cost follows the teams shown, not the answers"
            ),
        ),
        Figure(
            NAME,
            f"loading the full organisation's {documents} latest documents, once a process",
            first_load * 1000,
            "ms",
            note="what a web process adds to its first dashboard page after a new snapshot "
            "(fetching and parsing the JSON); later pages find them parsed in the process",
        ),
        Figure(NAME, "largest gunicorn worker, resident memory", memory, "MB"),
        _noise_figure(results.values()),
    ]
    return figures


def _noise_figure(results):
    return noise_figure(
        NAME,
        max(result.unattributed_share() for result in results),
        "the largest over the pages measured; a FAIL means other processes competed "
        "for the machine: rerun on a quiet machine before quoting",
    )
