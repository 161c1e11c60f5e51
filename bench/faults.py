"""Benchmark `faults`: answering at a set rate while parts of the stack are broken on purpose.

Respondents answer through their personal links (the `answering` flow) at a steady
target rate, paced open-loop, through gunicorn, PostgreSQL, Redis and real Celery
workers. Meanwhile, at set times, one fault after another:

1. the mail server is down while a campaign's invitations go out (the worker starts
   with it down, so the first attempt fails; it comes up a few seconds into the load),
   and the sending task's retry sends each invitation exactly once;
2. a worker process is killed with SIGKILL in the middle of a barometer computation
   (it waits, visibly, on a lock the scenario holds on the table of campaign teams),
   the computation is redone by the process the pool starts in its place, and the
   document equals the one `compute_barometer` computes in-process afterwards;
3. Redis is killed (SIGKILL) and restarted empty: answers keep being stored, and after
   the sweep (sent as beat would) a live release publishes them, but for fewer than k
   per team-side still waiting for their group;
4. PostgreSQL is stopped (fast shutdown) and started again: the requests in the gap
   get the site's 503 page, and the service resumes by itself.

The answering campaign publishes live releases (`live_results`): a team-side's figures
move by groups of at least k new respondents (barometer/releases.py), so "a snapshot
counting every response" no longer exists while it is open. After the load the
scenario waits for the release that leaves fewer than k respondents waiting in every
team-side, then closes the campaign: the worker's final document counts every stored
response (in the figures, or pooled and dropped below k) and must equal the final
`compute_barometer` computes in-process from the same release state.

Nothing shared is broken: PostgreSQL is a private cluster (initdb into a temporary
directory, fsync off) and Redis a private redis-server, both on free loopback ports,
stopped by pid like every process the scenario starts. The runner's `symetrie_bench`
database is not used. Afterwards every success must be in the database, whole.
"""

import http.client
import json
import os
import re
import shutil
import signal
import threading
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass

import psycopg
from psycopg.types.json import Jsonb

from bench.fault_stack import CORES, GUNICORN, Stack, build, wait
from bench.flows import AnsweringFlow
from bench.loadgen import run_load
from bench.registry import Figure, benchmark, noise_figure
from symetrie.tests.private_postgres import postgres_bin

NAME = "faults"
LOCKED_TABLE = "surveys_campaign_teams"  # read by a computation, never by a submission
# A 503 may end this long after PostgreSQL is back (it was sent during the gap).
GAP_GRACE = 2.0
COMPUTE = "barometer.tasks.compute_snapshot"
# Responses per team and side through personal links (what a live release counts).
STORED = (
    "SELECT t.code, r.side, count(*) FROM surveys_response r"
    " JOIN surveys_team t ON t.id = r.team_id"
    " WHERE r.campaign_id = %s AND r.channel <> 'public' GROUP BY 1, 2"
)


@dataclass(frozen=True)
class Scale:
    """Rates, sizes, and the times (seconds from the start of the measurement) of the faults."""

    rate: float
    duration: float
    warmup: float
    clients: int
    invitations: int
    history: int  # responses of the closed campaign whose computation is killed
    mail: int  # invitations sent while the mail server is down (0: that fault is skipped)
    mail_up: float
    worker_kill: float
    redis_kill: float
    redis_back: float
    postgres_stop: float
    postgres_start: float


FULL = Scale(
    rate=200,
    duration=60,
    warmup=3,
    clients=24,
    invitations=14_000,
    history=3_000,
    mail=300,
    mail_up=8,
    worker_kill=24,
    redis_kill=34,
    redis_back=38,
    postgres_stop=46,
    postgres_start=49,
)
# No mail fault: its retry waits 30 s (surveys.tasks), longer than a quick run.
QUICK = Scale(
    rate=40,
    duration=14,
    warmup=1,
    clients=8,
    invitations=900,
    history=200,
    mail=0,
    mail_up=0,
    worker_kill=1,
    redis_kill=6,
    redis_back=7,
    postgres_stop=10,
    postgres_start=11,
)


# --- the faults ---------------------------------------------------------------------------


class Faults(threading.Thread):
    """Injects the faults at their times, while the load runs; remembers any error."""

    def __init__(self, stack):
        super().__init__(daemon=True)
        self.stack = stack
        self.origin = None
        self.started = threading.Event()
        self.error = None
        self.watchers = []

    def begin(self, origin):
        self.origin = origin
        self.started.set()

    def at(self, offset):
        delay = self.origin + offset - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    def run(self):
        scale, stack = self.stack.scale, self.stack
        try:
            self.started.wait()
            if scale.mail:
                self.at(scale.mail_up)
                self._mail_up()
            self.at(scale.worker_kill)
            self._kill_computation()
            self.at(scale.redis_kill)
            self._redis_restart()
            self.at(scale.postgres_stop)
            self._postgres_restart()
        except Exception as error:
            self.error = error
            self.stack.ctx.say(f"fault injection broke: {error}")
        finally:
            stack.marks["faults done"] = time.monotonic()

    def _mail_up(self):
        from aiosmtpd.controller import Controller

        stack = self.stack
        stack.smtp = Controller(stack.inbox, hostname="127.0.0.1", port=stack.smtp_port)
        stack.smtp.start()
        stack.mark(f"mail server up after {stack.worker.retries()} failed sending attempt(s)")
        # Wait for the retry to be done, so that each fault stands on its own.
        wait(lambda: len(stack.inbox.received) >= stack.scale.mail, 90, "the invitations")
        stack.mark(f"{len(stack.inbox.received)} invitations received")

    def _kill_computation(self):
        stack = self.stack
        history = stack.seeded["history"]  # without a document yet (fault_stack.seed_here)
        observer = psycopg.connect(stack.cluster.url, autocommit=True)
        try:
            with psycopg.connect(stack.cluster.url) as locker, locker.transaction():
                locker.execute(f"LOCK TABLE {LOCKED_TABLE} IN ACCESS EXCLUSIVE MODE")
                stack.send(COMPUTE, history, queue=f"{stack.environment['CELERY_QUEUE']}-kill")
                first = wait(lambda: _computing(observer, history), 30, "the computation")
                (process,) = stack.killer.pool()
                stack.cpu.retire("killer", process)
                os.kill(process, signal.SIGKILL)
                stack.mark("worker process SIGKILLed in the middle of a barometer computation")
                wait(lambda: _computing(observer, history) - first, 60, "the computation again")
                stack.mark("computation redone by a new worker process")
            (document,) = wait(
                lambda: stack.sql(
                    "SELECT document FROM barometer_snapshot WHERE campaign_id = %s", [history]
                ),
                60,
                "the redone snapshot",
            )[0]
            stack.checks["killed document"] = document
            stack.mark("snapshot of the redone computation stored")
        finally:
            observer.close()

    def _redis_restart(self):
        stack, scale = self.stack, self.stack.scale
        stack.redis.kill()
        stack.mark("Redis killed (SIGKILL)")
        self.at(scale.redis_back)
        stack.redis.start()
        stack.mark("Redis restarted, empty")
        time.sleep(1)  # a worker notices the lost connection within a second
        # A worker must reconnect by itself (symetrie/broker.py); one that exited fails
        # the row, and is started again, as a supervisor would, for the rest to go on.
        stack.checks["worker exited"] = stack.worker.exiting()
        if stack.checks["worker exited"]:
            stack.cpu.retire("worker")
            stack.worker.stop()
            stack.worker_start("worker-faults-restarted").wait_ready()
            stack.mark("the worker had exited: restarted, as a supervisor would")
        campaign = stack.seeded["campaign"]
        stored = _stored(stack, campaign)
        stack.checks["responses at Redis restart"] = sum(stored.values())
        stack.checks["groups due at Redis restart"] = sum(
            n >= stack.seeded["k"] for n in _waiting(stored, _document(stack, campaign)).values()
        )
        stack.send("barometer.tasks.sweep")  # as beat does every minute
        stack.mark("sweep sent")
        # Caught up: a release after the restart leaves fewer than k of the responses
        # stored at the restart waiting in each team-side.
        self.watchers.append(
            _watch(
                stack,
                "caught up after the sweep",
                lambda: _settled(stack, stored, _document(stack, campaign)),
                timeout=60,
            )
        )

    def _postgres_restart(self):
        stack, scale = self.stack, self.stack.scale
        spare = stack.seeded["spare"]
        stack.mark("PostgreSQL stopping (fast shutdown)")
        stack.cpu.retire("postgres")
        stack.cluster.stop()
        time.sleep(0.2)
        stack.checks["gap page"] = _probe(stack.server, f"/r/{spare}/")
        stack.checks["gap health"] = _probe(stack.server, "/healthz")
        self.at(scale.postgres_start)
        stack.cluster.start()
        stack.mark("PostgreSQL started again")


def _computing(observer, campaign_id):
    """Backends waiting on a lock while computing `campaign_id`'s snapshot: on the locked
    table, or on the campaign's row, which a computation locks first and which the
    killed process's backend still holds while it waits on the table (PostgreSQL sees
    its client gone only when it next talks to it)."""
    rows = observer.execute(
        "SELECT pid, query FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    ).fetchall()
    on_table = re.compile(rf'"campaign_id" = {campaign_id}\b')
    on_row = re.compile(rf'"surveys_campaign"\."id" = {campaign_id}\b.* FOR UPDATE')
    return {
        pid
        for pid, query in rows
        if (LOCKED_TABLE in query and on_table.search(query)) or on_row.search(query)
    }


def _watch(stack, name, condition, *, timeout):
    """Poll `condition` in a thread of its own; `stack.checks[name]` becomes the seconds
    it took to hold (None: not within `timeout`). An error (PostgreSQL stopped
    meanwhile) only means not yet."""
    started = time.monotonic()
    stack.checks[name] = None

    def poll():
        while time.monotonic() - started < timeout:
            try:
                if condition():
                    stack.checks[name] = time.monotonic() - started
                    return
            except Exception:  # noqa: S110 - the next poll asks again
                pass
            time.sleep(0.2)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    return thread


def _stored(stack, campaign_id):
    """{(team code, side): responses through personal links} of the campaign now."""
    return {(team, side): n for team, side, n in stack.sql(STORED, [campaign_id])}


def _document(stack, campaign_id):
    rows = stack.sql(
        "SELECT document FROM barometer_snapshot WHERE campaign_id = %s", [campaign_id]
    )
    return rows[0][0] if rows else None


def _waiting(stored, document):
    """{(team, side): responses of `stored` that `document`'s figures leave out}. The
    scenario's respondents are all on the lowest teams, whose figures are their own."""
    shown = {}
    for team in (document or {}).get("teams", []):
        for side in ("employee", "client"):
            figures = team[side]
            shown[(team["code"], side)] = figures["responses"] if figures["status"] == "ok" else 0
    return {key: n - shown.get(key, 0) for key, n in stored.items()}


def _settled(stack, stored, document):
    """Whether `document` leaves fewer than k of `stored` waiting in every team-side:
    nothing a live release could still take."""
    return document is not None and all(
        n < stack.seeded["k"] for n in _waiting(stored, document).values()
    )


def _probe(server, path):
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return {
            "status": response.status,
            "retry_after": response.getheader("Retry-After"),
            "body": response.read().decode(errors="replace"),
        }
    finally:
        connection.close()


# --- the benchmark -----------------------------------------------------------------------


@benchmark(NAME)
def faults(ctx):
    scale = QUICK if ctx.quick else FULL
    if postgres_bin() is None or shutil.which("redis-server") is None:
        raise RuntimeError("needs the PostgreSQL server binaries (initdb) and redis-server")
    stack = Stack(ctx=ctx, scale=scale)
    with ExitStack() as stop:
        jobs = build(stack, stop)
        stack.seeded["spare"] = jobs.pop()[0]  # for a probe in the PostgreSQL gap
        flow = AnsweringFlow(questions=stack.seeded["questions"])
        injector = Faults(stack)
        injector.start()
        stop.callback(stack.smtp_stop)
        result = run_load(
            flow,
            host=stack.server.host,
            port=stack.server.port,
            clients=scale.clients,
            warmup=scale.warmup,
            duration=scale.duration,
            jobs=jobs,
            rate=scale.rate,
            timeline=True,
            on_measure=injector.begin,
            sample=stack.cpu,
        )
        stack.mark(f"load done: {result.rate:.1f} submissions/s")
        injector.join(timeout=120)
        if injector.error:
            raise injector.error
        for watcher in injector.watchers:
            watcher.join()
        _settle(stack)
        return _figures(stack, result)


def _settle(stack):
    """After the load: the mail, the last live release, the close's final document, and
    the in-process references."""
    scale, campaign = stack.scale, stack.seeded["campaign"]
    if scale.mail:
        wait(lambda: len(stack.inbox.received) >= scale.mail, 90, "the invitations")
        time.sleep(1)  # a duplicate, if any, would arrive now
        stack.smtp_stop()
    stack.send("barometer.tasks.sweep")
    stored = _stored(stack, campaign)
    wait(
        lambda: _settled(stack, stored, _document(stack, campaign)),
        60,
        "a release leaving fewer than k responses waiting in every team-side",
    )
    ((live, state),) = stack.sql(
        "SELECT document, state FROM barometer_snapshot WHERE campaign_id = %s", [campaign]
    )
    stack.manage(
        "shell",
        "-c",
        "from surveys.models import Campaign; from surveys.services import campaign_close; "
        "campaign_close(campaign=Campaign.objects.get(slug='bench'))",
    )
    stack.mark("campaign closed")
    ((final,),) = wait(
        lambda: stack.sql(
            "SELECT document FROM barometer_snapshot WHERE campaign_id = %s AND final", [campaign]
        ),
        60,
        "the final document the close queued",
    )
    stack.checks["stored"] = stored
    stack.checks["final document"] = final
    stack.worker.stop()
    stack.killer.stop()
    # The references, computed in-process: the answering campaign's final again from
    # the live state the worker's close started from (while the history's document it
    # reads for the lagged correlations is the worker's), then the history's final
    # again from nothing, as the killed worker computed it.
    stack.write(
        "UPDATE barometer_snapshot SET document = %s, state = %s, final = false"
        " WHERE campaign_id = %s",
        [Jsonb(live), Jsonb(state), campaign],
    )
    stack.manage("compute_barometer", "bench")
    stack.write("DELETE FROM barometer_snapshot WHERE campaign_id = %s", [stack.seeded["history"]])
    stack.manage("compute_barometer", "bench-history")
    stack.mark("references computed in-process (compute_barometer)")


def _same_as_reference(stack, document, campaign_id):
    """Whether `document` equals the campaign's current one (the reference) but for the
    time it was computed."""
    reference = dict(_document(stack, campaign_id))
    return {**document, "computed_at": None} == {**reference, "computed_at": None}


# --- figures ------------------------------------------------------------------------------


def _figures(stack, result):
    scale, marks = stack.scale, stack.marks
    questions = stack.seeded["questions"]
    campaign = stack.seeded["campaign"]
    p95 = result.percentile("submit", 0.95)
    late = max(result.lags, default=0.0)
    gap = (marks["PostgreSQL stopping (fast shutdown)"], marks["PostgreSQL started again"])
    server_errors = [e for e in result.events if e[2] == "error" or int(e[2]) >= 500]
    in_gap = [e for e in server_errors if e[2] == 503 and gap[0] <= e[0] <= gap[1] + GAP_GRACE]
    other = Counter(f"{label} {status}" for t, label, status in server_errors)
    other.subtract(f"{label} {status}" for t, label, status in in_gap)
    other = +other  # what is left: the failures outside the gap
    resumed = next(
        (
            t
            for t, label, status in result.events
            if t > gap[1] and label == "submit" and status == 302
        ),
        None,
    )
    # Before the first fault the web tier meets (the mail server and the killed computation
    # are the workers' business).
    quiet = scale.redis_kill
    steady = sum(
        1
        for t, label, status in result.events
        if label == "submit" and status == 302 and 0 <= t - result.measured_from < quiet
    )
    # While PostgreSQL is down nothing can be stored (those answers get the 503 page,
    # counted below): the rate held is the successes over the rest of the time.
    up = result.duration - (gap[1] - gap[0])
    held = result.succeeded / up if up > 0 else 0.0
    figures = [
        Figure(
            NAME,
            f"submissions/s at a {scale.rate:.0f}/s target, PostgreSQL up",
            held,
            "/s",
            target=f"≥ {scale.rate * 0.95:.0f}/s",
            passed=held >= scale.rate * 0.95,
            note=(
                f"{scale.clients} clients paced open-loop for {result.duration:.0f} s through "
                f"gunicorn {GUNICORN.label}, PostgreSQL, Redis and two Celery workers; "
                f"{result.succeeded} submissions stored in the {up:.1f} s PostgreSQL was up "
                f"({result.rate:.0f}/s over the whole run, its gap included); "
                f"{steady / quiet:.0f}/s in the first {quiet:.0f} s (no fault on the web side "
                f"yet); the last flows started {late:.1f} s behind schedule"
                + (
                    ": the server kept the pace"
                    if late < 1
                    else ": the server's pace, not the target's, set the rate"
                )
            ),
        ),
        Figure(
            NAME, "submission POST p95", p95 * 1000 if p95 else None, "ms", note="faults included"
        ),
        Figure(
            NAME,
            "503 answers, all in the PostgreSQL gap",
            len(in_gap),
            target="only in the gap",
            passed=bool(in_gap) and not other,
            note=(
                f"gap {gap[1] - gap[0]:.1f} s; other 5xx or broken connections: "
                + (", ".join(f"{key} × {count}" for key, count in other.items()) or "none")
            ),
        ),
        _counts_figure(stack, result, questions, campaign),
        _mail_figure(stack),
        _worker_figure(stack),
        _redis_figure(stack, result),
        _postgres_figure(stack, gap, resumed),
        _cpu_figure(result),
    ]
    return [figure for figure in figures if figure is not None]


def _cpu_figure(result):
    split = result.cpu_per_flow()
    if not split:
        return None
    busy = result.cpu["machine"] / (result.duration * CORES)
    return noise_figure(
        NAME,
        result.unattributed_share(),
        (
            f"CPU per submission: gunicorn {split['app']:.1f} ms, PostgreSQL "
            f"{split['postgres']:.1f} ms, workers {split['worker'] + split['killer']:.1f} ms, "
            f"load clients {split['clients']:.1f} ms, rest {split['rest']:.1f} ms; machine "
            f"{busy:.0%} busy. A FAIL means other processes competed: rerun before quoting"
        ),
    )


def _counts_figure(stack, result, questions, campaign):
    (responses, used, incomplete) = stack.sql(
        "SELECT (SELECT count(*) FROM surveys_response WHERE campaign_id = %(c)s),"
        " (SELECT count(*) FROM surveys_invitation WHERE campaign_id = %(c)s AND used),"
        " (SELECT count(*) FROM surveys_response r WHERE campaign_id = %(c)s AND"
        "   (SELECT count(*) FROM surveys_answer a WHERE a.response_id = r.id)"
        "   <> CASE r.side WHEN 'employee' THEN %(e)s ELSE %(k)s END)",
        {"c": campaign, "e": len(questions["employee"]), "k": len(questions["client"])},
    )[0]
    successes = result.succeeded_in_all
    # A submission whose connection PostgreSQL cut may have committed just before.
    cut = sum(1 for _, label, status in result.events if label == "submit" and status == 503)
    passed = incomplete == 0 and used == responses and successes <= responses <= successes + cut
    return Figure(
        NAME,
        "successes = rows stored, none partial",
        f"{successes} ≤ {responses} ≤ {successes} + {cut}",
        target="all stored, whole",
        passed=passed,
        note=(
            f"responses missing answers: {incomplete}; links used: {used}; warm-up included; "
            f"a submission cut by the restart (503) may have committed: {cut} such"
        ),
    )


def _mail_figure(stack):
    if not stack.scale.mail:
        return Figure(NAME, "mail server down while invitations go out", "not run (--quick)")
    recipients = [address for _, addresses in stack.inbox.received for address in addresses]
    unique = set(recipients)
    sent = stack.sql(
        "SELECT count(*) FROM surveys_invitation i JOIN surveys_campaign c ON c.id = i.campaign_id"
        " WHERE c.slug = 'bench-mail' AND i.sent_count = 1"
    )[0][0]
    passed = unique == set(stack.seeded["mail"]) and len(recipients) == len(unique) == sent
    return Figure(
        NAME,
        "mail server down while invitations go out",
        f"{len(unique)} people, {len(recipients)} e-mails",
        target="each once",
        passed=passed,
        note=(
            f"{stack.scale.mail} invitations queued before the worker started, the server down "
            f"until {stack.scale.mail_up:.0f} s into the load; the task's retry sent them"
        ),
    )


def _worker_figure(stack):
    marks = stack.marks
    killed = marks["worker process SIGKILLed in the middle of a barometer computation"]
    stored = marks["snapshot of the redone computation stored"]
    same = _same_as_reference(stack, stack.checks["killed document"], stack.seeded["history"])
    return Figure(
        NAME,
        "worker SIGKILLed mid-computation: redone, right",
        f"redone, stored {stored - killed:.1f} s after the kill",
        target="= in-process snapshot",
        passed=same,
        note=(
            f"{stack.scale.history} responses of a closed campaign; killed while its query "
            "waited on a lock the scenario held; the snapshot "
            + ("equals" if same else "DIFFERS FROM")
            + " compute_barometer's"
        ),
    )


def _redis_figure(stack, result):
    marks, campaign, k = stack.marks, stack.seeded["campaign"], stack.seeded["k"]
    down = (marks["Redis killed (SIGKILL)"], marks["Redis restarted, empty"])
    during = [e for e in result.events if e[1] == "submit" and down[0] <= e[0] <= down[1]]
    stored = sum(1 for e in during if e[2] == 302)
    caught_up = stack.checks["caught up after the sweep"]
    final = stack.checks["final document"]["organisation"]
    in_figures = {
        side: (final[side].get("responses", 0), final[side].get("held_back", 0))
        for side in ("employee", "client")
    }
    # Every stored response is in the final figures, or pooled up and dropped below k.
    counted = all(
        shown + dropped == sum(n for (_, s), n in stack.checks["stored"].items() if s == side)
        and dropped < k
        for side, (shown, dropped) in in_figures.items()
    )
    same = _same_as_reference(stack, stack.checks["final document"], campaign)
    survived = not stack.checks["worker exited"]
    return Figure(
        NAME,
        "Redis killed and restarted",
        f"{stored} of {len(during)} submissions stored while down",
        target="all stored, caught up",
        passed=stored == len(during) and caught_up is not None and counted and same and survived,
        note=(
            f"down {down[1] - down[0]:.1f} s; "
            + (
                f"a release {caught_up:.1f} s after the sweep left fewer than {k} of the "
                f"{stack.checks['responses at Redis restart']} responses stored at the restart "
                f"waiting in each team-side ({stack.checks['groups due at Redis restart']} "
                "team-sides had a group due)"
                if caught_up is not None
                else "NO release caught up with the responses stored at the restart"
            )
            + "; after the load and the close, the worker's final document "
            + ("counts" if counted else "DOES NOT COUNT")
            + " every stored response ("
            + ", ".join(f"{side} {a} + {b} dropped" for side, (a, b) in in_figures.items())
            + ") and "
            + ("equals" if same else "DIFFERS FROM")
            + " compute_barometer's from the same release state; the worker "
            + (
                "reconnected by itself"
                if survived
                else "EXITED (it held a delayed refresh: celery 5.7.0/kombu 5.7.0 bug) "
                "and was restarted by the scenario, as a supervisor would"
            )
        ),
    )


def _postgres_figure(stack, gap, resumed):
    page, health = stack.checks["gap page"], stack.checks["gap health"]
    ours = 'id="unavailable"' in page["body"]  # templates/503.html
    clean = (
        page["status"] == 503
        and page["retry_after"] is not None
        and ours
        and health["status"] == 503
        and json.loads(health["body"]).get("database") == "unavailable"
    )
    return Figure(
        NAME,
        "PostgreSQL restarted: clean 503, resumes",
        f"resumed {resumed - gap[1]:.2f} s after the start" if resumed else "NOT resumed",
        target="503 page, resumes by itself",
        passed=clean and resumed is not None,
        note=(
            f"in the gap a link answered {page['status']} (Retry-After {page['retry_after']}, "
            f"{'the site' if ours else 'NOT the site'}'s page), "
            f"/healthz {health['status']}; gunicorn never restarted"
        ),
    )
