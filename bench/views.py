"""The baseline: the least a web request that stores something can do on this stack.

It goes through the same gunicorn, middleware and PostgreSQL as the app, and does
one INSERT (autocommit) into a table the runner creates with raw SQL. What the app
costs above this floor is what the benchmarks measure.
"""

from django.db import connection
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

BARE_TABLE = "bench_bare"
CREATE_BARE_TABLE = f"""
    CREATE TABLE {BARE_TABLE} (
        id bigserial PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        payload_bytes integer NOT NULL
    )
"""


@csrf_exempt
def bare(request):
    """GET: a tiny page, no query. POST: insert one row, answer 200."""
    if request.method == "POST":
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {BARE_TABLE} (payload_bytes) VALUES (%s)",  # noqa: S608
                [len(request.body)],
            )
        return HttpResponse("stored")
    return HttpResponse("ready")
