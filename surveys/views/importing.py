"""The preview → confirm flow shared by the teams and people imports, the upload's
size cap checked as the bytes arrive, and the templates to download."""

import functools

from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from audit.models import Action
from audit.services import record
from surveys.forms.teams import ImportFileForm
from surveys.import_templates import template_csv, template_filename, template_xlsx
from surveys.sheets import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    too_large_message,
)
from surveys.tabular import ImportRefused, preview_store, preview_take

IMPORT_ACTIONS = {"teams": Action.TEAMS_IMPORT, "people": Action.PEOPLE_IMPORT}


class CappedUploadHandler(FileUploadHandler):
    """Counts an uploaded file's bytes as they come off the wire and stops the upload
    at the cap, before the other handlers keep them in memory or on disk."""

    def __init__(self, request=None, limit=MAX_FILE_BYTES):
        super().__init__(request)
        self.limit = limit
        self.refused = False
        self.declared = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.declared = content_length or 0

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.refused = True
            # Up to twice the cap, read the rest into nothing so the browser gets the
            # page; a body far larger is not read at all.
            raise StopUpload(connection_reset=self.declared > 2 * self.limit)
        return raw_data

    def file_complete(self, file_size):
        return None


def upload_capped(view):
    """Run `view` with CappedUploadHandler first. The handlers can only change before
    anything reads request.POST, which the CSRF middleware does: so the check is
    exempted there and done here, once the handler is in place."""

    protected = csrf_protect(view)

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        request.upload_handlers.insert(0, CappedUploadHandler(request))
        return protected(request, *args, **kwargs)

    return wrapper


def _upload_refused(request):
    return any(getattr(handler, "refused", False) for handler in request.upload_handlers)


def _context(form, *, kind, columns):
    limits = {
        "size": MAX_FILE_BYTES >> 20,
        "rows": number_format(MAX_ROWS, force_grouping=True),
        "columns": MAX_COLUMNS,
        "cell": number_format(MAX_CELL_CHARS, force_grouping=True),
    }
    template_url = f"surveys:{kind}_import_template"
    return {"form": form, "columns": columns, "limits": limits, "template_url": template_url}


def import_preview(request, *, kind, columns, check, template):
    """Upload → every row checked and shown; a file without problems can be confirmed."""
    posted = request.method == "POST"
    form = ImportFileForm(
        request.POST if posted else None, request.FILES if posted else None, columns=columns
    )
    context = _context(form, kind=kind, columns=columns)
    if posted and _upload_refused(request):
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", too_large_message())
    elif form.is_valid():
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
        # The entry in the import's transaction: no import without its trace.
        with transaction.atomic():
            report = apply(table=table)
            record(request, IMPORT_ACTIONS[kind], detail=_report_detail(report))
    except ImportRefused as refused:
        context = _context(ImportFileForm(columns=columns), kind=kind, columns=columns)
        context.update(report=refused.report, stale=True)
        return render(request, template, context)
    messages.success(request, import_summary(report))
    return redirect(done)


def _report_detail(report):
    return f"created: {report.created}; updated: {report.updated}; unchanged: {report.unchanged}"


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


def import_template(request, *, kind, columns, fmt):
    """A file to fill in: the column names in the user's language and one example row."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "xlsx":
        content = template_xlsx(kind, columns)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, content_type = template_csv(kind, columns), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{template_filename(kind, fmt)}"'
    return response
