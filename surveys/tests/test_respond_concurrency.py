"""Two simultaneous submissions of one personal link store exactly one response."""

import threading

import pytest

from surveys.models import Invitation, Response
from surveys.tests.http_helpers import Visitor
from surveys.tests.respond_helpers import full_answers, open_campaign, personal_link

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("attempt", range(3))
def test_simultaneous_posts_of_one_link_store_exactly_one_response(live_server, org, attempt):
    campaign = open_campaign(org)
    _, token = personal_link(campaign, org["team"])
    answers = full_answers(campaign, "employee")
    visitors = [Visitor(live_server.url) for _ in range(4)]
    for visitor in visitors:
        assert visitor.get(f"/r/{token}/")[0] == 200
    start, results = threading.Barrier(len(visitors)), []

    def submit(visitor):
        start.wait()
        results.append(visitor.post(f"/r/{token}/", answers)[:2])

    threads = [threading.Thread(target=submit, args=(visitor,)) for visitor in visitors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Response.objects.count() == 1
    assert sorted(status for status, _ in results) == [200, 200, 200, 302]
    assert all(
        "already answered" in body or "déjà répondu" in body for s, body in results if s == 200
    )
    assert Invitation.objects.get().used
