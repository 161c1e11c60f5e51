"""Run the production shape locally: gunicorn, a Celery worker and Celery beat.

All three share the environment (DATABASE_URL, CELERY_BROKER_URL, ...). Ctrl-C,
or any of them exiting, stops the other two.
"""

import argparse
import signal
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def _stop(signum, frame):
    raise KeyboardInterrupt


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bind", default="127.0.0.1:8000")
    parser.add_argument("--web-workers", default="3")
    args = parser.parse_args()
    commands = {
        "web": [
            BIN / "gunicorn",
            "symetrie.wsgi",
            "--bind",
            args.bind,
            "--workers",
            args.web_workers,
            "--timeout",
            "30",
        ],
        "worker": [
            BIN / "celery",
            "-A",
            "symetrie",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            "2",
        ],
        "beat": [
            BIN / "celery",
            "-A",
            "symetrie",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            "var/celerybeat-schedule",
        ],
    }
    Path("var").mkdir(exist_ok=True)
    processes = {
        name: subprocess.Popen([str(part) for part in cmd]) for name, cmd in commands.items()
    }
    print(f"Serving on http://{args.bind}/ with a Celery worker and beat. Ctrl-C stops all.")
    signal.signal(signal.SIGTERM, _stop)
    try:
        while all(process.poll() is None for process in processes.values()):
            time.sleep(0.5)
        ended = [name for name, process in processes.items() if process.poll() is not None]
        print(f"{', '.join(ended)} stopped; stopping the rest.", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    return 1 if any(process.returncode not in (0, -15) for process in processes.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
