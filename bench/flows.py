"""What one client does per job: the visits the benchmarks replay.

Standard library only, like bench/loadgen.py: the client processes load this module
without Django. Each flow is a picklable callable `flow(client, job, rng)` returning
a tag when the visit succeeded and None when it failed (with a note on the client).
"""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
# The questionnaire's hidden fields (its CSRF token among them), sent back as a browser does.
HIDDEN_FIELD = re.compile(rb'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def _answer(kind, options, rng):
    if kind == "nps":
        return rng.randint(0, 10)
    if kind == "likert":
        return rng.randint(0, 5)  # 0 is "don't know"
    if kind == "choice":
        return rng.randrange(options)
    return rng.choice(COMMENTS)


COMMENTS = (
    "Accueil chaleureux, délais un peu longs en fin de semaine.",
    "Clear answers and people who listen. Keep it up.",
    "Plus de retours de la part des responsables seraient bienvenus.",
)


@dataclass(frozen=True)
class AnsweringFlow:
    """A respondent: opens a personal link, answers every question, sends the form.

    `questions` maps a side to its form fields as (name, kind, number of options);
    a job is (raw token, side). Success is the redirect to the thank-you page.
    """

    questions: dict

    def __call__(self, client, job, rng):
        token, side = job
        path = f"/r/{token}/"
        client.forget()
        page = client.request("page", "GET", path)
        if page is None:
            return None
        status, _, body = page
        hidden = {name.decode(): value.decode() for name, value in HIDDEN_FIELD.findall(body)}
        if status != 200 or "csrfmiddlewaretoken" not in hidden:
            client.note(f"GET page: {status}, {body[:200]!r}")
            return None
        form = {name: _answer(kind, options, rng) for name, kind, options in self.questions[side]}
        form.update(hidden)
        sent = client.request(
            "submit",
            "POST",
            path,
            body=urlencode(form),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": client.origin,
                "Referer": client.origin + path,
            },
        )
        if sent is None:
            return None
        status, headers, body = sent
        if status == 302 and "/thanks/" in (headers.get("Location") or ""):
            return side
        client.note(f"POST submit: {status}, {body[:200]!r}")
        return None


@dataclass(frozen=True)
class BareFlow:
    """The baseline visit, same shape as answering: GET a page, POST a form of similar size."""

    path: str = "/bench/bare/"
    fields: int = 14

    def __call__(self, client, job, rng):
        client.forget()
        page = client.request("page", "GET", self.path)
        if page is None or page[0] != 200:
            return None
        form = {f"q{index}": rng.randint(0, 10) for index in range(self.fields)}
        form["comment"] = rng.choice(COMMENTS)
        sent = client.request(
            "submit",
            "POST",
            self.path,
            body=urlencode(form),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if sent is None:
            return None
        if sent[0] != 200:
            client.note(f"POST bare: {sent[0]}, {sent[2][:200]!r}")
            return None
        return "bare"


@dataclass(frozen=True)
class PageFlow:
    """A logged-in reader opening a page again and again, as tabs of one browser do.

    `cookies` are (name, value) pairs of a session the runner opened through the login
    page; `label` names the timings. Success: 200 with `expect` in the body (a marker
    of the page, so that a login page or an error page served with 200 does not count).
    """

    label: str
    path: str
    cookies: tuple
    expect: bytes = b""

    def __call__(self, client, job, rng):
        client.cookies.update(self.cookies)
        page = client.request(self.label, "GET", self.path)
        if page is None:
            return None
        status, _, body = page
        if status != 200 or self.expect not in body:
            client.note(f"GET {self.label}: {status}, {body[:200]!r}")
            return None
        return self.label
