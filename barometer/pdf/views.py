"""The PDF reports' views: a team's report made in the request, the organisation's
prepared by a job with a page that says where it stands. Same access rules, thresholds
and audit entries as the CSV and XLSX exports."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language

from audit.models import Action
from audit.services import audited
from barometer.dashboards import snapshots
from barometer.models import Report, Snapshot
from barometer.pdf import report, services
from surveys.access import require_team_viewer
from symetrie.roles import is_hr, require_dashboard_viewer


def _campaign(history, slug):
    for campaign, document in history:
        if campaign.slug == slug:
            return campaign, document
    raise Http404


def _language():
    return (get_language() or "fr")[:2]


def _unavailable(message):
    return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")


def _attachment(pdf, filename):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@audited(Action.TEAM_EXPORT, format="pdf")
def team_report(request, slug, code):
    """The team's report for its manager's meeting, drawn now and sent as it is made."""
    require_team_viewer(request.user, code)
    history = snapshots.latest_documents(request.user)
    campaign, document = _campaign(history, slug)
    if snapshots.team_entry(document, code) is None:
        raise Http404
    if report.missing():
        return _unavailable(report.missing())
    try:
        pdf = report.team_pdf(history, campaign, document, code)
    except report.Unavailable as error:
        return _unavailable(str(error))
    return _attachment(pdf, f"symetrie-{campaign.slug}-{code}.pdf")


@login_required
def organisation_report(request, slug):
    """The organisation report's page: ask for it (POST), see it being prepared, get it."""
    require_dashboard_viewer(request.user)
    campaign, document = _campaign(snapshots.latest_documents(request.user), slug)
    snapshot = Snapshot.objects.only("pk", "computed_at").latest_for(campaign)
    found = {
        "user": request.user,
        "campaign": campaign,
        "snapshot": snapshot,
        "document": document,
        "language": _language(),
    }
    missing = report.missing()
    if request.method == "POST" and not missing:
        services.report_request(**found)
        return redirect("barometer:organisation_report", slug=campaign.slug)
    return render(
        request,
        "barometer/pdf/report_page.html",
        {
            "campaign": campaign,
            "document": document,
            "report": services.report_current(**found),
            "missing": missing,
            "scope_all": is_hr(request.user),
            "statuses": Report.Status,
        },
    )


@login_required
@audited(Action.OVERVIEW_EXPORT, format="pdf")
def organisation_report_file(request, slug, number):
    """A prepared organisation report: its reader's own, for the snapshot and the reach
    they see now (a stale one is gone from their page and 404 here)."""
    require_dashboard_viewer(request.user)
    campaign, document = _campaign(snapshots.latest_documents(request.user), slug)
    snapshot = Snapshot.objects.only("pk", "computed_at").latest_for(campaign)
    found = services.report_current(
        user=request.user,
        campaign=campaign,
        snapshot=snapshot,
        document=document,
        language=_language(),
    )
    if found is None or found.pk != number or found.status != Report.Status.READY:
        raise Http404
    pdf = Report.objects.values_list("pdf", flat=True).get(pk=number)
    return _attachment(bytes(pdf), f"symetrie-{campaign.slug}.pdf")
