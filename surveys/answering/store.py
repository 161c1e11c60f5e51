"""Storing a submission: the response, its answers and the invitation marked used, in
one transaction, exactly once.

What is stored keeps the promise made to respondents: a Response has a random id,
a date and no link to the invitation, the person, the address or the browser.
"""

import json
import uuid

from django.db import connection, transaction
from django.utils import timezone

from barometer.refresh import snapshot_refresh_later
from surveys.models import Answer, Campaign, Invitation, Language, Response


class AlreadyAnswered(Exception):
    """The personal link was used, perhaps a moment ago by a simultaneous submission."""


class CampaignNotOpen(Exception):
    """The campaign closed (or is not open) between showing the form and submitting it."""


def response_submit(*, campaign, team_id, side, language, channel, values, invitation=None):
    """Store one response and its answers in one transaction; return nothing about it.

    `values` maps CampaignQuestion → int or text (already validated by the form);
    None and "" are unanswered questions, not stored. With an invitation, marking it
    used is part of the same transaction and is conditional, so of two simultaneous
    submissions of one link exactly one is stored; the other raises AlreadyAnswered
    and stores nothing. Raises CampaignNotOpen when the campaign is no longer open.
    The barometer refresh is queued after commit and can never make the submission
    fail.
    """
    response, answers = _submission_rows(
        campaign=campaign,
        team_id=team_id,
        side=side,
        language=language,
        channel=channel,
        values=values,
    )
    if connection.vendor == "postgresql":
        # One statement, not the ORM's five queries (with the blank page kept as bytes:
        # 0.24 → 0.38 × bare in A/B runs, bench/README.md).
        stored = _store_in_one_statement(campaign, invitation, response, answers)
    else:
        stored = _store_in_steps(campaign, invitation, response, answers)
    if not stored:
        raise CampaignNotOpen if not _campaign_open(campaign) else AlreadyAnswered
    transaction.on_commit(lambda: snapshot_refresh_later(campaign_id=campaign.pk))


def _submission_rows(*, campaign, team_id, side, language, channel, values):
    """The response's columns and its answers' (id, question, value, text) to write,
    ids included, as plain values: the ORM steps make instances of them, the one
    statement sends them as they are."""
    response = {
        "id": uuid.uuid4(),
        "campaign_id": campaign.pk,
        "team_id": team_id,
        "side": side,
        "submitted_on": timezone.localdate(),
        "language": language if language in Language.values else Language.FR,
        "channel": channel,
    }
    answers = [
        (uuid.uuid4(), question.pk, value, "")
        if isinstance(value, int)
        else (uuid.uuid4(), question.pk, None, value)
        for question, value in values.items()
        if value is not None and value != ""
    ]
    return response, answers


def _campaign_open(campaign):
    return Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.OPEN).exists()


def _store_in_steps(campaign, invitation, response, answers):
    """The ORM, in one transaction; False when the gate is shut (the link used, or the
    campaign not open) and then nothing is written."""
    with transaction.atomic():
        if invitation is not None:
            # The condition is the lock: of two submissions of one link, the second
            # waits for the first's commit, then finds the link used and marks nothing.
            marked = Invitation.objects.filter(
                pk=invitation.pk, used=False, campaign__status=Campaign.Status.OPEN
            ).update(used=True)
            if not marked:
                return False
        elif not _campaign_open(campaign):
            return False
        Response(**response).save(force_insert=True)
        Answer.objects.bulk_create(
            Answer(id=id, response_id=response["id"], question_id=question, value=value, text=text)
            for id, question, value, text in answers
        )
    return True


# The same three steps as one PostgreSQL statement, hence one transaction: the gate
# gives a row only when the response may be stored (the link marked used, or the
# campaign open), the response is inserted only from that row and the answers only
# with the response. Data-modifying parts of a WITH all run once, to completion.
_GATE_PERSONAL = (
    "UPDATE surveys_invitation SET used = TRUE WHERE id = %s AND NOT used"
    " AND EXISTS (SELECT 1 FROM surveys_campaign WHERE id = %s AND status = %s) RETURNING 1"
)
_GATE_PUBLIC = "SELECT 1 FROM surveys_campaign WHERE id = %s AND status = %s"
_STORE = """
WITH gate AS ({gate}),
stored AS (
    INSERT INTO surveys_response ({columns})
    SELECT {values} FROM gate RETURNING id
),
answered AS (
    INSERT INTO surveys_answer (id, response_id, question_id, value, text)
    SELECT given.id, stored.id, given.question, given.value, given.text
    FROM stored, json_to_recordset(%s::json)
        AS given (id uuid, question bigint, value smallint, text text)
)
SELECT count(*) FROM stored
"""
_RESPONSE_COLUMNS = ("id", "campaign_id", "team_id", "side", "submitted_on", "language", "channel")
_COLUMNS = {"columns": ", ".join(_RESPONSE_COLUMNS), "values": ", ".join(["%s"] * 7)}
_STORE_PERSONAL = _STORE.format(gate=_GATE_PERSONAL, **_COLUMNS)
_STORE_PUBLIC = _STORE.format(gate=_GATE_PUBLIC, **_COLUMNS)


def _store_in_one_statement(campaign, invitation, response, answers):
    """PostgreSQL: the same rows as _store_in_steps, in one statement; False when the
    gate is shut and then nothing is written."""
    if invitation is not None:
        sql, gate = _STORE_PERSONAL, [invitation.pk, campaign.pk, Campaign.Status.OPEN.value]
    else:
        sql, gate = _STORE_PUBLIC, [campaign.pk, Campaign.Status.OPEN.value]
    given = [
        {"id": str(id), "question": question, "value": value, "text": text}
        for id, question, value, text in answers
    ]
    params = [*gate, *(response[name] for name in _RESPONSE_COLUMNS), json.dumps(given)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0] == 1
