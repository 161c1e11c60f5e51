"""HR screens: people (employees and client contacts) per team, the people import, and
one person's data: shown, downloaded, erased (each recorded in the audit log)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.models import Action
from audit.services import audited, record
from surveys.forms.people import PeopleFilterForm
from surveys.import_columns import PEOPLE_COLUMNS
from surveys.imports import people_import_apply, people_import_check
from surveys.models import Person, Side
from surveys.persons import person_data, person_erase, person_invitations
from surveys.teams import team_descendant_ids
from surveys.views.importing import import_confirm, import_preview, import_template, upload_capped
from symetrie.roles import require_hr

PAGE_SIZE = 50


def _filtered_people(data):
    """People matching a valid filter form's data, before the side filter: the team (and
    those below it), a piece of name or e-mail, the language."""
    people = Person.objects.select_related("team").order_by("team__name", "email", "side")
    team = data.get("team")
    if team is not None:
        ids = {team.pk, *team_descendant_ids(team)} if data.get("subteams") else {team.pk}
        people = people.filter(team__in=ids)
    for word in (data.get("q") or "").split():
        people = people.filter(Q(email__icontains=word) | Q(name__icontains=word))
    if data.get("language"):
        people = people.filter(language=data["language"])
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


@upload_capped
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


@login_required
def people_import_template(request, fmt):
    require_hr(request.user)
    return import_template(request, kind="people", columns=PEOPLE_COLUMNS, fmt=fmt)


def _person(pk):
    return get_object_or_404(Person.objects.select_related("team"), pk=pk)


@login_required
@audited(Action.PERSON_EXPORT, format="html")
def people_detail(request, pk):
    """Everything held about one person; looking at it is recorded like a download."""
    require_hr(request.user)
    person = _person(pk)
    invitations = (
        person_invitations(person)
        .select_related("campaign", "team")
        .order_by("campaign__opens_on", "campaign__slug")
    )
    context = {"person": person, "invitations": invitations}
    return render(request, "surveys/people/detail.html", context)


@login_required
@audited(Action.PERSON_EXPORT, format="json")
def people_export(request, pk):
    """The same as a JSON file: the contact record and the invitations' statuses."""
    require_hr(request.user)
    person = _person(pk)
    response = JsonResponse(
        person_data(person), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="symetrie-person-{person.pk}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@audited(Action.PERSON_ERASE, allowed=False)
def people_erase(request, pk):
    """A confirmation page, then the erasure, recorded in the same transaction; a POST
    that does not come from the page (no `confirm`) shows the page again, 400."""
    require_hr(request.user)
    person = _person(pk)
    confirmed = request.POST.get("confirm") == "yes"
    if request.method == "POST" and confirmed:
        team = person.team.code
        with transaction.atomic():
            person_erase(person=person)
            # The entry keeps the id and the team, never the address.
            record(request, Action.PERSON_ERASE, person_id=pk, team=team)
        messages.success(
            request,
            _(
                "The person is erased. Their invitations remain only as counts for the "
                "response rates; the answers stay, unlinked as always."
            ),
        )
        return redirect("surveys:people")
    context = {"person": person, "invitations": person_invitations(person).count()}
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/people/erase.html", context, status=status)


urlpatterns = [
    path("people/", people, name="people"),
    path("people/<int:pk>/", people_detail, name="people_detail"),
    path("people/<int:pk>/export.json", people_export, name="people_export"),
    path("people/<int:pk>/erase/", people_erase, name="people_erase"),
    path("people/import/", people_import, name="people_import"),
    path("people/import/confirm/", people_import_confirm, name="people_import_confirm"),
    path(
        "people/import/template.<str:fmt>",
        people_import_template,
        name="people_import_template",
    ),
]
