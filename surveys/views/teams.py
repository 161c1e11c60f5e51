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

from surveys.forms.teams import TeamForm
from surveys.import_columns import TEAM_COLUMNS
from surveys.imports import teams_import_apply, teams_import_check
from surveys.models import Side, Team
from surveys.teams import (
    team_archive,
    team_create,
    team_descendant_ids,
    team_tree,
    team_unarchive,
    team_update,
)
from surveys.views.importing import import_confirm, import_preview, import_template, upload_capped
from symetrie.roles import require_hr


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
    # Only the confirmation page's form archives: a bare POST shows the page again (400).
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        count = team_archive(team=team)
        messages.success(
            request,
            ngettext("%(count)s team archived.", "%(count)s teams archived.", count)
            % {"count": count},
        )
        return redirect("surveys:teams")
    below = len(team_descendant_ids(team))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "surveys/teams/archive.html", {"team": team, "below": below}, status=status
    )


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


@upload_capped
@login_required
def teams_import(request):
    require_hr(request.user)
    return import_preview(
        request,
        kind="teams",
        columns=TEAM_COLUMNS,
        check=teams_import_check,
        template="surveys/teams/import.html",
    )


@login_required
def teams_import_confirm(request):
    require_hr(request.user)
    return import_confirm(
        request,
        kind="teams",
        columns=TEAM_COLUMNS,
        apply=teams_import_apply,
        template="surveys/teams/import.html",
        retry="surveys:teams_import",
        done="surveys:teams",
    )


@login_required
def teams_import_template(request, fmt):
    require_hr(request.user)
    return import_template(request, kind="teams", columns=TEAM_COLUMNS, fmt=fmt)


urlpatterns = [
    path("teams/", teams, name="teams"),
    path("teams/new/", team_create_view, name="team_create"),
    path("teams/<int:pk>/edit/", team_edit, name="team_edit"),
    path("teams/<int:pk>/archive/", team_archive_view, name="team_archive"),
    path("teams/<int:pk>/restore/", team_unarchive_view, name="team_unarchive"),
    path("teams/import/", teams_import, name="teams_import"),
    path("teams/import/confirm/", teams_import_confirm, name="teams_import_confirm"),
    path(
        "teams/import/template.<str:fmt>",
        teams_import_template,
        name="teams_import_template",
    ),
]
