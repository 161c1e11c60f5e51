"""HR screens: people (employees and client contacts) per team, and the people import."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import path

from surveys.access import require_hr
from surveys.forms.people import PeopleFilterForm
from surveys.imports import PEOPLE_COLUMNS, people_import_apply, people_import_check
from surveys.models import Person, Side
from surveys.teams import team_descendant_ids
from surveys.views.importing import import_confirm, import_preview

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
    return import_preview(
        request,
        kind="people",
        columns=PEOPLE_COLUMNS,
        check=people_import_check,
        template="surveys/people/import.html",
    )


@login_required
def people_import_confirm(request):
    require_hr(request.user)
    return import_confirm(
        request,
        kind="people",
        columns=PEOPLE_COLUMNS,
        apply=people_import_apply,
        template="surveys/people/import.html",
        retry="surveys:people_import",
        done="surveys:people",
    )


urlpatterns = [
    path("people/", people, name="people"),
    path("people/import/", people_import, name="people_import"),
    path("people/import/confirm/", people_import_confirm, name="people_import_confirm"),
]
