"""Answering: finding what a link opens, and storing a submission exactly once.

What is stored keeps the promise made to respondents: a Response has a random id,
a date and no link to the invitation, the person, the address or the browser.
"""

import datetime
import logging
import uuid

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from barometer.refresh import snapshot_refresh_later
from surveys.models import (
    Answer,
    Campaign,
    CampaignQuestion,
    Invitation,
    Language,
    PublicLink,
    Response,
    hash_token,
)
from surveys.rows import JoinedLookup, insert_rows

log = logging.getLogger(__name__)

# Personal tokens are 43 URL-safe characters, public ones 16; anything far from that
# is refused before touching the database.
TOKEN_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
COMMENT_MAX_LENGTH = 2000


class AlreadyAnswered(Exception):
    """The personal link was used, perhaps a moment ago by a simultaneous submission."""


class CampaignNotOpen(Exception):
    """The campaign closed (or is not open) between showing the form and submitting it."""


def _plausible(token):
    return 8 <= len(token) <= 128 and set(token) <= TOKEN_CHARACTERS


# Looked up on every visit and every submission: one query each, SQL built once.
_INVITATION = JoinedLookup(Invitation, ("campaign", "team"), "token_hash")
_PUBLIC_LINK = JoinedLookup(PublicLink, ("campaign", "team"), "token")


def invitation_for(token):
    """The Invitation of a personal token (its campaign and team loaded with it), or
    None for anything unknown or malformed."""
    if not _plausible(token):
        return None
    return _INVITATION.get(hash_token(token))


def public_link_for(token):
    """The PublicLink of a public token (its campaign and team loaded with it), or None."""
    if not _plausible(token):
        return None
    return _PUBLIC_LINK.get(token)


def questions_for(campaign, side):
    """The campaign's frozen questions of one side, in order. (The answering views keep
    the form built from them per process while the campaign is open.)"""
    return list(
        CampaignQuestion.objects.filter(campaign=campaign, side=side).order_by("order", "pk")
    )


def response_submit(*, campaign, team, side, language, channel, values, invitation=None):
    """Store one response and its answers in one transaction; return nothing about it.

    `values` maps CampaignQuestion → int or text (already validated by the form). With
    an invitation, marking it used is part of the same transaction and is
    conditional, so of two simultaneous submissions of one link exactly one is
    stored; the other raises AlreadyAnswered. Raises CampaignNotOpen when the
    campaign is no longer open. The barometer refresh is queued after commit and
    can never make the submission fail.

    Every submission goes through here, so the statements are written once (see
    surveys/rows.py): one UPDATE marking the invitation used while the campaign is
    open, one INSERT of the response, one INSERT of all its answers.
    """
    answers = [
        (question, value) for question, value in values.items() if value is not None and value != ""
    ]
    response_id = uuid.uuid4()
    with transaction.atomic(), connection.cursor() as cursor:
        if invitation is not None:
            cursor.execute(_MARK_USED_SQL, [True, invitation.pk, False, campaign.pk, _OPEN])
            if cursor.rowcount != 1:
                raise CampaignNotOpen if not _campaign_open(cursor, campaign) else AlreadyAnswered
        elif not _campaign_open(cursor, campaign):
            raise CampaignNotOpen
        insert_rows(
            cursor,
            Response,
            ("id", "campaign_id", "team_id", "side", "submitted_on", "language", "channel"),
            [
                (
                    response_id,
                    campaign.pk,
                    team.pk,
                    side,
                    timezone.localdate(),
                    language if language in Language.values else Language.FR,
                    channel,
                )
            ],
        )
        insert_rows(
            cursor,
            Answer,
            ("id", "response_id", "question_id", "value", "text"),
            [
                (
                    uuid.uuid4(),
                    response_id,
                    question.pk,
                    value if isinstance(value, int) else None,
                    value if isinstance(value, str) else "",
                )
                for question, value in answers
            ],
        )
        campaign_id = campaign.pk
        transaction.on_commit(lambda: snapshot_refresh_later(campaign_id=campaign_id))


_OPEN = Campaign.Status.OPEN.value
_CAMPAIGN_OPEN_SQL = f"SELECT 1 FROM {Campaign._meta.db_table} WHERE id = %s AND status = %s"  # noqa: S608
_MARK_USED_SQL = (
    f"UPDATE {Invitation._meta.db_table} SET used = %s "  # noqa: S608
    f"WHERE id = %s AND used = %s AND EXISTS ({_CAMPAIGN_OPEN_SQL})"
)


def _campaign_open(cursor, campaign):
    cursor.execute(_CAMPAIGN_OPEN_SQL, [campaign.pk, _OPEN])
    return cursor.fetchone() is not None


def invitations_unlink(*, today=None):
    """Rewrite every used invitation of the campaigns open now or closed in the last
    two days, all in one statement.

    In PostgreSQL each row version records the transaction that wrote it (xmin): an
    invitation marked used and the response stored with it share that number until
    the invitation is written again. Rewriting them all at once gives them one common
    number, so nothing ties an invitation to a response any more. Run by beat every
    minute; returns the number of rows rewritten.
    """
    if connection.vendor != "postgresql":
        return 0  # SQLite keeps no writer id per row
    since = (today or timezone.localdate()) - datetime.timedelta(days=2)
    recent = Q(campaign__status=Campaign.Status.OPEN) | Q(campaign__closes_on__gte=since)
    return Invitation.objects.filter(recent, used=True).update(used=True)


def invitations_purge(*, today=None):
    """Erase the e-mail address, person and link hash of every invitation of the
    campaigns closed more than RETENTION_DAYS ago; return how many were erased.

    What remains is whether each invitation was used, per team and side — enough
    for response rates — and the answers, which were never linked to anyone.
    """
    limit = (today or timezone.localdate()) - datetime.timedelta(days=settings.RETENTION_DAYS)
    return (
        Invitation.objects.filter(
            campaign__status=Campaign.Status.CLOSED, campaign__closes_on__lt=limit
        )
        .exclude(email="", person=None, token_hash=None)
        .update(email="", person=None, token_hash=None)
    )
