"""HR screens: the campaign steps that go through a confirmation page stating what will
happen in numbers (launch, open, remind, close, reopen, erase the links, delete a draft),
adding teams and people, duplicating, and the test e-mails. Every step is audited."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from audit.models import Action
from audit.services import record
from surveys import campaign_changes, campaign_impact, services
from surveys.forms.campaign_steps import ConfirmForm, ExtendForm, ReopenForm, TestEmailForm
from surveys.forms.campaigns import DuplicateForm
from surveys.models import Campaign
from surveys.prelaunch import prelaunch_warnings
from symetrie.roles import require_hr

Status = Campaign.Status


@dataclass(frozen=True)
class Step:
    """A confirmed step: who may take it, what it will do, and what it says once done."""

    action: str
    service: Callable[..., Any]
    impact: Callable[[Campaign], dict]
    statuses: tuple
    refusal: Any  # the message when the campaign is not in one of `statuses`
    success: Callable[[Any], str]
    title: Any
    button: Any
    form: type = ConfirmForm
    detail: Callable[[Any], str] = lambda outcome: ""
    danger: bool = False


def _launched(campaign):
    if campaign.status == Status.OPEN:
        count = campaign.invitations.count()
        return ngettext(
            "The campaign is open: %(count)s invitation is on its way.",
            "The campaign is open: %(count)s invitations are on their way.",
            count,
        ) % {"count": count}
    return _("The campaign is scheduled: it opens on %(date)s, and the invitations leave then.") % {
        "date": date_format(campaign.opens_on)
    }


STEPS = {
    "launch": Step(
        action=Action.CAMPAIGN_LAUNCH,
        service=services.campaign_launch,
        impact=campaign_impact.launch_impact,
        statuses=(Status.DRAFT,),
        refusal=gettext_lazy("This campaign has already been launched."),
        success=_launched,
        title=gettext_lazy("Launch the campaign?"),
        button=gettext_lazy("Launch"),
        detail=lambda campaign: f"invitations: {campaign.invitations.count()}",
    ),
    "open": Step(
        action=Action.CAMPAIGN_OPEN,
        service=services.campaign_open,
        impact=campaign_impact.open_impact,
        statuses=(Status.SCHEDULED,),
        refusal=gettext_lazy("Only a scheduled campaign can open."),
        success=lambda campaign: _("The campaign is open: the invitations are on their way."),
        title=gettext_lazy("Open the campaign now?"),
        button=gettext_lazy("Open now"),
    ),
    "remind": Step(
        action=Action.CAMPAIGN_REMIND,
        service=services.campaign_remind,
        impact=campaign_impact.remind_impact,
        statuses=(Status.OPEN,),
        refusal=gettext_lazy("Only an open campaign can send reminders."),
        success=lambda number: (
            _("Reminder %(number)s of %(max)s is on its way to the people who have not answered.")
            % {"number": number, "max": services.MAX_REMINDERS}
        ),
        title=gettext_lazy("Send a reminder?"),
        button=gettext_lazy("Send the reminder"),
        detail=lambda number: f"reminder {number}",
    ),
    "close": Step(
        action=Action.CAMPAIGN_CLOSE,
        service=services.campaign_close,
        impact=campaign_impact.close_impact,
        statuses=(Status.OPEN,),
        refusal=gettext_lazy("Only an open campaign can be closed."),
        success=lambda campaign: _("The campaign is closed: it accepts no more answers."),
        title=gettext_lazy("Close the campaign now?"),
        button=gettext_lazy("Close now"),
        detail=lambda campaign: f"closes_on: {campaign.closes_on.isoformat()}",
        danger=True,
    ),
    "reopen": Step(
        action=Action.CAMPAIGN_REOPEN,
        service=services.campaign_reopen,
        impact=campaign_impact.reopen_impact,
        statuses=(Status.CLOSED,),
        refusal=gettext_lazy("Only a closed campaign can be reopened."),
        success=lambda campaign: (
            _("The campaign is open again until %(date)s.")
            % {"date": date_format(campaign.closes_on)}
        ),
        title=gettext_lazy("Reopen the campaign?"),
        button=gettext_lazy("Reopen"),
        form=ReopenForm,
        detail=lambda campaign: f"closes_on: {campaign.closes_on.isoformat()}",
    ),
    "erase_links": Step(
        action=Action.CAMPAIGN_LINKS_ERASE,
        service=campaign_changes.campaign_links_erase,
        impact=campaign_impact.links_erase_impact,
        statuses=(Status.CLOSED,),
        refusal=gettext_lazy("Only a closed campaign’s links can be erased."),
        success=lambda count: (
            ngettext(
                "%(count)s invitation erased: its address and link are gone.",
                "%(count)s invitations erased: their addresses and links are gone.",
                count,
            )
            % {"count": count}
        ),
        title=gettext_lazy("Erase the addresses and links now?"),
        button=gettext_lazy("Erase"),
        detail=lambda count: f"invitations: {count}",
        danger=True,
    ),
    "delete": Step(
        action=Action.CAMPAIGN_DELETE,
        service=campaign_changes.campaign_delete,
        impact=campaign_impact.delete_impact,
        statuses=(Status.DRAFT,),
        refusal=gettext_lazy("Only a draft campaign can be deleted."),
        success=lambda name: _("The draft “%(name)s” is deleted.") % {"name": name},
        title=gettext_lazy("Delete this draft?"),
        button=gettext_lazy("Delete"),
        detail=lambda name: f"name: {name}",
        danger=True,
    ),
}


def _posted(request):
    """The POST data, even empty (an empty POST is a form sent without anything chosen)."""
    return request.POST if request.method == "POST" else None


def _confirmed_step(request, slug, name):
    """GET: the confirmation page. POST with its `confirm` field: the step, audited in its
    transaction. POST without it: the page again (400), nothing done."""
    require_hr(request.user)
    step = STEPS[name]
    campaign = get_object_or_404(Campaign.objects.select_related("questionnaire"), slug=slug)
    if campaign.status not in step.statuses:
        messages.error(request, str(step.refusal))
        return redirect("surveys:campaign_detail", slug=campaign.slug)
    posted = request.method == "POST"
    form = step.form(request.POST if posted else None, campaign=campaign)
    if posted and form.is_valid():
        try:
            with transaction.atomic():
                outcome = step.service(campaign=campaign, **form.service_args())
                record(request, step.action, campaign=slug, detail=step.detail(outcome))
        except services.CampaignError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, step.success(outcome))
            if name == "delete":
                return redirect("surveys:campaigns")
        return redirect("surveys:campaign_detail", slug=campaign.slug)
    context = {"campaign": campaign, "form": form, "step": step, "name": name}
    context |= step.impact(campaign)
    if name == "launch":
        context["warnings"] = prelaunch_warnings(campaign)
    template = f"surveys/campaigns/confirm_{name}.html"
    return render(request, template, context, status=400 if posted else 200)


def _step_view(name):
    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request, slug):
        return _confirmed_step(request, slug, name)

    view.__name__ = f"campaign_{name}"
    return view


campaign_launch = _step_view("launch")
campaign_open = _step_view("open")
campaign_remind = _step_view("remind")
campaign_close = _step_view("close")
campaign_reopen = _step_view("reopen")
campaign_erase_links = _step_view("erase_links")
campaign_delete = _step_view("delete")


@login_required
@require_http_methods(["GET", "POST"])
def campaign_extend(request, slug):
    """Teams and people added to a launched campaign: the numbers first, then confirmed."""
    require_hr(request.user)
    campaign = get_object_or_404(Campaign, slug=slug)
    form = ExtendForm(_posted(request), campaign=campaign)
    context = {"campaign": campaign, "form": form}
    if form.is_valid():
        try:
            if form.confirmed:
                with transaction.atomic():
                    done = campaign_changes.campaign_extend(campaign=campaign, **form.extension())
                    detail = f"teams: {', '.join(t.code for t in done.teams) or '-'}; "
                    detail += f"invitations: {len(done.people)}"
                    record(request, Action.CAMPAIGN_EXTEND, campaign=slug, detail=detail)
                messages.success(request, _added(done))
                return redirect("surveys:campaign_detail", slug=campaign.slug)
            plan = campaign_changes.campaign_extension_plan(campaign=campaign, **form.extension())
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            counts = plan.per_side()
            context["plan"] = plan
            context["per_side"] = campaign_impact.per_side(campaign, counts)
    return render(request, "surveys/campaigns/extend.html", context)


def _added(done):
    return (
        ngettext("%(count)s person invited.", "%(count)s people invited.", len(done.people))
        % {"count": len(done.people)}
        + " "
        + ngettext("%(teams)s team added.", "%(teams)s teams added.", len(done.teams))
        % {"teams": len(done.teams)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_duplicate(request, slug):
    require_hr(request.user)
    campaign = get_object_or_404(Campaign.objects.select_related("questionnaire"), slug=slug)
    form = DuplicateForm(_posted(request), campaign=campaign)
    if form.is_valid():
        try:
            with transaction.atomic():
                copy = campaign_changes.campaign_duplicate(campaign=campaign, **form.cleaned_data)
                record(
                    request, Action.CAMPAIGN_DUPLICATE, campaign=copy.slug, detail=f"from: {slug}"
                )
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Draft “%(name)s” created.") % {"name": copy.name})
            return redirect("surveys:campaign_detail", slug=copy.slug)
    context = {"campaign": campaign, "form": form}
    return render(request, "surveys/campaigns/duplicate.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_test_email(request, slug):
    require_hr(request.user)
    campaign = get_object_or_404(Campaign, slug=slug)
    form = TestEmailForm(_posted(request), campaign=campaign)
    address = request.user.email
    status = 200
    if form.is_valid():
        try:
            with transaction.atomic():
                sent = campaign_changes.campaign_test_email(
                    campaign=campaign, to=address, side=form.cleaned_data["side"]
                )
                record(request, Action.TEST_EMAIL, campaign=slug, detail=f"e-mails: {sent}")
        except services.CampaignError as error:
            form.add_error(None, str(error))
            status = 400
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s test e-mail sent to %(address)s.",
                    "%(count)s test e-mails sent to %(address)s.",
                    sent,
                )
                % {"count": sent, "address": address},
            )
            return redirect("surveys:campaign_detail", slug=campaign.slug)
    context = {"campaign": campaign, "form": form, "address": address}
    return render(request, "surveys/campaigns/test_email.html", context, status=status)


CAMPAIGN = "campaigns/<slug:slug>/"
urlpatterns = [
    path(CAMPAIGN + "launch/", campaign_launch, name="campaign_launch"),
    path(CAMPAIGN + "open/", campaign_open, name="campaign_open"),
    path(CAMPAIGN + "remind/", campaign_remind, name="campaign_remind"),
    path(CAMPAIGN + "close/", campaign_close, name="campaign_close"),
    path(CAMPAIGN + "reopen/", campaign_reopen, name="campaign_reopen"),
    path(CAMPAIGN + "erase-links/", campaign_erase_links, name="campaign_erase_links"),
    path(CAMPAIGN + "delete/", campaign_delete, name="campaign_delete"),
    path(CAMPAIGN + "add/", campaign_extend, name="campaign_extend"),
    path(CAMPAIGN + "duplicate/", campaign_duplicate, name="campaign_duplicate"),
    path(CAMPAIGN + "test-email/", campaign_test_email, name="campaign_test_email"),
]
