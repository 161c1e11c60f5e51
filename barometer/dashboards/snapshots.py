"""Reading snapshots: the latest results document of each campaign as a user may see it,
parsed once per process, and the teams found in a document."""

import threading
from collections import OrderedDict

from django.db.models import OuterRef, Subquery

from barometer.access import results_for_each
from barometer.models import Snapshot
from surveys.models import Campaign


def latest_documents(user):
    """``[(campaign, document)]``: the latest snapshot of every campaign, filtered by
    what ``user`` may see, oldest close date first; campaigns without a snapshot or out
    of the user's reach are left out. The documents are shared: read them, never change
    them."""
    latest = Snapshot.objects.filter(campaign=OuterRef("pk")).order_by("-computed_at")
    campaigns = list(
        Campaign.objects.annotate(
            snapshot_id=Subquery(latest.values("pk")[:1]),
            snapshot_at=Subquery(latest.values("computed_at")[:1]),
        )
        .filter(snapshot_id__isnull=False)
        .order_by("closes_on", "pk")
    )
    found = snapshot_documents([(c.snapshot_id, c.snapshot_at) for c in campaigns])
    # A snapshot deleted in between (its campaign deleted) is left out.
    campaigns = [c for c in campaigns if (c.snapshot_id, c.snapshot_at) in found]
    documents = results_for_each(user, [found[c.snapshot_id, c.snapshot_at] for c in campaigns])
    return [(c, d) for c, d in zip(campaigns, documents, strict=True) if d is not None]


# Parsed results documents by snapshot (id, computed_at), the most recently used last.
# A campaign's Snapshot row is replaced in place by each release, always with a new
# computation time, so a document parsed once stays right for as long as its key is
# asked for; the time in the key also guards against an id used again (a rolled-back
# transaction, a database restored). Parsing is what a page would otherwise spend its
# time on: a 1,000-team document is 3.5 MB of JSON, about 0.1 s to fetch and parse, and
# a team's page reads one per campaign for its trend. Each web process keeps the last
# KEPT_DOCUMENTS (about 12 MB each at that size).
KEPT_DOCUMENTS = 12
_documents = OrderedDict()
_documents_lock = threading.Lock()


def snapshot_documents(keys):
    """``{(snapshot id, computed_at): document}`` for ``keys``, parsed once per process."""
    with _documents_lock:
        found = {key: _documents[key] for key in keys if key in _documents}
        for key in found:
            _documents.move_to_end(key)
    missing = [key for key in keys if key not in found]
    if missing:
        rows = Snapshot.objects.filter(pk__in=[pk for pk, _ in missing])
        loaded = {
            (pk, at): doc for pk, at, doc in rows.values_list("pk", "computed_at", "document")
        }
        found.update(loaded)
        with _documents_lock:
            _documents.update(loaded)
            while len(_documents) > KEPT_DOCUMENTS:
                _documents.popitem(last=False)
    return found


def team_entry(document, code):
    return next((team for team in document["teams"] if team["code"] == code), None)


def team_document(document, code):
    """The document restricted to a team and the teams below it (for its exports)."""
    codes = {code}
    for team in document["teams"]:  # tree order: parents come before their children
        if team["parent"] in codes:
            codes.add(team["code"])
    return {**document, "teams": [team for team in document["teams"] if team["code"] in codes]}


def ancestors(document, entry):
    """The visible teams above ``entry``, top first (for the breadcrumb)."""
    teams = {team["code"]: team for team in document["teams"]}
    chain, parent = [], entry["parent"]
    while parent in teams:
        chain.insert(0, teams[parent])
        parent = teams[parent]["parent"]
    return chain
