"""Settings of the app under benchmark: the project's own, plus the bare baseline view.

Everything else comes from the environment that bench/run.py gives gunicorn (a
database of its own, private Redis key names, DEBUG off, plain HTTP), so the code
measured is the code that runs in production.
"""

import os

from symetrie.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# Every cache key of a run carries the run's prefix, so the runner deletes exactly
# what the run wrote and nothing else in a Redis it shares with others.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "bench")  # noqa: F405
