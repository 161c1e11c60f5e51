"""HR screens: the team tree (list, create, edit and move, archive) and the teams import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from surveys.access import require_hr
from surveys.forms.teams import ImportFileForm, TeamForm
from surveys.imports import TEAM_COLUMNS, teams_import_apply, teams_import_check
from surveys.models import Side, Team
from surveys.tabular import ImportRefused, preview_store, preview_take
from surveys.teams import (
    team_archive,
    team_create,
    team_descendant_ids,
    team_tree,
    team_unarchive,
    team_update,
)


@login_required
def teams(request):
    require_hr(request.user)
    show_archived = request.GET.get("archived") == "1"
    queryset = Team.objects.select_related("parent").prefetch_related("managers")
    queryset = queryset.annotate(
        employees=Count("people", filter=Q(people__side=Side.EMPLOYEE)),
        clients=Count("people", filter=Q(people__side=Side.CLIENT)),
    )
    if not show_archived:
        queryset = queryset.filter(archived=False)
    context = {
        "nodes": team_tree(queryset),
        "show_archived": show_archived,
        "archived_count": Team.objects.filter(archived=True).count(),
    }
    return render(request, "surveys/teams/list.html", context)


@login_required
def team_create_view(request):
    require_hr(request.user)
    form = TeamForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        team = team_create(
            code=data["code"],
            name=data["name"],
            parent=data["parent"],
            manager_emails=data["managers"],
        )
        messages.success(request, _("Team “%(name)s” created.") % {"name": team.name})
        return redirect("surveys:teams")
    return render(request, "surveys/teams/form.html", {"form": form, "team": None})


@login_required
def team_edit(request, pk):
    require_hr(request.user)
    team = get_object_or_404(Team.objects.prefetch_related("managers"), pk=pk)
    form = TeamForm(request.POST or None, team=team)
    if form.is_valid():
        data = form.cleaned_data
        try:
            team_update(
                team=team, name=data["name"], parent=data["parent"], manager_emails=data["managers"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Team “%(name)s” saved.") % {"name": team.name})
            return redirect("surveys:teams")
    return render(request, "surveys/teams/form.html", {"form": form, "team": team})


@login_required
def team_archive_view(request, pk):
    require_hr(request.user)
    team = get_object_or_404(Team, pk=pk, archived=False)
    if request.method == "POST":
        count = team_archive(team=team)
        messages.success(
            request,
            ngettext("%(count)s team archived.", "%(count)s teams archived.", count)
            % {"count": count},
        )
        return redirect("surveys:teams")
    below = len(team_descendant_ids(team))
    return render(request, "surveys/teams/archive.html", {"team": team, "below": below})


@login_required
def team_unarchive_view(request, pk):
    require_hr(request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    team = get_object_or_404(Team.objects.select_related("parent"), pk=pk, archived=True)
    try:
        count = team_unarchive(team=team)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext("%(count)s team restored.", "%(count)s teams restored.", count)
            % {"count": count},
        )
    return redirect(reverse("surveys:teams") + "?archived=1")


@login_required
def teams_import(request):
    require_hr(request.user)
    form = ImportFileForm(request.POST or None, request.FILES or None, columns=TEAM_COLUMNS)
    context = {"form": form, "columns": TEAM_COLUMNS}
    if form.is_valid():
        table = form.cleaned_data["table"]
        report = teams_import_check(table)
        token = preview_store(request.session, "teams", table if report.ok else None)
        context.update(report=report, token=token, filename=form.cleaned_data["file"].name)
    return render(request, "surveys/teams/import.html", context)


@login_required
def teams_import_confirm(request):
    require_hr(request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    table = preview_take(request.session, "teams", request.POST.get("token"))
    if table is None:
        messages.error(request, _("This preview is no longer available: upload the file again."))
        return redirect("surveys:teams_import")
    try:
        report = teams_import_apply(table=table)
    except ImportRefused as refused:
        form = ImportFileForm(columns=TEAM_COLUMNS)
        context = {"form": form, "columns": TEAM_COLUMNS, "report": refused.report, "stale": True}
        return render(request, "surveys/teams/import.html", context)
    messages.success(request, import_summary(report))
    return redirect("surveys:teams")


def import_summary(report):
    """The message shown once an import is applied."""
    summary = _("Import done: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
    summary %= {"created": report.created, "updated": report.updated, "unchanged": report.unchanged}
    if report.accounts:
        summary += " " + ngettext(
            "%(count)s manager account created: an e-mail invites them to choose a password.",
            "%(count)s manager accounts created: an e-mail invites each to choose a password.",
            report.accounts,
        ) % {"count": report.accounts}
    return summary


urlpatterns = [
    path("teams/", teams, name="teams"),
    path("teams/new/", team_create_view, name="team_create"),
    path("teams/<int:pk>/edit/", team_edit, name="team_edit"),
    path("teams/<int:pk>/archive/", team_archive_view, name="team_archive"),
    path("teams/<int:pk>/restore/", team_unarchive_view, name="team_unarchive"),
    path("teams/import/", teams_import, name="teams_import"),
    path("teams/import/confirm/", teams_import_confirm, name="teams_import_confirm"),
]
