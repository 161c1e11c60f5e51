"""Run the production shape locally: gunicorn, a Celery worker and Celery beat.

All three share the environment (DATABASE_URL, CELERY_BROKER_URL, ...). Ctrl-C, or
gunicorn exiting, stops the other two. A worker or beat that exits is started again
after a few seconds, as a production supervisor (systemd `Restart=always`) would
whatever made it exit (losing Redis no longer does: symetrie/broker.py keeps the
worker alive and reconnecting).
"""

import argparse
import signal
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
RESTARTED = ("worker", "beat")
RESTART_DELAY = 3


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
            "--preload",
            "--access-logfile",
            "-",
            "--logger-class",
            "symetrie.logging.RedactingGunicornLogger",
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

    def start(name):
        return subprocess.Popen([str(part) for part in commands[name]])

    processes = {name: start(name) for name in commands}
    print(f"Serving on http://{args.bind}/ with a Celery worker and beat. Ctrl-C stops all.")
    signal.signal(signal.SIGTERM, _stop)
    try:
        while processes["web"].poll() is None:
            time.sleep(0.5)
            for name in RESTARTED:
                if processes[name].poll() is not None:
                    print(
                        f"{name} exited ({processes[name].returncode}); "
                        f"starting it again in {RESTART_DELAY} s.",
                        file=sys.stderr,
                    )
                    time.sleep(RESTART_DELAY)
                    processes[name] = start(name)
        print("gunicorn stopped; stopping the rest.", file=sys.stderr)
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
