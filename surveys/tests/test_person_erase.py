"""Erasing a person at /hr/people/<id>/erase/: a confirmation, then the contact record
goes and their invitations keep only what response rates need; the answers stay."""

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from barometer.models import Snapshot
from barometer.services import snapshot_compute
from surveys.models import Answer, Campaign, Invitation, Person, Response
from surveys.tests.campaign_helpers import logged_in
from surveys.tests.respond_helpers import full_answers, open_campaign, personal_link

CONFIRM = {"confirm": "yes"}

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(org):
    return open_campaign(org, k=3)


@pytest.fixture
def lea(client, org, campaign):
    """Léa answered; Tom, on the same team, did not."""
    invitation, token = personal_link(campaign, org["team"])
    client.post(f"/r/{token}/", full_answers(campaign, "employee"))
    personal_link(campaign, org["team"], email="tom@example.org")
    assert Response.objects.count() == 1
    return invitation.person


def url(person_or_pk):
    pk = getattr(person_or_pk, "pk", person_or_pk)
    return reverse("surveys:people_erase", kwargs={"pk": pk})


def invited_and_used():
    return sorted(Invitation.objects.values_list("team__code", "side", "used"))


def test_the_confirmation_page_says_what_goes_and_erases_nothing(client, hr_user, lea):
    logged_in(client, hr_user)
    response = client.get(url(lea))
    assert response.status_code == 200
    assert "lea@example.org" in response.text
    assert 'name="csrfmiddlewaretoken"' in response.text
    assert Person.objects.filter(pk=lea.pk).exists()
    assert not AuditEntry.objects.filter(outcome="allowed").exists()


def test_erasing_removes_the_person_and_keeps_the_responses_and_invitation_counts(
    client, hr_user, org, campaign, lea
):
    Campaign.objects.filter(pk=campaign.pk).update(status="closed")
    before = snapshot_compute(campaign=campaign).document["teams"]
    answers = Answer.objects.count()
    counts = invited_and_used()
    logged_in(client, hr_user)

    response = client.post(url(lea), CONFIRM)

    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:people")
    assert not Person.objects.filter(pk=lea.pk).exists()
    assert Person.objects.filter(email="tom@example.org").exists()
    assert Response.objects.count() == 1
    assert Answer.objects.count() == answers
    assert invited_and_used() == counts
    erased = Invitation.objects.get(used=True)
    assert (erased.email, erased.person, erased.token_hash) == ("", None, None)
    kept = Invitation.objects.get(used=False)
    assert (kept.email, kept.token_hash is not None) == ("tom@example.org", True)
    Snapshot.objects.all().delete()  # computed afresh from what is left in the database
    after = snapshot_compute(campaign=campaign).document["teams"]
    assert after == before


def test_the_erasure_is_recorded_with_the_id_and_the_team_never_the_address(client, hr_user, lea):
    logged_in(client, hr_user)
    client.post(url(lea), CONFIRM)
    entry = AuditEntry.objects.get(outcome="allowed")
    assert (entry.user, entry.action, entry.person_id, entry.team) == (
        hr_user,
        "person_erase",
        lea.pk,
        "lyon-reception",
    )
    stored = [str(value) for value in AuditEntry.objects.values_list()]
    assert not any("lea@example.org" in value for value in stored)


def test_an_erased_persons_link_stops_working_and_their_export_is_404(client, hr_user, org):
    campaign = open_campaign(org)
    invitation, token = personal_link(campaign, org["team"], language="en")
    logged_in(client, hr_user)
    client.post(url(invitation.person), CONFIRM)
    export = reverse("surveys:people_export", kwargs={"pk": invitation.person_id})
    assert client.get(export).status_code == 404
    assert client.get(url(invitation.person_id)).status_code == 404
    assert "not valid" in client.get(f"/r/{token}/").text


def test_invitations_left_with_their_address_are_erased_too_but_not_the_other_side(
    client, hr_user, org, campaign
):
    lea = Person.objects.create(side="employee", email="lea@example.org", team=org["team"])
    also_client = Person.objects.create(side="client", email="lea@example.org", team=org["team"])
    # An invitation of an earlier row for Léa, deleted and imported again since.
    Invitation.objects.create(
        campaign=campaign, email="Lea@Example.org", side="employee", team=org["team"]
    )
    Invitation.objects.create(
        campaign=campaign,
        person=also_client,
        email=also_client.email,
        side="client",
        team=org["team"],
    )
    logged_in(client, hr_user)
    client.post(url(lea), CONFIRM)
    assert sorted(Invitation.objects.values_list("side", "email")) == [
        ("client", "lea@example.org"),
        ("employee", ""),
    ]
    assert Person.objects.get() == also_client


def test_a_forged_post_without_the_csrf_token_is_refused(hr_user, lea):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(hr_user)
    assert strict.post(url(lea), CONFIRM).status_code == 403
    assert Person.objects.filter(pk=lea.pk).exists()
    assert Invitation.objects.filter(person=lea).exists()


def test_a_post_with_the_csrf_token_goes_through(hr_user, lea):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(hr_user)
    strict.get(url(lea))
    token = strict.cookies["csrftoken"].value
    assert strict.post(url(lea), {"csrfmiddlewaretoken": token, **CONFIRM}).status_code == 302
    assert not Person.objects.filter(pk=lea.pk).exists()


def test_an_unknown_person_is_404(client, hr_user):
    logged_in(client, hr_user)
    assert client.get(url(999999)).status_code == 404
    assert client.post(url(999999), CONFIRM).status_code == 404
    assert AuditEntry.objects.filter(outcome="allowed").count() == 0


def test_a_manager_gets_403_and_the_attempt_is_recorded(client, manager, lea):
    logged_in(client, manager)
    assert client.post(url(lea), CONFIRM).status_code == 403
    assert Person.objects.filter(pk=lea.pk).exists()
    entry = AuditEntry.objects.get()
    assert (entry.user, entry.action, entry.outcome, entry.person_id) == (
        manager,
        "person_erase",
        "refused",
        lea.pk,
    )


def test_a_stranger_gets_404(client, stranger, lea):
    logged_in(client, stranger)
    assert client.post(url(lea), CONFIRM).status_code == 404
    assert Person.objects.filter(pk=lea.pk).exists()


def test_login_is_required(client, lea):
    assert client.post(url(lea), CONFIRM)["Location"].startswith(reverse("login"))
    assert Person.objects.filter(pk=lea.pk).exists()


def test_other_methods_are_refused(client, hr_user, lea):
    logged_in(client, hr_user)
    assert client.delete(url(lea)).status_code == 405
    assert Person.objects.filter(pk=lea.pk).exists()


def test_an_erase_post_without_the_confirmation_changes_nothing(client, hr_user, org):
    lea = Person.objects.create(side="employee", email="lea@example.org", team=org["team"])
    logged_in(client, hr_user)
    page = client.post(url(lea))
    assert page.status_code == 400
    assert "Erase" in page.text or "Effacer" in page.text
    assert Person.objects.filter(pk=lea.pk).exists()
