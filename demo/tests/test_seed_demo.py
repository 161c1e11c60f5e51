"""seed_demo: the demo organisation (Hôtels Lumière) with four closed barometers and one open.

The full seed runs once for the module, committed, and is deleted again at the end;
each test then works inside its own rolled-back transaction.
"""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from barometer.models import Snapshot
from conftest import make_team
from demo.comments import COMMENTS
from demo.organisation import DEMO_HR, PREFIX, UNITS
from demo.queries import demo_campaigns
from demo.seeding import demo_delete
from surveys.models import Answer, Campaign, Invitation, Person, Response, Side, Team

FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_LINE = re.compile(r"^  .*: (\S+@demo\.symetrie\.fr) / (\S+)$", re.MULTILINE)


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The output of one full `seed_demo`, whose data stay for the module's tests."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHING):
        output = seed()
        yield output
        demo_delete()


def demo_teams():
    return Team.objects.filter(code__startswith=PREFIX)


def closed_documents():
    campaigns = demo_campaigns().filter(status=Campaign.Status.CLOSED)
    return [Snapshot.objects.latest_for(campaign).document for campaign in campaigns]


def team_of(document, code):
    return next(team for team in document["teams"] if team["code"] == PREFIX + code)


def test_the_seed_builds_about_forty_teams_on_three_levels_with_managers(seeded, db):
    teams = list(demo_teams().select_related("parent").prefetch_related("managers"))
    assert 38 <= len(teams) <= 45
    parents = {team.code: team.parent.code if team.parent else None for team in teams}

    def depth(code):
        return 0 if parents[code] is None else 1 + depth(parents[code])

    assert {depth(code) for code in parents} == {0, 1, 2}  # site → department → team
    assert all(len(team.managers.all()) == 1 for team in teams)
    people = Person.objects.filter(team__in=teams)
    assert people.filter(side=Side.EMPLOYEE).count() > 1200
    assert people.filter(side=Side.CLIENT).count() > 2500
    assert people.filter(language="en").exists() and people.filter(language="fr").exists()
    assert not people.exclude(email__endswith="demo.symetrie.fr").exists()


def test_four_closed_historical_quarters_and_the_current_one_open_all_with_snapshots(seeded, db):
    campaigns = list(demo_campaigns())
    assert [c.status for c in campaigns] == ["closed"] * 4 + ["open"]
    today = timezone.localdate()
    for campaign in campaigns[:4]:
        assert campaign.historical
        assert campaign.closes_on < today
        responses = campaign.responses.all()
        assert responses.count() > 1500
        assert set(responses.values_list("channel", flat=True).distinct()) == {"import"}
        assert set(responses.values_list("submitted_on", flat=True).distinct()) == {
            campaign.closes_on
        }
    current = campaigns[4]
    assert current.opens_on <= today <= current.closes_on
    assert current.invitations.count() == Person.objects.filter(team__in=demo_teams()).count()
    assert not current.invitations.filter(sent_count=0).exists()  # nothing left to send
    channels = set(current.responses.values_list("channel", flat=True).distinct())
    assert channels == {"link", "public"}
    assert (
        current.invitations.filter(used=True).count()
        == current.responses.filter(channel="link").count()
    )
    for campaign in campaigns[:4]:
        snapshot = Snapshot.objects.latest_for(campaign)
        assert snapshot.final
        organisation = snapshot.document["organisation"]
        published = sum(organisation[side]["responses"] for side in ("employee", "client"))
        dropped = sum(organisation[side].get("held_back", 0) for side in ("employee", "client"))
        assert published + dropped == campaign.responses.count()
    # The open one publishes live releases: groups of at least 5, the rest waiting.
    assert current.live_results
    live = Snapshot.objects.latest_for(current)
    assert not live.final
    assert 0 < live.document["organisation"]["employee"]["responses"]


def test_employee_and_client_recommendations_are_correlated_but_not_perfectly(seeded, db):
    documents = closed_documents()
    for document in documents:
        correlation = document["correlations"]["recommend"]
        assert correlation["label"] in ("exploratory", "ok")
        assert 0.4 <= correlation["pearson"] <= 0.7
    assert documents[-1]["correlations"]["lagged"]["employee_to_client"]["pearson"] > 0


def test_small_teams_are_suppressed_and_back_office_teams_have_no_client_data(seeded, db):
    latest = closed_documents()[-1]
    assert team_of(latest, "lyon-reception-nuit")["employee"]["status"] == "suppressed"
    assert team_of(latest, "lyon-cuisine")["client"]["status"] == "no_data"
    assert team_of(latest, "siege-finance")["client"]["status"] == "no_data"
    assert team_of(latest, "lyon-bar")["client"]["status"] == "ok"


def api_documents(client):
    """Every demo campaign's document as HR reads it through the results API."""
    client.login(username=DEMO_HR[0], password=DEMO_HR[1])
    documents = []
    for campaign in demo_campaigns():
        response = client.get(reverse("barometer:results_json", args=[campaign.slug]))
        assert response.status_code == 200
        documents.append(response.json())
    return documents


def residuals(document, side, item):
    """Per published team: its item's n minus the n its published children show."""
    teams = document["teams"]

    def n(team):
        figures = team[side]
        if figures.get("status") != "ok":
            return 0
        if item == "recommend":
            nps = (figures["promoters"], figures["passives"], figures["detractors"])
            return sum(nps) if figures["nps"] is not None else 0
        return (figures["dimensions"].get(item) or {}).get("n") or 0

    for team in teams:
        if n(team):
            children = [t for t in teams if t["parent"] == team["code"]]
            yield team["code"], n(team) - sum(n(child) for child in children)


@pytest.mark.parametrize(
    ("parent", "side", "items"),
    [
        ("lyon-restauration", "employee", ["support"]),
        ("lyon-reception", "client", ["consideration", "environment", "values"]),
    ],
)
def test_a_parent_minus_its_published_children_never_gives_a_hidden_group(
    seeded, client, db, parent, side, items
):
    """The cases found by a reader: Restauration's employees on `support` minus its
    published children gave Bar Le Zinc's 4 hidden answers; Réception's clients gave
    Réception de nuit's on three dimensions."""
    for document in api_documents(client):
        k = document["thresholds"]["scores"]
        for item in items:
            rest = dict(residuals(document, side, item)).get(PREFIX + parent, 0)
            assert rest == 0 or rest >= k, (document["campaign"]["slug"], item, rest)


def test_no_published_item_of_the_demo_rests_on_fewer_than_k_answers_or_isolates_any(
    seeded, client, db
):
    for document in api_documents(client):
        k = document["thresholds"]["scores"]
        for side in ("employee", "client"):
            codes = {"recommend"} | {
                code for team in document["teams"] for code in (team[side].get("dimensions") or {})
            }
            for item in codes:
                for code, rest in residuals(document, side, item):
                    assert rest == 0 or rest >= k, (document["campaign"]["slug"], code, item)


def test_the_bar_clients_are_less_happy_than_its_employees(seeded, db):
    bar = team_of(closed_documents()[-1], "lyon-bar")
    gaps = bar["symmetry"]["gaps"].values()
    assert sum(gaps) / len(gaps) < -10
    assert bar["client"]["nps"] < bar["employee"]["nps"]
    assert "Bar Le Zinc (Lyon Confluence): clients less happy than their employees" in seeded


def test_comments_come_in_french_and_english_on_both_sides(seeded, db):
    texts = set(
        Answer.objects.filter(question__code="comment", response__team__in=demo_teams())
        .values_list("text", flat=True)
        .distinct()
    )
    for (side, language, positive), bank in COMMENTS.items():
        assert any(sentence in text for text in texts for sentence in bank), (
            side,
            language,
            positive,
        )
    published = closed_documents()[-1]["organisation"]
    shown = {comment["text"] for side in Side.values for comment in published[side]["comments"]}
    english = COMMENTS[(Side.CLIENT, "en", True)] + COMMENTS[(Side.CLIENT, "en", False)]
    assert any(sentence in text for text in shown for sentence in english)


def test_running_it_again_changes_nothing(seeded, db):
    def state():
        return [
            Team.objects.count(),
            Person.objects.count(),
            Campaign.objects.count(),
            Response.objects.count(),
            Answer.objects.count(),
            Invitation.objects.filter(used=True).count(),
            Snapshot.objects.count(),
            get_user_model().objects.count(),
        ]

    before = state()
    output = seed()
    assert "already there" in output
    assert "nothing changed" in output
    assert state() == before


def test_the_printed_logins_work_and_see_their_own_teams(seeded, client, db):
    logins = dict(LOGIN_LINE.findall(seeded))
    assert len(logins) == 3
    assert logins[DEMO_HR[0]] == DEMO_HR[1]
    slug = demo_campaigns().filter(status=Campaign.Status.CLOSED).last().slug
    visible = {}
    for username, password in logins.items():
        assert client.login(username=username, password=password), username
        response = client.get(reverse("barometer:results_json", args=[slug]))
        assert response.status_code == 200
        visible[username] = {team["code"] for team in response.json()["teams"]}
        client.logout()
    hr, site, team = (visible[username] for username in logins)
    assert len(hr) == demo_teams().count()
    assert "demo-lyon-bar" in site and "demo-nice" not in site
    assert team == {"demo-lyon-bar"}


def test_the_printed_links_take_answers(seeded, client, db):
    personal, public = re.findall(r"(http://\S+/[rq]/\S+/)", seeded)
    page = client.get(urlsplit(personal).path)
    assert page.status_code == 200
    campaign = demo_campaigns().get(status=Campaign.Status.OPEN)
    answers = {
        f"q{question.pk}": 5 if question.kind == "likert" else 9
        for question in campaign.questions.filter(side=Side.EMPLOYEE).exclude(kind="text")
    }
    before = campaign.responses.count()
    assert client.post(urlsplit(personal).path, answers).status_code == 302
    assert campaign.responses.count() == before + 1
    assert 'name="q' not in client.get(urlsplit(personal).path).content.decode()  # used now
    public_page = client.get(f"{urlsplit(public).path}?lang=en")
    assert public_page.status_code == 200
    assert "Your opinion of the team" in public_page.text
    assert "at Hôtels Lumière" in public_page.text  # the demo's branding


def test_reset_regenerates_the_demo_and_leaves_other_data_alone(
    seeded, db, django_capture_on_commit_callbacks, mailoutbox
):
    other = make_team("paris-accueil", name="Accueil Paris")
    Person.objects.create(side=Side.EMPLOYEE, email="lea@example.org", team=other)
    old = set(demo_campaigns().values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        output = seed("--reset", "--small")
    assert callbacks  # the launch's sending tasks and the answers' refreshes did run
    assert "Deleted the demo organisation" in output
    campaigns = demo_campaigns()
    assert campaigns.count() == 5
    assert not old & set(campaigns.values_list("pk", flat=True))
    assert demo_teams().count() == len(UNITS)
    assert Snapshot.objects.filter(campaign__in=campaigns).count() == 5  # one each, no more
    assert mailoutbox == []  # the launch's e-mails count as sent: none went out
    assert Team.objects.filter(code="paris-accueil").exists()
    assert Person.objects.filter(email="lea@example.org").exists()


def test_reset_refuses_when_a_campaign_mixes_demo_and_other_teams(seeded, db):
    other = make_team("paris-accueil", name="Accueil Paris")
    mixed = Campaign.objects.create(
        name="Mixed", slug="mixed", opens_on=timezone.localdate(), closes_on=timezone.localdate()
    )
    mixed.teams.add(other, demo_teams().first())
    with pytest.raises(CommandError, match="mixed"):
        seed("--reset")
    assert demo_campaigns().count() == 6  # the demo's five and the mixed one
