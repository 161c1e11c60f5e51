from django.contrib import admin

from audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: an audit log that can be edited proves nothing."""

    list_display = (
        "at",
        "username",
        "action",
        "outcome",
        "campaign",
        "team",
        "person_id",
        "detail",
    )
    list_filter = ("action", "outcome")
    search_fields = ("username", "campaign", "team")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
