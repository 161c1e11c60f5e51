"""The branding on the e-mails, read back from a real SMTP server on loopback: the
sender, HR's texts in each person's language (escaped in HTML), the signature, the logo."""

import datetime

import pytest
from django.utils import timezone

from conftest import make_user
from surveys import services
from surveys.teams import manager_welcome_send
from surveys.tests.branding_helpers import brand, png_bytes
from surveys.tests.campaign_helpers import make_campaign, make_person
from surveys.tests.test_emails_invitations import by_recipient
from surveys.tests.test_emails_invitations import parts as crlf_parts

pytestmark = pytest.mark.django_db

SENDER = {"sender_name": "Hôtels Lumière, RH", "sender_email": "rh@hotels-lumiere.example"}


@pytest.fixture
def campaign(org):
    make_person(org["team"], "lea@example.org", name="Léa")
    make_person(org["team"], "tom@example.org", language="en", name="Tom")
    closes_on = datetime.date(timezone.localdate().year + 1, 3, 14)
    return make_campaign([org["team"]], name="Baromètre T1", closes_on=closes_on)


def parts(message):
    """Text and HTML parts, with plain line ends."""
    return tuple(part.replace("\r\n", "\n") for part in crlf_parts(message))


def launch(campaign, capture):
    with capture(execute=True):
        services.campaign_launch(campaign=campaign)


def test_without_branding_the_emails_come_from_the_default_sender(
    campaign, smtp_server, django_capture_on_commit_callbacks, settings
):
    launch(campaign, django_capture_on_commit_callbacks)

    mail = by_recipient(smtp_server)["lea@example.org"]
    assert mail["From"] == settings.DEFAULT_FROM_EMAIL == "Symétrie <no-reply@localhost>"
    text, html = parts(mail)
    assert text.rstrip().endswith("Merci,\nSymétrie")
    assert "<img" not in html


def test_the_emails_come_from_the_branded_sender_signed_by_it(
    campaign, hr_user, smtp_server, django_capture_on_commit_callbacks
):
    brand(hr_user, organisation_name="Hôtels Lumière", logo=png_bytes(), **SENDER)
    launch(campaign, django_capture_on_commit_callbacks)

    for mail in smtp_server:
        [sender] = mail["From"].addresses
        assert (sender.display_name, sender.addr_spec) == (
            "Hôtels Lumière, RH",
            "rh@hotels-lumiere.example",
        )
        text, html = parts(mail)
        assert text.rstrip().endswith("Hôtels Lumière, RH")
        assert 'src="http://127.0.0.1:8000/logo.png?v=' in html


def test_only_the_address_set_keeps_the_default_name(
    campaign, hr_user, smtp_server, django_capture_on_commit_callbacks
):
    brand(hr_user, sender_email="rh@hotels-lumiere.example")
    launch(campaign, django_capture_on_commit_callbacks)

    assert by_recipient(smtp_server)["tom@example.org"]["From"] == (
        "Symétrie <rh@hotels-lumiere.example>"
    )


def test_hr_texts_open_the_invitation_in_each_language_escaped_in_html(
    campaign, hr_user, smtp_server, django_capture_on_commit_callbacks
):
    brand(
        hr_user,
        invitation_intro_fr="Chère équipe,\n<b>merci</b> & à bientôt.",
        invitation_intro_en="Dear team,\n<a href='https://evil.example'>click</a>",
        reminder_intro_fr="Encore un instant, s'il vous plaît.",
    )
    launch(campaign, django_capture_on_commit_callbacks)

    mail = by_recipient(smtp_server)
    lea_text, lea_html = parts(mail["lea@example.org"])
    tom_text, tom_html = parts(mail["tom@example.org"])
    assert "Bonjour Léa,\n\nChère équipe,\n<b>merci</b> & à bientôt.\n\nVotre équipe" in lea_text
    assert "<p>Chère équipe,<br>&lt;b&gt;merci&lt;/b&gt; &amp; à bientôt.</p>" in lea_html
    assert "Dear team" not in lea_text
    assert "Dear team,\n<a href='https://evil.example'>click</a>" in tom_text
    assert "&lt;a href=&#x27;https://evil.example&#x27;&gt;click&lt;/a&gt;" in tom_html
    assert "evil.example'>" not in tom_html and "Chère équipe" not in tom_text
    # The standard text stays: it names the team.
    assert "Réception" in lea_text and "Réception" in tom_text

    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_remind(campaign=campaign)
    reminders = by_recipient(smtp_server)
    assert "Encore un instant, s'il vous plaît." in parts(reminders["lea@example.org"])[0]
    assert "Chère équipe" not in parts(reminders["lea@example.org"])[0]
    assert "Encore un instant" not in parts(reminders["tom@example.org"])[0]


def test_a_new_managers_welcome_email_comes_from_the_branded_sender(hr_user, smtp_server):
    brand(hr_user, **SENDER)
    user = make_user("nina@example.org")

    assert manager_welcome_send(user_ids=[user.pk]) == 1

    [mail] = smtp_server
    assert mail["From"].addresses[0].addr_spec == "rh@hotels-lumiere.example"
