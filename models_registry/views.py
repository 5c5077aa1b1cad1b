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
from danvan.forms import ReasonForm, error_text, show_service_error
from danvan.jobs import services as jobs
from danvan.pagination import BoundedPaginator
from danvan.uploads import private_file_response
from models_registry import exports, selectors, services, tasks
from models_registry.documents import registration_form_document
from models_registry.forms import (
    CommentForm,
    EvidenceForm,
    LateExceptionForm,
    LeadUnitForm,
    MilestoneFormSet,
    PartnerFormSet,
    ProgressReportForm,
    RegistrationForm,
    filters_of,
    milestone_rows,
    partner_rows,
    registration_filters,
)
from models_registry.models import Evidence, Registration

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
    """Issued campaigns whose registration the user's units can join now, with days left."""
    units = accounts.unit_ids_in(request.user, organization.pk, Role.UNIT_OFFICER)
    if not units:
        return []
    today = timezone.localdate()
    return [
        (campaign, campaign.registration_days_left(today))
        for campaign in Campaign.objects.filter(
            organization=organization, status=Campaign.Status.ISSUED
        )
        if campaign.registration_days_left(today) is not None
    ]


@require_GET
def registration_list(request):
    organization = _organization(request)
    form = _filter_form(request, organization)
    registrations = selectors.registration_list(
        user=request.user, organization=organization, filters=_filters(form)
    )
    page = BoundedPaginator(registrations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "models_registry/list.html",
        {
            "form": form,
            "page": page,
            "is_office": is_office.test(request.user, organization),
            "is_unit_officer": is_unit_officer.test(request.user, organization),
            "open_campaigns": _registering_campaigns(request, organization),
        },
    )


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
    return exports.registrations_xlsx_response(registrations, organization=organization)


def _officer_units(request, organization):
    unit_ids = accounts.unit_ids_in(request.user, organization.pk, Role.UNIT_OFFICER)
    return Unit.objects.filter(pk__in=unit_ids, is_active=True).order_by("name")


def _formsets(request, organization, registration=None):
    units = {
        unit.pk: unit for unit in accounts.unit_list(organization=organization, active_only=True)
    }
    if registration is not None and request.method != "POST":
        partners = [
            {"unit": p.unit, "outside_name": p.outside_name, "role": p.role}
            for p in registration.partners.all()
        ]
        milestones = [
            {"due_on": m.due_on, "description": m.description}
            for m in registration.milestones.all()
        ]
    else:
        partners = milestones = None
    data = request.POST if request.method == "POST" else None
    return (
        PartnerFormSet(data, prefix="partners", initial=partners, form_kwargs={"units": units}),
        MilestoneFormSet(data, prefix="milestones", initial=milestones),
    )


@require_http_methods(["GET", "POST"])
def registration_create(request):
    organization = _organization(request)
    units = _officer_units(request, organization)
    if not units:
        raise Http404
    campaigns = Campaign.objects.filter(
        organization=organization, status=Campaign.Status.ISSUED
    ).order_by("-year")
    campaign = (
        get_object_or_404(campaigns, pk=request.GET.get("campaign"))
        if request.GET.get("campaign")
        else campaigns.first()
    )
    if campaign is None:
        messages.info(request, _("Chưa có phong trào nào đang mở đăng ký."))
        return redirect("models_registry:list")
    unit = (
        units.filter(pk=request.POST.get("unit") or request.GET.get("unit")).first()
        or units.first()
    )
    form = RegistrationForm(request.POST or None)
    partners, milestones = _formsets(request, organization)
    if request.method == "POST" and all(f.is_valid() for f in (form, partners, milestones)):
        try:
            registration = services.registration_create(
                actor=request.user,
                campaign=campaign,
                unit=unit,
                data=form.cleaned_data,
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
        {
            "form": form,
            "partners": partners,
            "milestones": milestones,
            "campaign": campaign,
            "unit": unit,
            "unit_form": LeadUnitForm(units=units, initial={"unit": unit}),
            "registration": None,
        },
    )


@require_http_methods(["GET", "POST"])
def registration_edit(request, pk: int):
    registration = _registration(request, pk)
    if not request.user.has_perm("models_registry.change_registration", registration):
        if is_officer_of_unit.test(request.user, registration):
            messages.warning(
                request, _("Mô hình đã gửi; chỉ sửa được khi còn là bản nháp hoặc bị trả lại.")
            )
            return redirect("models_registry:detail", pk=pk)
        raise Http404
    form = RegistrationForm(request.POST or None, instance=registration)
    partners, milestones = _formsets(request, registration.organization, registration)
    if request.method == "POST" and all(f.is_valid() for f in (form, partners, milestones)):
        try:
            services.registration_update(
                actor=request.user,
                registration=registration,
                data=form.cleaned_data,
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
        {
            "form": form,
            "partners": partners,
            "milestones": milestones,
            "campaign": registration.campaign,
            "unit": registration.unit,
            "registration": registration,
        },
    )


@require_GET
def registration_detail(request, pk: int):
    registration = _registration(request, pk)
    user = request.user
    window_open = registration.status == Status.DRAFT and services.registration_window_open(
        campaign=registration.campaign, unit=registration.unit
    )
    return render(
        request,
        "models_registry/detail.html",
        {
            "registration": registration,
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
            "can_edit": user.has_perm("models_registry.change_registration", registration),
            "can_comment": user.has_perm("models_registry.comment_registration", registration),
            "can_attach": user.has_perm("models_registry.attach_evidence", registration),
            "can_report": user.has_perm("models_registry.report_progress", registration),
            "window_open": window_open,
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
        messages.error(request, _("Hãy chọn ít nhất một tệp."))
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


@require_http_methods(["GET", "POST"])
def late_exceptions(request, campaign_pk: int):
    organization = _organization(request)
    campaign = get_object_or_404(Campaign, pk=campaign_pk, organization=organization)
    if not request.user.has_perm("models_registry.grant_late_exception", campaign):
        raise Http404
    form = LateExceptionForm(
        request.POST or None, units=accounts.unit_list(organization=organization, active_only=True)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.late_exception_grant(
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
    granted = campaign.late_exceptions.select_related("unit", "granted_by").order_by("unit__name")
    return render(
        request,
        "models_registry/late.html",
        {"campaign": campaign, "form": form, "granted": granted},
    )
