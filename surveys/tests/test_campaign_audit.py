"""Every HR action on campaigns and imports is in the audit log: who, which campaign,
and for an edit each changed field before and after."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry, Outcome
from surveys import services
from surveys.models import Side
from surveys.tests.campaign_helpers import logged_in, make_campaign, make_person

pytestmark = pytest.mark.django_db

CONFIRM = {"confirm": "yes"}


def entries(action):
    return list(
        AuditEntry.objects.filter(action=action).values_list(
            "username", "outcome", "campaign", "detail"
        )
    )


def step(client, name, campaign, data=CONFIRM, capture=None):
    url = reverse(f"surveys:campaign_{name}", args=[campaign.slug])
    if capture is None:
        return client.post(url, data)
    with capture(execute=True):
        return client.post(url, data)


@pytest.fixture
def hr(client, hr_user):
    return logged_in(client, hr_user)


@pytest.fixture
def people(org):
    make_person(org["team"], "lea@example.org")
    make_person(org["team"], "tom@example.org", side=Side.CLIENT)
    return org


def test_the_lifecycle_is_in_the_audit_log(
    hr, people, smtp_server, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    scheduled = make_campaign([people["team"]], opens_in=2)

    step(hr, "launch", scheduled, capture=capture)
    step(hr, "open", scheduled, capture=capture)
    step(hr, "remind", scheduled, capture=capture)
    step(hr, "close", scheduled, capture=capture)
    next_week = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    step(hr, "reopen", scheduled, CONFIRM | {"closes_on": next_week}, capture)

    who = ("helene@example.org", Outcome.ALLOWED, "printemps")
    assert entries("campaign_launch") == [(*who, "invitations: 2")]
    assert entries("campaign_open") == [(*who, "")]
    assert entries("campaign_remind") == [(*who, "reminder 1")]
    assert entries("campaign_close") == [(*who, f"closes_on: {timezone.localdate().isoformat()}")]
    assert entries("campaign_reopen") == [(*who, f"closes_on: {next_week}")]


def test_a_step_not_confirmed_or_refused_leaves_no_entry(hr, people):
    campaign = make_campaign([people["team"]])

    step(hr, "launch", campaign, data={})
    step(hr, "close", campaign)

    assert not AuditEntry.objects.filter(action__startswith="campaign_").exists()


def test_an_edit_records_each_changed_field_before_and_after(hr, people):
    campaign = services.campaign_launch(campaign=make_campaign([people["team"]], opens_in=1))
    closes_on = campaign.closes_on + datetime.timedelta(days=5)

    hr.post(
        reverse("surveys:campaign_edit", args=[campaign.slug]),
        {
            "name": "Printemps 2027",
            "closes_on": closes_on.isoformat(),
            "invitation_text": "",
            "reminder_1": "4",
        },
    )

    [(_, _, slug, detail)] = entries("campaign_edit")
    assert slug == "printemps"
    assert detail == (
        f"name: Printemps → Printemps 2027; "
        f"closes_on: {campaign.closes_on.isoformat()} → {closes_on.isoformat()}; "
        f"reminder_days: [] → [4]"
    )


def test_a_draft_edit_and_a_creation_are_recorded(hr, people):
    form = hr.get(reverse("surveys:campaign_create")).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data |= {"name": "Hiver", "slug": "hiver", "teams": [people["team"].pk], "tree": ""}
    data = {key: "" if value is None else value for key, value in data.items()}
    data["opens_on"] = data["opens_on"].isoformat()
    data["closes_on"] = data["closes_on"].isoformat()
    hr.post(reverse("surveys:campaign_create"), data)
    hr.post(
        reverse("surveys:campaign_edit", args=["hiver"]),
        data | {"score_threshold": "6", "sides": ["employee"]},
    )

    assert [slug for _, _, slug, _ in entries("campaign_create")] == ["hiver"]
    [(_, _, _, detail)] = entries("campaign_edit")
    assert "score_threshold: 5 → 6" in detail
    assert "ask_clients: True → False" in detail


def test_adding_people_erasing_links_and_deleting_a_draft_are_recorded(
    hr, people, django_capture_on_commit_callbacks
):
    campaign = services.campaign_launch(campaign=make_campaign([people["team"]]))
    make_person(people["sibling"], "hugo@example.org")
    data = {"teams": [people["sibling"].pk], "confirm": "yes"}
    step(hr, "extend", campaign, data, django_capture_on_commit_callbacks)
    services.campaign_close(campaign=campaign)
    step(hr, "erase_links", campaign)
    draft = make_campaign([people["team"]], slug="brouillon")
    step(hr, "delete", draft)

    assert entries("campaign_extend")[0][3] == "teams: lyon-kitchen; invitations: 1"
    assert entries("campaign_links_erase")[0][3] == "invitations: 3"
    assert entries("campaign_delete")[0][2:] == ("brouillon", "name: Brouillon")


def test_imports_of_teams_and_people_are_recorded(hr, org, django_capture_on_commit_callbacks):
    def imported(kind, text):
        file = SimpleUploadedFile(f"{kind}.csv", text.encode("utf-8-sig"))
        token = hr.post(reverse(f"surveys:{kind}_import"), {"file": file}).context["token"]
        with django_capture_on_commit_callbacks(execute=True):
            hr.post(reverse(f"surveys:{kind}_import_confirm"), {"token": token})

    imported("teams", "code;name;parent;managers\nlyon-bar;Bar;lyon;\n")
    imported("people", "email;side;team\nnina@example.org;employee;lyon-bar\n")

    assert entries("teams_import") == [
        ("helene@example.org", Outcome.ALLOWED, "", "created: 1; updated: 0; unchanged: 0")
    ]
    assert entries("people_import")[0][3] == "created: 1; updated: 0; unchanged: 0"
