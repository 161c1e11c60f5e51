"""Run Symétrie's benchmarks on the real stack and print one table of figures.

    .venv/bin/python bench/run.py [--only NAME] [--quick] [--keep-database]

Needs PostgreSQL (trust auth) and Redis on loopback, nothing else than `make test`
installs. The run creates the database `symetrie_bench` (dropped first if a previous
run left it, dropped again at the end), migrates and seeds it through the app's own
code, starts gunicorn on free loopback ports and drives it from local client
processes. Everything it started is stopped by pid at the end, on Ctrl-C or on an
error, and only the Redis keys named after the run are deleted.

Each figure is printed with its baseline measured in the same run, the ratio, the
target and PASS/FAIL; the same table goes to var/bench-latest.md (var/bench-quick.md
with --quick) with the date and the machine. A missed target is a result, not an
error: the exit status is 0 unless a benchmark itself broke (1), the services are
missing (2) or the run was interrupted (130).
"""

import argparse
import datetime
import fcntl
import importlib
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Modules whose @benchmark functions make up the run, in the order they run.
BENCHMARK_MODULES = [
    "bench.answering",
    "bench.barometer",
    "bench.dashboards",
    "bench.pdf",
    "bench.weights",
    "bench.faults",
    "bench.sheets",
]
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432"
DEFAULT_REDIS = "redis://127.0.0.1:6379"
# Below this share of idle CPU before the run, the figures are suspect.
QUIET = 0.8
COLUMNS = ("benchmark", "figure", "value", "baseline", "ratio", "target", "result")


def _arguments(argv):
    parser = argparse.ArgumentParser(
        description="Run the benchmarks and print one table of figures against their targets."
    )
    parser.add_argument(
        "--only", action="append", metavar="NAME", help="run only this benchmark (repeatable)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes and durations: checks that it works"
    )
    parser.add_argument(
        "--keep-database",
        action="store_true",
        help="leave the database (symetrie_bench, or BENCH_DATABASE) for inspection",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
        help=f"PostgreSQL server (default {DEFAULT_POSTGRES}, or BENCH_POSTGRES_URL)",
    )
    parser.add_argument(
        "--redis",
        default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS),
        help=f"Redis server, without a db number (default {DEFAULT_REDIS}, or BENCH_REDIS_URL)",
    )
    return parser.parse_args(argv)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


# --- services and machine -------------------------------------------------------------


def _services_problem(postgres_url, redis_url):
    """A sentence saying which service is missing, or None when both answer."""
    import psycopg
    import redis

    from bench.stack import with_database

    try:
        psycopg.connect(with_database(postgres_url, "postgres"), connect_timeout=3).close()
    except psycopg.Error as error:
        return f"PostgreSQL does not answer at {postgres_url}: {error}"
    try:
        redis.Redis.from_url(redis_url, socket_timeout=3, socket_connect_timeout=3).ping()
    except (redis.RedisError, OSError) as error:
        return f"Redis does not answer at {redis_url}: {error}"
    return None


def _first_line(path, prefix):
    try:
        with open(path) as handle:
            for line in handle:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def _idle_share(seconds=0.5):
    """Share of the machine's CPU left idle over `seconds`: others' work skews figures."""
    from bench.loadgen import machine_cpu_seconds

    before = machine_cpu_seconds()
    time.sleep(seconds)
    busy = (machine_cpu_seconds() - before) / (seconds * len(os.sched_getaffinity(0)))
    return max(0.0, 1.0 - busy)


def _code_version():
    """The commit measured, marked when the working tree differs from it (read-only git)."""
    git = shutil.which("git")
    if git is None:
        return "unknown (no git)"

    def run(*args):
        return subprocess.run(  # noqa: S603 - fixed arguments; no optional locks: writes nothing
            [git, "--no-optional-locks", *args], cwd=ROOT, capture_output=True, text=True
        )

    head = run("rev-parse", "--short", "HEAD")
    if head.returncode != 0:
        return "unknown (not a git checkout)"
    changed = run("status", "--porcelain", "--untracked-files=no").stdout.strip()
    return head.stdout.strip() + (" with uncommitted changes" if changed else "")


def _machine(postgres_url, redis_url):
    """What the figures depend on, as label → text."""
    import django
    import gunicorn
    import redis

    from bench.stack import postgres_version

    memory_kb = _first_line("/proc/meminfo", "MemTotal")
    memory = f"{int(memory_kb.split()[0]) / 1024**2:.1f} GiB" if memory_kb != "?" else "?"
    redis_info = redis.Redis.from_url(redis_url, socket_timeout=3).info("server")
    return {
        "CPUs (nproc)": str(len(os.sched_getaffinity(0))),
        "CPU": _first_line("/proc/cpuinfo", "model name"),
        "memory": memory,
        "Python": platform.python_version(),
        "PostgreSQL": postgres_version(postgres_url),
        "Redis": redis_info.get("redis_version", "?"),
        "Django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "OS": platform.platform(terse=True),
        "code": _code_version(),
    }


# --- the table --------------------------------------------------------------------------


def _rows(figures):
    from bench.registry import show

    return [
        (
            figure.benchmark,
            figure.name,
            show(figure.value, figure.unit),
            show(figure.baseline, figure.unit),
            "—" if figure.ratio is None else f"{figure.ratio:.2f}",
            figure.target or "—",
            figure.result,
        )
        for figure in figures
    ]


def _notes(figures):
    return [
        f"{figure.benchmark} · {figure.name}: {figure.note}" for figure in figures if figure.note
    ]


def table_text(figures):
    rows = [COLUMNS, *_rows(figures)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(COLUMNS))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join([*lines, "", *_notes(figures)])


def _machine_lines(machine):
    """The machine description grouped for reading: hardware, software, code."""
    groups = {
        "Machine": ("CPUs (nproc)", "CPU", "memory", "OS", "idle before the run"),
        "Software": ("Python", "PostgreSQL", "Redis", "Django", "gunicorn"),
        "Code": ("code",),
    }
    for group, labels in groups.items():
        parts = [
            machine[label] if group == "Code" else f"{label} {machine[label]}"
            for label in labels
            if label in machine
        ]
        if parts:
            yield group, ", ".join(parts)


def table_markdown(figures, *, machine, started, elapsed, quick, broken):
    def cells(row):
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"

    kind = "quick run (tiny sizes: not a measurement)" if quick else "full run"
    lines = [
        "# Symétrie benchmarks: latest run",
        "",
        f"{started:%Y-%m-%d %H:%M} UTC, `bench/run.py` {kind}, {elapsed:.0f} s.",
        "",
        *(f"- **{group}:** {text}" for group, text in _machine_lines(machine)),
        "",
        cells(COLUMNS),
        cells(["---"] * len(COLUMNS)),
        *(cells(row) for row in _rows(figures)),
        "",
        *(f"- {note}" for note in _notes(figures)),
    ]
    if broken:
        lines += ["", f"**Broken (no figures):** {', '.join(broken)}"]
    return "\n".join(lines) + "\n"


# --- the run ----------------------------------------------------------------------------


def _prepare(args):
    """Fresh database, migrations, static files, the bare view's table."""
    from django.core.management import call_command
    from django.db import connection

    from bench import stack
    from bench.views import CREATE_BARE_TABLE

    stack.database_recreate(args.postgres)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0, clear=True)
    with connection.cursor() as cursor:
        cursor.execute(CREATE_BARE_TABLE)


def _run(ctx, names):
    """Run the benchmarks; return (figures, names of those that broke)."""
    from bench.registry import BENCHMARKS

    figures, broken = [], []
    for name in names:
        print(f"== {name}", flush=True)
        try:
            figures.extend(BENCHMARKS[name](ctx))
        except Exception:
            traceback.print_exc()
            broken.append(name)
        finally:
            ctx.stop_all()
    return figures, broken


def main(argv=None):
    args = _arguments(argv)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    from bench import stack

    stack.WORK_DIR.mkdir(parents=True, exist_ok=True)
    lock = open(stack.WORK_DIR / "run.lock", "w")  # held until the process exits
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("Another benchmark run is going on (var/bench/run.lock).", file=sys.stderr)
        return 2
    if problem := _services_problem(args.postgres, args.redis):
        print(f"Cannot run the benchmarks: {problem}", file=sys.stderr)
        return 2

    run_id = secrets.token_hex(4)
    environment = stack.app_environment(
        postgres_url=args.postgres, redis_url=args.redis, run_id=run_id
    )
    os.environ.clear()
    os.environ.update(environment)
    import django

    django.setup()
    from bench.registry import BENCHMARKS

    for module in BENCHMARK_MODULES:
        importlib.import_module(module)
    names = args.only or list(BENCHMARKS)
    if unknown := [name for name in names if name not in BENCHMARKS]:
        print(f"Unknown benchmark {unknown}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2

    signal.signal(signal.SIGTERM, _interrupt)
    started, clock = datetime.datetime.now(datetime.UTC), time.monotonic()
    ctx = stack.Context(
        quick=args.quick, run_id=run_id, environment=environment, postgres_url=args.postgres
    )
    figures, broken, interrupted, machine = [], [], False, {}
    try:
        idle = _idle_share()
        machine = {**_machine(args.postgres, args.redis), "idle before the run": f"{idle:.0%}"}
        if idle < QUIET:
            print(
                f"WARNING: the machine is busy before the run (idle {idle:.0%}): "
                "other work will lower the figures.",
                file=sys.stderr,
            )
        print(f"Preparing database {stack.DATABASE_NAME} (migrations, static files)", flush=True)
        _prepare(args)
        figures, broken = _run(ctx, names)
    except KeyboardInterrupt:
        print("\nInterrupted: stopping everything this run started.", file=sys.stderr)
        interrupted = True
    except Exception:
        traceback.print_exc()
        broken = ["setup"]
    finally:
        ctx.stop_all()
        _clean_up(args, run_id)

    if interrupted:
        return 130
    elapsed = time.monotonic() - clock
    print()
    print(table_text(figures))
    print(f"\n{len(figures)} figures in {elapsed:.0f} s", end="")
    if broken:
        print(f"; BROKEN: {', '.join(broken)}", end="")
    print()
    if figures:
        report = ROOT / "var" / ("bench-quick.md" if args.quick else "bench-latest.md")
        report.write_text(
            table_markdown(
                figures,
                machine=machine,
                started=started,
                elapsed=elapsed,
                quick=args.quick,
                broken=broken,
            )
        )
        print(f"Written to {report.relative_to(ROOT)}")
    return 1 if broken else 0


def _clean_up(args, run_id):
    """Close our connections, drop the database, delete this run's Redis keys."""
    from django.db import connections

    from bench import stack

    connections.close_all()
    try:
        if not args.keep_database:
            stack.database_drop(args.postgres)
        stack.redis_forget(args.redis, run_id)
    except Exception:
        traceback.print_exc()


if __name__ == "__main__":
    sys.exit(main())
