"""Benchmark `weights`: what a page weighs on a first visit and on a repeat one.

The login page, a respondent's answering page (a personal link of a small open
campaign made by the app's services), the team dashboard as its manager and the
overview as HR on the full reference organisation (the readers, sessions and hashed
static files are bench/dashboards.py's fixtures), under gunicorn with production
static files. Each page is fetched with everything it references (bench/weight.py),
then the repeat visit a day later: the page again, and only the files whose cache
lifetime has run out, asked with their validators.
"""

from bench.dashboards import (
    CONFIG,
    STATIC_ENVIRONMENT,
    hashed_static,
    organisations_with_readers,
    reader_sessions,
)
from bench.registry import Figure, benchmark
from bench.seed import campaign_launched
from bench.weight import describe, page_weight, repeat_visit
from surveys.links import new_invitation_token
from surveys.models import Invitation, Person, Side, Team, hash_token

NAME = "weights"
TARGET_REPEAT_KB = 100
TARGET_ANSWERING_KB = 80
REPEAT_AFTER = 24 * 3600  # seconds between the first visit and the repeat one


def _answering_link():
    """A personal link of an open campaign, made by the app's services: its path."""
    team = Team.objects.create(code="weights-team", name="Équipe pesée")
    Person.objects.create(side=Side.EMPLOYEE, email="weights@bench.example.org", team=team)
    campaign = campaign_launched(name="Pesée", slug="weights", teams=[team], sides=[Side.EMPLOYEE])
    token = new_invitation_token()
    Invitation.objects.filter(campaign=campaign).update(token_hash=hash_token(token), sent_count=1)
    return f"/r/{token}/"


def _weigh(server, path, cookies=()):
    headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in cookies)} if cookies else {}
    first = page_weight(server.host, server.port, path, headers)
    again = repeat_visit(server.host, server.port, first, after=REPEAT_AFTER, headers=headers)
    return first, again


def _kb(assets):
    return sum(asset.gzip_bytes for asset in assets) / 1024


def _weight_note(first, again):
    note, served = describe(first)
    note += "; a day later: the page again"
    if asked := again[1:]:
        unchanged = sum(asset.status == 304 for asset in asked)
        note += f" and {len(asked)} file(s) asked again ({unchanged} answered 304)"
    return note, served


@benchmark(NAME)
def weights(ctx):
    organisations, _ = organisations_with_readers(ctx)
    full = organisations["full"]
    hashed_static(ctx)
    answering_path = _answering_link()
    with ctx.server(CONFIG, name="gunicorn-weights", environment=STATIC_ENVIRONMENT) as server:
        sessions = reader_sessions(ctx, server)
        manager, hr = sessions[full.manager], sessions["bench-hr"]
        pages = {
            "login page": _weigh(server, "/login/"),
            "answering page": _weigh(server, answering_path),
            "team dashboard": _weigh(
                server, f"/dashboards/{full.slug}/teams/{full.team}/", manager
            ),
            f"overview, HR, {full.teams} teams": _weigh(server, f"/dashboards/{full.slug}/", hr),
        }
    figures = []
    for page, (first, again) in pages.items():
        note, served = _weight_note(first, again)
        dashboard = page != "login page" and page != "answering page"
        first_target = page == "answering page"
        figures += [
            Figure(
                NAME,
                f"{page}, first visit, gzip",
                _kb(first),
                "KB",
                target=f"< {TARGET_ANSWERING_KB} KB" if first_target else "",
                passed=(_kb(first) < TARGET_ANSWERING_KB and served) if first_target else None,
                note=note,
            ),
            Figure(
                NAME,
                f"{page}, repeat visit, gzip",
                _kb(again),
                "KB",
                target=f"< {TARGET_REPEAT_KB} KB" if dashboard else "",
                passed=(_kb(again) < TARGET_REPEAT_KB and served) if dashboard else None,
            ),
        ]
    return figures
