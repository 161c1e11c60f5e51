"""Results API (dashboards come later)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404

from barometer.models import Snapshot
from surveys.access import results_for
from surveys.models import Campaign


@login_required
def results_json(request, slug):
    """The latest results document of a campaign, filtered by what the user may see."""
    campaign = get_object_or_404(Campaign, slug=slug)
    snapshot = Snapshot.objects.latest_for(campaign)
    document = results_for(request.user, snapshot.document) if snapshot else None
    if document is None:
        raise Http404
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})
