"""HR screens: questionnaire templates (list, copy, edit a copy, preview)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from surveys.forms.questionnaires import ItemForm, MoveForm, NameForm, PairForm, QuestionForm
from surveys.models import Language, Questionnaire, Side
from surveys.questionnaire_items import questionnaire_items
from surveys.questionnaires import (
    questionnaire_copy,
    questionnaire_delete,
    questionnaire_item_move,
    questionnaire_item_remove,
    questionnaire_item_update,
    questionnaire_pair_add,
    questionnaire_question_add,
    questionnaire_rename,
)
from symetrie.roles import require_hr

TEMPLATE_DIR = "surveys/questionnaires"
# Form fields handed as they are to the services.
PAIR_FIELDS = (
    *("code", "kind", "required", "choices"),
    *("employee_fr", "employee_en", "client_fr", "client_en"),
)
QUESTION_FIELDS = ("side", "code", "kind", "required", "choices", "text_fr", "text_en")


def _show_errors(form, error):
    """Put a service's ValidationError on the form: under its field when it names one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _refuse_builtin(request, questionnaire):
    """A redirect with a clear message when the template is the read-only built-in one."""
    if not questionnaire.builtin:
        return None
    messages.error(
        request, _("The built-in template cannot be edited: copy it, then edit the copy.")
    )
    return redirect("surveys:questionnaire_detail", pk=questionnaire.pk)


def _item_or_404(questionnaire, code):
    items = questionnaire_items(questionnaire.questions.filter(code=code))
    if not items:
        raise Http404
    return items[0]


def _edit_page(questionnaire, code=""):
    """Back to the edit page, scrolled to the item just touched."""
    url = reverse("surveys:questionnaire_edit", kwargs={"pk": questionnaire.pk})
    return redirect(f"{url}#item-{code}" if code else url)


@login_required
def questionnaire_list(request):
    require_hr(request.user)
    questionnaires = Questionnaire.objects.annotate(
        employee_count=Count("questions", filter=Q(questions__side=Side.EMPLOYEE), distinct=True),
        client_count=Count("questions", filter=Q(questions__side=Side.CLIENT), distinct=True),
        campaign_count=Count("campaigns", distinct=True),
    )
    return render(request, f"{TEMPLATE_DIR}/list.html", {"questionnaires": questionnaires})


@login_required
def questionnaire_detail(request, pk):
    require_hr(request.user)
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    context = {
        "questionnaire": questionnaire,
        "items": questionnaire_items(questionnaire.questions.all()),
        "campaigns": questionnaire.campaigns.order_by("-opens_on"),
    }
    return render(request, f"{TEMPLATE_DIR}/detail.html", context)


@login_required
def questionnaire_copy_view(request, pk):
    require_hr(request.user)
    source = get_object_or_404(Questionnaire, pk=pk)
    initial = {"name": _("%(name)s (copy)") % {"name": source.name}}
    form = NameForm(request.POST or None, initial=initial, submit_label=_("Copy"))
    if form.is_valid():
        try:
            copy = questionnaire_copy(source=source, name=form.cleaned_data["name"])
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Template copied. You can now edit the copy."))
            return _edit_page(copy)
    context = {"questionnaire": source, "form": form}
    return render(request, f"{TEMPLATE_DIR}/copy.html", context)


@login_required
def questionnaire_edit(request, pk):
    require_hr(request.user)
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    if refusal := _refuse_builtin(request, questionnaire):
        return refusal
    form = NameForm(
        request.POST or None, initial={"name": questionnaire.name}, submit_label=_("Rename")
    )
    if form.is_valid():
        try:
            questionnaire_rename(questionnaire=questionnaire, name=form.cleaned_data["name"])
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Template renamed."))
            return _edit_page(questionnaire)
    items = questionnaire_items(questionnaire.questions.all())
    context = {"questionnaire": questionnaire, "form": form, "items": items}
    return render(request, f"{TEMPLATE_DIR}/edit.html", context)


@login_required
def questionnaire_pair_add_view(request, pk):
    require_hr(request.user)
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    if refusal := _refuse_builtin(request, questionnaire):
        return refusal
    form = PairForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            questionnaire_pair_add(
                questionnaire=questionnaire, **{name: data[name] for name in PAIR_FIELDS}
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Mirrored pair added."))
            return _edit_page(questionnaire, data["code"])
    context = {"questionnaire": questionnaire, "form": form, "title": _("Add a mirrored pair")}
    return render(request, f"{TEMPLATE_DIR}/form.html", context)


@login_required
def questionnaire_question_add_view(request, pk):
    require_hr(request.user)
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    if refusal := _refuse_builtin(request, questionnaire):
        return refusal
    form = QuestionForm(request.POST or None, initial={"side": request.GET.get("side")})
    if form.is_valid():
        data = form.cleaned_data
        try:
            questionnaire_question_add(
                questionnaire=questionnaire, **{name: data[name] for name in QUESTION_FIELDS}
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Question added."))
            return _edit_page(questionnaire, data["code"])
    context = {"questionnaire": questionnaire, "form": form, "title": _("Add a one-side question")}
    return render(request, f"{TEMPLATE_DIR}/form.html", context)


@login_required
def questionnaire_item_edit(request, pk, code):
    require_hr(request.user)
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    if refusal := _refuse_builtin(request, questionnaire):
        return refusal
    item = _item_or_404(questionnaire, code)
    form = ItemForm(request.POST or None, item=item)
    if form.is_valid():
        data = form.cleaned_data
        try:
            questionnaire_item_update(
                questionnaire=questionnaire,
                code=code,
                kind=data["kind"],
                required=data["required"],
                choices=data["choices"],
                texts=form.texts(),
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Question saved."))
            return _edit_page(questionnaire, code)
    context = {"questionnaire": questionnaire, "form": form, "item": item}
    return render(request, f"{TEMPLATE_DIR}/item_edit.html", context)


@login_required
def questionnaire_item_remove_view(request, pk, code):
    require_hr(request.user)
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    if refusal := _refuse_builtin(request, questionnaire):
        return refusal
    item = _item_or_404(questionnaire, code)
    if request.method == "POST":
        removed = questionnaire_item_remove(questionnaire=questionnaire, code=code)
        messages.success(request, _("Pair removed.") if removed > 1 else _("Question removed."))
        return _edit_page(questionnaire)
    context = {"questionnaire": questionnaire, "item": item}
    return render(request, f"{TEMPLATE_DIR}/item_remove.html", context)


@login_required
@require_POST
def questionnaire_item_move_view(request, pk, code):
    require_hr(request.user)
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    if refusal := _refuse_builtin(request, questionnaire):
        return refusal
    _item_or_404(questionnaire, code)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Move a question up or down."))
        return _edit_page(questionnaire)
    questionnaire_item_move(
        questionnaire=questionnaire, code=code, direction=form.cleaned_data["direction"]
    )
    return _edit_page(questionnaire, code)


@login_required
def questionnaire_delete_view(request, pk):
    require_hr(request.user)
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    if refusal := _refuse_builtin(request, questionnaire):
        return refusal
    if request.method == "POST":
        questionnaire_delete(questionnaire=questionnaire)
        messages.success(request, _("Template deleted."))
        return redirect("surveys:questionnaires")
    context = {"questionnaire": questionnaire, "campaign_count": questionnaire.campaigns.count()}
    return render(request, f"{TEMPLATE_DIR}/delete.html", context)


@login_required
def questionnaire_preview(request, pk):
    require_hr(request.user)
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    language = request.GET.get("lang")
    if language not in Language.values:
        language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in Language.values else "fr"
    context = {
        "questionnaire": questionnaire,
        "items": questionnaire_items(questionnaire.questions.all()),
        "preview_language": language,
        "languages": Language.choices,
        "nps_scale": range(11),
        "likert_scale": range(1, 6),
    }
    return render(request, f"{TEMPLATE_DIR}/preview.html", context)


urlpatterns = [
    path("questionnaires/", questionnaire_list, name="questionnaires"),
    path("questionnaires/<int:pk>/", questionnaire_detail, name="questionnaire_detail"),
    path("questionnaires/<int:pk>/copy/", questionnaire_copy_view, name="questionnaire_copy"),
    path("questionnaires/<int:pk>/edit/", questionnaire_edit, name="questionnaire_edit"),
    path("questionnaires/<int:pk>/delete/", questionnaire_delete_view, name="questionnaire_delete"),
    path("questionnaires/<int:pk>/preview/", questionnaire_preview, name="questionnaire_preview"),
    path(
        "questionnaires/<int:pk>/pairs/add/",
        questionnaire_pair_add_view,
        name="questionnaire_pair_add",
    ),
    path(
        "questionnaires/<int:pk>/questions/add/",
        questionnaire_question_add_view,
        name="questionnaire_question_add",
    ),
    path(
        "questionnaires/<int:pk>/items/<slug:code>/edit/",
        questionnaire_item_edit,
        name="questionnaire_item_edit",
    ),
    path(
        "questionnaires/<int:pk>/items/<slug:code>/remove/",
        questionnaire_item_remove_view,
        name="questionnaire_item_remove",
    ),
    path(
        "questionnaires/<int:pk>/items/<slug:code>/move/",
        questionnaire_item_move_view,
        name="questionnaire_item_move",
    ),
]
