"""Benchmark `pdf`: the PDF reports on the full reference organisation.

It reads the dashboards benchmark's fixtures (bench/dashboards.py): the reference
organisation with every campaign's final document, an HR user and the manager of a
team at the lowest level. Each measurement runs in a fresh Python process, Django set
up and WeasyPrint imported before the clock starts (a web process or worker has them
loaded after its first report), as the app makes the reports:

- the team report, as its manager downloads it: `barometer.pdf.report.team_pdf` over
  the documents the manager sees (the latest campaign's, and every campaign's for the
  trend), three times, the median counted;
- the organisation report, as HR's job draws it: `barometer.pdf.services.report_build`
  on a Report row (reading the snapshot, drawing every team, storing the PDF), once;
  its peak memory is the growth of VmHWM over the job (see bench/barometer.py for why
  VmHWM and not ru_maxrss).
"""

import json
import subprocess
import sys

from bench.dashboards import organisations_with_readers
from bench.registry import Figure, benchmark
from bench.stack import ROOT

NAME = "pdf"
TARGET_TEAM_S = 2.0
TARGET_ORGANISATION_S = 60.0
TARGET_ORGANISATION_MB = 500

SCRIPT = """
import json, statistics, sys, time
import django
django.setup()
import weasyprint  # loaded before the clock, as in a process that made a report already
from django.contrib.auth.models import User
from django.utils import translation
from barometer.dashboards.snapshots import latest_documents
from barometer.models import Report, Snapshot
from barometer.pdf import report, services
from surveys.models import Campaign
def status(field):
    with open("/proc/self/status") as lines:
        return next(int(l.split()[1]) for l in lines if l.startswith(field + ":"))
slug, code, manager_name = sys.argv[1:4]
campaign = Campaign.objects.get(slug=slug)
found = {}
with translation.override("fr"):
    manager = User.objects.get(username=manager_name)
    times, size = [], 0
    for _ in range(3):
        started = time.perf_counter()
        history = latest_documents(manager)
        document = next(d for c, d in history if c.slug == slug)
        pdf = report.team_pdf(history, campaign, document, code)
        times.append(time.perf_counter() - started)
        size = len(pdf)
    found["team_s"], found["team_kb"] = statistics.median(times), size / 1024
    hr = User.objects.get(username="bench-hr")
    snapshot = Snapshot.objects.latest_for(campaign)
    job = Report.objects.create(
        user=hr, campaign=campaign, language="fr", reach="bench", snapshot_at=snapshot.computed_at
    )
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    before = status("VmRSS")
    started = time.perf_counter()
    services.report_build(report_id=job.pk)
    found["organisation_s"] = time.perf_counter() - started
    found["organisation_mb"] = (status("VmHWM") - before) / 1024
    job.refresh_from_db()
    found["status"] = job.status
    found["organisation_kb"] = len(job.pdf or b"") / 1024
    job.delete()
print(json.dumps(found))
"""


def _measure(ctx, organisation):
    output = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SCRIPT, organisation.slug, organisation.team, organisation.manager],
        cwd=ROOT,
        env=ctx.environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


@benchmark(NAME)
def pdf(ctx):
    organisations, _ = organisations_with_readers(ctx)
    full = organisations["full"]
    found = _measure(ctx, full)
    if found["status"] != "ready":
        raise RuntimeError(f"the organisation report was not drawn: {found['status']}")
    ctx.say(
        f"team report {found['team_s']:.2f} s ({found['team_kb']:.0f} KB); organisation "
        f"report {found['organisation_s']:.1f} s, {found['organisation_mb']:.0f} MB "
        f"({found['organisation_kb']:.0f} KB)"
    )
    shape = f"{full.teams} teams, {full.campaigns} campaigns"
    return [
        Figure(
            NAME,
            "team report, its manager",
            found["team_s"],
            "s",
            target=f"≤ {TARGET_TEAM_S:g} s",
            passed=found["team_s"] <= TARGET_TEAM_S,
            note=f"median of 3, in French, {found['team_kb']:.0f} KB; full organisation "
            f"({shape}, every campaign in the trend)",
        ),
        Figure(
            NAME,
            f"organisation report, HR, {full.teams} teams",
            found["organisation_s"],
            "s",
            target=f"≤ {TARGET_ORGANISATION_S:g} s",
            passed=found["organisation_s"] <= TARGET_ORGANISATION_S,
            note=f"the job as a worker runs it, {found['organisation_kb']:.0f} KB stored",
        ),
        Figure(
            NAME,
            "organisation report, peak memory",
            found["organisation_mb"],
            "MB",
            target=f"< {TARGET_ORGANISATION_MB} MB",
            passed=found["organisation_mb"] < TARGET_ORGANISATION_MB,
            note="growth of VmHWM over the job",
        ),
    ]
