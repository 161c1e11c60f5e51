"""HR screens: campaigns (list, create, edit, detail), live counts and the teams' public
links with their QR codes and posters. The confirmed steps are in campaign_actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from audit.models import Action
from audit.services import record
from surveys import services
from surveys.branding import branding_get
from surveys.campaign_changes import (
    campaign_edit_launched,
    campaign_fields,
    changes_between,
    changes_text,
)
from surveys.forms.campaigns import CampaignForm, LaunchedCampaignForm
from surveys.links import public_link_url
from surveys.models import Campaign, PublicLink
from surveys.monitoring import campaign_progress, per_day_context, responses_per_day
from surveys.prelaunch import prelaunch_warnings
from surveys.qrcodes import CONTENT_TYPES, qr_code
from symetrie.plotly_page import PAGE_HEAD
from symetrie.roles import require_hr


@login_required
def campaigns(request):
    require_hr(request.user)
    listed = Campaign.objects.prefetch_related("teams").annotate(
        invited=Count("invitations"),
        answered=Count("invitations", filter=Q(invitations__used=True)),
    )
    return render(request, "surveys/campaigns/list.html", {"campaigns": listed})


@login_required
def campaign_create(request):
    require_hr(request.user)
    form = CampaignForm(request.POST or None)
    if form.is_valid():
        try:
            with transaction.atomic():
                campaign = services.campaign_create(**form.campaign_data())
                record(request, Action.CAMPAIGN_CREATE, campaign=campaign.slug)
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Campaign “%(name)s” created.") % {"name": campaign.name})
            return redirect("surveys:campaign_detail", slug=campaign.slug)
    return render(request, "surveys/campaigns/form.html", {"form": form, "campaign": None})


@login_required
def campaign_edit(request, slug):
    """A draft: every setting. Scheduled or open: name, close date, reminders, text."""
    require_hr(request.user)
    campaign = get_object_or_404(Campaign, slug=slug)
    if campaign.status in (Campaign.Status.SCHEDULED, Campaign.Status.OPEN):
        return _edit_launched(request, campaign)
    if campaign.status != Campaign.Status.DRAFT:
        messages.error(request, _("A closed campaign cannot be edited."))
        return redirect("surveys:campaign_detail", slug=campaign.slug)
    form = CampaignForm(request.POST or None, campaign=campaign)
    if form.is_valid():
        before = campaign_fields(campaign)
        try:
            with transaction.atomic():
                campaign = services.campaign_update(campaign=campaign, **form.campaign_data())
                changes = changes_between(before, campaign_fields(campaign))
                _record_edit(request, campaign, changes, slug)
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Campaign “%(name)s” saved.") % {"name": campaign.name})
            return redirect("surveys:campaign_detail", slug=campaign.slug)
    return render(request, "surveys/campaigns/form.html", {"form": form, "campaign": campaign})


def _edit_launched(request, campaign):
    form = LaunchedCampaignForm(request.POST or None, campaign=campaign)
    if form.is_valid():
        try:
            with transaction.atomic():
                changes = campaign_edit_launched(campaign=campaign, **form.changes())
                _record_edit(request, campaign, changes, campaign.slug)
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Campaign “%(name)s” saved.") % {"name": form.changes()["name"]}
            )
            return redirect("surveys:campaign_detail", slug=campaign.slug)
    context = {"form": form, "campaign": campaign, "launched": True}
    return render(request, "surveys/campaigns/form.html", context)


def _record_edit(request, campaign, changes, slug):
    if changes:
        # The entry names the campaign by its short name before the edit (it may change).
        detail = changes_text(changes)
        record(request, Action.CAMPAIGN_EDIT, campaign=slug, detail=detail)


@login_required
def campaign_detail(request, slug):
    require_hr(request.user)
    campaign = get_object_or_404(Campaign.objects.select_related("questionnaire"), slug=slug)
    context = {
        "campaign": campaign,
        "progress": campaign_progress(campaign),
        "public_links": campaign.public_links.exists(),
        "reminders_left": services.MAX_REMINDERS - campaign.reminders_sent,
    }
    if campaign.status == Campaign.Status.DRAFT:
        context["warnings"] = prelaunch_warnings(campaign)
    elif campaign.status in (Campaign.Status.OPEN, Campaign.Status.CLOSED):
        context |= per_day_context(campaign) | PAGE_HEAD
    return render(request, "surveys/campaigns/detail.html", context)


@login_required
def campaign_send_pending(request, slug):
    """Queue again the e-mails that have not left (a mail server or broker was down)."""
    require_hr(request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    campaign = get_object_or_404(Campaign, slug=slug)
    count = services.campaign_mail_pending(campaign=campaign)
    messages.success(
        request,
        ngettext("%(count)s e-mail queued again.", "%(count)s e-mails queued again.", count)
        % {"count": count},
    )
    return redirect("surveys:campaign_detail", slug=campaign.slug)


@never_cache
@login_required
def campaign_monitor(request, slug):
    require_hr(request.user)
    campaign = get_object_or_404(Campaign, slug=slug)
    progress = campaign_progress(campaign)
    days = [{**day, "day": day["day"].isoformat()} for day in responses_per_day(campaign)]
    return JsonResponse(
        {"campaign": campaign.slug, "status": campaign.status, **progress, "per_day": days}
    )


@login_required
def campaign_public_links(request, slug):
    require_hr(request.user)
    campaign = get_object_or_404(Campaign, slug=slug)
    links = campaign.public_links.select_related("team").order_by("team__name")
    rows = [(link, public_link_url(link.token)) for link in links]
    context = {"campaign": campaign, "rows": rows}
    return render(request, "surveys/campaigns/public_links.html", context)


@login_required
def public_link_qr(request, slug, team, format):
    require_hr(request.user)
    link = get_object_or_404(PublicLink, campaign__slug=slug, team__code=team)
    response = HttpResponse(
        qr_code(public_link_url(link.token), kind=format), content_type=CONTENT_TYPES[format]
    )
    response["Content-Disposition"] = f'inline; filename="qr-{slug}-{team}.{format}"'
    return response


@login_required
def public_link_print(request, slug, team):
    require_hr(request.user)
    link = get_object_or_404(
        PublicLink.objects.select_related("campaign", "team"), campaign__slug=slug, team__code=team
    )
    context = {"link": link, "url": public_link_url(link.token), "branding": branding_get()}
    return render(request, "surveys/campaigns/print.html", context)


CAMPAIGN = "campaigns/<slug:slug>/"
urlpatterns = [
    path("campaigns/", campaigns, name="campaigns"),
    path("campaigns/new/", campaign_create, name="campaign_create"),
    path(CAMPAIGN, campaign_detail, name="campaign_detail"),
    path(CAMPAIGN + "edit/", campaign_edit, name="campaign_edit"),
    path(CAMPAIGN + "send-pending/", campaign_send_pending, name="campaign_send_pending"),
    path(CAMPAIGN + "monitor.json", campaign_monitor, name="campaign_monitor"),
    path(CAMPAIGN + "links/", campaign_public_links, name="campaign_public_links"),
    re_path(
        r"^campaigns/(?P<slug>[-\w]+)/links/(?P<team>[-\w]+)/qr\.(?P<format>png|svg)$",
        public_link_qr,
        name="public_link_qr",
    ),
    path(CAMPAIGN + "links/<slug:team>/print/", public_link_print, name="public_link_print"),
]
