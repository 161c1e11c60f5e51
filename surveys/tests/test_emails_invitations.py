"""Invitation and reminder e-mails, delivered to a real SMTP server on loopback."""

import datetime

import pytest
from aiosmtpd.controller import Controller
from django.apps import apps
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone

from conftest import free_port
from surveys import links, sending, services
from surveys.models import Invitation, Side
from surveys.tests.campaign_helpers import (
    hashes,
    make_campaign,
    make_person,
    tokens_in,
)

pytestmark = pytest.mark.django_db

CLOSES_ON = datetime.date(timezone.localdate().year + 1, 3, 14)


@pytest.fixture
def campaign(org):
    make_person(org["team"], "lea@example.org", name="Léa")
    make_person(org["team"], "tom@example.org", language="en", name="Tom")
    make_person(org["team"], "client@example.org", side=Side.CLIENT, language="en")
    return make_campaign([org["team"]], name="Baromètre & co", closes_on=CLOSES_ON)


def launch(campaign, capture):
    with capture(execute=True):
        services.campaign_launch(campaign=campaign)


def by_recipient(messages):
    return {message["To"]: message for message in messages}


def parts(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def test_each_person_gets_a_text_and_html_invitation_in_their_language(
    campaign, smtp_server, django_capture_on_commit_callbacks
):
    launch(campaign, django_capture_on_commit_callbacks)

    mail = by_recipient(smtp_server)
    assert set(mail) == {"lea@example.org", "tom@example.org", "client@example.org"}
    lea_text, lea_html = parts(mail["lea@example.org"])
    tom_text, tom_html = parts(mail["tom@example.org"])
    assert mail["lea@example.org"]["Content-Language"] == "fr"
    assert "14 mars" in lea_text and "14 mars" in lea_html
    assert mail["tom@example.org"]["Content-Language"] == "en"
    assert mail["tom@example.org"]["Subject"] == "Baromètre & co: your opinion counts"
    assert "March 14" in tom_text and "March 14" in tom_html
    assert "Hello Tom," in tom_text and "Réception" in tom_text
    assert "Baromètre & co" in tom_text  # plain text: not HTML-escaped
    client_text, _ = parts(mail["client@example.org"])
    assert "would like to know how you feel" in client_text


def test_the_link_in_each_email_carries_a_token_whose_hash_is_stored(
    campaign, smtp_server, django_capture_on_commit_callbacks
):
    launch(campaign, django_capture_on_commit_callbacks)

    for message in smtp_server:
        _text, html = parts(message)
        [token] = tokens_in([message])
        assert f"http://127.0.0.1:8000/r/{token}/" in html
        invitation = Invitation.objects.get(email=message["To"])
        assert hashes([token]) == {invitation.token_hash}
        assert invitation.sent_count == 1


def test_no_raw_token_is_stored_in_any_database_column(
    campaign, smtp_server, django_capture_on_commit_callbacks
):
    launch(campaign, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_remind(campaign=campaign)
    tokens = tokens_in(smtp_server)
    assert len(tokens) == 6 and len(set(tokens)) == 3  # a reminder repeats the link

    text_fields = (models.CharField, models.TextField, models.JSONField)
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, text_fields):
                stored = model.objects.annotate(stored_text=Cast(field.attname, models.TextField()))
                for token in tokens:
                    assert not stored.filter(stored_text__contains=token).exists(), (
                        model,
                        field.name,
                    )


def test_a_reminder_carries_the_invitations_own_link_which_still_works(
    campaign, smtp_server, django_capture_on_commit_callbacks, client
):
    launch(campaign, django_capture_on_commit_callbacks)
    [first] = tokens_in(m for m in smtp_server if m["To"] == "tom@example.org")
    smtp_server.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_remind(campaign=campaign)

    reminder = by_recipient(smtp_server)["tom@example.org"]
    assert reminder["Subject"].startswith("Reminder: Baromètre & co")
    assert "You have not answered" in parts(reminder)[0]
    assert tokens_in([reminder]) == [first]
    assert Invitation.objects.get(email="tom@example.org").token_hash in hashes([first])
    page = client.get(f"/r/{first}/")
    assert page.status_code == 200 and 'name="csrfmiddlewaretoken"' in page.text


def test_the_database_alone_does_not_give_the_links(
    campaign, smtp_server, django_capture_on_commit_callbacks, settings
):
    launch(campaign, django_capture_on_commit_callbacks)
    [token] = tokens_in(m for m in smtp_server if m["To"] == "lea@example.org")
    invitation = Invitation.objects.get(email="lea@example.org")

    # What is stored (the random key and the token's hash) gives the link only
    # with the server's secret: under another secret the same key gives another one.
    assert links.link_token(invitation.link_key) == token
    settings.SECRET_KEY = "another-secret-" + "y" * 40
    assert links.link_token(invitation.link_key) != token


def test_after_the_secret_is_rotated_reminders_keep_the_link_sent_before(
    campaign, smtp_server, django_capture_on_commit_callbacks, settings, client
):
    launch(campaign, django_capture_on_commit_callbacks)
    [first] = tokens_in(m for m in smtp_server if m["To"] == "lea@example.org")
    smtp_server.clear()
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the-new-secret-" + "z" * 40

    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_remind(campaign=campaign)

    assert tokens_in(m for m in smtp_server if m["To"] == "lea@example.org") == [first]
    assert client.get(f"/r/{first}/").status_code == 200


def test_an_invitation_that_leaves_late_is_not_followed_by_an_earlier_reminder(
    campaign, smtp_server, django_capture_on_commit_callbacks
):
    launch(campaign, django_capture_on_commit_callbacks)
    # As if Léa's invitation had not left yet when the first reminder went out.
    Invitation.objects.filter(email="lea@example.org").update(sent_count=0, token_hash=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_remind(campaign=campaign)
    smtp_server.clear()

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.campaign_mail_pending(campaign=campaign)

    assert [m["To"] for m in smtp_server] == ["lea@example.org"]  # her invitation only
    lea = Invitation.objects.get(email="lea@example.org")
    assert (lea.sent_count, lea.reminded_count) == (1, 1)


def test_with_the_mail_server_down_nothing_is_marked_sent_and_nobody_gets_two_emails(
    campaign, smtp_server, settings, django_capture_on_commit_callbacks
):
    working = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    launch(campaign, django_capture_on_commit_callbacks)  # the launch itself succeeds

    campaign.refresh_from_db()
    assert campaign.status == "open"
    assert campaign.invitations.filter(sent_count=0, token_hash__isnull=True).count() == 3

    settings.MAILERS = working
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.campaign_mail_pending(campaign=campaign)
    assert sorted(m["To"] for m in smtp_server) == [
        "client@example.org",
        "lea@example.org",
        "tom@example.org",
    ]


def test_a_batch_delivered_twice_sends_each_email_once(campaign, smtp_server):
    services.campaign_launch(campaign=campaign)  # the queued sending is not run here
    ids = list(campaign.invitations.values_list("id", flat=True))

    assert sending.invitations_send(invitation_ids=ids) == 3
    assert sending.invitations_send(invitation_ids=ids) == 0
    assert len(smtp_server) == 3


class RefusingInbox:
    """An SMTP server that refuses one address and accepts the others."""

    def __init__(self, refused):
        self.refused, self.received = refused, []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.refused:
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received += envelope.rcpt_tos
        return "250 Message accepted for delivery"


def test_an_address_the_server_refuses_is_left_unsent_and_the_others_leave(campaign, settings):
    inbox = RefusingInbox("client@example.org")
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
            }
        }
        services.campaign_launch(campaign=campaign)
        ids = list(campaign.invitations.values_list("id", flat=True))

        assert sending.invitations_send(invitation_ids=ids) == 2
    finally:
        controller.stop()

    assert sorted(inbox.received) == ["lea@example.org", "tom@example.org"]
    refused = campaign.invitations.get(email="client@example.org")
    assert (refused.sent_count, refused.token_hash) == (0, None)
