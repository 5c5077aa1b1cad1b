from django.contrib import admin

from danvan.admin_site import OrganizationScopedAdmin
from danvan.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(OrganizationScopedAdmin):
    """Read-only: the trail is written by services and never edited."""

    list_display = ["created_at", "actor_name", "action", "object_repr", "organization"]
    list_filter = ["action"]
    search_fields = ["actor_name", "action", "object_repr", "note"]
    date_hierarchy = "created_at"
    list_select_related = ["organization"]
    readonly_fields = [
        "created_at",
        "organization",
        "actor",
        "actor_name",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "changes",
        "note",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
