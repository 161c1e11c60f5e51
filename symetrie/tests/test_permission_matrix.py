"""Every URL of the app against every actor, with the status each one must get.

The matrix below has one row per URL (sometimes two: a respondent link that works and
one that does not). `test_every_url_of_the_app_is_in_the_matrix` walks the resolver,
includes and all, and fails on any URL without a row: a page added later without
saying who may open it is a gap this file reports.

The actors:

- anonymous: nobody logged in;
- respondent: an anonymous browser that has opened its personal link. The link is the
  permission: the respondent pages open for whoever holds it, logged in or not, and
  everything else treats the respondent as anonymous;
- stranger: an account with no role (404 wherever a role is needed);
- manager: manager of the reception team, the team every team-level row asks about;
- sibling_manager: manager of the kitchen, the reception's sibling: 403 on the
  reception's dashboards, while the overview of the campaign both teams took part in
  opens (with the kitchen's figures only);
- parent_manager: manager of the Lyon site above both (the reception is in reach);
- hr: a member of the `hr` group;
- superuser: `is_superuser`, outside the `hr` group. The decision (surveys/access.py,
  `is_hr`): a superuser may do everything HR may, plus the Django admin.

Every row is checked twice: with single sign-on off (the default) and on, against the
test OpenID provider, with LOCAL_LOGIN off and the accounts' sessions opened through
single sign-on (that second run in the PostgreSQL pass of make test only). Who may see
what must not depend on how one logged in.

Outcomes: an HTTP status, or LOGIN ("log in first": a redirect to the app's login page
that comes back) or ADMIN_LOGIN (the same to the admin's). A POST by an actor who is
refused must change nothing: each POST row reads a piece of state before and after. A
POST that is let through must change it (where `changes` is set), which proves the
state read is the right one.

Left out, on purpose: the Django admin beyond its index and login (its other pages are
Django's own, each behind `AdminSite.admin_view`, which checks staff status and model
permissions; `test_the_admin_pages_turn_away_whoever_is_not_staff` checks that gate
once over every admin page without arguments), static files (not a view: WhiteNoise
serves them before any URL is resolved) and `set_language`, which everybody may use
(its own test below).
"""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from barometer.models import Report
from barometer.services import snapshot_compute
from barometer.tests.factories import add_responses
from barometer.tests.factories import make_campaign as make_results_campaign
from conftest import make_team, make_user
from surveys import services
from surveys.models import (
    Branding,
    Campaign,
    Invitation,
    Person,
    Questionnaire,
    Response,
    Team,
)
from surveys.questionnaires import questionnaire_copy
from surveys.tests.campaign_helpers import builtin_questionnaire
from surveys.tests.campaign_helpers import make_campaign as make_draft
from surveys.tests.respond_helpers import full_answers, open_campaign, personal_link, public_link
from symetrie.accounts import SSO_SESSION_KEY

LOGIN = "302 to the login page"
ADMIN_LOGIN = "302 to the admin login page"
REFUSED = {LOGIN, ADMIN_LOGIN, 400, 403, 404, 405}

ACTORS = (
    "anonymous",
    "respondent",
    "stranger",
    "manager",
    "sibling_manager",
    "parent_manager",
    "hr",
    "superuser",
)
# URL names the matrix does not list, and why (see the module docstring).
EXCLUDED = {"set_language": "allowed for everyone: test_everybody_may_switch_the_language"}
ADMIN_KEPT = {"admin:index", "admin:login"}
RESULTS, OPEN, DRAFT, SCHEDULED = "2026-q2", "barometre", "printemps", "automne"


def outcomes(default, **by_actor):
    """Expected outcome per actor: `default`, except where named."""
    unknown = set(by_actor) - set(ACTORS)
    assert not unknown, f"unknown actors {unknown}"
    return {actor: by_actor.get(actor, default) for actor in ACTORS}


def everyone(outcome=200):
    return outcomes(outcome)


def logged_in(outcome=200):
    """Any account; anonymous visitors (the respondent among them) go to the login page."""
    return outcomes(outcome, anonymous=LOGIN, respondent=LOGIN)


def hr_only(outcome=200):
    """HR and superusers; a manager gets 403, a stranger 404, anonymous the login page."""
    return outcomes(
        403, anonymous=LOGIN, respondent=LOGIN, stranger=404, hr=outcome, superuser=outcome
    )


def dashboard_readers(outcome=200, sibling=None):
    """HR and managers (the sibling's manager gets `sibling` when given); strangers 404."""
    return outcomes(
        outcome,
        anonymous=LOGIN,
        respondent=LOGIN,
        stranger=404,
        sibling_manager=outcome if sibling is None else sibling,
    )


def login_required_then_post_only():
    """A POST-only view under `login_required`: 405 to any GET once logged in."""
    return logged_in(405)


@dataclass(frozen=True)
class Row:
    """One URL (by name), its arguments, and the outcome of each actor's GET and POST.

    `kwargs` and `data` are functions of the world built once for the module. `post`
    is None for a page whose POST changes nothing; otherwise `state` reads what a POST
    may change, and `changes` says that a POST let through must change it.
    """

    name: str
    get: dict
    kwargs: object = None
    post: dict | None = None
    data: object = None
    state: object = None
    changes: bool = True
    label: str = ""
    # With single sign-on on, where it differs: the outcomes of GET and POST.
    sso_get: dict | None = None
    sso_post: dict | None = None

    @property
    def title(self):
        return f"{self.name}{f' ({self.label})' if self.label else ''}"


def campaign(slug):
    return lambda w: {"slug": slug}


def campaign_state(slug):
    return lambda w: tuple(
        Campaign.objects.filter(slug=slug).values_list("status", "reminders_sent", "name").get()
    )


def count(model, **lookups):
    return lambda w: model.objects.filter(**lookups).count()


def team_field(code, name):
    return lambda w: Team.objects.filter(code=code).values_list(name, flat=True).get()


def copy_questions(w):
    return sorted(
        w.copy.questions.values_list("code", "side", "order", "text_fr", "text_en", "kind")
    )


def campaign_form(w, name, slug):
    today = timezone.localdate()
    return {
        "name": name,
        "slug": slug,
        "opens_on": (today + datetime.timedelta(days=5)).isoformat(),
        "closes_on": (today + datetime.timedelta(days=26)).isoformat(),
        "questionnaire": w.builtin.pk,
        "tree": w.site.pk,
        "sides": ["employee", "client"],
        "score_threshold": "5",
        "comment_threshold": "10",
    }


PAIR = {
    "kind": "likert",
    "required": "on",
    "employee_fr": "On m’accueille bien.",
    "employee_en": "I am made welcome.",
    "client_fr": "On vous accueille bien.",
    "client_en": "I am made welcome.",
}


# URL arguments, read from the world built once for the module (`w`).
def person(w):
    return {"pk": w.lea.pk}


def builtin(w):
    return {"pk": w.builtin.pk}


def copy(w):
    return {"pk": w.copy.pk}


def copy_item(w):
    return {"pk": w.copy.pk, "code": "listening"}


def reception(w):
    return {"pk": w.team.pk}


def link(w):
    return {"slug": OPEN, "team": w.team.code}


def results_team(w):
    return {"slug": RESULTS, "code": w.team.code}


CONFIRM = {"confirm": "yes"}
UNKNOWN_TOKEN = {"token": "Zx8d9Kq2mN4pL7vR1sT6uW3yA5bC0eF9gH2jK4mN6pQ"}


MATRIX = [
    # --- project pages and accounts ---------------------------------------------
    Row("home", logged_in()),
    Row("healthz", everyone()),
    # A wrong password shows the form again; an account already logged in is sent home.
    Row(
        "login",
        outcomes(302, anonymous=200, respondent=200),
        post=outcomes(302, anonymous=200, respondent=200),
        data=lambda w: {"username": "sam@example.org", "password": "not-the-password"},
        state=count(Session),
        changes=False,
    ),
    # Logging out is a POST; it ends whatever session there is and shows the login page.
    Row(
        "logout",
        everyone(405),
        post=everyone(302),
        state=count(Session),
        changes=False,
    ),
    # Nobody in the cast has a second factor: the code step sends them on at once.
    Row(
        "login_code",
        logged_in(302),
        post=logged_in(302),
        data=lambda w: {"code": "000000"},
        state=count(TOTPDevice),
        changes=False,
    ),
    # Any account may turn on two-step verification; a wrong code turns nothing on.
    Row(
        "two_factor",
        logged_in(),
        post=logged_in(200),
        data=lambda w: {"code": "000000"},
        state=count(TOTPDevice, confirmed=True),
        changes=False,
    ),
    Row(
        "two_factor_disable",
        login_required_then_post_only(),
        post=logged_in(302),
        data=lambda w: {"code": "000000"},
        state=count(TOTPDevice),
        changes=False,
    ),
    # The link e-mailed to a new manager: a link that is not valid shows the same page
    # to everybody and sets no password.
    Row(
        "password_set_confirm",
        everyone(),
        kwargs=lambda w: {"uidb64": w.manager_uid, "token": "not-a-valid-token"},
        post=everyone(200),
        data=lambda w: {"new_password1": "Zq8#mLp4!vRt", "new_password2": "Zq8#mLp4!vRt"},
        state=lambda w: get_user_model().objects.get(pk=w.users["manager"].pk).password,
        changes=False,
    ),
    Row("password_set_complete", everyone()),
    # Single sign-on: not there unless it is on. Then anybody may set off to the provider
    # (someone logged in may sign in as someone else), and coming back without a sign-in
    # under way is refused with a page (and an entry in the audit log).
    Row(
        "sso_start",
        everyone(404),
        sso_get=everyone(302),
        post=everyone(405),
        state=count(Session),
        changes=False,
    ),
    Row(
        "sso_callback",
        everyone(404),
        sso_get=everyone(403),
        post=everyone(405),
        state=count(Session),
        changes=False,
    ),
    # --- Django admin: its gate only (see the module docstring) ------------------
    Row("admin:index", outcomes(ADMIN_LOGIN, superuser=200)),
    Row("admin:login", outcomes(200, superuser=302)),
    # --- audit log ----------------------------------------------------------------
    Row("audit:log", hr_only()),
    Row("audit:log_csv", hr_only()),
    # --- HR: teams ----------------------------------------------------------------
    Row("surveys:teams", hr_only()),
    Row(
        "surveys:team_create",
        hr_only(),
        post=hr_only(302),
        data=lambda w: {"code": "lyon-bar", "name": "Bar", "parent": w.site.pk, "managers": ""},
        state=count(Team),
    ),
    Row(
        "surveys:team_edit",
        hr_only(),
        kwargs=reception,
        post=hr_only(302),
        data=lambda w: {"name": "Accueil", "parent": w.site.pk, "managers": "marc@example.org"},
        state=team_field("lyon-reception", "name"),
    ),
    Row(
        "surveys:team_archive",
        hr_only(),
        kwargs=reception,
        post=hr_only(302),
        data=lambda w: CONFIRM,
        state=team_field("lyon-reception", "archived"),
    ),
    Row(
        "surveys:team_unarchive",
        hr_only(405),
        kwargs=lambda w: {"pk": w.archived.pk},
        post=hr_only(302),
        state=team_field("lyon-old", "archived"),
    ),
    # Without a file the upload form says what is missing; nothing is written before the
    # confirmation, and a confirmation without a preview sends back to the upload.
    Row(
        "surveys:teams_import",
        hr_only(),
        post=hr_only(200),
        state=count(Team),
        changes=False,
    ),
    Row(
        "surveys:teams_import_confirm",
        hr_only(405),
        post=hr_only(302),
        data=lambda w: {"token": "forged"},
        state=count(Team),
        changes=False,
    ),
    Row("surveys:teams_import_template", hr_only(), kwargs=lambda w: {"fmt": "xlsx"}),
    # --- HR: people ---------------------------------------------------------------
    Row("surveys:people", hr_only()),
    Row("surveys:people_detail", hr_only(), kwargs=person),
    Row("surveys:people_export", hr_only(), kwargs=person),
    Row(
        "surveys:people_erase",
        hr_only(),
        kwargs=person,
        post=hr_only(302),
        data=lambda w: CONFIRM,
        state=count(Person),
    ),
    Row(
        "surveys:people_import",
        hr_only(),
        post=hr_only(200),
        state=count(Person),
        changes=False,
    ),
    Row(
        "surveys:people_import_confirm",
        hr_only(405),
        post=hr_only(302),
        data=lambda w: {"token": "forged"},
        state=count(Person),
        changes=False,
    ),
    Row("surveys:people_import_template", hr_only(), kwargs=lambda w: {"fmt": "xlsx"}),
    # --- HR: branding and texts; the logo is public (404 while there is none) --------
    Row(
        "surveys:branding",
        hr_only(),
        post=hr_only(302),
        data=lambda w: {"organisation_name": "Hôtels Lumière", "save": "1"},
        state=count(Branding),
    ),
    Row("branding_logo", everyone(404)),
    # --- HR: questionnaire templates ------------------------------------------------
    Row("surveys:questionnaires", hr_only()),
    Row("surveys:questionnaire_detail", hr_only(), kwargs=builtin),
    Row("surveys:questionnaire_preview", hr_only(), kwargs=builtin),
    Row(
        "surveys:questionnaire_copy",
        hr_only(),
        kwargs=builtin,
        post=hr_only(302),
        data=lambda w: {"name": "Hôtels 2027"},
        state=count(Questionnaire),
    ),
    Row(
        "surveys:questionnaire_edit",
        hr_only(),
        kwargs=copy,
        post=hr_only(302),
        data=lambda w: {"name": "Renamed"},
        state=lambda w: Questionnaire.objects.get(pk=w.copy.pk).name,
    ),
    Row(
        "surveys:questionnaire_delete",
        hr_only(),
        kwargs=copy,
        post=hr_only(302),
        state=count(Questionnaire),
    ),
    Row(
        "surveys:questionnaire_pair_add",
        hr_only(),
        kwargs=copy,
        post=hr_only(302),
        data=lambda w: {"code": "welcome", **PAIR},
        state=copy_questions,
    ),
    Row(
        "surveys:questionnaire_question_add",
        hr_only(),
        kwargs=copy,
        post=hr_only(302),
        data=lambda w: {
            "side": "employee",
            "code": "canteen",
            "kind": "text",
            "text_fr": "La cantine ?",
            "text_en": "The canteen?",
        },
        state=copy_questions,
    ),
    Row(
        "surveys:questionnaire_item_edit",
        hr_only(),
        kwargs=copy_item,
        post=hr_only(302),
        data=lambda w: PAIR,
        state=copy_questions,
    ),
    Row(
        "surveys:questionnaire_item_remove",
        hr_only(),
        kwargs=copy_item,
        post=hr_only(302),
        state=copy_questions,
    ),
    # require_POST comes before the role check here: a GET gets 405 from any account.
    # It reveals nothing (the same answer for any id, existing or not).
    Row(
        "surveys:questionnaire_item_move",
        login_required_then_post_only(),
        kwargs=copy_item,
        post=hr_only(302),
        data=lambda w: {"direction": "down"},
        state=copy_questions,
    ),
    # --- HR: campaigns ------------------------------------------------------------
    Row("surveys:campaigns", hr_only()),
    Row(
        "surveys:campaign_create",
        hr_only(),
        post=hr_only(302),
        data=lambda w: campaign_form(w, "Hiver", "hiver"),
        state=count(Campaign),
    ),
    Row("surveys:campaign_detail", hr_only(), kwargs=campaign(OPEN)),
    Row(
        "surveys:campaign_edit",
        hr_only(),
        kwargs=campaign(DRAFT),
        post=hr_only(302),
        data=lambda w: campaign_form(w, "Printemps bis", DRAFT),
        state=campaign_state(DRAFT),
    ),
    Row(
        "surveys:campaign_launch",
        hr_only(),
        kwargs=campaign(DRAFT),
        post=hr_only(302),
        data=CONFIRM,
        state=campaign_state(DRAFT),
    ),
    Row(
        "surveys:campaign_open",
        hr_only(),
        kwargs=campaign(SCHEDULED),
        post=hr_only(302),
        data=CONFIRM,
        state=campaign_state(SCHEDULED),
    ),
    Row(
        "surveys:campaign_remind",
        hr_only(),
        kwargs=campaign(OPEN),
        post=hr_only(302),
        data=CONFIRM,
        state=campaign_state(OPEN),
    ),
    # Queues again the e-mails that failed: none here, so HR's POST changes nothing either.
    Row(
        "surveys:campaign_send_pending",
        hr_only(405),
        kwargs=campaign(OPEN),
        post=hr_only(302),
        state=campaign_state(OPEN),
        changes=False,
    ),
    Row(
        "surveys:campaign_close",
        hr_only(),
        kwargs=campaign(OPEN),
        post=hr_only(302),
        data=CONFIRM,
        state=campaign_state(OPEN),
    ),
    # Closed too long ago to reopen: HR's confirmed POST is refused with a message.
    Row(
        "surveys:campaign_reopen",
        hr_only(),
        kwargs=campaign(RESULTS),
        post=hr_only(302),
        data=lambda w: {"confirm": "yes", "closes_on": timezone.localdate().isoformat()},
        state=campaign_state(RESULTS),
        changes=False,
    ),
    # The results campaign has no invitation left to erase.
    Row(
        "surveys:campaign_erase_links",
        hr_only(),
        kwargs=campaign(RESULTS),
        post=hr_only(302),
        data=CONFIRM,
        state=count(Invitation, campaign__slug=RESULTS),
        changes=False,
    ),
    Row(
        "surveys:campaign_delete",
        hr_only(),
        kwargs=campaign(DRAFT),
        post=hr_only(302),
        data=CONFIRM,
        state=count(Campaign),
    ),
    Row(
        "surveys:campaign_extend",
        hr_only(),
        kwargs=campaign(OPEN),
        post=hr_only(302),
        data=lambda w: {"teams": [w.site.pk], "confirm": "yes"},
        state=count(Team, campaigns__slug=OPEN),
    ),
    Row(
        "surveys:campaign_duplicate",
        hr_only(),
        kwargs=campaign(SCHEDULED),
        post=hr_only(302),
        data=lambda w: {
            "name": "Barometre bis",
            "slug": "barometre-bis",
            "opens_on": timezone.localdate().isoformat(),
            "closes_on": (timezone.localdate() + datetime.timedelta(days=9)).isoformat(),
        },
        state=count(Campaign),
    ),
    Row(
        "surveys:campaign_test_email",
        hr_only(),
        kwargs=campaign(OPEN),
        post=hr_only(302),
        data=lambda w: {"side": "employee"},
        state=count(AuditEntry, action="test_email"),
    ),
    Row("surveys:campaign_monitor", hr_only(), kwargs=campaign(OPEN)),
    Row("surveys:campaign_public_links", hr_only(), kwargs=campaign(OPEN)),
    Row(
        "surveys:public_link_qr",
        hr_only(),
        kwargs=lambda w: {**link(w), "format": "png"},
        label="png",
    ),
    Row(
        "surveys:public_link_qr",
        hr_only(),
        kwargs=lambda w: {**link(w), "format": "svg"},
        label="svg",
    ),
    Row("surveys:public_link_print", hr_only(), kwargs=link),
    # --- results: API and dashboards ----------------------------------------------
    # The campaign covers the reception and the kitchen: each manager reaches one of
    # them, so each gets the document (filtered to their teams); a stranger reaches none.
    Row("barometer:results_json", dashboard_readers(), kwargs=campaign(RESULTS)),
    Row("barometer:dashboards", dashboard_readers(302)),
    Row(
        "barometer:dashboard_team_latest",
        dashboard_readers(302, sibling=403),
        kwargs=lambda w: {"code": w.team.code},
    ),
    Row("barometer:overview", dashboard_readers(), kwargs=campaign(RESULTS)),
    Row("barometer:overview_csv", dashboard_readers(), kwargs=campaign(RESULTS)),
    Row("barometer:overview_xlsx", dashboard_readers(), kwargs=campaign(RESULTS)),
    Row("barometer:dashboard_team", dashboard_readers(sibling=403), kwargs=results_team),
    Row("barometer:dashboard_team_csv", dashboard_readers(sibling=403), kwargs=results_team),
    Row("barometer:dashboard_team_xlsx", dashboard_readers(sibling=403), kwargs=results_team),
    Row("barometer:dashboard_team_pdf", dashboard_readers(sibling=403), kwargs=results_team),
    Row(
        "barometer:organisation_report",
        dashboard_readers(),
        kwargs=campaign(RESULTS),
        post=dashboard_readers(302),
        state=count(Report),
    ),
    # A report is its reader's own: without one of theirs, every reader gets 404.
    Row(
        "barometer:organisation_report_file",
        logged_in(404),
        kwargs=lambda w: {"slug": RESULTS, "number": 999_999},
    ),
    # --- respondents: the link is the permission -------------------------------------
    Row(
        "respond_personal",
        everyone(),
        kwargs=lambda w: {"token": w.token},
        post=everyone(302),
        data=lambda w: full_answers(w.open, "employee"),
        state=count(Response),
        label="their link",
    ),
    Row(
        "respond_personal",
        everyone(404),
        kwargs=lambda w: UNKNOWN_TOKEN,
        post=everyone(404),
        data=lambda w: full_answers(w.open, "employee"),
        state=count(Response),
        label="an unknown link",
    ),
    Row(
        "respond_public",
        everyone(),
        kwargs=lambda w: {"token": w.public_token},
        post=everyone(302),
        data=lambda w: full_answers(w.open, "client"),
        state=count(Response),
        label="a team's link",
    ),
    Row(
        "respond_public",
        everyone(404),
        kwargs=lambda w: UNKNOWN_TOKEN,
        post=everyone(404),
        data=lambda w: full_answers(w.open, "client"),
        state=count(Response),
        label="an unknown link",
    ),
    Row("respond_thanks", everyone()),
    Row("privacy", everyone()),
]


# --- the world, built once for the module -------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Teams, accounts, a closed campaign with its barometer, an open one with links, a
    draft, a scheduled one and a copied template: committed once, each test rolled back.
    """
    with django_db_blocker.unblock():
        built = _build()
    yield built
    with django_db_blocker.unblock():
        _clean(built)


def _build():
    users = {
        "hr": make_user("helene@example.org", password=None, hr=True),
        "manager": make_user("marc@example.org", password=None),
        "sibling_manager": make_user("sofia@example.org", password=None),
        "parent_manager": make_user("paul@example.org", password=None),
        "stranger": make_user("sam@example.org", password=None),
        "superuser": get_user_model().objects.create_superuser(
            "root@example.org", "root@example.org", None
        ),
    }
    site = make_team("lyon", managers=[users["parent_manager"]], name="Lyon")
    team = make_team("lyon-reception", parent=site, managers=[users["manager"]])
    sibling = make_team("lyon-kitchen", parent=site, managers=[users["sibling_manager"]])
    archived = make_team("lyon-old", parent=site)
    Team.objects.filter(pk=archived.pk).update(archived=True)

    results = make_results_campaign(
        RESULTS, teams=[team, sibling], closes_on=datetime.date(2026, 6, 15), status="closed"
    )
    for member in (team, sibling):
        for side in ("employee", "client"):
            add_responses(results, member, side, 4, recommend=9, listening=4, trust=3)
    snapshot_compute(campaign=results)

    opened = open_campaign({"team": team, "sibling": sibling}, slug=OPEN)
    invitation, token = personal_link(opened, team)
    invitation.sent_count = 1  # the e-mail left: a reminder is due to Léa
    invitation.save(update_fields=["sent_count"])
    public = public_link(opened, team)
    template = builtin_questionnaire()
    make_draft([team], slug=DRAFT)
    services.campaign_launch(campaign=make_draft([team], slug=SCHEDULED, opens_in=3))
    return SimpleNamespace(
        users=users,
        site=site,
        team=team,
        archived=archived,
        open=opened,
        lea=invitation.person,
        token=token,
        public_token=public.token,
        builtin=template,
        copy=questionnaire_copy(source=template, name="Hôtels"),
        manager_uid=urlsafe_base64_encode(force_bytes(users["manager"].pk)),
    )


def _clean(world):
    """Remove what `_build` committed, so the next module starts from an empty database."""
    Campaign.objects.filter(slug__in=[RESULTS, OPEN, DRAFT, SCHEDULED]).delete()
    teams = Team.objects.filter(code__startswith="lyon")
    Person.objects.filter(team__in=teams).delete()
    Questionnaire.objects.filter(pk=world.copy.pk).delete()
    teams.exclude(parent=None).delete()
    teams.delete()
    get_user_model().objects.filter(pk__in=[u.pk for u in world.users.values()]).delete()


def client_for(world, actor, sso=False):
    """A client for `actor`; with `sso`, an account's session is a single sign-on one."""
    client = Client()
    if actor == "respondent":
        assert client.get(reverse("respond_personal", args=[world.token])).status_code == 200
    elif actor != "anonymous":
        client.force_login(world.users[actor])
        if sso:
            session = client.session
            session[SSO_SESSION_KEY] = True
            session.save()
    return client


def outcome(response):
    """The response's status, or LOGIN / ADMIN_LOGIN for "log in first": a redirect to a
    login page that comes back (`next`). Logging out also ends on the login page, but
    without `next`: that is a plain 302."""
    if response.status_code in (301, 302):
        location = urlsplit(response["Location"])
        if "next=" in location.query:
            if location.path == reverse("login"):
                return LOGIN
            if location.path == reverse("admin:login"):
                return ADMIN_LOGIN
    return response.status_code


def _resolve(value, world):
    if value is None:
        return {}
    return value(world) if callable(value) else value


# --- the matrix -----------------------------------------------------------------------


def _expected(row, method, sso):
    if method == "GET":
        return (sso and row.sso_get) or row.get
    return (sso and row.sso_post) or row.post


def _cases():
    for sso in (False, True):
        for row in MATRIX:
            for method in ("GET", "POST"):
                if _expected(row, method, sso) is None:
                    continue
                for actor in ACTORS:
                    name = f"{method} {row.title} as {actor}{', SSO on' if sso else ''}"
                    # The second run (~45 s) once, in the PostgreSQL pass of make test.
                    marks = [pytest.mark.postgres] if sso else []
                    yield pytest.param(row, method, actor, sso, id=name, marks=marks)


@pytest.fixture
def sso_on(request, settings):
    """Single sign-on against the test provider, with password logins for superusers only."""
    request.getfixturevalue("sso")
    settings.LOCAL_LOGIN = False


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "method", "actor", "sso_mode"), list(_cases()))
def test_each_actor_gets_the_expected_answer(world, row, method, actor, sso_mode, request):
    # `sso_mode`, not `sso`: that name is the fixture's.
    sso = sso_mode
    if sso:
        request.getfixturevalue("sso_on")
    client = client_for(world, actor, sso)
    url = reverse(row.name, kwargs=_resolve(row.kwargs, world))
    expected = _expected(row, method, sso)
    if method == "GET":
        assert outcome(client.get(url)) == expected[actor]
        return

    before = row.state(world)
    response = client.post(url, _resolve(row.data, world))
    expected = expected[actor]
    assert outcome(response) == expected
    after = row.state(world)
    if expected in REFUSED:
        assert after == before, f"a refused POST changed {before!r} into {after!r}"
    elif row.changes:
        assert after != before, "an allowed POST changed nothing: is the state read the right one?"


def test_every_post_row_says_what_it_may_change():
    assert [row.title for row in MATRIX if row.post and row.state is None] == []


# --- no gap -----------------------------------------------------------------------------


def _patterns(resolver=None, namespace="", prefix=""):
    """(qualified name, route) of every URL pattern, through every include.

    A pattern without a name is known by its namespace and route ("admin:admin/…").
    """
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _patterns(pattern, inner, route)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or route
            yield f"{namespace}:{name}" if namespace else name, route


def _served_by_the_matrix(name, route):
    if name in EXCLUDED or route.lstrip("^").startswith("static/"):
        return False
    return not name.startswith("admin:") or name in ADMIN_KEPT


def test_every_url_of_the_app_is_in_the_matrix():
    expected = {name for name, route in _patterns() if _served_by_the_matrix(name, route)}
    covered = {row.name for row in MATRIX}
    assert sorted(expected - covered) == [], "URLs with no row in the permission matrix"
    assert sorted(covered - expected) == [], "rows for URLs that no longer exist"


def test_every_url_has_an_expectation_for_every_actor():
    for row in MATRIX:
        for expected in (row.get, row.post, row.sso_get, row.sso_post):
            if expected is not None:
                assert set(expected) == set(ACTORS), row.title


# --- what the matrix leaves out -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_everybody_may_switch_the_language(world, actor):
    response = client_for(world, actor).post(
        reverse("set_language"), {"language": "en", "next": "/privacy/"}
    )
    assert (response.status_code, response["Location"]) == (302, "/privacy/")
    assert response.cookies["django_language"].value == "en"


def _admin_pages_without_arguments():
    return sorted(
        name
        for name, route in _patterns()
        if name.startswith("admin:") and "<" not in route and "(?P" not in route
    )


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["hr", "manager", "stranger"])
def test_the_admin_pages_turn_away_whoever_is_not_staff(world, actor):
    client = client_for(world, actor)
    pages = [name for name in _admin_pages_without_arguments() if name not in ADMIN_KEPT]
    assert len(pages) > 10
    answers = {name: outcome(client.get(reverse(name))) for name in pages}
    # The admin's logout sends a visitor who is not staff to the admin's index (which
    # sends on to its login) instead of logging them out.
    assert {name: answer for name, answer in answers.items() if answer != ADMIN_LOGIN} == {
        "admin:logout": 302
    }
    assert client.get(reverse("admin:logout"))["Location"] == reverse("admin:index")
