from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns.models import Campaign
from danvan import panels
from danvan.accounts import selectors as accounts
from danvan.accounts.models import Membership, Unit
from danvan.accounts.rules import is_office, is_officer_of_unit, is_unit_officer
from danvan.documents import render as documents_render
from danvan.documents.selectors import file_response
from danvan.excel import is_long_export
from danvan.forms import ReasonForm, error_text, show_service_error
from danvan.jobs import services as jobs
from danvan.pagecache import cache_while_unchanged
from danvan.pagination import BoundedPaginator, KeyedPaginator
from danvan.text import thousands
from danvan.uploads import private_file_response
from models_registry import exports, questions, selectors, services, tasks
from models_registry.documents import registration_form_document
from models_registry.forms import (
    CommentForm,
    EvidenceForm,
    FormFingerprintForm,
    LateExceptionForm,
    LateGrantForm,
    LateRefuseForm,
    LateRequestForm,
    LaunchForm,
    LeadUnitForm,
    LevelForm,
    MilestoneFormSet,
    ProgressReportForm,
    RegistrationForm,
    filters_of,
    milestone_rows,
    partner_formsets,
    partner_rows,
    question_formset,
    registration_filters,
    registration_form_rows,
)
from models_registry.models import Evidence, LateRequest, Registration

Status = Registration.Status
Role = Membership.Role
PAGE_SIZE = 25


def _organization(request):
    if request.organization is None:
        raise Http404
    return request.organization


def _registration(
    request, pk: int, perm: str = "models_registry.view_registration"
) -> Registration:
    """The registration if it is in the current organisation and the user may see it; else 404."""
    try:
        registration = selectors.registration_detail(
            registration_id=pk, organization=_organization(request)
        )
    except Registration.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("models_registry.view_registration", registration):
        raise Http404
    if perm != "models_registry.view_registration" and not request.user.has_perm(
        perm, registration
    ):
        raise Http404
    return registration


def _filter_form(request, organization):
    form, _filters = registration_filters(
        request.GET or None, user=request.user, organization=organization
    )
    return form


def _filters(form) -> selectors.RegistrationFilter:
    return filters_of(form)


def _registering_campaigns(request, organization):
    """Issued campaigns whose registration the user's units can join now, with days left;
    and the yearly ones still running whose deadline has passed for them, with whether
    they already asked for more time (``(campaign, pending)``)."""
    units = accounts.unit_ids_in(request.user, organization.pk, Role.UNIT_OFFICER)
    if not units:
        return [], []
    today = timezone.localdate()
    # A unit granted a late-submission exception registers until it expires.
    late = selectors.late_exceptions_until(organization=organization, unit_ids=units, today=today)
    found, closed = [], []
    for campaign in Campaign.objects.filter(
        organization=organization, status=Campaign.Status.ISSUED
    ):
        days_left = campaign.registration_days_left(today)
        if campaign.pk in late and not campaign.is_stage:
            days_left = max(days_left or 0, (late[campaign.pk] - today).days)
        if days_left is not None:
            found.append((campaign, days_left))
        elif campaign.past_registration_deadline(today):
            closed.append(campaign)
    if not closed:
        return found, []
    pending = selectors.pending_late_request_campaigns(organization=organization, unit_ids=units)
    return found, [(campaign, campaign.pk in pending) for campaign in closed]


def _on_behalf_campaigns(request, organization):
    """Issued campaigns for which office staff may enter papers of units with no officer."""
    if accounts.unit_ids_in(request.user, organization.pk, Role.UNIT_OFFICER):
        return []
    if not is_office.test(request.user, organization):
        return []
    if (
        not accounts.units_without_officer(organization=organization)
        .filter(is_active=True)
        .exists()
    ):
        return []
    return list(
        Campaign.objects.filter(
            organization=organization, status=Campaign.Status.ISSUED, kind=Campaign.Kind.YEARLY
        )
    )


def _chosen_unit(request, units):
    """The unit named by ``unit`` in the form or the address, among ``units`` (404 if
    it is not one of them, or not a number); the first of them when none is named."""
    chosen = request.POST.get("unit") or request.GET.get("unit")
    if not chosen:
        return units.first()
    return _named(units, chosen)


def _named(queryset, pk: str):
    """The object of ``queryset`` whose key ``pk`` is, as typed in an address or a form
    (404 if it is not a number or not one of them)."""
    if not (pk.isascii() and pk.isdigit() and len(pk) <= 18):
        raise Http404
    return get_object_or_404(queryset, pk=pk)


@require_GET
@cache_while_unchanged
def registration_list(request):
    return render(request, "models_registry/list.html", registration_list_context(request))


def registration_list_context(request) -> dict:
    """What the list (the office's review queue) shows for ``request``: its filter form,
    the page of lines and the buttons above them."""
    organization = _organization(request)
    form = _filter_form(request, organization)
    filters = _filters(form)
    registrations = selectors.registration_list(
        user=request.user, organization=organization, filters=filters
    )
    # A search reads all its matches to sort them: count them in the same reading.
    paginator = KeyedPaginator if filters.query else BoundedPaginator
    page = paginator(selectors.registration_lines(registrations), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.with_form_questions(list(page.object_list))
    open_campaigns, closed_campaigns = _registering_campaigns(request, organization)
    return {
        "form": form,
        "page": page,
        "is_office": is_office.test(request.user, organization),
        "is_unit_officer": is_unit_officer.test(request.user, organization),
        "open_campaigns": open_campaigns,
        "closed_campaigns": closed_campaigns,
        "on_behalf_campaigns": _on_behalf_campaigns(request, organization),
        "long_export": page.paginator.is_bounded or is_long_export(page.paginator.count),
    }


@require_POST
def registration_export_job(request):
    """The export as a background job, for lists too long to wait for."""
    organization = _organization(request)
    jobs.job_start(
        actor=request.user,
        organization=organization,
        kind="registrations-export",
        title=_("Xuất danh sách mô hình ra Excel"),
        task=tasks.registrations_export,
        query=request.POST.get("query", ""),
    )
    messages.success(request, _("Đã bắt đầu xuất danh sách; tải tệp ở đây khi xong."))
    return redirect("jobs:list")


@require_GET
def registration_export(request):
    organization = _organization(request)
    form = _filter_form(request, organization)
    registrations = selectors.registration_list(
        user=request.user, organization=organization, filters=_filters(form)
    )
    if is_long_export(registrations):
        messages.info(
            request,
            _(
                "Danh sách có hơn %(limit)s mô hình nên được xuất trong nền: bấm “Xuất Excel "
                "trong nền” rồi tải tệp ở trang Công việc chạy nền khi xong."
            )
            % {"limit": thousands(settings.LONG_EXPORT_ROWS)},
        )
        return redirect(f"{reverse('models_registry:list')}?{request.GET.urlencode()}")
    return exports.registrations_xlsx_response(registrations, organization=organization)


def _units_to_enter_for(request, organization):
    """The active units the user registers models for: their own as a unit officer, or,
    for office staff, the units with no officer of their own."""
    unit_ids = accounts.unit_ids_in(request.user, organization.pk, Role.UNIT_OFFICER)
    if unit_ids:
        return Unit.objects.filter(pk__in=unit_ids, is_active=True).order_by("name")
    if is_office.test(request.user, organization):
        return (
            accounts.units_without_officer(organization=organization)
            .filter(is_active=True)
            .order_by("name")
        )
    return Unit.objects.none()


def _formsets(request, campaign, registration=None):
    """The partner lists and the milestones, as far as the campaign's form asks them."""
    asked = {question.kind: question for question in questions.shown_questions(campaign)}
    data = request.POST if request.method == "POST" else None
    editing = registration is not None and request.method != "POST"
    partners = []
    if "partners" in asked:
        units = {
            unit.pk: unit
            for unit in accounts.unit_list(organization=campaign.organization, active_only=True)
        }
        partners = partner_formsets(
            data,
            units=units,
            question=asked["partners"],
            partners=list(registration.partners.all()) if editing else None,
        )
    milestones = None
    if "milestones" in asked:
        initial = (
            [
                {"due_on": m.due_on, "description": m.description}
                for m in registration.milestones.all()
            ]
            if editing
            else None
        )
        milestones = MilestoneFormSet(data, prefix="milestones", initial=initial)
    return partners, milestones


def _all_valid(form, partners, milestones) -> bool:
    formsets = [formset for _label, formset in partners]
    if milestones is not None:
        formsets.append(milestones)
    # Every one is validated, so that every error shows at once.
    valid = all([form.is_valid(), *(formset.is_valid() for formset in formsets)])
    started = form.cleaned_data.get("start_date") if form.is_valid() else None
    if milestones is not None and started and milestones.is_valid():
        for milestone in milestones.forms:
            due_on = milestone.cleaned_data.get("due_on")
            if due_on and due_on < started:
                milestone.add_error(
                    "due_on",
                    _("Mốc này trước ngày bắt đầu (%(day)s).") % {"day": f"{started:%d/%m/%Y}"},
                )
                valid = False
    return valid


def _form_context(form, partners, milestones, **context) -> dict:
    return {
        "form": form,
        "rows": registration_form_rows(form, partners, milestones),
        "partners": partners,
        "milestones": milestones,
        **context,
    }


@require_http_methods(["GET", "POST"])
def registration_create(request):
    organization = _organization(request)
    units = _units_to_enter_for(request, organization)
    if not units:
        raise Http404
    campaigns = Campaign.objects.filter(
        organization=organization, status=Campaign.Status.ISSUED, kind=Campaign.Kind.YEARLY
    ).order_by("-year")
    campaign = (
        _named(campaigns, request.GET["campaign"])
        if request.GET.get("campaign")
        else campaigns.first()
    )
    if campaign is None:
        messages.info(request, _("Chưa có phong trào nào đang mở đăng ký."))
        return redirect("models_registry:list")
    unit = _chosen_unit(request, units)
    # The new model belongs to the campaign already, so its own checks (its start in the
    # campaign's year) are the form's too.
    form = RegistrationForm(
        request.POST or None,
        instance=Registration(campaign=campaign, organization=organization),
        organization=organization,
        campaign=campaign,
    )
    partners, milestones = _formsets(request, campaign)
    if request.method == "POST" and _all_valid(form, partners, milestones):
        try:
            registration = services.registration_create(
                actor=request.user,
                campaign=campaign,
                unit=unit,
                data=form.service_data(),
                partners=partner_rows(partners),
                milestones=milestone_rows(milestones),
            )
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(
                request,
                _("Đã lưu bản nháp %(code)s. Bạn có thể bổ sung, đính kèm ảnh rồi gửi.")
                % {"code": registration.code},
            )
            return redirect("models_registry:detail", pk=registration.pk)
    return render(
        request,
        "models_registry/form.html",
        _form_context(
            form,
            partners,
            milestones,
            campaign=campaign,
            unit=unit,
            unit_form=LeadUnitForm(units=units, initial={"unit": unit}),
            on_behalf=not is_officer_of_unit.test(request.user, unit),
            registration=None,
            # A draft can still be saved; sending it needs an extension, asked for here.
            window_closed=is_officer_of_unit.test(request.user, unit)
            and campaign.registration_deadline < timezone.localdate()
            and not services.registration_window_open(campaign=campaign, unit=unit),
        ),
    )


@require_http_methods(["GET", "POST"])
def registration_edit(request, pk: int):
    registration = _registration(request, pk)
    editable = request.user.has_perm("models_registry.change_registration", registration)
    if not editable and not is_officer_of_unit.test(request.user, registration):
        raise Http404
    closed = _("Mô hình đã gửi; chỉ sửa được khi còn là bản nháp hoặc bị trả lại.")
    if not editable and request.method != "POST":
        messages.warning(request, closed)
        return redirect("models_registry:detail", pk=pk)
    campaign = registration.campaign
    form = RegistrationForm(
        request.POST or None,
        instance=registration,
        organization=registration.organization,
        campaign=campaign,
    )
    partners, milestones = _formsets(request, campaign, registration)
    if not editable:
        # Saved from a page opened before the model was sent: nothing is saved, and what
        # was typed stays on the page, to be copied, with the reason.
        _all_valid(form, partners, milestones)
        form.add_error(None, closed)
    elif request.method == "POST" and _all_valid(form, partners, milestones):
        try:
            services.registration_update(
                actor=request.user,
                registration=registration,
                data=form.service_data(),
                expected_version=form.expected_version,
                partners=partner_rows(partners),
                milestones=milestone_rows(milestones),
            )
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("models_registry:detail", pk=pk)
    return render(
        request,
        "models_registry/form.html",
        _form_context(
            form,
            partners,
            milestones,
            campaign=campaign,
            unit=registration.unit,
            on_behalf=registration.on_behalf,
            registration=registration,
        ),
    )


@require_GET
def registration_detail(request, pk: int):
    registration = _registration(request, pk)
    user = request.user
    answers, kept_answers = questions.answers_of(registration)
    history = (
        selectors.registration_history(registration)
        if registration.continues_id or hasattr(registration, "continued_by")
        else []
    )
    can_edit = user.has_perm("models_registry.change_registration", registration)
    window_open = registration.status == Status.DRAFT and services.registration_window_open(
        campaign=registration.campaign, unit=registration.unit
    )
    # Closed before the campaign opens registrations, and after its deadline: only after
    # the deadline is there an extension to ask for.
    today = timezone.localdate()
    deadline_passed = registration.campaign.registration_deadline < today
    may_ask = registration.campaign.past_registration_deadline(today)
    # Past the deadline, the unit's officer asks for more time from here.
    late_request = (
        LateRequest.objects.filter(
            campaign=registration.campaign_id, unit=registration.unit_id
        ).first()
        if registration.status == Status.DRAFT
        and not window_open
        and may_ask
        and is_officer_of_unit.test(user, registration)
        else None
    )
    return render(
        request,
        "models_registry/detail.html",
        {
            "registration": registration,
            "answers": answers,
            "kept_answers": kept_answers,
            "history": history,
            "evidence": [
                e for e in selectors.registration_evidence(registration) if e.report_id is None
            ],
            "reports": selectors.registration_reports(registration),
            "timeline": selectors.registration_timeline(registration),
            "panels": panels.render("registration_detail", request, registration),
            "actions": [
                (move, ReasonForm.for_item(move.target) if move.needs_reason else None)
                for move in services.WORKFLOW.buttons(user, registration)
            ],
            "can_edit": can_edit,
            # A draft is saved unfinished: say what it still lacks before it can be sent.
            "unanswered": questions.missing(registration) if can_edit else [],
            "can_comment": user.has_perm("models_registry.comment_registration", registration),
            "can_attach": user.has_perm("models_registry.attach_evidence", registration),
            "can_report": user.has_perm("models_registry.report_progress", registration),
            "launch_form": LaunchForm(initial={"launched_on": registration.launched_on})
            if user.has_perm("models_registry.record_launch", registration)
            else None,
            "level_form": LevelForm(initial={"level": registration.recognition_level})
            if user.has_perm("models_registry.set_level", registration)
            else None,
            "window_open": window_open,
            "deadline_passed": deadline_passed,
            "may_request_late": registration.status == Status.DRAFT
            and not window_open
            and may_ask
            and is_officer_of_unit.test(user, registration),
            "late_request": late_request,
            "evidence_form": EvidenceForm(),
            "comment_form": CommentForm(),
        },
    )


@require_POST
def registration_transition(request, pk: int, to: str):
    registration = _registration(request, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.registration_transition(
            actor=request.user,
            registration=registration,
            to=to,
            reason=form.cleaned_data.get("reason", ""),
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("%(code)s: %(status)s.") % {"code": registration.code, "status": Status(to).label},
        )
    return redirect("models_registry:detail", pk=pk)


@require_POST
def evidence_upload(request, pk: int):
    registration = _registration(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            stored = services.evidence_add(
                actor=request.user, registration=registration, files=form.cleaned_data["files"]
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã đính kèm %(count)s tệp.") % {"count": len(stored)})
    else:
        for error in form.errors.as_data().get("files", []):
            if error.code == "required":
                messages.error(request, _("Hãy chọn ít nhất một tệp."))
            else:
                messages.error(request, " ".join(error.messages))
    return redirect(reverse("models_registry:detail", args=[pk]) + "#evidence")


def _evidence(request, evidence_pk: int) -> Evidence:
    evidence = get_object_or_404(
        Evidence.objects.select_related("registration"),
        pk=evidence_pk,
        registration__organization=_organization(request),
    )
    if not request.user.has_perm("models_registry.view_evidence", evidence.registration):
        raise Http404
    return evidence


@require_GET
def evidence_download(request, evidence_pk: int):
    """Private files go out only through here, to those who may see the registration."""
    evidence = _evidence(request, evidence_pk)
    return private_file_response(
        evidence.file,
        content_type=evidence.content_type,
        filename=evidence.original_name,
        inline=evidence.is_image and request.GET.get("view") == "1",
    )


@require_POST
def evidence_delete(request, evidence_pk: int):
    evidence = _evidence(request, evidence_pk)
    try:
        services.evidence_delete(actor=request.user, evidence=evidence)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Đã xóa tệp."))
    return redirect(
        reverse("models_registry:detail", args=[evidence.registration_id]) + "#evidence"
    )


@require_http_methods(["GET", "POST"])
def report_create(request, pk: int):
    registration = _registration(request, pk, "models_registry.report_progress")
    form = ProgressReportForm(
        request.POST or None, request.FILES or None, initial={"reported_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_report_add(
                actor=request.user,
                registration=registration,
                data=form.cleaned_data,
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Đã gửi báo cáo tiến độ."))
            return redirect(reverse("models_registry:detail", args=[pk]) + "#reports")
    return render(
        request, "models_registry/report_form.html", {"registration": registration, "form": form}
    )


@require_POST
def comment_create(request, pk: int):
    registration = _registration(request, pk, "models_registry.comment_registration")
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(
            actor=request.user, registration=registration, body=form.cleaned_data["body"]
        )
        messages.success(request, _("Đã gửi trao đổi."))
    else:
        messages.error(request, _("Hãy nhập nội dung trao đổi."))
    return redirect(reverse("models_registry:detail", args=[pk]) + "#timeline")


@require_GET
def registration_document(request, pk: int, fmt: str):
    registration = _registration(request, pk)
    document = registration_form_document(registration)
    content = (
        documents_render.render_docx(document)
        if fmt == "docx"
        else documents_render.render_pdf(document)
    )
    return file_response(content, fmt, filename=f"Phiếu đăng ký {registration.code}.{fmt}")


def _late_page(request, campaign, form, bound=None):
    """The office's late-submission page: the requests waiting (each with its grant and
    refuse forms; ``bound`` replaces one of them by the form just posted, with its
    errors), the exceptions granted, and the decided requests."""
    pending, decided = selectors.late_requests_of_campaign(campaign=campaign)
    rows = []
    for late_request in pending:
        grant = LateGrantForm.for_request(late_request)
        refuse = LateRefuseForm.for_request(late_request)
        if bound is not None and bound.prefix == grant.prefix:
            grant = bound
        elif bound is not None and bound.prefix == refuse.prefix:
            refuse = bound
        rows.append((late_request, grant, refuse))
    granted = campaign.late_exceptions.select_related("unit", "granted_by").order_by("unit__name")
    return render(
        request,
        "models_registry/late.html",
        {
            "campaign": campaign,
            "form": form,
            "granted": granted,
            "pending": rows,
            "decided": decided,
        },
    )


def _office_campaign(request, campaign_pk: int) -> Campaign:
    campaign = get_object_or_404(Campaign, pk=campaign_pk, organization=_organization(request))
    if not request.user.has_perm("models_registry.grant_late_exception", campaign):
        raise Http404
    return campaign


@require_http_methods(["GET", "POST"])
def late_exceptions(request, campaign_pk: int):
    campaign = _office_campaign(request, campaign_pk)
    form = LateExceptionForm(
        request.POST or None,
        units=accounts.unit_list(organization=campaign.organization, active_only=True),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.late_grant(
                actor=request.user,
                campaign=campaign,
                unit=form.cleaned_data["unit"],
                expires_on=form.cleaned_data["expires_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Đã cho đơn vị gia hạn đăng ký."))
            return redirect("models_registry:late", campaign_pk=campaign.pk)
    return _late_page(request, campaign, form)


def _late_request(request, request_pk: int) -> LateRequest:
    """A late-submission request of the current organisation, for its office; else 404."""
    late_request = get_object_or_404(
        LateRequest.objects.select_related("campaign", "unit"),
        pk=request_pk,
        organization=_organization(request),
    )
    if not request.user.has_perm("models_registry.grant_late_exception", late_request):
        raise Http404
    return late_request


def _decide_late_request(request, request_pk: int, form_class, decide, done: str):
    late_request = _late_request(request, request_pk)
    campaign = late_request.campaign
    form = form_class.for_request(late_request, request.POST)
    if form.is_valid():
        try:
            decide(late_request, form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            if getattr(error, "code", None) == "conflict":
                messages.error(request, error_text(error))
                return redirect("models_registry:late", campaign_pk=campaign.pk)
            show_service_error(form, error)
        else:
            messages.success(request, done % {"unit": late_request.unit.name})
            return redirect("models_registry:late", campaign_pk=campaign.pk)
    empty = LateExceptionForm(
        units=accounts.unit_list(organization=campaign.organization, active_only=True)
    )
    return _late_page(request, campaign, empty, bound=form)


@require_POST
def late_request_grant(request, request_pk: int):
    return _decide_late_request(
        request,
        request_pk,
        LateGrantForm,
        lambda late_request, data: services.late_request_grant(
            actor=request.user,
            late_request=late_request,
            expires_on=data["expires_on"],
            note=data["note"],
        ),
        _("Đã cho %(unit)s gia hạn đăng ký."),
    )


@require_POST
def late_request_refuse(request, request_pk: int):
    return _decide_late_request(
        request,
        request_pk,
        LateRefuseForm,
        lambda late_request, data: services.late_request_refuse(
            actor=request.user, late_request=late_request, reason=data["reason"]
        ),
        _("Đã trả lời %(unit)s: không cho gia hạn."),
    )


@require_http_methods(["GET", "POST"])
def late_request(request, campaign_pk: int):
    """A unit officer asks the office for more time to register models of a campaign
    whose deadline has passed, and follows the answer."""
    organization = _organization(request)
    campaign = get_object_or_404(
        Campaign.objects.exclude(status=Campaign.Status.DRAFT),
        pk=campaign_pk,
        organization=organization,
    )
    if not request.user.has_perm("models_registry.request_late", campaign):
        raise Http404
    units = Unit.objects.filter(
        pk__in=accounts.unit_ids_in(request.user, organization.pk, Role.UNIT_OFFICER)
    ).order_by("name")
    unit = _chosen_unit(request, units)
    if unit is None:
        raise Http404
    refusal = services.late_request_refusal(campaign=campaign, unit=unit)
    form = LateRequestForm(request.POST or None) if not refusal else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.late_request_create(
                actor=request.user,
                campaign=campaign,
                unit=unit,
                reason=form.cleaned_data["reason"],
                wished_until=form.cleaned_data["wished_until"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request, _("Đã gửi đề nghị gia hạn; Văn phòng sẽ trả lời qua thông báo.")
            )
            return redirect(
                reverse("models_registry:late_request", args=[campaign.pk]) + f"?unit={unit.pk}"
            )
    elif request.method == "POST" and form is None:
        messages.error(request, refusal)
        return redirect(
            reverse("models_registry:late_request", args=[campaign.pk]) + f"?unit={unit.pk}"
        )
    return render(
        request,
        "models_registry/late_request.html",
        {
            "campaign": campaign,
            "unit": unit,
            "units": units if len(units) > 1 else [],
            "form": form,
            "refusal": refusal,
            "requests": selectors.late_requests_of_unit(campaign=campaign, unit=unit),
        },
    )


@require_http_methods(["GET", "POST"])
def registration_form_config(request, campaign_pk: int):
    """The office sets the campaign's registration form: which questions are shown and
    required, their names, help and order, and the questions it adds."""
    organization = _organization(request)
    campaign = get_object_or_404(
        Campaign.objects.prefetch_related("form_questions"),
        pk=campaign_pk,
        organization=organization,
    )
    if not request.user.has_perm("models_registry.configure_form", campaign):
        raise Http404
    data = request.POST if request.method == "POST" else None
    current = services.form_fingerprint(campaign)
    stamp = FormFingerprintForm(data, initial={"fingerprint": current})
    if data is not None and stamp.is_valid() and stamp.cleaned_data["fingerprint"] != current:
        # Saved meanwhile by someone else: its rows no longer match what was sent.
        messages.error(
            request,
            _(
                "Mẫu phiếu vừa được người khác sửa. Trang đã tải lại bản mới nhất; "
                "hãy sửa lại rồi lưu."
            ),
        )
        data = None
        stamp = FormFingerprintForm(initial={"fingerprint": current})
    formset = question_formset(data, questions=questions.questions_for(campaign))
    if data is not None and formset.is_valid() and stamp.is_valid():
        try:
            services.registration_form_save(
                actor=request.user,
                campaign=campaign,
                rows=[form.row() for form in formset.forms if form.has_changed() or form.question],
                fingerprint=stamp.cleaned_data["fingerprint"] or None,
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Đã lưu mẫu phiếu đăng ký."))
            return redirect("models_registry:form_config", campaign_pk=campaign.pk)
    return render(
        request,
        "models_registry/form_config.html",
        {
            "campaign": campaign,
            "formset": formset,
            "stamp": stamp,
            "registration_count": campaign.registrations.count(),
        },
    )


def _record(request, pk: int, perm: str, form_class, call, done: str):
    """A small form posted from the detail page, passed to a service; errors come back as
    a message on the page."""
    registration = _registration(request, pk, perm)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(ValidationError(form.errors)))
        return redirect("models_registry:detail", pk=pk)
    try:
        call(registration, form.cleaned_data)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, done)
    return redirect("models_registry:detail", pk=pk)


@require_POST
def registration_launch(request, pk: int):
    return _record(
        request,
        pk,
        "models_registry.record_launch",
        LaunchForm,
        lambda registration, data: services.registration_launch(
            actor=request.user,
            registration=registration,
            launched_on=data["launched_on"],
            note=data["note"],
        ),
        _("Đã ghi ngày ra mắt mô hình."),
    )


@require_POST
def registration_level(request, pk: int):
    return _record(
        request,
        pk,
        "models_registry.set_level",
        LevelForm,
        lambda registration, data: services.registration_set_level(
            actor=request.user, registration=registration, level=data["level"], note=data["note"]
        ),
        _("Đã ghi cấp công nhận."),
    )


@require_http_methods(["GET", "POST"])
def registration_continue(request, campaign_pk: int):
    """Office staff carry last year's accepted models of the stage into this year, so the
    units need not register them again."""
    organization = _organization(request)
    campaign = get_object_or_404(
        Campaign, pk=campaign_pk, organization=organization, kind=Campaign.Kind.YEARLY
    )
    if not request.user.has_perm("models_registry.continue_models", campaign):
        raise Http404
    candidates = list(selectors.continuable(campaign=campaign))
    if request.method == "POST":
        chosen = {int(pk) for pk in request.POST.getlist("registration") if pk.isdigit()}
        done, refused = [], []
        for registration in candidates:
            if registration.pk not in chosen:
                continue
            try:
                done.append(
                    services.registration_continue(
                        actor=request.user, registration=registration, into=campaign
                    )
                )
            except ValidationError as error:
                refused.append(f"{registration.code}: {error_text(error)}")
        if done:
            messages.success(
                request,
                _("Đã tiếp tục %(count)s mô hình sang năm %(year)s.")
                % {"count": len(done), "year": campaign.year},
            )
        for line in refused:
            messages.error(request, line)
        if not done and not refused:
            messages.info(request, _("Chưa chọn mô hình nào."))
        return redirect("models_registry:continue", campaign_pk=campaign.pk)
    return render(
        request,
        "models_registry/continue.html",
        {"campaign": campaign, "candidates": candidates},
    )
