"""PostgreSQL: once the shuffle pass has run, neither where responses and answers sit in
their tables (ctid) nor the transaction that wrote them (xmin) follows the order in
which they were submitted; and a submission made while a pass runs is never lost,
never kept waiting and never moved in part."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.db.models import Count
from scipy.stats import spearmanr

from surveys.answering.store import response_submit
from surveys.models import Response
from surveys.services import campaign_close
from surveys.shuffle import responses_shuffle
from surveys.tests.respond_helpers import full_answers, open_campaign, personal_link

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RESPONSES = 100
ANSWERS = 14  # per response: the employee side of the built-in template
# Under a random order, Spearman's rho between the submission numbers and the places in
# the table is close to normal with mean 0 and standard deviation 1/sqrt(n - 1): 0.10
# for the 100 responses, 0.027 for their 1,400 answers. A random order reaches
# |rho| >= 0.6 with a probability of about 2e-9 for the responses (z = 6.0) and below
# 1e-100 for the answers (z = 22); the order of submission gives rho = 1.
BOUND = 0.6
# (submission number, writer's transaction, place in the table) of each row of a
# table; the number is the one written in the comment of the row's response.
TRAIL = """
    SELECT substr(comment.text, 9)::int, row.xmin::text::bigint,
           row_number() OVER (ORDER BY row.ctid)
    FROM {table} row JOIN surveys_answer comment ON comment.response_id = row.{response}
    WHERE comment.text LIKE 'réponse %'
"""
TABLES = {"responses": ("surveys_response", "id"), "answers": ("surveys_answer", "response_id")}


def submit(client, campaign, team, number):
    """Answer through a personal link, as a respondent does; the comment says `number`."""
    _, token = personal_link(campaign, team, email=f"person-{number}@example.org")
    answers = full_answers(campaign, "employee", likert=1 + number % 5, comment=f"réponse {number}")
    assert client.post(f"/r/{token}/", answers).status_code == 302


def trail(rows):
    """(numbers, writers' transactions, places) of the "responses" or the "answers", in
    the order of their numbers."""
    table, response = TABLES[rows]
    with connection.cursor() as cursor:
        cursor.execute(TRAIL.format(table=table, response=response))
        return list(zip(*sorted(cursor.fetchall()), strict=True))


def follows(numbers, order):
    """Spearman's rho between the submission numbers and an order of the rows."""
    return spearmanr(numbers, order).statistic


def assert_trail_erased(earlier_writers):
    for rows, count in (("responses", RESPONSES), ("answers", RESPONSES * ANSWERS)):
        numbers, writers, places = trail(rows)
        assert len(numbers) == count
        # One transaction wrote them all, after everything before it.
        assert len(set(writers)) == 1 and writers[0] > max(earlier_writers)
        assert abs(follows(numbers, places)) < BOUND, f"the {rows} kept their order"


def test_a_pass_erases_the_order_of_the_submissions(client, org):
    campaign = open_campaign(org)
    for number in range(RESPONSES):
        submit(client, campaign, org["team"], number)
    # Before the pass, both follow the submissions: what the pass must erase.
    for rows in TABLES:
        numbers, writers, places = trail(rows)
        assert follows(numbers, writers) > 0.99
        assert follows(numbers, places) > 0.99
    earlier = trail("answers")[1]

    assert responses_shuffle() == RESPONSES

    assert_trail_erased(earlier)


def test_closing_a_campaign_erases_the_order_of_the_minutes_too(client, org):
    campaign = open_campaign(org)
    batches = 4
    for batch in range(batches):
        for number in range(batch * RESPONSES // batches, (batch + 1) * RESPONSES // batches):
            submit(client, campaign, org["team"], number)
        assert responses_shuffle() == RESPONSES // batches
    # Each minute's pass wrote its batch after the one before: the minutes still show.
    numbers, writers, places = trail("responses")
    assert len(set(writers)) == batches and follows(numbers, writers) > BOUND
    assert follows(numbers, places) > BOUND
    earlier = trail("answers")[1]

    campaign_close(campaign=campaign)  # eager Celery: the pass it queues runs here

    assert_trail_erased(earlier)


# --- passes and submissions at the same time ---------------------------------------


def store(campaign, team, number):
    """Store a complete employee answer as the public link's form hands it over."""
    given = {"nps": 9, "likert": 1 + number % 5, "text": f"réponse {number}"}
    values = {q: given[q.kind] for q in campaign.questions.filter(side="employee")}
    response_submit(
        campaign=campaign,
        team_id=team.pk,
        side="employee",
        language="fr",
        channel=Response.Channel.PUBLIC,
        values=values,
    )


def in_thread(work, *args):
    """Run `work` on a connection of its own (another respondent or worker); return the
    thread and a list that receives what `work` returned."""
    returned = []

    def run():
        try:
            returned.append(work(*args))
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, returned


def answers_per_response(campaign):
    """How many answers each stored response has, as {count: responses}."""
    counts = Response.objects.filter(campaign=campaign).annotate(n=Count("answers"))
    tally = {}
    for n in counts.values_list("n", flat=True):
        tally[n] = tally.get(n, 0) + 1
    return tally


def test_a_submission_committed_during_a_pass_waits_whole_for_the_next_one(org):
    campaign = open_campaign(org)
    for number in range(5):
        store(campaign, org["team"], number)

    with transaction.atomic():
        assert responses_shuffle() == 5
        late, _ = in_thread(store, campaign, org["team"], 5)
        late.join(timeout=10)
        assert not late.is_alive(), "the pass kept a respondent waiting"

    assert Response.objects.filter(shuffled=False).count() == 1
    assert responses_shuffle() == 1
    assert answers_per_response(campaign) == {ANSWERS: 6}


def test_a_submission_in_flight_during_a_pass_is_left_whole_for_the_next_one(org):
    campaign = open_campaign(org)
    for number in range(5):
        store(campaign, org["team"], number)
    inserted, commit = threading.Event(), threading.Event()

    def slow_respondent():
        with transaction.atomic():
            store(campaign, org["team"], 5)
            inserted.set()
            commit.wait(timeout=10)

    respondent, _ = in_thread(slow_respondent)
    assert inserted.wait(timeout=10)
    assert responses_shuffle() == 5  # its rows, not committed yet, are not seen
    commit.set()
    respondent.join(timeout=10)

    assert answers_per_response(campaign) == {ANSWERS: 6}
    assert responses_shuffle() == 1
    assert answers_per_response(campaign) == {ANSWERS: 6}


def waiting_on_the_pass_lock():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'advisory'")
        return cursor.fetchone()[0]


def test_a_minute_pass_gives_way_and_a_whole_pass_waits_for_the_pass_under_way(org):
    campaign = open_campaign(org)
    for number in range(5):
        store(campaign, org["team"], number)
    moved, finish = threading.Event(), threading.Event()

    def minute_pass():
        with transaction.atomic():
            count = responses_shuffle()
            moved.set()
            finish.wait(timeout=10)
        return count

    first, first_moved = in_thread(minute_pass)
    assert moved.wait(timeout=10)
    assert responses_shuffle() == 0  # another minute pass returns at once
    whole, whole_moved = in_thread(lambda: responses_shuffle(campaign_id=campaign.pk, whole=True))
    deadline = time.monotonic() + 10
    while not waiting_on_the_pass_lock() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert waiting_on_the_pass_lock() == 1
    finish.set()
    first.join(timeout=10)
    whole.join(timeout=10)

    # The whole pass moved the rows the first one had just moved, not fewer.
    assert (first_moved, whole_moved) == ([5], [5])
    assert answers_per_response(campaign) == {ANSWERS: 5}
