"""Live releases through the real stack (#15): gunicorn, a Celery worker, Redis and
PostgreSQL.

HR launches a campaign with live results through the site; the worker sends the
invitations to a loopback mail server, and the links in those e-mails are answered one
at a time, each page fetched and posted back as a browser does. After each answer the
refresh is let settle (the worker runs what the answer queued, then a sweep, as beat
would), and the results API is read as HR and as a manager. What a reader collects
that way, the close included, must never let two documents differ by fewer than k
respondents (or k answers to an item) anywhere.
"""

import json
import random
from html.parser import HTMLParser
from itertools import combinations, count

import pytest
from django.conf import global_settings

from barometer.models import Snapshot
from conftest import AppServer, CeleryWorker, make_team, wait_for
from surveys.models import Campaign, Response, Team
from surveys.tests.campaign_helpers import make_campaign, make_person, tokens_in
from surveys.tests.http_helpers import Visitor

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

K = 3
SIDES = ("employee", "client")
PASSWORD = "correct-horse-battery"
# Answers per team-side: some stop between two groups of k, two never reach k.
PLANNED = {
    ("lyon-reception", "employee"): 7,
    ("lyon-reception", "client"): 4,
    ("lyon-kitchen", "employee"): 5,
    ("lyon-kitchen", "client"): 2,
    ("lyon-bar", "employee"): 2,
    ("lyon-bar", "client"): 3,
}
BELOW_K = {key for key, planned in PLANNED.items() if planned < K}
COMMENTS = ["", "", "Accueil chaleureux.", "Plus d'écoute, s'il vous plaît."]


class FormReader(HTMLParser):
    """The fields of a questionnaire page: hidden inputs, radio groups, text areas."""

    def __init__(self):
        super().__init__()
        self.hidden, self.radios, self.texts = {}, {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden":
            self.hidden[attrs["name"]] = attrs.get("value", "")
        elif tag == "input" and attrs.get("type") == "radio":
            self.radios.setdefault(attrs["name"], []).append(attrs["value"])
        elif tag == "textarea":
            self.texts.append(attrs["name"])


def filled_in(page, rng):
    """What a respondent sends back: the hidden fields, one choice per question (now and
    then "don't know", so that an item's n falls behind its side's respondents) and
    sometimes a comment."""
    form = FormReader()
    form.feed(page)
    data = dict(form.hidden)
    for name, values in form.radios.items():
        likert = "10" not in values  # 1-5 and 0 for "don't know"; NPS is 0-10
        if likert and rng.random() < 0.3:
            data[name] = "0"
        else:
            data[name] = rng.choice([v for v in values if not (likert and v == "0")])
    for name in form.texts:
        data[name] = rng.choice(COMMENTS)
    return data


def log_in(server, user):
    visitor = Visitor(server.url)
    assert visitor.get("/login/")[0] == 200
    status, _, _ = visitor.post("/login/", {"username": user.username, "password": PASSWORD})
    assert status == 302, f"{user.username} could not log in"
    return visitor


def results(reader, slug):
    """The results document as the API gives it to `reader`, or None before any release."""
    status, body, _ = reader.get(f"/api/campaigns/{slug}/results.json")
    assert status in (200, 404), status
    return json.loads(body) if status == 200 else None


def published(document):
    """``{(team code, "" for the organisation; side): (responses, {item: n})}`` of what a
    document shows, 0 where it shows nothing; the NPS item's n is its three groups."""
    shown = {}
    entries = [("", document["organisation"]), *((t["code"], t) for t in document["teams"])]
    for code, entry in entries:
        for side in SIDES:
            figures = entry[side]
            if figures["status"] != "ok":
                shown[(code, side)] = (0, {})
                continue
            items = {item: f["n"] or 0 for item, f in figures["dimensions"].items()}
            groups = ("promoters", "passives", "detractors")
            items["recommend"] = sum(figures[group] or 0 for group in groups)
            shown[(code, side)] = (figures["responses"], items)
    return shown


def zero_or_k(number):
    return number == 0 or number >= K


def without_time(document):
    return {key: value for key, value in document.items() if key != "computed_at"}


@pytest.fixture
def stack(org, hr_user, private_redis, smtp_server, settings):
    """gunicorn and a worker sharing a private Redis (broker and cache), the worker
    sending e-mail to the loopback SMTP server."""
    # The site checks passwords with the real hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    for user in (hr_user, org["manager"]):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    shared = {"CACHE_URL": private_redis.url.replace("/0", "/1"), "BAROMETER_REFRESH_DELAY": "0"}
    mail = settings.MAILERS["default"]["OPTIONS"]
    worker = CeleryWorker(
        private_redis.url, EMAIL_HOST=mail["host"], EMAIL_PORT=str(mail["port"]), **shared
    )
    try:
        server = AppServer(CELERY_BROKER_URL=private_redis.url, CELERY_QUEUE=worker.queue, **shared)
    except BaseException:
        worker.stop()
        raise
    yield server, worker
    server.stop()
    worker.stop()


def test_live_releases_through_the_stack_never_let_two_documents_differ_by_fewer_than_k(
    org, hr_user, smtp_server, stack
):
    server, worker = stack
    bar = make_team("lyon-bar", parent=org["site"], name="Bar")
    teams = {team.code: team for team in (org["team"], org["sibling"], bar)}
    sides_of = {}
    for (code, side), planned in PLANNED.items():
        for number in range(planned):
            email = f"{code}-{side}-{number}@example.org"
            make_person(teams[code], email, side=side)
            sides_of[email] = (code, side)
    campaign = make_campaign(list(teams.values()), slug="live", score_threshold=K)
    # No HR screen sets live results yet: the campaign is switched on before its launch.
    Campaign.objects.filter(pk=campaign.pk).update(live_results=True)
    settled = count()

    def settle():
        """Let the worker run the refresh the answer queued, then a sweep (as beat would):
        done once a probe sent after them has run (one process takes the queue in order)."""
        worker.send("barometer.tasks.sweep")
        probe = f"settle-{next(settled)}"
        worker.send("symetrie.tests.celery_probe.record_attempt_then_finish", probe, 0)
        done = Team.objects.filter(code=f"{probe}-done")
        wait_for(done.exists, interval=0.05, what="the sweep after an answer")

    hr = log_in(server, hr_user)
    manager = log_in(server, org["manager"])
    hr.get(f"/hr/campaigns/{campaign.slug}/")  # the page with the button: its CSRF token
    status, _, _ = hr.post(f"/hr/campaigns/{campaign.slug}/launch/", {"confirm": "yes"})
    assert status == 302
    wait_for(lambda: len(smtp_server) == len(sides_of), what="the invitations")
    links = [
        (sides_of[message.envelope_recipients[0]], token)
        for message in smtp_server
        for token in tokens_in([message])
    ]
    assert len(links) == len(sides_of)
    rng = random.Random(15)
    rng.shuffle(links)

    thanked = dict.fromkeys(PLANNED, 0)
    seen = []
    for (code, side), token in links:
        respondent = Visitor(server.url)
        status, page, _ = respondent.get(f"/r/{token}/")
        assert status == 200
        status, _, headers = respondent.post(f"/r/{token}/", filled_in(page, rng))
        assert status == 302
        if headers["Location"].startswith("/thanks/"):
            thanked[(code, side)] += 1
        settle()
        document = results(hr, campaign.slug)
        seen.append((dict(thanked), document, results(manager, campaign.slug)))

    hr.get(f"/hr/campaigns/{campaign.slug}/")
    status, _, _ = hr.post(f"/hr/campaigns/{campaign.slug}/close/", {"confirm": "yes"})
    assert status == 302
    # No sweep now: the final comes from the computation the close queued.
    final = Snapshot.objects.filter(campaign=campaign, final=True)
    wait_for(final.exists, what="the final document")
    seen.append((dict(thanked), results(hr, campaign.slug), results(manager, campaign.slug)))
    assert "Internal Server Error" not in server.log_text()

    # Every answer that got the thank-you page is in the database, and nothing else.
    assert thanked == PLANNED
    for (code, side), planned in PLANNED.items():
        stored = Response.objects.filter(campaign=campaign, team__code=code, side=side)
        assert stored.count() == planned
    assert campaign.invitations.filter(used=True).count() == sum(PLANNED.values())

    documents = [document for _, document, _ in seen if document is not None]
    distinct = [
        d
        for i, d in enumerate(documents)
        if i == 0 or without_time(d) != without_time(documents[i - 1])
    ]
    assert len(distinct) >= 5, "the figures should have moved several times"
    assert_no_figure_below_k(distinct)
    assert_any_two_differ_by_zero_or_k([published(d) for d in distinct])
    assert_parents_minus_children_zero_or_k([published(d) for d in distinct], list(teams))
    assert_each_step(seen)
    # At close the remainders pool up: the site's figures count every answer.
    final = published(seen[-1][1])
    for side in SIDES:
        assert final[("lyon", side)][0] == sum(n for (_, s), n in PLANNED.items() if s == side)


def assert_no_figure_below_k(documents):
    """No figure rests on fewer than k, and a side below k never shows one."""
    for document in documents:
        for key, (responses, items) in published(document).items():
            assert zero_or_k(responses), (key, responses)
            assert all(zero_or_k(n) for n in items.values()), (key, items)
        for team in document["teams"]:
            for side in SIDES:
                if (team["code"], side) in BELOW_K:
                    figures = team[side]
                    assert figures["status"] in ("no_data", "suppressed"), figures
                    assert set(figures) <= {"status", "invited", "responses", "response_rate"}
                    assert figures.get("responses", 0) == 0


def assert_any_two_differ_by_zero_or_k(views):
    """Whatever two documents a reader kept, they differ by 0 or at least k everywhere,
    and figures only grow (a release adds a group; nothing is taken back)."""
    for first, then in combinations(views, 2):
        for key in then:
            (was, was_items), (now, now_items) = first[key], then[key]
            assert now - was >= 0 and zero_or_k(now - was), (key, was, now)
            for item, n in now_items.items():
                grown = n - was_items.get(item, 0)
                assert grown >= 0 and zero_or_k(grown), (key, item, was_items.get(item), n)


def assert_parents_minus_children_zero_or_k(views, leaves):
    """Nor can a parent minus its children single out fewer than k."""
    children = {"": ["lyon"], "lyon": leaves}
    for view in views:
        for parent, below in children.items():
            for side in SIDES:
                rest = view[(parent, side)][0] - sum(view[(c, side)][0] for c in below)
                assert rest >= 0 and zero_or_k(rest), (parent, side, rest)


def assert_each_step(seen):
    """After each settled answer: every complete group of k is out, a new document says
    where every answer is, and the manager reads the same figures for their team only."""
    previous = None
    for answered, document, managed in seen:
        if document is None:
            assert managed is None
            continue
        # A document is written only when something is released: one new at this step
        # was computed after this answer.
        fresh = previous is None or without_time(document) != previous
        previous = without_time(document)
        view = published(document)
        if document["campaign"]["status"] == "open":
            for (code, side), n in answered.items():
                assert view[(code, side)][0] == n // K * K, (code, side, n, view[(code, side)])
        for side in SIDES:
            stored = sum(n for (_, s), n in answered.items() if s == side)
            figures = document["organisation"][side]
            if fresh and figures["status"] == "ok":
                # Every answer is either in the figures or said to be held back.
                assert figures["responses"] + figures["held_back"] == stored, (side, figures)
        assert managed is not None
        assert [team["code"] for team in managed["teams"]] == ["lyon-reception"]
        assert managed["organisation"] == document["organisation"]
        assert managed["teams"] == [t for t in document["teams"] if t["code"] == "lyon-reception"]
