"""Moving stored responses out of the order they arrived in.

A table keeps its rows where they were inserted, one submission after another, and
PostgreSQL stamps each row with the transaction that wrote it (xmin), a counter that
follows the clock: both would tell who answered when, to whoever knows when each
person answered. An UPDATE does not reliably move a row (PostgreSQL keeps it on its
page when it can), so a pass deletes the rows and inserts them again, in random
order, in one transaction of its own. Every minute (beat) the rows not moved yet;
when a campaign closes, all of its rows, so that not even the minute of each batch
stays.
"""

import zlib
from functools import partial

from django.db import connection, transaction

from surveys.models import Answer, Response
from symetrie.jobs import job_enqueue

# The passes take turns on PostgreSQL (SQLite's write transactions always do): a
# campaign's whole pass waits for the pass under way, so as to move its rows too; a
# minute pass gives way, so that minute passes never pile up behind a long one.
PASS_LOCK = zlib.crc32(b"surveys.shuffle")
# A minute pass moves at most this many responses, so that a backlog (the rows of an
# install upgraded to this version) drains over a few passes instead of one long
# transaction; a whole pass at close moves them all.
MAX_PER_PASS = 5000


def responses_shuffle(*, campaign_id=None, whole=False):
    """Move the responses not moved yet, and all their answers, back into their tables
    in random order, in one transaction; return the number of responses moved.

    Only one campaign's with `campaign_id`, every campaign's without. With
    `whole=True`, every response of the campaign moves, already moved or not: the
    minute passes leave one batch after another; otherwise at most MAX_PER_PASS move.
    Ids and values stay as they were; each moved row is rewritten by this transaction,
    after the others. A response committed while the pass runs is not seen (it waits for
    the next pass), and one being moved is moved with all its answers or not at all.
    Nothing to move: 0, and nothing written; on PostgreSQL, a pass that is not whole
    also returns 0 at once while another pass runs (the next one moves its rows).
    """
    moving = Response.objects.all() if whole else Response.objects.filter(shuffled=False)
    if campaign_id is not None:
        moving = moving.filter(campaign_id=campaign_id)
    if not whole:
        moving = moving.order_by()[:MAX_PER_PASS]
    if not moving.exists():
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not _pass_lock_taken(cursor, wait=whole):
            return 0
        # Django writes the choice of rows (as it wrote the unshuffled index's
        # condition), locked: nothing else changes them until the pass commits.
        chosen, params = moving.select_for_update().values_list(*_NAMES).query.sql_with_params()
        cursor.execute(f"CREATE TEMP TABLE {_STAGED} AS {chosen}", params)
        cursor.execute(_STAGE_ANSWERS)
        cursor.execute(_DELETE_ANSWERS)
        cursor.execute(_DELETE_RESPONSES)
        moved = cursor.rowcount
        cursor.execute(_INSERT_RESPONSES)
        cursor.execute(_INSERT_ANSWERS)
        cursor.execute(f"DROP TABLE {_STAGED_ANSWERS}")
        cursor.execute(f"DROP TABLE {_STAGED}")
    return moved


def _pass_lock_taken(cursor, *, wait):
    """PostgreSQL: take the passes' lock until the end of the transaction; False when
    another pass holds it and `wait` is false."""
    if wait:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PASS_LOCK])
        return True
    cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [PASS_LOCK])
    return cursor.fetchone()[0]


def responses_shuffle_later(*, campaign_id):
    """Queue a whole pass over a campaign's responses for after the current transaction
    commits (a campaign that closes). A broker that is down does not undo the step
    that queued it: the minute passes have moved its responses already, only batch
    after batch."""
    queue = partial(job_enqueue, "surveys.tasks.responses_shuffle_campaign", args=[campaign_id])
    transaction.on_commit(queue, robust=True)


# Hand-written SQL, valid on PostgreSQL and SQLite: names come from the models' meta,
# quoted; the only values, the chosen rows' parameters, are bound.
_quote = connection.ops.quote_name


def _column(field):
    """A concrete field's quoted column name (a concrete field always has one)."""
    if field.column is None:
        raise ValueError(f"{field} has no column")
    return _quote(field.column)


_RESPONSE, _ANSWER = (_quote(model._meta.db_table) for model in (Response, Answer))
_FIELDS = Response._meta.concrete_fields
_NAMES = [field.attname for field in _FIELDS]
_COLUMNS = ", ".join(_column(field) for field in _FIELDS)
_MOVED = ", ".join("TRUE" if field.name == "shuffled" else _column(field) for field in _FIELDS)
_ANSWER_COLUMNS = ", ".join(_column(field) for field in Answer._meta.concrete_fields)
_ANSWER_RESPONSE = _column(Answer._meta.get_field("response"))
_ID = _column(Response._meta.pk)
_STAGED, _STAGED_ANSWERS = _quote("shuffle_responses"), _quote("shuffle_answers")
_STAGED_IDS = f"(SELECT {_ID} FROM {_STAGED})"  # noqa: S608
_FOR_UPDATE = " FOR UPDATE" if connection.features.has_select_for_update else ""

_STAGE_ANSWERS = (
    f"CREATE TEMP TABLE {_STAGED_ANSWERS} AS SELECT {_ANSWER_COLUMNS} "  # noqa: S608
    f"FROM {_ANSWER} WHERE {_ANSWER_RESPONSE} IN {_STAGED_IDS}{_FOR_UPDATE}"
)
_DELETE_ANSWERS = f"DELETE FROM {_ANSWER} WHERE {_ANSWER_RESPONSE} IN {_STAGED_IDS}"  # noqa: S608
_DELETE_RESPONSES = f"DELETE FROM {_RESPONSE} WHERE {_ID} IN {_STAGED_IDS}"  # noqa: S608
# Inserted in this order, each row lands after the one before (or wherever the table
# has room): never in the order of submissions.
_INSERT_RESPONSES = (
    f"INSERT INTO {_RESPONSE} ({_COLUMNS}) "  # noqa: S608
    f"SELECT {_MOVED} FROM {_STAGED} ORDER BY random()"
)
_INSERT_ANSWERS = (
    f"INSERT INTO {_ANSWER} ({_ANSWER_COLUMNS}) "  # noqa: S608
    f"SELECT {_ANSWER_COLUMNS} FROM {_STAGED_ANSWERS} ORDER BY random()"
)
