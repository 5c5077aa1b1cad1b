from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.admin_site import (
    OrganizationScopedAdmin,
    ScopedInlineMixin,
    ServiceWriteAdmin,
    VersionedAdminForm,
    run_for_each,
)
from evaluations import services
from evaluations.models import Criterion, RatingBand, ReminderSent, Round, Rubric


class ReadOnlyInline(ScopedInlineMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ["position", "title", "max_points", "weight"]
    readonly_fields = fields


class RatingBandInline(ReadOnlyInline):
    model = RatingBand
    fields = ["name", "min_score", "passing"]
    readonly_fields = fields


@admin.register(Rubric)
class RubricAdmin(OrganizationScopedAdmin):
    """Read-only here: the rubric is edited on the portal's rubric page, which checks
    the lock and keeps the version."""

    list_display = ["campaign", "locked_at"]
    list_select_related = ["campaign"]
    readonly_fields = ["campaign", "organization", "locked_at", "created_at"]
    fields = readonly_fields
    inlines = [CriterionInline, RatingBandInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.action(description=_("Mở đợt chấm điểm"))
def open_rounds(modeladmin, request, queryset):
    run_for_each(
        modeladmin,
        request,
        queryset,
        lambda round: services.round_open(actor=request.user, round=round),
        gettext("Đã mở %(count)s đợt."),
    )


@admin.action(description=_("Kết thúc đợt"))
def close_rounds(modeladmin, request, queryset):
    run_for_each(
        modeladmin,
        request,
        queryset,
        lambda round: services.round_close(actor=request.user, round=round),
        gettext("Đã kết thúc %(count)s đợt."),
    )


@admin.register(Round)
class RoundAdmin(ServiceWriteAdmin):
    """Status is read-only; it changes through the actions. Rounds are created on the
    portal (which puts the accepted models in scope); a closed round is read-only."""

    list_display = ["name", "campaign", "kind", "status", "starts_on", "ends_on"]
    list_filter = ["status", "kind"]
    search_fields = ["name"]
    list_select_related = ["campaign"]
    fields = [
        "campaign",
        "kind",
        "name",
        "starts_on",
        "ends_on",
        "status",
        "opened_at",
        "closed_at",
        "row_version",
    ]
    form = VersionedAdminForm
    readonly_fields = ["campaign", "status", "opened_at", "closed_at"]
    actions = [open_rounds, close_rounds]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_closed:
            return [name for name in self.fields if name != "row_version"]
        if obj is not None and obj.status != Round.Status.PLANNED:
            return [*self.readonly_fields, "kind"]
        return self.readonly_fields

    def service_save(self, request, obj, form, change):
        data = form.changed_values()
        saved = services.round_update(
            actor=request.user, round=obj, data=data, expected_version=form.expected_version
        )
        obj.version = saved.version


@admin.register(ReminderSent)
class ReminderSentAdmin(OrganizationScopedAdmin):
    """Which evaluators were reminded, and when: a log, read-only."""

    organization_path = "round__organization"
    list_display = ["sent_on", "evaluator", "round", "pending"]
    list_filter = ["sent_on"]
    list_select_related = ["evaluator", "round"]
    fields = ["round", "evaluator", "sent_on", "pending", "created_at"]
    readonly_fields = fields
    date_hierarchy = "sent_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
