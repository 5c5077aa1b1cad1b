import hashlib

import rules
from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_field
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from awards import selectors, services
from awards.forms import ApprovalForm, DeskForm
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
from danvan.text import thousands, vnd

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
    higher = []
    if template == "admin/awards/approve.html":
        # Awards only the level above decides are proposed to it, never in this decision:
        # the confirmation leaves them out (and says so) rather than refuse at the end.
        higher = [n for n in nominations if n.award_form.level != AwardForm.Level.COMMUNE]
        nominations = [n for n in nominations if n.award_form.level == AwardForm.Level.COMMUNE]
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
        "higher": higher,
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
        issued = decision.issued_document
        being_made = issued.status == issued.Status.PENDING and not issued.render_error
        modeladmin.message_user(
            request,
            format_html(
                '{} <a href="{}">{}</a>{}',
                gettext("Đã ban hành quyết định khen thưởng"),
                reverse("awards:decision", args=[decision.pk]),
                issued.number_symbol,
                gettext("; tệp quyết định đang được tạo trong nền, xong sau ít phút.")
                if being_made
                else "",
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


# The chairman's desk: more passed nominations than DESK_ROWS are chosen meeting by
# meeting (ticking thousands of lines would pass a request's field limit and a phone's
# patience), each meeting showing its first DESK_SAMPLE; a confirmation lists the first
# CONFIRM_SHOWN awardees and counts the rest.
DESK_ROWS = 200
DESK_SAMPLE = 20
CONFIRM_SHOWN = 100


def _fingerprint(keys) -> str:
    """Which nominations (by key) a confirmation showed, in a few characters: the same
    list gives the same text, another (one more, one fewer, one swapped) another."""
    return hashlib.sha256(",".join(map(str, sorted(keys))).encode()).hexdigest()[:20]


def _meeting_key(nomination) -> int:
    """The council meeting whose vote passed ``nomination`` (0: none recorded)."""
    return nomination.passing_vote.meeting_id if nomination.passing_vote else 0


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

    # The chairman's desk ---------------------------------------------------------------

    def get_urls(self):
        desk = path(
            "desk/",
            self.admin_site.admin_view(self.desk_view),
            name="awards_nomination_desk",
        )
        return [desk, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "desk_url": reverse("admin:awards_nomination_desk")
            if is_signer.test(request.user, request.organization)
            else "",
        }
        return super().changelist_view(request, extra_context)

    def desk_view(self, request):
        """The chairman's desk: the nominations the council passed, grouped by meeting, with
        the form, the amount and the vote; approve all or some in one decision (through
        ``services.decision_issue``, after a confirmation), or decline them with a reason
        (``services.nominations_reject``). Only the chairman and vice-chairmen."""
        organization = request.organization
        if not is_signer.test(request.user, organization):
            raise PermissionDenied
        # What the desk shows is read as rows (a desk may hold thousands); the
        # nominations themselves only to decide on them.
        rows = selectors.awaiting_decision_rows(organization=organization)
        if request.method == "POST":
            nominations = selectors.nominations_awaiting_decision(organization=organization)
            desk = [(nomination.pk, _meeting_key(nomination)) for nomination in nominations]
        else:
            nominations = []
            desk = [(row.pk, row.meeting_id) for row in rows]
        by_id = {nomination.pk: nomination for nomination in nominations}
        ids = [pk for pk, _meeting in desk]
        meetings = list(dict.fromkeys(meeting for _pk, meeting in desk))
        by_meeting = len(desk) > DESK_ROWS
        action = request.POST.get("do", "")
        today = timezone.localdate()
        form = DeskForm(
            request.POST if request.method == "POST" else None,
            choices=ids,
            meetings=meetings if by_meeting else None,
            approving=action == "approve",
            required=organization.numbers_from_register,
            initial={"decided_on": today, "nominations": ids, "meetings": meetings},
        )
        confirming = None
        if request.method == "POST" and form.is_valid():
            if by_meeting:
                keys = set(form.cleaned_data["meetings"])
                chosen = [n for n in nominations if _meeting_key(n) in keys]
            else:
                chosen = [by_id[pk] for pk in form.cleaned_data["nominations"]]
            listed = form.cleaned_data.get("listed") or ""
            confirmed = action == "approve" and request.POST.get("confirm") == "yes"
            if (
                confirmed
                and (listed or by_meeting)
                and listed != _fingerprint(n.pk for n in chosen)
            ):
                # The meetings chosen hold other nominations than the confirmation showed.
                form.add_error(
                    None,
                    gettext(
                        "Danh sách đề nghị của các cuộc họp đã chọn vừa thay đổi (nay là "
                        "%(count)s đề nghị); hãy xem lại trước khi xác nhận."
                    )
                    % {"count": thousands(len(chosen))},
                )
                action = "review"
            elif by_meeting and action == "reject" and listed != _fingerprint(ids):
                # Declining by meeting has no confirmation: only the desk as it was shown.
                form.add_error(
                    None,
                    gettext(
                        "Danh sách đề nghị chờ phê duyệt vừa thay đổi; hãy xem lại rồi bấm "
                        "“Không phê duyệt” lần nữa."
                    ),
                )
                action = ""
            try:
                if action == "reject":
                    count = services.nominations_reject(
                        actor=request.user, nominations=chosen, reason=form.cleaned_data["reason"]
                    )
                    self.message_user(
                        request,
                        gettext("Đã không phê duyệt %(count)s đề nghị.") % {"count": count},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(request.path)
                if action == "approve" and request.POST.get("confirm") == "yes":
                    decision = services.decision_issue(
                        actor=request.user,
                        nominations=chosen,
                        decided_on=form.cleaned_data["decided_on"],
                        number=form.cleaned_data.get("number"),
                    )
                    return HttpResponseRedirect(f"{request.path}?decision={decision.pk}")
                if action in ("approve", "review"):
                    confirming = self._desk_confirmation(chosen, form.cleaned_data["decided_on"])
            except ValidationError as error:
                show_service_error(form, error)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Phê duyệt khen thưởng"),
            "opts": self.model._meta,
            "form": form,
            "groups": self._desk_groups(organization, rows, today, by_meeting),
            "by_meeting": by_meeting,
            "desk_listed": _fingerprint(ids) if by_meeting else "",
            "shown_per_meeting": DESK_SAMPLE,
            "selected": {str(pk) for pk in (form["nominations"].value() or [])},
            "selected_meetings": {str(key) for key in (form["meetings"].value() or [])}
            if by_meeting
            else set(),
            "confirming": confirming,
            "decision": self._desk_decision(request),
            "numbers_from_register": organization.numbers_from_register,
        }
        return TemplateResponse(request, "admin/awards/desk.html", context)

    @staticmethod
    def _desk_confirmation(chosen, decided_on) -> dict:
        salary, priced = services.price(chosen, decided_on)
        return {
            "priced": priced[:CONFIRM_SHOWN],
            "more": max(len(priced) - CONFIRM_SHOWN, 0),
            "count": len(priced),
            "listed": _fingerprint(n.pk for n in chosen),
            "salary": salary,
            "total": sum(item.amount_vnd for item in priced),
            "decided_on": decided_on,
        }

    @staticmethod
    def _desk_groups(organization, rows, today, by_meeting: bool = False) -> dict:
        """The desk's nominations (``selectors.awaiting_decision_rows``) by the meeting
        that passed them, with today's amounts, priced once per form and kind of
        recipient; chosen by meeting, each meeting shows its first ``DESK_SAMPLE`` (read
        in full) and counts the rest. The same queries whatever their number."""
        groups: dict[int, list] = {}
        for row in rows:
            groups.setdefault(row.meeting_id, []).append(row)
        shown = DESK_SAMPLE if by_meeting else None
        nominations = {
            nomination.pk: nomination
            for nomination in selectors.nominations_awaiting_decision(
                organization=organization,
                ids=[row.pk for group in groups.values() for row in group[:shown]],
            )
        }
        forms = AwardForm.objects.in_bulk({row.award_form_id for row in rows})
        prices = {(row.award_form_id, row.recipient_kind) for row in rows}
        try:
            rates = services.Rates(today, forms)
            amounts = {price: rates.of(forms[price[0]], price[1])[1] for price in prices}
        except ValidationError as error:
            amounts, pricing_error = {}, error_text(error)
        else:
            pricing_error = ""

        def amount(row):
            return amounts.get((row.award_form_id, row.recipient_kind))

        meetings = []
        for key, group in groups.items():
            listed = [
                (nominations[row.pk], amount(row))
                for row in group[:shown]
                if row.pk in nominations  # decided on meanwhile
            ]
            passing = [n.passing_vote for n, _amount in listed if n.passing_vote]
            meetings.append(
                {
                    "meeting": passing[0].meeting if passing else None,
                    "key": key,
                    "rows": listed,
                    "count": len(group),
                    "more": len(group) - len(listed),
                    "total": sum(amount(row) or 0 for row in group),
                }
            )
        return {
            "meetings": meetings,
            "count": len(rows),
            "total": sum(amount(row) or 0 for row in rows),
            "pricing_error": pricing_error,
        }

    @staticmethod
    def _desk_decision(request):
        decision_id = request.GET.get("decision", "")
        if not decision_id.isdigit():
            return None
        return (
            AwardDecision.objects.filter(pk=int(decision_id), organization=request.organization)
            .select_related("issued_document")
            .first()
        )

    def get_actions(self, request, action_location=admin.options.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        if not is_signer.test(request.user, request.organization):
            actions.pop("approve_nominations", None)
            actions.pop("reject_nominations", None)
        return actions


# The decision's awards, as a table of text, the first AWARDS_SHOWN of them: a decision of
# a large commune holds thousands (5,715 took 10.9 MB of inline forms and 5 s to show);
# its page in the portal lists them all, a hundred at a time.
AWARDS_SHOWN = 100


def _award_cell(award: Award, field) -> str:
    value = getattr(award, field.name)
    if field.name.endswith("_vnd"):
        return vnd(value)
    return display_for_field(value, field, "–")


AWARD_COLUMNS = [
    "position",
    "recipient_name",
    "award_form",
    "multiplier",
    "amount_vnd",
    "revoked_at",
    "revoked_reason",
]


@admin.register(AwardDecision)
class AwardDecisionAdmin(OrganizationScopedAdmin):
    """Issued decisions are immutable: read-only here; revocation is on the decision page."""

    list_display = ["__str__", "decided_on", "signer", "total_vnd", "campaign"]
    list_select_related = ["issued_document", "signer", "campaign"]
    edit_rule = nobody

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in AwardDecision._meta.fields] + ["awards_table"]

    @admin.display(description=_("Khen thưởng trong quyết định"))
    def awards_table(self, decision):
        fields = [Award._meta.get_field(name) for name in AWARD_COLUMNS]
        awards = decision.awards.select_related("award_form").order_by("position")[
            : AWARDS_SHOWN + 1
        ]
        more = ""
        if len(awards) > AWARDS_SHOWN:
            awards = awards[:AWARDS_SHOWN]
            more = format_html(
                '<p><a href="{}">{}</a></p>',
                reverse("awards:decision", args=[decision.pk]),
                gettext("Xem tất cả %(count)s khen thưởng trên trang quyết định")
                % {"count": thousands(decision.awards.count())},
            )
        head = format_html_join(
            "", '<th scope="col">{}</th>', ((capfirst(field.verbose_name),) for field in fields)
        )
        rows = format_html_join(
            "",
            "<tr>{}</tr>",
            (
                (
                    format_html_join(
                        "",
                        "<td>{}</td>",
                        ((_award_cell(award, field),) for field in fields),
                    ),
                )
                for award in awards
            ),
        )
        return format_html(
            '<table class="awards"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>{}',
            head,
            rows,
            more,
        )

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
