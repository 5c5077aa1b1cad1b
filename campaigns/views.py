from datetime import date, datetime, time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import selectors, services
from campaigns.documents import body_signature_block, plan_document, signature_block
from campaigns.forms import BodyIssueForm, CampaignForm, ItemForm, LegalBasisForm, SectionForm
from campaigns.models import Campaign, Item, LegalBasis, Section
from danvan import panels
from danvan.accounts.second_factor import otp_required_for_signing
from danvan.documents import render as documents_render
from danvan.documents.selectors import file_response, issued_file_response
from danvan.forms import RegisterNumberForm, error_text, show_service_error

# The print view is a standalone document page: its styles travel inside it (the
# issued one is frozen as it was), and it runs no script at all.
DOCUMENT_CSP = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}


def _campaign(request, pk: int, perm: str = "campaigns.view_campaign") -> Campaign:
    """The campaign if it belongs to the current organisation and the user may see it; else 404."""
    campaign = get_object_or_404(
        Campaign.objects.select_related(
            "organization", "issued_document", "issued_document__issued_by"
        ),
        pk=pk,
        organization=request.organization,
    )
    if not request.user.has_perm("campaigns.view_campaign", campaign):
        raise Http404
    if perm != "campaigns.view_campaign" and not request.user.has_perm(perm, campaign):
        raise Http404
    return campaign


def _draft_for_office(request, pk: int) -> Campaign | None:
    """A draft the office may edit; an issued one sends the user back with a message."""
    campaign = _campaign(request, pk)
    if not request.user.has_perm("campaigns.clone_campaign", campaign):  # office staff
        raise Http404
    if not campaign.is_draft:
        messages.warning(request, _("Kế hoạch đã ban hành; không sửa được nữa."))
        return None
    return campaign


@require_GET
def campaign_list(request):
    organization = request.organization
    if organization is None:
        raise Http404
    can_add = request.user.has_perm("campaigns.add_campaign", organization)
    include_drafts = request.user.has_perm("campaigns.view_drafts", organization)
    campaigns = selectors.campaign_list(organization=organization, include_drafts=include_drafts)
    today = timezone.localdate()
    rows = [(campaign, campaign.phase(today)) for campaign in campaigns]
    return render(request, "campaigns/list.html", {"rows": rows, "can_add": can_add})


@require_http_methods(["GET", "POST"])
def campaign_create(request):
    organization = request.organization
    if organization is None or not request.user.has_perm("campaigns.add_campaign", organization):
        raise Http404
    kind = (
        Campaign.Kind.STAGE
        if request.GET.get("kind") == Campaign.Kind.STAGE
        else Campaign.Kind.YEARLY
    )
    form = CampaignForm(
        request.POST or None,
        initial=_new_campaign_initial(kind),
        organization=request.organization,
        kind=kind,
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                actor=request.user, organization=organization, data=form.cleaned_data, kind=kind
            )
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("Đã tạo dự thảo kế hoạch. Hãy soạn các mục và điểm."))
            return redirect("campaigns:plan", pk=campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": None})


def _new_campaign_initial(kind: str = Campaign.Kind.YEARLY) -> dict:
    year = timezone.localdate().year
    if kind == Campaign.Kind.STAGE:
        first = year + 1 if timezone.localdate().month > 6 else year
        last = first + 4
        return {
            "year": first,
            "end_year": last,
            "name": f"Phong trào thi đua “Dân vận khéo” giai đoạn {first}–{last}",
            "plan_subject": (
                f"Về việc thực hiện phong trào thi đua “Dân vận khéo” giai đoạn {first}–{last}"
            ),
            "recipients": "Lưu: VT.",
        }
    return {
        "year": year,
        "name": f"Phong trào thi đua “Dân vận khéo” năm {year}",
        "plan_subject": f"Về việc phát động phong trào thi đua “Dân vận khéo” năm {year}",
        "recipients": "Lưu: VT.",
    }


@require_GET
def campaign_detail(request, pk: int):
    campaign = _campaign(request, pk)
    user = request.user
    context = {
        "campaign": campaign,
        "phase": campaign.phase(timezone.localdate()),
        "days_left": campaign.registration_days_left(timezone.localdate()),
        "can_edit": user.has_perm("campaigns.change_campaign", campaign),
        "can_clone": user.has_perm("campaigns.clone_campaign", campaign),
        "can_issue": user.has_perm("campaigns.issue_campaign", campaign),
        "can_close": user.has_perm("campaigns.close_campaign", campaign),
        "can_send_for_signature": user.has_perm("campaigns.send_for_signature", campaign),
        "can_render": user.has_perm("documents.render_document", campaign),
        "panels": panels.render("campaign_detail", request, campaign),
        "yearly_campaigns": (
            [
                c
                for c in selectors.stage_campaigns(campaign)
                if not c.is_draft or user.has_perm("campaigns.view_drafts", campaign)
            ]
            if campaign.is_stage
            else []
        ),
    }
    if campaign.issued_document_id:
        context["signatures"] = list(campaign.issued_document.signatures.all())
    return render(request, "campaigns/detail.html", context)


@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int):
    campaign = _draft_for_office(request, pk)
    if campaign is None:
        return redirect("campaigns:detail", pk=pk)
    form = CampaignForm(request.POST or None, instance=campaign, organization=campaign.organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(
                actor=request.user,
                campaign=campaign,
                data=form.cleaned_data,
                expected_version=form.expected_version,
            )
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("campaigns:detail", pk=pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": campaign})


@require_POST
def campaign_clone(request, pk: int):
    campaign = _campaign(request, pk, "campaigns.clone_campaign")
    try:
        clone = services.campaign_clone(actor=request.user, campaign=campaign)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("campaigns:detail", pk=pk)
    messages.success(
        request,
        _("Đã nhân bản sang năm %(year)s. Hãy cập nhật căn cứ, ngày tháng và nội dung.")
        % {"year": clone.year},
    )
    return redirect("campaigns:edit", pk=clone.pk)


@require_http_methods(["GET", "POST"])
@otp_required_for_signing
def campaign_issue(request, pk: int):
    campaign = _campaign(request, pk)
    if not request.user.has_perm("campaigns.issue_campaign", campaign):
        if campaign.is_draft:
            raise Http404
        messages.info(request, _("Kế hoạch này đã được ban hành."))
        return redirect("campaigns:detail", pk=pk)
    parts = selectors.plan_parts(campaign=campaign)
    problems = parts.problems()
    if campaign.issuing_body_id:
        return _record_body_document(request, campaign, parts, problems)
    typed = campaign.organization.numbers_from_register and not campaign.plan_number
    number_form = RegisterNumberForm(request.POST or None) if typed else None
    if (
        request.method == "POST"
        and not problems
        and (number_form is None or number_form.is_valid())
    ):
        try:
            services.campaign_issue(
                actor=request.user,
                campaign=campaign,
                number=number_form.cleaned_data["number"] if number_form else None,
            )
        except ValidationError as error:
            if number_form is not None and hasattr(error, "error_dict"):
                show_service_error(number_form, error)
            else:
                problems = error.messages
        else:
            campaign.refresh_from_db()
            messages.success(
                request,
                _("Đã ký ban hành kế hoạch số %(number)s.")
                % {"number": campaign.issued_document.number_symbol},
            )
            return redirect("campaigns:detail", pk=pk)
    block = signature_block(campaign, request.user)
    preview = documents_render.render_html_fragment(
        plan_document(campaign, parts, signature=block, draft=True)
    )
    return render(
        request,
        "campaigns/issue.html",
        {
            "campaign": campaign,
            "problems": problems,
            "preview": preview,
            "signature": block,
            "number_form": number_form,
        },
    )


def _record_body_document(request, campaign, parts, problems):
    """The office records the launching document the Party committee or the Front signed
    on paper: who signed, on what day, with the number from the body's register."""
    body = campaign.issuing_body
    form = BodyIssueForm(
        request.POST or None,
        initial={
            "signer_name": body.head_name,
            "signed_on": min(campaign.plan_issue_date or date.max, timezone.localdate()),
            "number": campaign.plan_number,
        },
    )
    if request.method == "POST" and not problems and form.is_valid():
        data = form.cleaned_data
        signed_at = timezone.make_aware(datetime.combine(data["signed_on"], time(12)))
        try:
            services.campaign_issue(
                actor=request.user,
                campaign=campaign,
                signed_at=signed_at,
                number=data["number"],
                signer_name=data["signer_name"],
                deputy=data["deputy"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                show_service_error(form, error)
            else:
                problems = error.messages
        else:
            campaign.refresh_from_db()
            messages.success(
                request,
                _("Đã vào sổ văn bản số %(number)s.")
                % {"number": campaign.issued_document.number_symbol},
            )
            return redirect("campaigns:detail", pk=campaign.pk)
    block = body_signature_block(campaign, form["signer_name"].value() or body.head_name)
    preview = documents_render.render_html_fragment(
        plan_document(campaign, parts, signature=block, draft=True)
    )
    return render(
        request,
        "campaigns/record_body_document.html",
        {
            "campaign": campaign,
            "body": body,
            "problems": problems,
            "preview": preview,
            "form": form,
        },
    )


@require_POST
def campaign_close(request, pk: int):
    campaign = _campaign(request, pk, "campaigns.close_campaign")
    try:
        services.campaign_close(actor=request.user, campaign=campaign)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã kết thúc phong trào."))
    return redirect("campaigns:detail", pk=pk)


@require_POST
def campaign_send_for_signature(request, pk: int):
    campaign = _campaign(request, pk, "campaigns.send_for_signature")
    try:
        services.campaign_send_for_signature(actor=request.user, campaign=campaign)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã trình Chủ tịch, Phó Chủ tịch ký kế hoạch."))
    return redirect("campaigns:detail", pk=pk)


# The plan document ---------------------------------------------------------------


def _draft_document(request, campaign: Campaign):
    parts = selectors.plan_parts(campaign=campaign)
    if campaign.issuing_body_id:
        # Signed on paper by the body that launches it, as the page that records it shows.
        signature = body_signature_block(campaign, campaign.issuing_body.head_name)
    else:
        chairman = selectors.chairman_of(campaign.organization)
        signature = signature_block(campaign, chairman.user if chairman else None)
    return plan_document(campaign, parts, signature=signature, draft=True)


def _file_stem(campaign: Campaign) -> str:
    if campaign.issued_document_id:
        return f"Kế hoạch {campaign.issued_document.number_symbol.replace('/', '-')} năm {campaign.year}"
    return f"Dự thảo kế hoạch {campaign.name}"


@csp_override(DOCUMENT_CSP)
@require_GET
def plan_print(request, pk: int):
    campaign = _campaign(request, pk)
    if campaign.issued_document_id:
        if not campaign.issued_document.is_ready:
            raise Http404
        html = campaign.issued_document.html
    else:
        html = documents_render.render_html(_draft_document(request, campaign))
    return HttpResponse(html)


@require_GET
def plan_download(request, pk: int, fmt: str):
    campaign = _campaign(request, pk)
    filename = f"{_file_stem(campaign)}.{fmt}"
    if campaign.issued_document_id:
        return issued_file_response(campaign.issued_document, fmt, filename=filename)
    document = _draft_document(request, campaign)
    content = (
        documents_render.render_docx(document)
        if fmt == "docx"
        else documents_render.render_pdf(document)
    )
    return file_response(content, fmt, filename=filename)


@require_GET
def plan_editor(request, pk: int):
    campaign = _draft_for_office(request, pk)
    if campaign is None:
        return redirect("campaigns:detail", pk=pk)
    parts = selectors.plan_parts(campaign=campaign)
    return render(
        request,
        "campaigns/plan_editor.html",
        {"campaign": campaign, "parts": parts, "problems": parts.problems(), "roles": Item.Role},
    )


PART_FORMS = {
    "basis": (LegalBasis, LegalBasisForm),
    "section": (Section, SectionForm),
    "item": (Item, ItemForm),
}


def _part(campaign: Campaign, kind: str, part_pk: int):
    model, _form = PART_FORMS[kind]
    lookup = {"section__campaign": campaign} if model is Item else {"campaign": campaign}
    return get_object_or_404(model, pk=part_pk, **lookup)


@require_http_methods(["GET", "POST"])
def plan_part_edit(
    request, pk: int, kind: str, part_pk: int | None = None, section_pk=None, parent_pk=None
):
    """Add or change a legal basis, section or point of a draft plan."""
    campaign = _draft_for_office(request, pk)
    if campaign is None:
        return redirect("campaigns:detail", pk=pk)
    model, form_class = PART_FORMS[kind]
    if part_pk is not None:
        instance = _part(campaign, kind, part_pk)
    elif model is Item:
        parent = _part(campaign, "item", parent_pk) if parent_pk else None
        section = (
            parent.section
            if parent
            else get_object_or_404(Section, pk=section_pk, campaign=campaign)
        )
        instance = Item(section=section, parent=parent)
    else:
        instance = model(campaign=campaign)
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            saved = services.plan_part_save(
                actor=request.user,
                instance=instance,
                data=data,
                expected_version=form.expected_version,
            )
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(f"{_editor_url(campaign)}#{kind}-{saved.pk}")
    return render(
        request,
        "campaigns/part_form.html",
        {"campaign": campaign, "form": form, "kind": kind, "instance": instance},
    )


def _editor_url(campaign: Campaign) -> str:
    from django.urls import reverse

    return reverse("campaigns:plan", kwargs={"pk": campaign.pk})


@require_POST
def plan_part_delete(request, pk: int, kind: str, part_pk: int):
    campaign = _draft_for_office(request, pk)
    if campaign is None:
        return redirect("campaigns:detail", pk=pk)
    try:
        services.plan_part_delete(actor=request.user, instance=_part(campaign, kind, part_pk))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã xóa."))
    return redirect(_editor_url(campaign))


@require_POST
def plan_part_move(request, pk: int, kind: str, part_pk: int, direction: str):
    campaign = _draft_for_office(request, pk)
    if campaign is None:
        return redirect("campaigns:detail", pk=pk)
    instance = _part(campaign, kind, part_pk)
    services.plan_part_move(
        actor=request.user, instance=instance, step=-1 if direction == "up" else 1
    )
    return redirect(f"{_editor_url(campaign)}#{kind}-{instance.pk}")
