"""Writing the audit log, and reading it out as CSV.

An entry is written in the request (or command) that it records, before the file
or the erasure is handed over: when it cannot be written, the request fails with
an error instead of delivering without a trace.
"""

import csv
import datetime
import functools
import getpass
import io

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from audit.models import AuditEntry, Outcome

MAX_ID = 2**63 - 1
# URL keyword arguments that name what a view works on, and the entry field for each.
URL_TARGETS = {"slug": "campaign", "code": "team", "pk": "person_id", "fmt": "format"}
CSV_COLUMNS = (
    "at",
    "username",
    "action",
    "outcome",
    "campaign",
    "team",
    "person_id",
    "format",
    "detail",
)


def entry_create(
    *,
    action,
    username,
    user=None,
    outcome=Outcome.ALLOWED,
    campaign="",
    team="",
    person_id=None,
    format="",
    detail="",
):
    """Write one audit entry and return it.

    Targets come from URLs, so from anyone: text is cut to its column's size and a
    person id beyond any real one is left out, rather than failing the request.
    """
    return AuditEntry.objects.create(
        action=action,
        username=_fit(username, "username"),
        user=user,
        outcome=outcome,
        campaign=_fit(campaign, "campaign"),
        team=_fit(team, "team"),
        person_id=person_id if person_id is None or 0 <= person_id <= MAX_ID else None,
        format=_fit(format, "format"),
        detail=_fit(detail, "detail"),
    )


def entries_purge(*, now=None):
    """Delete the entries older than AUDIT_RETENTION_DAYS; return how many went."""
    limit = (now or timezone.now()) - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _ = AuditEntry.objects.filter(at__lt=limit).delete()
    return deleted


def _fit(value, field):
    return str(value)[: AuditEntry._meta.get_field(field).max_length]


def record(request, action, *, outcome=Outcome.ALLOWED, **target):
    """Record `action` by the request's user; `target` holds campaign, team, person_id
    and format (any of them). Returns the entry."""
    user = request.user if request.user.is_authenticated else None
    return entry_create(
        action=action,
        username=request.user.get_username(),
        user=user,
        outcome=outcome,
        **target,
    )


def audited(action, *, allowed=True, **fixed):
    """Decorate a view so that every call of it is recorded.

    A call the view refuses (403 or 404) is recorded as refused, then answered as
    usual; an allowed call is recorded after the view has built its answer and
    before it is sent. The target comes from the URL (`slug`: campaign, `code`:
    team, `pk`: person, `fmt`: format) plus `fixed`. `allowed=False` is for a view
    that records its own success, inside the transaction of what it records. Put it
    under `login_required`: anonymous calls only get the login page and are not
    recorded.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            target = fixed | {
                field: kwargs[name] for name, field in URL_TARGETS.items() if name in kwargs
            }
            try:
                response = view(request, *args, **kwargs)
            except (PermissionDenied, Http404):
                record(request, action, outcome=Outcome.REFUSED, **target)
                raise
            if allowed:
                outcome = Outcome.ALLOWED if response.status_code < 400 else Outcome.REFUSED
                record(request, action, outcome=outcome, **target)
            return response

        return wrapper

    return decorate


def command_user():
    """The operating system's user name, for entries written by management commands."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (some containers)
        return "unknown"


def entries_csv(entries):
    """The entries as CSV bytes (UTF-8 with a BOM, for spreadsheets), local times."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for entry in entries.iterator(chunk_size=2000):
        row = [getattr(entry, column) for column in CSV_COLUMNS]
        row[0] = timezone.localtime(entry.at).isoformat(timespec="seconds")
        writer.writerow("" if value is None else value for value in row)
    return buffer.getvalue().encode("utf-8-sig")
