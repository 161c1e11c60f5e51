"""One person's data, shown at /hr/people/<id>/ and downloaded as JSON: the contact
record and the invitations' statuses, never the answers; each look is audited."""

import json

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from surveys.models import Invitation, Response
from surveys.tests.campaign_helpers import logged_in
from surveys.tests.respond_helpers import full_answers, open_campaign, personal_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def lea(client, org):
    """Léa answered the spring campaign (after a reminder) and has an unused link in
    the autumn one."""
    spring = open_campaign(org, slug="printemps")
    autumn = open_campaign(org, slug="automne")
    invitation, token = personal_link(spring, org["team"], language="en")
    Invitation.objects.filter(pk=invitation.pk).update(sent_count=2, reminded_count=1)
    client.post(f"/r/{token}/", full_answers(spring, "employee", comment="Secret"))
    assert Response.objects.count() == 1
    person = invitation.person
    Invitation.objects.create(
        campaign=autumn,
        person=person,
        email=person.email,
        side="employee",
        team=org["team"],
        token_hash="f" * 64,
        sent_count=1,
    )
    return person


def page_url(person):
    return reverse("surveys:people_detail", kwargs={"pk": person.pk})


def json_url(person):
    return reverse("surveys:people_export", kwargs={"pk": person.pk})


def test_the_json_export_holds_the_contact_and_the_invitations_statuses(client, hr_user, lea):
    logged_in(client, hr_user)
    response = client.get(json_url(lea))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="symetrie-person-{lea.pk}.json"'
    )
    data = json.loads(response.content)
    assert data["person"] == {
        "id": lea.pk,
        "email": "lea@example.org",
        "name": "",
        "side": "employee",
        "language": "en",
        "team": {"code": "lyon-reception", "name": "Réception"},
    }
    statuses = {
        item["campaign"]["slug"]: (
            item["sent_count"],
            item["reminded_count"],
            item["used"],
            item["link_active"],
        )
        for item in data["invitations"]
    }
    assert statuses == {"printemps": (2, 1, True, True), "automne": (1, 0, False, True)}


def test_the_export_holds_no_answer_data(client, hr_user, lea):
    logged_in(client, hr_user)
    content = client.get(json_url(lea)).content.decode()
    response = Response.objects.get()
    assert "Secret" not in content
    assert str(response.pk) not in content
    assert "answer" not in content.lower()
    assert "submitted" not in content


def test_the_page_shows_the_same_and_links_to_the_download_and_the_erasure(client, hr_user, lea):
    logged_in(client, hr_user)
    response = client.get(page_url(lea))
    assert response.status_code == 200
    assert "lea@example.org" in response.text
    slugs = [invitation.campaign.slug for invitation in response.context["invitations"]]
    assert slugs == ["automne", "printemps"]
    assert json_url(lea) in response.text
    assert reverse("surveys:people_erase", kwargs={"pk": lea.pk}) in response.text
    assert "Secret" not in response.text


def test_the_people_list_links_to_each_person(client, hr_user, lea):
    logged_in(client, hr_user)
    assert f'href="{page_url(lea)}"' in client.get(reverse("surveys:people")).text


def test_each_look_and_download_is_recorded_once(client, hr_user, lea):
    logged_in(client, hr_user)
    client.get(page_url(lea))
    client.get(json_url(lea))
    recorded = AuditEntry.objects.order_by("id").values_list(
        "user", "action", "outcome", "person_id", "format"
    )
    assert list(recorded) == [
        (hr_user.pk, "person_export", "allowed", lea.pk, "html"),
        (hr_user.pk, "person_export", "allowed", lea.pk, "json"),
    ]


def test_a_manager_gets_403_and_the_attempt_is_recorded(client, manager, lea):
    logged_in(client, manager)
    assert client.get(json_url(lea)).status_code == 403
    assert client.get(page_url(lea)).status_code == 403
    refused = AuditEntry.objects.values_list("user", "outcome", "person_id")
    assert list(refused.order_by().distinct()) == [(manager.pk, "refused", lea.pk)]


def test_a_stranger_gets_404(client, stranger, lea):
    logged_in(client, stranger)
    assert client.get(json_url(lea)).status_code == 404
    assert client.get(page_url(lea)).status_code == 404


def test_login_is_required(client, lea):
    for url in (json_url(lea), page_url(lea)):
        assert client.get(url)["Location"].startswith(reverse("login"))
    assert AuditEntry.objects.count() == 0


def test_an_unknown_person_is_404(client, hr_user):
    logged_in(client, hr_user)
    assert client.get("/hr/people/999999/export.json").status_code == 404
    assert client.get(f"/hr/people/{2**70}/").status_code == 404
    assert list(AuditEntry.objects.values_list("outcome", "person_id")) in (
        [("refused", 999999), ("refused", None)],
        [("refused", None), ("refused", 999999)],
    )
