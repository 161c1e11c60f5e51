"""Benchmark `answering`: respondents opening their personal link and sending the form.

16 clients at once play respondents, each with a personal link of their own: GET
/r/<token>/, then POST a complete, valid answer with the form's CSRF token. The
baseline is the same load generator, same concurrency and same request shape,
against a bare view that inserts one row (bench/views.py). Afterwards every
successful submission must be exactly one new Response (and its answers, and one
used invitation) in PostgreSQL.
"""

import os
import sys
from collections import Counter
from dataclasses import dataclass

from django.db import connection

from bench.flows import AnsweringFlow, BareFlow
from bench.loadgen import combine, run_load
from bench.registry import Figure, benchmark, noise_figure
from bench.seed import answering_campaign
from bench.stack import ServerConfig, postgres_cpu_seconds
from bench.views import BARE_TABLE
from bench.weight import describe, page_weight
from surveys.models import Answer, Invitation, Response

NAME = "answering"
CLIENTS = 16
# The gunicorn shapes measured on this machine, each against the bare view on the same
# server. The targets apply to the first: the production command's worker class
# (gunicorn's default, sync) with gunicorn's 2 × cores + 1 processes. The second,
# fewer processes with threads, is measured for information.
CORES = len(os.sched_getaffinity(0))
CONFIGS = (
    ServerConfig("sync", 2 * CORES + 1),
    ServerConfig("gthread", CORES + 1, threads=4),
)
TARGET_RATIO = 0.55
TARGET_P95_MS = 100
TARGET_WEIGHT_KB = 80


@dataclass(frozen=True)
class Scale:
    """Sizes and durations (seconds) of a full run and of a --quick one.

    The warm-up is long enough for every gunicorn worker to have served a few
    submissions: the first one in each worker is slow (it imports pandas, see the
    README of bench/), and that is start-up, not steady state.
    """

    invitations: int
    warmup: float
    measure: float  # seconds of measurement of each of bare and answering
    rounds: int  # alternating rounds the measurement is split into
    configs: tuple


FULL = Scale(invitations=64_000, warmup=4.0, measure=20.0, rounds=8, configs=CONFIGS)
QUICK = Scale(invitations=600, warmup=0.5, measure=1.5, rounds=1, configs=CONFIGS[:1])
# Warm-up of the rounds after the first: the server is warm, the clients ramp up.
ROUND_WARMUP = 0.5


class Tokens:
    """The seeded personal links, handed out once each: a used link cannot answer again."""

    def __init__(self, jobs):
        self.jobs = jobs
        self.next = 0

    def take(self, count=None):
        end = len(self.jobs) if count is None else min(self.next + count, len(self.jobs))
        taken, self.next = self.jobs[self.next : end], end
        return taken


# --- counting rows -------------------------------------------------------------------


def _bare_rows():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {BARE_TABLE}")  # noqa: S608
        return cursor.fetchone()[0]


def _stored(campaign):
    """What the submissions wrote: responses, answers, invitations marked used."""
    return {
        "responses": Response.objects.filter(campaign=campaign).count(),
        "answers": Answer.objects.filter(response__campaign=campaign).count(),
        "used": Invitation.objects.filter(campaign=campaign, used=True).count(),
    }


class Tally:
    """Successful submissions of every run against the campaign, by side (warm-ups too)."""

    def __init__(self):
        self.by_side = Counter()

    def add(self, result):
        self.by_side.update(result.ok)
        self.by_side.update(result.warmup_ok)
        return result

    def expected(self, questions):
        """The rows the successes must have written: each one answers every question."""
        total = sum(self.by_side.values())
        answers = sum(count * len(questions[side]) for side, count in self.by_side.items())
        return {"responses": total, "answers": answers, "used": total}


# --- the benchmark ---------------------------------------------------------------------


def _load(server, flow, warmup, duration, jobs=None):
    return run_load(
        flow,
        host=server.host,
        port=server.port,
        clients=CLIENTS,
        warmup=warmup,
        duration=duration,
        jobs=jobs,
        sample=lambda: {"app": server.cpu_seconds(), "postgres": postgres_cpu_seconds()},
    )


def cpu_split(result):
    """Where the CPU went per flow (LoadResult.cpu_per_flow), with how busy the machine was."""
    split = result.cpu_per_flow()
    if not split or not result.duration:
        return "no CPU figures (nothing succeeded)"
    busy = result.cpu["machine"] / (result.duration * CORES)
    return (
        f"app {split['app']:.1f} ms, PostgreSQL {split['postgres']:.1f} ms, "
        f"clients {split['clients']:.1f} ms, rest {split['rest']:.1f} ms; machine {busy:.0%} busy"
    )


def _measure(ctx, server, scale, flow, tokens, tally, links):
    """Baseline and answering in alternating rounds; return (bare, answering, bare rows ok).

    Alternating short rounds rather than one long run each means that whatever else
    the machine does meanwhile weighs on both alike, so the ratio holds up better
    than the absolute figures; each round swaps which goes first, so that a machine
    speeding up or slowing down during the run favours neither. The first round of
    each has the full warm-up; later ones only ramp up again.
    """
    bare_runs, answering_runs = [], []
    bare_before = _bare_rows()
    per_round = scale.measure / scale.rounds
    links_per_round = links // scale.rounds
    for number in range(scale.rounds):
        warmup = scale.warmup if number == 0 else ROUND_WARMUP
        for which in ("bare", "answering") if number % 2 == 0 else ("answering", "bare"):
            if which == "bare":
                bare_runs.append(_load(server, BareFlow(), warmup, per_round))
            else:
                jobs = tokens.take(links_per_round)
                answering_runs.append(tally.add(_load(server, flow, warmup, per_round, jobs)))
        ctx.say(
            f"round {number + 1}/{scale.rounds}: bare {bare_runs[-1].rate:.1f} flows/s, "
            f"answering {answering_runs[-1].rate:.1f} submissions/s"
        )
    bare, answered = combine(bare_runs), combine(answering_runs)
    bare_written = _bare_rows() - bare_before
    bare_stored = sum(run.succeeded_in_all for run in bare_runs)
    for name, result in (("bare", bare), ("answering", answered)):
        ctx.say(
            f"{server.config.label}, {name}: {result.rate:.1f}/s, {result.succeeded} ok, "
            f"{result.failed} failed; "
            f"CPU per flow: {cpu_split(result)}"
            + (" (ran out of links before the time was up)" if result.jobs_ran_out else "")
        )
    return bare, answered, bare_written == bare_stored


def _ms(seconds):
    return None if seconds is None else seconds * 1000


@benchmark(NAME)
def answering(ctx):
    scale = QUICK if ctx.quick else FULL
    campaign, jobs, questions = answering_campaign(invitations=scale.invitations)
    ctx.say(f"seeded {len(jobs)} personal links; {CLIENTS} clients")
    tokens, tally = Tokens(jobs), Tally()
    flow = AnsweringFlow(questions=questions)
    measured, counts_ok, assets = [], True, None
    for number, config in enumerate(scale.configs):
        links = (len(jobs) - tokens.next - 1) // (len(scale.configs) - number)
        ctx.say(f"measuring with gunicorn {config.label}")
        with ctx.server(config, name=f"gunicorn-{config.worker_class}") as server:
            bare, answered, bare_counts_ok = _measure(
                ctx, server, scale, flow, tokens, tally, links
            )
            if assets is None:
                weight_token = tokens.take(1)[0][0]
                assets = page_weight(server.host, server.port, f"/r/{weight_token}/")
        measured.append((config, bare, answered))
        counts_ok = counts_ok and bare_counts_ok
    written, expected = _stored(campaign), tally.expected(questions)
    if written != expected or not counts_ok:
        print(
            f"!!! COUNT MISMATCH: successes imply {expected}, PostgreSQL has {written}; "
            f"bare rows match: {counts_ok}",
            file=sys.stderr,
            flush=True,
        )
    (config, bare, answered), others = measured[0], measured[1:]
    return [
        *_speed_figures(config, bare, answered),
        *(_other_shape_figure(*other) for other in others),
        _counts_figure(written, expected, counts_ok, measured),
        _weight_figure(assets),
        _noise_figure(measured),
    ]


def _counts_figure(written, expected, bare_counts_ok, measured):
    passed = written == expected and bare_counts_ok
    failed = "; ".join(
        f"{config.label}: answering {answered.failed}, bare {bare.failed}"
        + (f" ({'; '.join(answered.notes[:2])})" if answered.notes else "")
        for config, bare, answered in measured
    )
    value = (
        f"{expected['responses']} = {written['responses']} responses"
        if passed
        else f"MISMATCH: expected {expected}, stored {written}, bare rows ok: {bare_counts_ok}"
    )
    return Figure(
        NAME,
        "successes = rows stored",
        value,
        target="equal",
        passed=passed,
        note=(
            f"all runs, warm-ups included; also {written['answers']} answers and "
            f"{written['used']} links used as expected. Failed flows: {failed}"
        ),
    )


def _speed_figures(config, bare, answered):
    if not answered.succeeded or not bare.succeeded:
        notes = "; ".join((answered.notes + bare.notes)[:3])
        raise RuntimeError(f"no successful flow to measure: {notes}")
    p95 = _ms(answered.percentile("submit", 0.95))

    def latency(name, label, fraction):
        return Figure(
            NAME,
            name,
            _ms(answered.percentile(label, fraction)),
            "ms",
            baseline=_ms(bare.percentile(label, fraction)),
        )

    return [
        Figure(
            NAME,
            "submissions/s (GET page + POST answer)",
            answered.rate,
            "/s",
            baseline=bare.rate,
            target=f"≥ {TARGET_RATIO:.2f} × bare",
            passed=answered.rate >= TARGET_RATIO * bare.rate,
            note=(
                f"{CLIENTS} clients, gunicorn {config.label} (the production command's worker "
                f"class); measured {answered.duration:.0f} s each, in rounds alternating with "
                "the bare baseline (the same GET + POST against a view doing one INSERT)"
            ),
        ),
        Figure(
            NAME,
            "submission POST p95",
            p95,
            "ms",
            baseline=_ms(bare.percentile("submit", 0.95)),
            target=f"< {TARGET_P95_MS} ms",
            passed=p95 < TARGET_P95_MS,
        ),
        latency("submission POST p50", "submit", 0.5),
        latency("page GET p95", "page", 0.95),
        latency("page GET p50", "page", 0.5),
        Figure(
            NAME,
            "gunicorn CPU per flow",
            answered.cpu_per_flow()["app"],
            "ms",
            baseline=bare.cpu_per_flow()["app"],
            note=f"CPU per flow, answering: {cpu_split(answered)}; bare: {cpu_split(bare)}",
        ),
    ]


def _other_shape_figure(config, bare, answered):
    return Figure(
        NAME,
        f"submissions/s, gunicorn {config.label}",
        answered.rate,
        "/s",
        baseline=bare.rate,
        note=(
            f"for information: the same rounds on this shape; POST p95 "
            f"{_ms(answered.percentile('submit', 0.95)) or 0:.0f} ms; CPU per flow, "
            f"answering: {cpu_split(answered)}; bare: {cpu_split(bare)}"
        ),
    )


def _weight_figure(assets):
    compressed = sum(asset.gzip_bytes for asset in assets) / 1024
    note, served = describe(assets)
    return Figure(
        NAME,
        "answering page weight, gzip",
        compressed,
        "KB",
        target=f"< {TARGET_WEIGHT_KB} KB",
        passed=compressed < TARGET_WEIGHT_KB and served,
        note=note,
    )


def _noise_figure(measured):
    return noise_figure(
        NAME,
        max(
            result.unattributed_share()
            for _, bare, answered in measured
            for result in (bare, answered)
        ),
        "the largest of the bare and answering measurements; a FAIL means other "
        "processes competed for the machine: rerun on a quiet machine before quoting",
    )
