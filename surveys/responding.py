"""Answering: finding what a link opens, and storing a submission exactly once.

What is stored keeps the promise made to respondents: a Response has a random id,
a date and no link to the invitation, the person, the address or the browser.
"""

import datetime
import json
import logging
import uuid

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
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
from surveys.rows import JoinedLookup, statements

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


# Looked up on every visit and every submission: one query each, SQL built once,
# reading what the answering pages use (anything else is read when first used).
CAMPAIGN_FIELDS = ("id", "name", "status", "opens_on", "closes_on", "ask_clients", "created_at")
_INVITATION = JoinedLookup(
    Invitation,
    "token_hash",
    fields=("id", "campaign", "team", "side", "language", "used"),
    related={"campaign": CAMPAIGN_FIELDS},
)
_PUBLIC_LINK = JoinedLookup(
    PublicLink, "token", fields=("id", "campaign", "team"), related={"campaign": CAMPAIGN_FIELDS}
)


def invitation_for(token):
    """The Invitation of a personal token (its campaign loaded with it), or None for
    anything unknown or malformed."""
    if not _plausible(token):
        return None
    return _INVITATION.get(hash_token(token))


def public_link_for(token):
    """The PublicLink of a public token (its campaign loaded with it), or None."""
    if not _plausible(token):
        return None
    return _PUBLIC_LINK.get(token)


def questions_for(campaign, side):
    """The campaign's frozen questions of one side, in order. (The answering views keep
    the form built from them per process while the campaign is open.)"""
    return list(
        CampaignQuestion.objects.filter(campaign=campaign, side=side).order_by("order", "pk")
    )


def response_submit(*, campaign, team_id, side, language, channel, values, invitation=None):
    """Store one response and its answers in one transaction; return nothing about it.

    `values` maps CampaignQuestion → int or text (already validated by the form). With
    an invitation, marking it used is part of the same transaction and is
    conditional, so of two simultaneous submissions of one link exactly one is
    stored; the other raises AlreadyAnswered. Raises CampaignNotOpen when the
    campaign is no longer open. The barometer refresh is queued after commit and
    can never make the submission fail.
    """
    response = _response_row(campaign.pk, team_id, side, language, channel)
    answers = _answer_rows(values)
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        stored = _store_in_one_statement(campaign, invitation, response, answers)
    else:
        stored = _store_in_steps(campaign, invitation, response, answers)
    if not stored:
        raise CampaignNotOpen if not _campaign_open(campaign) else AlreadyAnswered
    _refresh_after_commit(campaign.pk)


def response_submit_by_link(*, token, campaign_id, side, language, values):
    """PostgreSQL: store an answer sent through a personal link without looking the link
    up first; True when it was stored.

    The statement's gate marks the link used only if it belongs to this campaign and
    side, is unused and the campaign open, and the response takes its team from the
    link's row. When the gate is shut, or on another database, nothing is stored and
    False says so: the caller then looks the link up and finds out why.
    """
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql" or not _plausible(token):
        return False
    response = _response_row(campaign_id, None, side, language, Response.Channel.LINK)
    del response["team_id"]  # the gate's
    gate = [hash_token(token), campaign_id, side, campaign_id, _OPEN]
    if not _store_statement_run(_STORE_BY_LINK, gate, response, _answer_rows(values)):
        return False
    _refresh_after_commit(campaign_id)
    return True


def _response_row(campaign_id, team_id, side, language, channel):
    """The response's row as {column: value}, in the order of _RESPONSE_NAMES (a model
    instance only where the ORM stores it)."""
    return {
        "id": uuid.uuid4(),
        "campaign_id": campaign_id,
        "team_id": team_id,
        "side": side,
        "submitted_on": timezone.localdate(),
        "language": language if language in Language.values else Language.FR,
        "channel": channel,
    }


def _answer_rows(values):
    """(question id, number, text) of each answered question."""
    return [
        (question.pk, value, "") if isinstance(value, int) else (question.pk, None, value)
        for question, value in values.items()
        if value is not None and value != ""
    ]


def _refresh_after_commit(campaign_id):
    transaction.on_commit(lambda: snapshot_refresh_later(campaign_id=campaign_id))


def _campaign_open(campaign):
    return Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.OPEN).exists()


def _store_in_steps(campaign, invitation, response, answers):
    """Store through the ORM, in one transaction; False when the gate is shut (the
    invitation already used, or the campaign not open)."""
    open_campaign = Q(campaign__status=Campaign.Status.OPEN)
    with transaction.atomic():
        if invitation is not None:
            if not Invitation.objects.filter(open_campaign, pk=invitation.pk, used=False).update(
                used=True
            ):
                return False
        elif not _campaign_open(campaign):
            return False
        response = Response.objects.create(**response)
        Answer.objects.bulk_create(
            Answer(response=response, question_id=question_id, value=value, text=text)
            for question_id, value, text in answers
        )
    return True


def _store_in_one_statement(campaign, invitation, response, answers):
    """PostgreSQL: the whole submission as one prepared statement, hence one
    transaction and one round trip (the respondents' hot path). The response is
    inserted only if the gate lets it through, and the answers only with it."""
    if invitation is not None:
        return _store_statement_run(
            _STORE_PERSONAL, [invitation.pk, campaign.pk, _OPEN], response, answers
        )
    return _store_statement_run(_STORE_PUBLIC, [campaign.pk, _OPEN], response, answers)


def _store_statement_run(statement, gate, response, answers):
    """Run one of the _STORE statements: the gate's values, then the response's, then
    the answers; True when the gate let the response through."""
    params = [
        *gate,
        *response.values(),
        # One text parameter rather than three arrays: psycopg dumps a string in C but
        # walks a list in Python, and that cost more than the rest of the statement.
        json.dumps([{"question": q, "value": v, "text": t} for q, v, t in answers]),
    ]
    with statements() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()[0] == 1


def _table_and_columns(model, *names):
    """A model's table and the quoted columns of the named fields, for hand-written SQL."""
    meta, quote = model._meta, connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in names)
    return quote(meta.db_table), columns


def _sql_type(model, name):
    """The SQL type of a field's column."""
    return model._meta.get_field(name).db_type(connection)


_OPEN = Campaign.Status.OPEN.value
_CAMPAIGN_TABLE, _ = _table_and_columns(Campaign)
_INVITATION_TABLE, _ = _table_and_columns(Invitation)
_RESPONSE_TABLE, _RESPONSE_NAMES = _table_and_columns(
    Response, "id", "campaign", "team", "side", "submitted_on", "language", "channel"
)  # the order of _response_row
_ANSWER_TABLE, _ANSWER_NAMES = _table_and_columns(
    Answer, "id", "response", "question", "value", "text"
)
_CAMPAIGN_IS_OPEN = f"SELECT 1 FROM {_CAMPAIGN_TABLE} WHERE id = %s AND status = %s"  # noqa: S608
# Answer ids are drawn by PostgreSQL (random, like the response's). Data-modifying
# parts of a WITH all run once, to completion; the foreign keys are checked at the end.
# Names and types come from the models' meta; every value is bound.
_STORE = (
    "WITH gate AS ({gate}), "  # noqa: S608
    f"stored AS (INSERT INTO {_RESPONSE_TABLE} ({_RESPONSE_NAMES}) "
    "SELECT %s, %s, {team}, %s, %s, %s, %s FROM gate RETURNING id), "
    f"answered AS (INSERT INTO {_ANSWER_TABLE} ({_ANSWER_NAMES}) "
    "SELECT gen_random_uuid(), stored.id, given.question, given.value, given.text "
    f"FROM stored, json_to_recordset(%s::json) AS given (question {_sql_type(Answer, 'question')}, "
    f"value {_sql_type(Answer, 'value')}, text {_sql_type(Answer, 'text')})) "
    "SELECT count(*) FROM stored"
)
# Each gate gives one row when the response may be stored, none otherwise; the team
# is a value, or the link's own.
_STORE_PERSONAL = _STORE.format(
    gate=f"UPDATE {_INVITATION_TABLE} SET used = TRUE "  # noqa: S608
    f"WHERE id = %s AND NOT used AND EXISTS ({_CAMPAIGN_IS_OPEN}) RETURNING 1",
    team="%s",
)
_TOKEN_HASH, _CAMPAIGN_ID, _SIDE, _TEAM_ID = (
    _table_and_columns(Invitation, name)[1] for name in ("token_hash", "campaign", "side", "team")
)
_STORE_BY_LINK = _STORE.format(
    gate=f"UPDATE {_INVITATION_TABLE} SET used = TRUE "  # noqa: S608
    f"WHERE {_TOKEN_HASH} = %s AND {_CAMPAIGN_ID} = %s AND {_SIDE} = %s AND NOT used "
    f"AND EXISTS ({_CAMPAIGN_IS_OPEN}) RETURNING {_TEAM_ID} AS team",
    team="gate.team",
)
_STORE_PUBLIC = _STORE.format(gate=_CAMPAIGN_IS_OPEN, team="%s")


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
