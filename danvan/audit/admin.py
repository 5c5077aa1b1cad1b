from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from danvan.admin_site import OrganizationScopedAdmin
from danvan.audit.labels import action_label, changes_text
from danvan.audit.models import AuditEvent


class ActionFilter(admin.SimpleListFilter):
    """The actions of this trail, named in words."""

    title = _("thao tác")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        codes = (
            model_admin.get_queryset(request).order_by().values_list("action", flat=True).distinct()
        )
        return sorted(((code, action_label(code)) for code in codes), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(OrganizationScopedAdmin):
    """Read-only: the trail is written by services and never edited."""

    list_display = ["created_at", "actor_name", "action_name", "object_repr", "organization"]
    list_filter = [ActionFilter]
    search_fields = ["actor_name", "action", "object_repr", "note"]
    date_hierarchy = "created_at"
    list_select_related = ["organization"]
    readonly_fields = [
        "created_at",
        "organization",
        "actor",
        "actor_name",
        "action_name",
        "content_type",
        "object_id",
        "object_repr",
        "changes_lines",
        "note",
    ]
    fields = readonly_fields

    @admin.display(description=_("thao tác"), ordering="action")
    def action_name(self, obj):
        return action_label(obj.action)

    @admin.display(description=_("thay đổi"))
    def changes_lines(self, obj):
        return format_html_join(
            "",
            "<div>{}</div>",
            (
                (line,)
                for line in changes_text(
                    obj.changes, obj.content_type.model_class() if obj.content_type else None
                ).splitlines()
            ),
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
