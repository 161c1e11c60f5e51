"""HR reads the audit log at /hr/audit/, and downloads it (a download that is recorded too)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from audit.forms import AuditFilterForm
from audit.models import Action, AuditEntry
from audit.services import audited, entries_csv
from symetrie.roles import require_hr

PAGE_SIZE = 50


@login_required
def log(request):
    require_hr(request.user)
    form = AuditFilterForm(request.GET)
    entries = AuditEntry.objects.none()
    if form.is_valid():
        entries = AuditEntry.objects.matching(**form.cleaned_data)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"form": form, "page": page})


@login_required
@audited(Action.AUDIT_EXPORT, format="csv")
def log_csv(request):
    """The entries the filter selects, newest first, as CSV."""
    require_hr(request.user)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        page = Paginator(AuditEntry.objects.none(), PAGE_SIZE).get_page(1)
        return render(request, "audit/log.html", {"form": form, "page": page}, status=400)
    content = entries_csv(AuditEntry.objects.matching(**form.cleaned_data))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="symetrie-audit-{stamp}.csv"'
    return response
