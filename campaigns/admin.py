from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns import services
from campaigns.models import Campaign, Item, LegalBasis, Section
from danvan.admin_site import (
    ScopedInlineMixin,
    ServiceWriteAdmin,
    VersionedAdminForm,
    run_for_each,
)


class PlanPartInline(ScopedInlineMixin):
    """A part of a draft plan; saved and deleted through the plan services. Order is
    changed with the portal's plan editor (new parts go last)."""

    form = VersionedAdminForm
    extra = 0
    readonly_fields = ["position"]


class LegalBasisAdminForm(VersionedAdminForm):
    document_date_fields = ("issued_on",)  # a cited document may predate the portal's dates


class LegalBasisInline(PlanPartInline, admin.TabularInline):
    model = LegalBasis
    form = LegalBasisAdminForm
    fields = ["position", "kind", "number", "issued_on", "issuer", "title", "row_version"]


class SectionInline(PlanPartInline, admin.TabularInline):
    model = Section
    fields = ["position", "title", "row_version"]
    show_change_link = True


class ItemInline(PlanPartInline, admin.StackedInline):
    model = Item
    fields = ["position", "parent", "lead", "text", "role", "row_version"]


class PlanPartsAdmin(ServiceWriteAdmin):
    """Plan parts are written by ``services.plan_part_save`` / ``plan_part_delete``."""

    def service_save_inline(self, request, obj, form):
        services.plan_part_save(
            actor=request.user,
            instance=obj,
            data=form.changed_values(),
            expected_version=form.expected_version if obj.pk else None,
        )

    def service_delete_inline(self, request, obj):
        services.plan_part_delete(actor=request.user, instance=obj)


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
class CampaignAdmin(PlanPartsAdmin):
    """Status and the issued document are read-only; they change only through the actions.
    A draft is created and changed through the same services as in the portal."""

    form = VersionedAdminForm

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
                    "row_version",
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

    def delete_model(self, request, obj):
        services.campaign_delete(actor=request.user, campaign=obj)

    def delete_queryset(self, request, queryset):
        for campaign in queryset:
            services.campaign_delete(actor=request.user, campaign=campaign)

    def service_save(self, request, obj, form, change):
        data = form.changed_values()
        if change:
            saved = services.campaign_update(
                actor=request.user,
                campaign=obj,
                data=data,
                expected_version=form.expected_version,
            )
        else:
            saved = services.campaign_create(
                actor=request.user, organization=form.cleaned_data["organization"], data=data
            )
        obj.pk, obj.version = saved.pk, saved.version

    def get_inline_instances(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return []
        return super().get_inline_instances(request, obj)


@admin.register(Section)
class SectionAdmin(PlanPartsAdmin):
    organization_path = "campaign__organization"
    list_display = ["title", "campaign", "position"]
    search_fields = ["title"]
    form = VersionedAdminForm
    fields = ["campaign", "title", "row_version"]
    readonly_fields = ["campaign"]
    inlines = [ItemInline]
    list_select_related = ["campaign"]

    def has_add_permission(self, request):
        return False  # sections are added to a campaign

    def has_delete_permission(self, request, obj=None):
        return False  # removed from the campaign's page or the plan editor

    def service_save(self, request, obj, form, change):
        saved = services.plan_part_save(
            actor=request.user,
            instance=obj,
            data=form.changed_values(),
            expected_version=form.expected_version,
        )
        obj.version = saved.version

    def has_module_permission(self, request):
        return False  # reached from a campaign's page

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or obj.campaign.is_draft
        )
