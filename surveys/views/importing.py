"""The preview → confirm flow shared by the teams and people imports."""

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from surveys.forms.teams import ImportFileForm
from surveys.tabular import ImportRefused, preview_store, preview_take


def import_preview(request, *, kind, columns, check, template):
    """Upload → every row checked and shown; a file without problems can be confirmed."""
    form = ImportFileForm(request.POST or None, request.FILES or None, columns=columns)
    context = {"form": form, "columns": columns}
    if form.is_valid():
        table = form.cleaned_data["table"]
        report = check(table)
        token = preview_store(request.session, kind, table if report.ok else None)
        context.update(report=report, token=token, filename=form.cleaned_data["file"].name)
    return render(request, template, context)


def import_confirm(request, *, kind, columns, apply, template, retry, done):
    """Apply the previewed file, all rows or none; refuse a forged or reused preview."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    table = preview_take(request.session, kind, request.POST.get("token"))
    if table is None:
        messages.error(request, _("This preview is no longer available: upload the file again."))
        return redirect(retry)
    try:
        report = apply(table=table)
    except ImportRefused as refused:
        form = ImportFileForm(columns=columns)
        context = {"form": form, "columns": columns, "report": refused.report, "stale": True}
        return render(request, template, context)
    messages.success(request, import_summary(report))
    return redirect(done)


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
