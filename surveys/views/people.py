"""HR screens: people (employees and client contacts) per team, and the people import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from surveys.access import require_hr
from surveys.forms.people import PeopleFilterForm
from surveys.forms.teams import ImportFileForm
from surveys.imports import PEOPLE_COLUMNS, people_import_apply, people_import_check
from surveys.models import Person, Side
from surveys.tabular import ImportRefused, preview_store, preview_take
from surveys.teams import team_descendant_ids
from surveys.views.teams import import_summary

PAGE_SIZE = 50


def _filtered_people(data):
    """People matching a valid filter form's data, before the side filter."""
    people = Person.objects.select_related("team").order_by("team__name", "email", "side")
    team = data.get("team")
    if team is not None:
        ids = {team.pk, *team_descendant_ids(team)} if data.get("subteams") else {team.pk}
        people = people.filter(team__in=ids)
    return people


@login_required
def people(request):
    require_hr(request.user)
    form = PeopleFilterForm(request.GET)
    people = _filtered_people(form.cleaned_data) if form.is_valid() else Person.objects.none()
    counts = people.aggregate(
        employees=Count("pk", filter=Q(side=Side.EMPLOYEE)),
        clients=Count("pk", filter=Q(side=Side.CLIENT)),
    )
    if form.is_valid() and form.cleaned_data["side"]:
        people = people.filter(side=form.cleaned_data["side"])
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "counts": counts}
    return render(request, "surveys/people/list.html", context)


@login_required
def people_import(request):
    require_hr(request.user)
    form = ImportFileForm(request.POST or None, request.FILES or None, columns=PEOPLE_COLUMNS)
    context = {"form": form, "columns": PEOPLE_COLUMNS}
    if form.is_valid():
        table = form.cleaned_data["table"]
        report = people_import_check(table)
        token = preview_store(request.session, "people", table if report.ok else None)
        context.update(report=report, token=token, filename=form.cleaned_data["file"].name)
    return render(request, "surveys/people/import.html", context)


@login_required
def people_import_confirm(request):
    require_hr(request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    table = preview_take(request.session, "people", request.POST.get("token"))
    if table is None:
        messages.error(request, _("This preview is no longer available: upload the file again."))
        return redirect("surveys:people_import")
    try:
        report = people_import_apply(table=table)
    except ImportRefused as refused:
        form = ImportFileForm(columns=PEOPLE_COLUMNS)
        context = {"form": form, "columns": PEOPLE_COLUMNS, "report": refused.report, "stale": True}
        return render(request, "surveys/people/import.html", context)
    messages.success(request, import_summary(report))
    return redirect("surveys:people")


urlpatterns = [
    path("people/", people, name="people"),
    path("people/import/", people_import, name="people_import"),
    path("people/import/confirm/", people_import_confirm, name="people_import_confirm"),
]
