"""The test e-mails: the invitation and the reminder, in French and English, to the HR
user's own address, through a real SMTP server; their link opens no questionnaire."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from conftest import make_user
from surveys.emails import SAMPLE_TOKEN
from surveys.models import Side
from surveys.tests.campaign_helpers import logged_in, make_campaign, tokens_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(org):
    return make_campaign([org["team"]], name="Baromètre 2027", invitation_text="Merci d’avance.")


def send(client, campaign, side=Side.CLIENT):
    return client.post(
        reverse("surveys:campaign_test_email", args=[campaign.slug]), {"side": side}, follow=True
    )


def body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_hr_receives_the_invitation_and_the_reminder_in_both_languages(
    client, hr_user, campaign, smtp_server
):
    response = send(logged_in(client, hr_user), campaign)

    assert "4 test e-mails sent to helene@example.org." in response.text
    assert [message.envelope_recipients for message in smtp_server] == [[hr_user.email]] * 4
    assert [message["Content-Language"] for message in smtp_server] == ["fr", "fr", "en", "en"]
    subjects = [message["Subject"] for message in smtp_server]
    assert subjects[0].startswith("[Essai]") and "Baromètre 2027" in subjects[0]
    assert subjects[1].startswith("[Essai] Relance")
    assert subjects[2].startswith("[Test]") and subjects[3].startswith("[Test] Reminder")
    # The client version: it speaks of the team that serves them, with HR's own text.
    assert "Réception" in body(smtp_server[0]) and "Merci d’avance." in body(smtp_server[0])


def test_the_link_of_a_test_e_mail_is_an_example_that_opens_nothing(
    client, hr_user, campaign, smtp_server
):
    send(logged_in(client, hr_user), campaign)

    assert tokens_in(smtp_server) == []  # no real personal link
    assert all(f"/r/{SAMPLE_TOKEN}/" in body(message) for message in smtp_server)
    page = client.get(f"/r/{SAMPLE_TOKEN}/")
    assert page.status_code == 404
    assert "This link is not valid" in page.text


def test_an_account_without_an_address_gets_a_clear_message(client, org, campaign, smtp_server):
    nobody = make_user("rh-sans-adresse", hr=True)
    nobody.email = ""
    nobody.save(update_fields=["email"])

    response = send(logged_in(client, nobody), campaign)

    assert response.status_code == 400
    assert "Your account has no e-mail address" in response.text
    assert smtp_server == []
    assert not AuditEntry.objects.filter(action="test_email").exists()


def test_a_side_the_campaign_does_not_ask_is_refused(client, hr_user, org, smtp_server):
    campaign = make_campaign([org["team"]], sides=[Side.EMPLOYEE])

    response = send(logged_in(client, hr_user), campaign, side=Side.CLIENT)

    assert "Select a valid choice." in response.text
    assert smtp_server == []


def test_the_test_e_mail_is_in_the_audit_log(client, hr_user, campaign, smtp_server):
    send(logged_in(client, hr_user), campaign)

    entry = AuditEntry.objects.get(action="test_email")
    assert (entry.username, entry.campaign, entry.detail) == (
        "helene@example.org",
        "printemps",
        "e-mails: 4",
    )
