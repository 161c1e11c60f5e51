"""Every question reported: HR copies the template, adds a mirrored pair and a
single-choice question through the services of the HR screens, runs a campaign, and
finds them in the document and on the pages; with too few answers they are hidden."""

import datetime

import pytest

from barometer.document import MIRRORED_DIMENSIONS
from barometer.models import Snapshot
from barometer.services import snapshot_compute
from barometer.tests.factories import add_responses
from surveys.models import Campaign
from surveys.questionnaires import (
    questionnaire_copy,
    questionnaire_install_builtin,
    questionnaire_pair_add,
    questionnaire_question_add,
)
from surveys.services import campaign_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def template(db):
    copy = questionnaire_copy(source=questionnaire_install_builtin(), name="Hôtels 2027")
    questionnaire_pair_add(
        questionnaire=copy,
        code="recognition",
        kind="likert",
        required=False,
        employee_fr="Mon travail est reconnu",
        employee_en="My work is recognised",
        client_fr="Le personnel reconnaît ma fidélité",
        client_en="Staff recognise my loyalty",
    )
    questionnaire_question_add(
        questionnaire=copy,
        side="client",
        code="channel",
        kind="choice",
        required=False,
        text_fr="Comment nous avez-vous connus ?",
        text_en="How did you hear of us?",
        choices=[{"fr": "Bouche à oreille", "en": "Word of mouth"}, {"fr": "Web", "en": "Web"}],
    )
    questionnaire_question_add(
        questionnaire=copy,
        side="employee",
        code="workload",
        kind="likert",
        required=False,
        text_fr="Ma charge de travail est tenable",
        text_en="My workload is sustainable",
    )
    return copy


def run(template, org, *, slug, clients, employees):
    campaign = campaign_create(
        name=slug.upper(),
        slug=slug,
        opens_on=datetime.date(2027, 1, 1),
        closes_on=datetime.date(2027, 2, 1),
        questionnaire=template,
        teams=[org["team"], org["sibling"]],
        sides=["employee", "client"],
        score_threshold=3,
        comment_threshold=3,
        reminder_days=[],
    )
    Campaign.objects.filter(pk=campaign.pk).update(status="closed")
    for team, count in employees.items():
        answers = dict.fromkeys(MIRRORED_DIMENSIONS, 4) | {"recognition": 2, "workload": 5}
        add_responses(campaign, org[team], "employee", count, recommend=9, **answers)
    for team, (web, mouth) in clients.items():
        answers = dict.fromkeys(MIRRORED_DIMENSIONS, 4) | {"recognition": 5, "recommend": 10}
        add_responses(campaign, org[team], "client", web, channel=1, **answers)
        add_responses(campaign, org[team], "client", mouth, channel=0, **answers)
    snapshot_compute(campaign=campaign)
    return campaign, Snapshot.objects.get(campaign=campaign).document


def reception(document):
    return next(t for t in document["teams"] if t["code"] == "lyon-reception")


def test_the_added_items_are_in_the_document(template, org):
    _, document = run(
        template, org, slug="2027-q1", clients={"team": (3, 1)}, employees={"team": 4}
    )
    team = reception(document)
    assert team["symmetry"]["gaps"]["recognition"] == pytest.approx(100.0)
    index = 100 - sum(abs(g) for g in team["symmetry"]["gaps"].values()) / 12
    assert team["symmetry"]["index"] == pytest.approx(index)
    assert "recognition" in document["correlations"]["dimensions"]
    assert team["client"]["choices"]["channel"] == {"n": 4, "shares": [0.25, 0.75]}
    assert team["employee"]["dimensions"]["workload"] == {"favourable": 1.0, "mean": 5.0, "n": 4}
    codes = [item["code"] for item in document["questions"]]
    assert {"recognition", "channel", "workload"} <= set(codes)


def test_the_pages_report_every_question(english, template, org, hr_user):
    campaign, _ = run(
        template, org, slug="2027-q1", clients={"team": (3, 1)}, employees={"team": 4}
    )
    english.force_login(org["manager"])
    response = english.get(f"/dashboards/{campaign.slug}/teams/lyon-reception/")
    rows = {row["code"]: row for row in response.context["mirror_rows"]}
    assert rows["recognition"]["name"] == "My work is recognised"
    assert rows["recognition"]["gap"] == "+100"
    page = response.content.decode()
    assert 'data-testid="table-choice-channel"' in page
    assert "Word of mouth" in page and "(n = 4)" in page and "75%" in page
    likert = {row["code"]: row for row in response.context["other_questions"]["likert"]}
    assert list(likert) == ["perceived_other", "workload"]
    workload = likert["workload"]
    assert workload["title"] == "My workload is sustainable"
    assert [(c["who"], c["favourable"], c["n"]) for c in workload["sides"]] == [
        ("Employees", "100%", 4)
    ]
    english.force_login(hr_user)
    overview = english.get(f"/dashboards/{campaign.slug}/")
    assert "My work is recognised" in [name for _, name in overview.context["dimensions"]]
    assert 'data-testid="table-choice-channel"' in overview.content.decode()


def test_in_french_too(client, template, org):
    campaign, _ = run(
        template, org, slug="2027-q1", clients={"team": (3, 1)}, employees={"team": 4}
    )
    client.force_login(org["manager"])
    page = client.get(f"/dashboards/{campaign.slug}/teams/lyon-reception/").content.decode()
    assert "Mon travail est reconnu" in page and "Bouche à oreille" in page
    assert "Autres questions" in page


def test_too_few_answers_hide_the_added_items(english, template, org):
    # Reception: 2 clients (hidden side); the kitchen: 3 clients, 2 of whom answered
    # the choice question... all of them here, but the site pools only 2 + 3.
    campaign, document = run(
        template,
        org,
        slug="2027-q2",
        clients={"team": (1, 1), "sibling": (2, 1)},
        employees={"team": 4},
    )
    team = reception(document)
    assert team["client"] == {"status": "suppressed", "invited": 0}
    assert "recognition" not in team["symmetry"]["gaps"]
    kitchen = next(t for t in document["teams"] if t["code"] == "lyon-kitchen")
    assert kitchen["client"]["choices"]["channel"] == {"n": 3, "shares": [1 / 3, 2 / 3]}
    english.force_login(org["manager"])
    response = english.get(f"/dashboards/{campaign.slug}/teams/lyon-reception/")
    page = response.content.decode()
    choice = page.split('data-testid="table-choice-channel"')[1].split("</table>")[0]
    assert "%" not in choice and "hidden" in choice
    rows = {row["code"]: row for row in response.context["mirror_rows"]}
    assert rows["recognition"]["client"] == "hidden" and rows["recognition"]["gap"] == "—"


def test_an_item_under_the_threshold_is_left_out_of_a_shown_side(english, template, org):
    campaign = campaign_create(
        name="Q3",
        slug="2027-q3",
        opens_on=datetime.date(2027, 1, 1),
        closes_on=datetime.date(2027, 2, 1),
        questionnaire=template,
        teams=[org["team"]],
        sides=["employee", "client"],
        score_threshold=3,
        comment_threshold=3,
        reminder_days=[],
    )
    Campaign.objects.filter(pk=campaign.pk).update(status="closed")
    add_responses(campaign, org["team"], "client", 2, recommend=10, channel=1)
    add_responses(campaign, org["team"], "client", 2, recommend=10)
    snapshot_compute(campaign=campaign)
    team = reception(Snapshot.objects.get(campaign=campaign).document)
    assert team["client"]["status"] == "ok"
    assert team["client"]["choices"]["channel"] == {"n": None, "shares": None}
    english.force_login(org["manager"])
    response = english.get(f"/dashboards/{campaign.slug}/teams/lyon-reception/")
    [block] = response.context["other_questions"]["choices"]
    assert block["rows"][0]["cells"] == ["too few answers"]
