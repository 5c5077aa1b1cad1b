import rules
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from awards import services
from awards.forms import ApprovalForm
from awards.models import (
    Award,
    AwardDecision,
    AwardForm,
    BaseSalary,
    CouncilMeeting,
    CouncilMember,
    Escalation,
    Multiplier,
    Nomination,
    PassThreshold,
    RoundingRule,
    Vote,
)
from danvan.accounts.rules import is_back_office, is_member, is_signer
from danvan.admin_site import MoneyFieldsAdmin, OrganizationScopedAdmin, ScopedInlineMixin
from danvan.forms import PortalModelForm, ReasonForm, error_text, show_service_error

Status = Nomination.Status
nobody = rules.always_deny


class ReferenceDataAdmin(MoneyFieldsAdmin):
    """Shared by every organisation: superusers edit, the back office reads."""

    form = PortalModelForm

    def has_module_permission(self, request):
        return is_member.test(request.user, request.organization)

    def has_view_permission(self, request, obj=None):
        return is_back_office.test(request.user, request.organization)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class MultiplierInline(admin.TabularInline):
    model = Multiplier
    form = PortalModelForm
    extra = 0
    fields = [
        "recipient_kind",
        "multiplier",
        "effective_from",
        "effective_to",
        "legal_basis",
        "note",
    ]

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(AwardForm)
class AwardFormAdmin(ReferenceDataAdmin):
    list_display = [
        "name",
        "level",
        "level_basis",
        "is_title",
        "for_collective",
        "for_individual",
        "for_household",
        "is_active",
    ]
    list_filter = ["level", "is_title", "is_active"]
    inlines = [MultiplierInline]


@admin.register(BaseSalary)
class BaseSalaryAdmin(ReferenceDataAdmin):
    list_display = ["amount_vnd", "effective_from", "effective_to", "legal_basis"]
    fields = ["amount_vnd", "effective_from", "effective_to", "legal_basis", "note"]


@admin.register(RoundingRule)
class RoundingRuleAdmin(ReferenceDataAdmin):
    list_display = ["mode", "step_vnd", "effective_from", "effective_to", "legal_basis"]
    fields = ["mode", "step_vnd", "effective_from", "effective_to", "legal_basis", "note"]


@admin.register(PassThreshold)
class PassThresholdAdmin(OrganizationScopedAdmin):
    """An organisation's pass threshold for particular award forms; the others use the
    organisation's own (Tổ chức › Thi đua, khen thưởng)."""

    list_display = ["award_form", "pass_percent"]
    list_select_related = ["award_form"]


def _confirm_or_run(
    modeladmin, request, queryset, *, template, form_class, run, title, form_kwargs=None
):
    """Show the confirmation page first; act when it is confirmed (Django's delete pattern)."""
    if not is_signer.test(request.user, request.organization):
        raise PermissionDenied
    nominations = list(
        queryset.filter(status=Status.PASSED).select_related(
            "unit", "registration", "award_form", "campaign"
        )
    )
    form = form_class(
        request.POST if request.POST.get("post") == "yes" else None,
        initial={"decided_on": timezone.localdate()},
        **(form_kwargs or {}),
    )
    if request.POST.get("post") == "yes" and form.is_valid():
        try:
            return run(nominations, form.cleaned_data)
        except PermissionDenied:
            modeladmin.message_user(
                request,
                gettext("Chỉ Chủ tịch hoặc Phó Chủ tịch mới phê duyệt được."),
                messages.ERROR,
            )
            return None
        except ValidationError as error:
            show_service_error(form, error)  # the confirmation again, with the reason
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "form": form,
        "queryset": queryset,
        "nominations": nominations,
        "skipped": queryset.exclude(status=Status.PASSED).count(),
        "action": request.POST.get("action"),
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    if template == "admin/awards/approve.html" and nominations:
        try:
            salary, priced = services.price(nominations, timezone.localdate())
        except ValidationError as error:
            context["pricing_error"] = error_text(error)
        else:
            context.update(
                salary=salary, priced=priced, total=sum(item.amount_vnd for item in priced)
            )
    return TemplateResponse(request, template, context)


@admin.action(description=_("Phê duyệt khen thưởng (ban hành quyết định)"))
def approve_nominations(modeladmin, request, queryset):
    def run(nominations, data):
        decision = services.decision_issue(
            actor=request.user,
            nominations=nominations,
            decided_on=data["decided_on"],
            number=data.get("number"),
        )
        modeladmin.message_user(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                gettext("Đã ban hành quyết định khen thưởng"),
                reverse("awards:decision", args=[decision.pk]),
                decision.issued_document.number_symbol,
            ),
            messages.SUCCESS,
        )

    return _confirm_or_run(
        modeladmin,
        request,
        queryset,
        template="admin/awards/approve.html",
        form_class=ApprovalForm,
        form_kwargs={"required": request.organization.numbers_from_register},
        run=run,
        title=gettext("Phê duyệt khen thưởng"),
    )


@admin.action(description=_("Không phê duyệt"))
def reject_nominations(modeladmin, request, queryset):
    def run(nominations, data):
        count = services.nominations_reject(
            actor=request.user, nominations=nominations, reason=data["reason"]
        )
        modeladmin.message_user(
            request, gettext("Đã không phê duyệt %(count)s đề nghị.") % {"count": count}
        )

    return _confirm_or_run(
        modeladmin,
        request,
        queryset,
        template="admin/awards/reject.html",
        form_class=ReasonForm,
        run=run,
        title=gettext("Không phê duyệt khen thưởng"),
    )


class VoteInline(ScopedInlineMixin, admin.TabularInline):
    model = Vote
    extra = 0
    fields = ["meeting", "votes_in_favour"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(OrganizationScopedAdmin):
    """The chairman's approval desk: passed nominations, approved or declined in bulk
    through a confirmation page that shows the awardees, forms, amounts and total."""

    edit_rule = nobody
    list_display = ["nominee", "kind", "award_form", "status", "campaign"]
    list_filter = ["status", "kind", "award_form", "campaign"]
    search_fields = ["person_name", "unit__name", "registration__name", "achievements"]
    list_select_related = ["unit", "registration", "award_form", "campaign"]
    actions = [approve_nominations, reject_nominations]
    # Counts beside each filter choice on request ("Show counts"): each filter's counts
    # read all of the organisation's rows, which for 100,000 registrations is most of
    # the page's time.
    show_facets = admin.ShowFacets.ALLOW
    ordering = ["-created_at", "-pk"]  # the (organisation, created) index, no sort of all rows
    show_full_result_count = False
    inlines = [VoteInline]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(status=Status.WITHDRAWN)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Nomination._meta.fields if field.name != "id"]

    @admin.display(description=_("đối tượng"))
    def nominee(self, obj):
        return obj.nominee_name

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request, action_location=admin.options.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        if not is_signer.test(request.user, request.organization):
            actions.pop("approve_nominations", None)
            actions.pop("reject_nominations", None)
        return actions


class AwardInline(ScopedInlineMixin, admin.TabularInline):
    model = Award
    extra = 0
    fields = [
        "position",
        "recipient_name",
        "award_form",
        "multiplier",
        "amount_vnd",
        "revoked_at",
        "revoked_reason",
    ]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AwardDecision)
class AwardDecisionAdmin(OrganizationScopedAdmin):
    """Issued decisions are immutable: read-only here; revocation is on the decision page."""

    list_display = ["__str__", "decided_on", "signer", "total_vnd", "campaign"]
    list_select_related = ["issued_document", "signer", "campaign"]
    inlines = [AwardInline]
    edit_rule = nobody

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in AwardDecision._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CouncilMember)
class CouncilMemberAdmin(OrganizationScopedAdmin):
    list_display = ["name", "position", "role", "year"]
    list_filter = ["year", "role"]
    search_fields = ["name", "position"]


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(OrganizationScopedAdmin):
    list_display = ["campaign", "held_on", "present", "total_members", "pass_percent"]
    list_select_related = ["campaign"]
    edit_rule = nobody

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in CouncilMeeting._meta.fields]

    def has_add_permission(self, request):
        return False  # recorded on the awards pages, which check the counts


@admin.register(Escalation)
class EscalationAdmin(OrganizationScopedAdmin):
    list_display = ["nomination", "sent_to", "sent_on", "status", "outcome_on"]
    list_filter = ["status"]
    list_select_related = ["nomination__unit", "nomination__registration", "nomination__award_form"]
    edit_rule = nobody

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Escalation._meta.fields]

    def has_add_permission(self, request):
        return False
