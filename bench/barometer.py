"""Benchmark `barometer`: computing a campaign's snapshot on the reference organisation.

The reference organisation is written straight into PostgreSQL with binary COPY
(psycopg 3 `cursor.copy`), its values drawn with numpy: 1,000 teams in a three-level
tree (10 sites, 90 departments, 900 teams), 4 closed campaigns of the built-in
template (frozen by `campaign_create`), each with 50,000 employee and 200,000 client
responses on the 900 lowest teams, every question answered (a comment row for each
response, its text filled for 1 % of them, as the answering form stores it): about
14 million answers. Two smaller organisations, one tenth and one hundredth of it
(100 and 10 teams, 2 campaigns each, same shape), show how the cost grows. They are
generated once per run (`reference`) and left in place: the dashboards and weights
benchmarks (bench/dashboards.py) read them and their snapshots.

For the latest campaign of each size the run times `barometer.services.snapshot_compute`
in a fresh Python process per measurement (Django set up and modules imported before
the clock starts; the Snapshot row is written, as in production) and takes the peak
memory as the growth of VmHWM over the computation. Each measurement publishes the
campaign's first final document, as its close does when it had no live results: the
campaign's document is deleted before the clock starts (computed again, a final with
nothing new to release writes nothing). The previous campaign (by close date) has its
final document, computed once beforehand, as it would have in production: the
snapshot reads it for the lagged correlations. The baseline is the bare SQL a DBA
would write over the same answers, fetched to the client:

    SELECT r.campaign_id, r.team_id, r.side, r.channel, a.question_id, a.value, count(*)
    FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id
    WHERE r.campaign_id IN (<this campaign>) AND a.value IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6

over the campaign's own answers, the only ones the snapshot aggregates (it reads the
previous campaign's published document, not its answers), by channel as the snapshot
counts them (public-link answers wait for the close); the same query over the
campaign and the previous one, the baseline before releases (#15), is shown for
information (measured once). Each time it runs twice, under the server's settings and
under those the app sets for its own aggregation (`barometer.data.AGGREGATION_SETTINGS`:
no JIT, 64 MB of work_mem, bitmap rather than index scans, cheap parallel workers),
and the faster run counts: the ratio measures the app's work, not a difference of
settings.
"""

import contextlib
import datetime
import json
import math
import statistics
import struct
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from django.db import connection

from barometer.data import aggregation_settings
from barometer.models import Snapshot
from barometer.services import snapshot_compute
from bench.registry import Figure, benchmark
from bench.stack import ROOT
from surveys.models import Campaign, CampaignQuestion, Questionnaire, Side, Team
from surveys.services import campaign_create

NAME = "barometer"
TARGET_RATIO = 1.5
TARGET_MEMORY_MB = 400
TARGET_GENERATION_S = 60
COMMENT_SHARE = 0.01
WORKERS = 2  # connections that COPY and build indexes at once
RUNS = 3  # fresh processes per size; the median time is kept


@dataclass(frozen=True)
class Size:
    label: str
    prefix: str
    sites: int
    departments: int  # per site
    teams: int  # per department
    employees: int  # responses per campaign
    clients: int
    campaigns: int


FULL = (
    Size("full", "ref", 10, 9, 10, 50_000, 200_000, 4),
    Size("1/10", "tenth", 1, 9, 10, 5_000, 20_000, 2),
    Size("1/100", "hundredth", 1, 1, 8, 500, 2_000, 2),
)
QUICK = (
    Size("full", "ref", 2, 3, 5, 3_000, 12_000, 2),
    Size("1/10", "tenth", 1, 3, 3, 300, 1_200, 2),
    Size("1/100", "hundredth", 1, 1, 3, 30, 120, 2),
)

ANSWER_ROW = np.dtype(
    [
        ("n", ">i2"),
        ("l_id", ">i4"),
        ("id", "V16"),
        ("l_resp", ">i4"),
        ("resp", "V16"),
        ("l_q", ">i4"),
        ("q", ">i8"),
        ("l_v", ">i4"),
        ("v", ">i2"),
        ("l_t", ">i4"),
    ]
)
COMMENT_ROW = np.dtype([(n, t) for n, t in ANSWER_ROW.descr if n not in ("v",)])
COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
COPY_TRAILER = struct.pack(">h", -1)
PG_EPOCH = datetime.date(2000, 1, 1)


def _uuids(rng, n):
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40  # version 4
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80  # RFC 4122 variant
    return raw.view("V16").ravel()


def _teams(size):
    """Create the size's tree; return its lowest teams (those that get responses)."""
    p = size.prefix
    sites = Team.objects.bulk_create(
        Team(code=f"{p}-s{i}", name=f"Site {p} {i}") for i in range(size.sites)
    )
    departments = Team.objects.bulk_create(
        Team(code=f"{s.code}-d{j}", name=f"Département {s.code}-{j}", parent=s)
        for s in sites
        for j in range(size.departments)
    )
    return Team.objects.bulk_create(
        Team(code=f"{d.code}-t{k}", name=f"Équipe {d.code}-{k}", parent=d)
        for d in departments
        for k in range(size.teams)
    )


def _campaigns(size, teams):
    template = Questionnaire.objects.get(builtin=True)
    campaigns = []
    for number in range(size.campaigns):
        # Smaller organisations' campaigns close earlier: none is another's previous one.
        year = {"ref": 2024, "tenth": 2018, "hundredth": 2012}[size.prefix] + number
        campaign = campaign_create(
            name=f"{size.prefix} {number + 1}",
            slug=f"{size.prefix}-{number + 1}",
            opens_on=datetime.date(year, 3, 1),
            closes_on=datetime.date(year, 3, 31),
            questionnaire=template,
            teams=teams,
            sides=[Side.EMPLOYEE, Side.CLIENT],
            score_threshold=5,
            comment_threshold=10,
            reminder_days=[],
        )
        Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
        campaigns.append(campaign)
    return campaigns


def _values(rng, kinds, team_bias):
    """Answers of n responses (rows) to questions of `kinds` (columns), int16."""
    n = len(team_bias)
    noise = rng.normal(0.0, 1.0, size=(n, len(kinds)))
    likert = np.clip(np.rint(3.6 + team_bias[:, None] + noise), 1, 5)
    likert[rng.random(likert.shape) < 0.04] = 0  # "don't know"
    nps = np.clip(np.rint(7.4 + 2.0 * team_bias[:, None] + 2.0 * noise), 0, 10)
    return np.where(np.array(kinds) == "nps", nps, likert).astype(np.int16)


def _copy_side(cursor, rng, campaign, side, n, teams, bias, date, questions):
    """COPY `n` responses of one side and all their answers."""
    scored = [q for q in questions if q.kind in ("nps", "likert")]
    comment = next(q for q in questions if q.kind == "text")
    team_index = rng.integers(0, len(teams), size=n)
    ids = _uuids(rng, n)
    side_bytes = side.encode()
    response = np.dtype(
        [
            *(("n", ">i2"), ("l_id", ">i4"), ("id", "V16"), ("l_c", ">i4"), ("c", ">i8")),
            *(("l_t", ">i4"), ("t", ">i8"), ("l_s", ">i4"), ("s", f"S{len(side_bytes)}")),
            *(("l_d", ">i4"), ("d", ">i4"), ("l_l", ">i4"), ("l", "S2"), ("l_ch", ">i4")),
            ("ch", "S4"),
        ]
    )
    rows = np.zeros(n, response)
    rows["n"], rows["l_id"], rows["id"], rows["l_c"], rows["c"] = 7, 16, ids, 8, campaign.pk
    rows["l_t"], rows["t"] = 8, np.array([t.pk for t in teams], dtype=np.int64)[team_index]
    rows["l_s"], rows["s"], rows["l_d"], rows["d"] = len(side_bytes), side_bytes, 4, date
    rows["l_l"], rows["l"], rows["l_ch"], rows["ch"] = 2, b"fr", 4, b"link"
    with cursor.copy(
        "COPY surveys_response (id, campaign_id, team_id, side, submitted_on, language,"
        " channel) FROM STDIN (FORMAT BINARY)"
    ) as copy:
        copy.write(COPY_HEADER + rows.tobytes() + COPY_TRAILER)

    values = _values(rng, [q.kind for q in scored], bias[team_index])
    answers = np.zeros((n, len(scored)), ANSWER_ROW)
    answers["n"], answers["l_id"], answers["l_resp"], answers["l_q"] = 5, 16, 16, 8
    answers["l_v"], answers["l_t"] = 2, 0
    answers["id"] = _uuids(rng, n * len(scored)).reshape(n, len(scored))
    answers["resp"] = ids[:, None]
    answers["q"] = np.array([q.pk for q in scored], dtype=np.int64)[None, :]
    answers["v"] = values
    filled = rng.random(n) < COMMENT_SHARE
    empty = np.zeros(int((~filled).sum()), COMMENT_ROW)
    empty["n"], empty["l_id"], empty["l_resp"], empty["l_q"], empty["l_v"] = 5, 16, 16, 8, -1
    empty["id"], empty["resp"], empty["q"] = _uuids(rng, len(empty)), ids[~filled], comment.pk
    columns = "(id, response_id, question_id, value, text)"
    with cursor.copy(f"COPY surveys_answer {columns} FROM STDIN (FORMAT BINARY)") as copy:
        copy.write(COPY_HEADER)
        for start in range(0, n, 20_000):
            copy.write(answers[start : start + 20_000].tobytes())
        copy.write(empty.tobytes())
        copy.write(COPY_TRAILER)
    texts = zip(_uuids(rng, int(filled.sum())), ids[filled], strict=True)
    with cursor.copy(f"COPY surveys_answer {columns} FROM STDIN") as copy:
        for number, (answer_id, response_id) in enumerate(texts):
            row = (bytes(answer_id).hex(), bytes(response_id).hex(), comment.pk, None)
            copy.write_row((*row, f"Avis n° {number % 97}"))


def _without_answer_indexes(cursor):
    """Drop surveys_answer's indexes (constraints' included); return what rebuilds them:
    the CREATE INDEX statements (run two at a time), then the constraints' ALTERs."""
    cursor.execute(
        "SELECT i.indexname, i.indexdef, c.conname, c.contype FROM pg_indexes i"
        " LEFT JOIN pg_constraint c ON c.conindid = (quote_ident(i.indexname))::regclass"
        " AND c.conrelid = 'surveys_answer'::regclass WHERE i.tablename = 'surveys_answer'"
    )
    indexes = cursor.fetchall()
    creates, alters = [], []
    for name, definition, constraint, kind in indexes:
        creates.append(definition)
        if constraint:
            cursor.execute(f'ALTER TABLE surveys_answer DROP CONSTRAINT "{constraint}"')
            what = "PRIMARY KEY" if kind == "p" else "UNIQUE"
            alters.append(
                f'ALTER TABLE surveys_answer ADD CONSTRAINT "{constraint}" {what}'
                f' USING INDEX "{name}"'
            )
        else:
            cursor.execute(f'DROP INDEX "{name}"')
    return creates, alters


def _on_connections(ctx, jobs, work):
    """Run work(cursor, job) for every job on two connections of their own (2 cores)."""
    import psycopg

    def worker(share):
        with psycopg.connect(ctx.environment["DATABASE_URL"]) as bulk, bulk.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")  # no FK trigger per row
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for job in share:
                work(cursor, job)

    with ThreadPoolExecutor(WORKERS) as pool:
        for future in [pool.submit(worker, jobs[i::WORKERS]) for i in range(WORKERS)]:
            future.result()


def generate(ctx, sizes):
    """Write every size's organisation; return {label: (campaign, previous, answers)}."""
    rng = np.random.default_rng(20261122)
    made, jobs = {}, []
    started = time.monotonic()
    for size in sizes:
        teams = _teams(size)
        campaigns = _campaigns(size, teams)
        for campaign in campaigns:
            date = (campaign.closes_on - PG_EPOCH).days
            # A team's climate shows on both sides: the biases are correlated.
            common = rng.normal(0.0, 0.4, size=len(teams))
            for side, n in ((Side.EMPLOYEE, size.employees), (Side.CLIENT, size.clients)):
                bias = common + rng.normal(0.0, 0.25, size=len(teams))
                questions = list(
                    CampaignQuestion.objects.filter(campaign=campaign, side=side).order_by(
                        "order", "pk"
                    )
                )
                jobs.append((len(jobs), campaign, side, n, teams, bias, date, questions))
        made[size.label] = (campaigns[-1], campaigns[-2], (size.employees + size.clients) * 14)
    with connection.cursor() as cursor:
        creates, alters = _without_answer_indexes(cursor)
    ctx.say(f"teams and campaigns created in {time.monotonic() - started:.1f} s")

    def copy(cursor, job):
        number, *rest = job
        _copy_side(cursor, np.random.default_rng([20261122, number]), *rest)
        cursor.connection.commit()

    started = time.monotonic()
    jobs.sort(key=lambda job: -job[3])  # largest first: the two connections end together
    _on_connections(ctx, jobs, copy)
    ctx.say(
        f"{sum(job[3] for job in jobs) * 14:,} answers copied in {time.monotonic() - started:.1f} s"
    )
    started = time.monotonic()
    _on_connections(ctx, creates, lambda cursor, statement: cursor.execute(statement))
    with connection.cursor() as cursor:
        for statement in alters:
            cursor.execute(statement)
        cursor.execute("ANALYZE surveys_response")
        cursor.execute("ANALYZE surveys_answer")
    ctx.say(f"indexes rebuilt and tables analysed in {time.monotonic() - started:.1f} s")
    return made


@dataclass(frozen=True)
class Reference:
    """The run's reference organisations: their sizes, what `generate` made, how long it took."""

    sizes: tuple
    made: dict
    seconds: float


def reference(ctx):
    """The reference organisations, generated once per run and shared: the barometer
    benchmark times their snapshots, the dashboards benchmark reads them (whichever
    runs first generates them)."""

    def build():
        sizes = QUICK if ctx.quick else FULL
        started = time.monotonic()
        made = generate(ctx, sizes)
        return Reference(sizes, made, time.monotonic() - started)

    return ctx.fixture("reference organisations", build)


# ru_maxrss survives fork and exec (a child starts with the runner's peak, which holds
# the generation's arrays): the peak is read from VmHWM instead, reset just before
# the computation (writing 5 to clear_refs, Linux ≥ 4.0), less VmRSS at that moment.
SNAPSHOT_SCRIPT = """
import json, sys, time
import django
django.setup()
from barometer.models import Snapshot
from barometer.services import snapshot_compute
from surveys.models import Campaign
def status(field):
    with open("/proc/self/status") as lines:
        return next(int(l.split()[1]) for l in lines if l.startswith(field + ":"))
campaign = Campaign.objects.get(slug=sys.argv[1])
Snapshot.objects.filter(campaign=campaign).delete()  # its first final, as at its close
with open("/proc/self/clear_refs", "w") as clear:
    clear.write("5")
before = status("VmRSS")
started = time.perf_counter()
snapshot_compute(campaign=campaign)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "peak_mb": (status("VmHWM") - before) / 1024}))
"""


def _snapshot(ctx, campaign):
    output = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SNAPSHOT_SCRIPT, campaign.slug],
        cwd=ROOT,
        env=ctx.environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


BARE = (
    "SELECT r.campaign_id, r.team_id, r.side, r.channel, a.question_id, a.value, count(*)"
    " FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id"
    " WHERE r.campaign_id = ANY(%s) AND a.value IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6"
)


def _bare(campaign_ids, tuned):
    """Seconds of the bare query, fetched; `tuned`: with the app's session settings."""
    settings = aggregation_settings() if tuned else contextlib.nullcontext()
    with settings, connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(BARE, [list(campaign_ids)])
        cursor.fetchall()
        return time.perf_counter() - started


def _best_bare(campaign_ids):
    """The bare query under the server's settings and under the app's, the faster one."""
    return min(_bare(campaign_ids, tuned) for tuned in (False, True))


def _previous_final(ctx, previous):
    """The previous campaign's final document, which the snapshot reads (once per run)."""
    if not Snapshot.objects.filter(campaign=previous, final=True).exists():
        started = time.monotonic()
        snapshot_compute(campaign=previous)
        ctx.say(f"final of {previous.slug} computed in {time.monotonic() - started:.1f} s")


def measure(ctx, campaign, previous):
    _previous_final(ctx, previous)
    _bare([campaign.pk], False)  # warm the cache alike for both
    snapshots, bare = [], []
    for _ in range(RUNS):
        bare.append(_best_bare([campaign.pk]))
        snapshots.append(_snapshot(ctx, campaign))
    return {
        "snapshot": statistics.median(s["seconds"] for s in snapshots),
        "peak_mb": max(s["peak_mb"] for s in snapshots),
        "bare": statistics.median(bare),
        # For information only: measured once, which keeps `make bench` short.
        "with previous": _best_bare([campaign.pk, previous.pk]),
    }


def _exponent(points):
    """Least-squares slope of log(seconds) against log(answers)."""
    xs = [math.log(a) for a, _ in points]
    ys = [math.log(s) for _, s in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    num = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return num / sum((x - mx) ** 2 for x in xs)


@benchmark(NAME)
def barometer(ctx):
    organisations = reference(ctx)
    sizes, made, generation = organisations.sizes, organisations.made, organisations.seconds
    total = sum((s.employees + s.clients) * 14 * s.campaigns for s in sizes)
    figures = [
        Figure(
            NAME,
            "generation (COPY, every size, indexes rebuilt)",
            generation,
            "s",
            target=f"< {TARGET_GENERATION_S} s",
            passed=generation < TARGET_GENERATION_S,
            note=f"{total:,} answers in all, numpy + binary COPY",
        )
    ]
    points = []
    for size in sizes:
        campaign, previous, answers = made[size.label]
        result = measure(ctx, campaign, previous)
        ctx.say(f"{size.label}: {json.dumps(result)}")
        points.append((answers, result["snapshot"]))
        full = size.label == "full"
        figures += [
            Figure(
                NAME,
                f"snapshot_compute, {size.label} ({answers:,} answers)",
                result["snapshot"] * 1000,
                "ms",
                baseline=result["bare"] * 1000,
                target=f"≤ {TARGET_RATIO} × bare" if full else "",
                passed=result["snapshot"] <= TARGET_RATIO * result["bare"] if full else None,
                note="fresh process each, median of 3, each the campaign's first final; "
                "baseline: bare GROUP BY over this campaign's answers"
                if full
                else "",
            ),
            Figure(
                NAME,
                f"bare GROUP BY, this campaign and the previous one, {size.label}",
                result["with previous"] * 1000,
                "ms",
                note="the baseline before #15, when the snapshot aggregated both" if full else "",
            ),
            Figure(
                NAME,
                f"snapshot peak memory (VmHWM growth), {size.label}",
                result["peak_mb"],
                "MB",
                target=f"< {TARGET_MEMORY_MB} MB",
                passed=result["peak_mb"] < TARGET_MEMORY_MB,
            ),
        ]
    slope = _exponent(points)
    figures.append(
        Figure(
            NAME,
            "growth exponent of snapshot time in answers (1/100 → full)",
            slope,
            target="≈ 1 (linear)",
            passed=slope <= 1.1,
            note="least-squares slope of log(time) on log(answers) over the three sizes",
        )
    )
    return figures
