"""Results API and dashboards: every view reads the latest snapshots, never computes."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation

from audit.models import Action
from audit.services import audited
from barometer import exports, progress
from barometer.access import results_for
from barometer.dashboards import pages, snapshots
from barometer.models import Snapshot
from barometer.pdf import report
from surveys.access import require_team_viewer
from surveys.models import Campaign
from symetrie.roles import is_hr, require_dashboard_viewer

EXPORTS = {
    "csv": (exports.to_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        exports.to_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}
PAGE_HEAD = {
    "plotly_global_style_id": pages.PLOTLY_GLOBAL_STYLE_ID,
    "plotly_maps_style_id": pages.PLOTLY_MAPS_STYLE_ID,
}


@login_required
@audited(Action.RESULTS_API, format="json")
def results_json(request, slug):
    """The latest results document of a campaign, filtered by what the user may see."""
    campaign = get_object_or_404(Campaign, slug=slug)
    snapshot = Snapshot.objects.latest_for(campaign)
    document = results_for(request.user, snapshot.document) if snapshot else None
    if document is None:
        raise Http404
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


@login_required
def dashboards_home(request):
    """The overview of the latest campaign the user sees, or a page saying there is none."""
    require_dashboard_viewer(request.user)
    history = snapshots.latest_documents(request.user)
    if not history:
        return render(
            request, "barometer/empty.html", {"at_close": progress.results_at_close(request.user)}
        )
    return redirect("barometer:overview", slug=history[-1][0].slug)


@login_required
def overview(request, slug):
    """Organisation overview of a campaign: HR sees every team, a manager their subtree."""
    require_dashboard_viewer(request.user)
    history = snapshots.latest_documents(request.user)
    campaign, document = _campaign(history, slug)
    sort, descending = request.GET.get("sort"), request.GET.get("order") == "desc"
    managed = (
        () if is_hr(request.user) else request.user.managed_teams.values_list("code", flat=True)
    )
    page = pages.overview_page(
        history,
        campaign,
        document,
        sort,
        descending,
        request.GET.get("page"),
        managed=list(managed),
        view=request.GET.get("view"),
    )
    page["notice"] = progress.release_notice(campaign, document)
    page["at_close"] = progress.results_at_close(request.user)
    page["pdf_missing"] = report.missing()
    return render(request, "barometer/overview.html", {**page, **PAGE_HEAD})


@login_required
def team(request, slug, code):
    """Both sides of one team in one campaign, with its trend over the campaigns."""
    require_team_viewer(request.user, code)
    history = snapshots.latest_documents(request.user)
    campaign, document = _campaign(history, slug)
    page = pages.team_page(history, campaign, document, code)
    if page is None:
        raise Http404
    page["notice"] = progress.release_notice(campaign, document, code)
    page["pdf_missing"] = report.missing()
    return render(request, "barometer/team.html", {**page, **PAGE_HEAD})


@login_required
def team_latest(request, code):
    """A team's dashboard in the latest campaign it took part in."""
    require_team_viewer(request.user, code)
    history = snapshots.latest_documents(request.user)
    for campaign, document in reversed(history):
        if snapshots.team_entry(document, code) is not None:
            return redirect("barometer:dashboard_team", slug=campaign.slug, code=code)
    raise Http404


@login_required
@audited(Action.OVERVIEW_EXPORT)
def overview_export(request, slug, fmt):
    """What the overview shows, as CSV or XLSX (thresholds applied, teams in reach)."""
    require_dashboard_viewer(request.user)
    campaign, document = _campaign(snapshots.latest_documents(request.user), slug)
    return _download(request, document, f"symetrie-{campaign.slug}", fmt)


@login_required
@audited(Action.TEAM_EXPORT)
def team_export(request, slug, code, fmt):
    """What a team's dashboard shows: the team and the teams below it."""
    require_team_viewer(request.user, code)
    campaign, document = _campaign(snapshots.latest_documents(request.user), slug)
    if snapshots.team_entry(document, code) is None:
        raise Http404
    return _download(
        request, snapshots.team_document(document, code), f"symetrie-{campaign.slug}-{code}", fmt
    )


def _campaign(history, slug):
    for campaign, document in history:
        if campaign.slug == slug:
            return campaign, document
    raise Http404


def _download(request, document, stem, fmt):
    # The reader's language, or the one asked for with ?lang= (an unknown one is ignored).
    asked = request.GET.get("lang")
    language = asked if asked in dict(settings.LANGUAGES) else translation.get_language()
    build, content_type = EXPORTS[fmt]
    response = HttpResponse(build(document, language), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response
