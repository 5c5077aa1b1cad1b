from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns import services
from campaigns.forms import LegalBasisAdminForm
from campaigns.models import Campaign, Item, LegalBasis, Section
from danvan.admin_site import OrganizationScopedAdmin, ScopedInlineMixin, run_for_each


class LegalBasisInline(ScopedInlineMixin, admin.TabularInline):
    model = LegalBasis
    form = LegalBasisAdminForm
    extra = 0
    fields = ["position", "kind", "number", "issued_on", "issuer", "title"]


class SectionInline(ScopedInlineMixin, admin.TabularInline):
    model = Section
    extra = 0
    fields = ["position", "title"]
    show_change_link = True


class ItemInline(ScopedInlineMixin, admin.StackedInline):
    model = Item
    extra = 0
    fields = ["position", "parent", "lead", "text", "role"]


@admin.action(description=_("Ký ban hành kế hoạch (Chủ tịch, Phó Chủ tịch)"))
def issue_campaigns(modeladmin, request, queryset):
    run_for_each(
        modeladmin,
        request,
        queryset,
        lambda campaign: services.campaign_issue(actor=request.user, campaign=campaign),
        gettext("Đã ban hành %(count)s kế hoạch."),
    )


@admin.action(description=_("Kết thúc phong trào"))
def close_campaigns(modeladmin, request, queryset):
    run_for_each(
        modeladmin,
        request,
        queryset,
        lambda campaign: services.campaign_close(actor=request.user, campaign=campaign),
        gettext("Đã kết thúc %(count)s phong trào."),
    )


@admin.register(Campaign)
class CampaignAdmin(OrganizationScopedAdmin):
    """Status and the issued document are read-only; they change only through the actions."""

    list_display = ["name", "year", "status", "form", "registration_deadline"]
    list_filter = ["status", "year", "form"]
    search_fields = ["name", "plan_subject"]
    readonly_fields = ["status", "issued_document", "cloned_from", "created_at", "updated_at"]
    inlines = [LegalBasisInline, SectionInline]
    actions = [issue_campaigns, close_campaigns]
    list_select_related = ["organization"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "organization",
                    "year",
                    "name",
                    "form",
                    "status",
                    "issued_document",
                    "cloned_from",
                ]
            },
        ),
        (
            _("Các mốc thời gian"),
            {
                "fields": [
                    "registration_opens",
                    "registration_deadline",
                    "mid_year_review_starts",
                    "mid_year_review_ends",
                    "year_end_review_starts",
                    "year_end_review_ends",
                    "nomination_deadline",
                ]
            },
        ),
        (
            _("Văn bản kế hoạch"),
            {
                "fields": [
                    "plan_number",
                    "plan_issue_date",
                    "plan_subject",
                    "plan_introduction",
                    "plan_closing",
                    "recipients",
                    "signing_mode",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            # An issued plan is frozen: every field is read-only here too.
            return [field.name for field in Campaign._meta.fields]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_draft)

    def get_inline_instances(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return []
        return super().get_inline_instances(request, obj)

    def has_module_permission(self, request):
        return self._has_roles(request, self.view_roles)


@admin.register(Section)
class SectionAdmin(OrganizationScopedAdmin):
    organization_path = "campaign__organization"
    list_display = ["title", "campaign", "position"]
    search_fields = ["title"]
    inlines = [ItemInline]
    list_select_related = ["campaign"]

    def has_module_permission(self, request):
        return False  # reached from a campaign's page

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or obj.campaign.is_draft
        )
