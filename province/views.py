"""The province's pages: the roll-up across its communes (and one commune, read-only),
its exports, the queue of proposals; and the commune's side of a proposal."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from awards import documents as award_documents
from awards.models import Escalation
from awards.services import REPORT_TYPES
from danvan.documents import render as documents_render
from danvan.documents import views as documents_views
from danvan.documents.selectors import file_response
from danvan.documents.tasks import render_document
from danvan.forms import ReasonForm, show_service_error
from danvan.jobs import services as jobs
from danvan.uploads import private_file_response
from province import selectors, services, tasks
from province.forms import DecisionForm, ProposalSendForm
from province.models import Proposal
from province.rules import is_office_of_sending_commune, is_province_office, is_province_reader

Status = Proposal.Status
PAGE_SIZE = 50


def _province(request, predicate=is_province_reader):
    """The organisation the user works in, if they read (or run) its province pages."""
    organization = request.organization
    if organization is None or not predicate.test(request.user, organization):
        raise Http404
    return organization


def _year(request) -> int:
    return _year_of(request.GET.get("year"))


def _year_of(value) -> int:
    try:
        year = int(value or "")
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


ROLLUP_PAGE_SIZE = 50


@require_GET
def rollup(request):
    """The province's totals (by aggregate queries) and its communes, a page at a time,
    searched by name (accents ignored) or narrowed to those that have not launched or not
    reported. The number of queries does not depend on the number of communes."""
    province = _province(request)
    year = _year(request)
    query = request.GET.get("q", "")[:100]
    state = request.GET.get("state", "")
    if state not in selectors.ENTRY_STATES:
        state = ""
    entries = selectors.commune_entries(province=province, year=year)
    summary = selectors.rollup_summary(province=province, year=year)
    shown = selectors.entries_matching(entries, query=query, state=state)
    page = Paginator(shown, ROLLUP_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.commune_rows(list(page.object_list), year=year)
    return render(
        request,
        "province/rollup.html",
        {
            "province": province,
            "year": year,
            "summary": summary,
            "communes": len(entries),
            "not_launched": len(selectors.entries_matching(entries, state="not_launched")),
            "not_reported": len(selectors.entries_matching(entries, state="not_reported")),
            "page": page,
            "rows": [(row, selectors.rating_cells(summary.bands, row)) for row in rows],
            "rating_totals": [summary.rating_totals[band] for band in summary.bands],
            "q": query,
            "exports": [
                ("xlsx", _("Xuất Excel")),
                ("docx", _("Báo cáo tổng hợp (DOCX)")),
                ("pdf", _("Báo cáo tổng hợp (PDF)")),
            ],
            "state": state,
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
            "is_office": is_province_office.test(request.user, province),
        },
    )


@require_GET
def commune(request, pk: int):
    province = _province(request)
    year = _year(request)
    organization = selectors.commune_under(province, pk, year=year)
    if organization is None:
        raise Http404
    page = Paginator(
        selectors.commune_registrations(commune=organization, year=year), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "province/commune.html",
        {
            "province": province,
            "commune": organization,
            "name": selectors.name_then(province, organization, year=year),
            "year": year,
            "page": page,
        },
    )


EXPORTS = {
    "xlsx": pgettext_lazy("export", "Bảng tổng hợp Excel năm %(year)s"),
    "docx": pgettext_lazy("export", "Báo cáo tổng hợp (DOCX) năm %(year)s"),
    "pdf": pgettext_lazy("export", "Báo cáo tổng hợp (PDF) năm %(year)s"),
}


@require_POST
def rollup_export(request):
    """The roll-up's Excel table or BC summary, made in the background (they list every
    commune); the user follows it and downloads the file on their jobs page."""
    province = _province(request)
    fmt = request.POST.get("fmt", "")
    if fmt not in EXPORTS:
        raise Http404
    year = _year_of(request.POST.get("year"))
    title = EXPORTS[fmt] % {"year": year}
    if fmt == "xlsx":
        task, arguments = tasks.rollup_workbook, {"year": year}
    else:
        task = render_document
        arguments = {
            "builder": "province_rollup_report",
            "fmt": fmt,
            "arguments": {"year": year},
        }
    jobs.job_start(
        actor=request.user,
        organization=province,
        kind=f"province-rollup-{fmt}",
        title=title,
        task=task,
        **arguments,
    )
    messages.success(request, _("Đang lập %(title)s; tải tệp ở đây khi xong.") % {"title": title})
    return redirect("jobs:list")


# Proposals -----------------------------------------------------------------------------


@require_GET
def queue(request):
    province = _province(request, is_province_office)
    status = request.GET.get("status") or ""
    if status not in Status.values:
        status = ""
    page = Paginator(
        selectors.proposal_queue(province=province, status=status or None), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "province/queue.html",
        {"province": province, "page": page, "status": status, "statuses": Status.choices},
    )


@require_GET
def sent(request):
    """The commune's proposals to its province, with their outcome."""
    organization = request.organization
    if organization is None or not request.user.has_perm("province.send_proposal", organization):
        raise Http404
    page = Paginator(selectors.proposals_sent(commune=organization), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "province/sent.html", {"page": page})


def _proposal(request, pk: int) -> tuple[Proposal, str]:
    """The proposal and the side the user sees it from: "province" (its office, in the
    province's queue) or "commune" (the sending commune's office). Others: 404."""
    organization = request.organization
    if organization is None:
        raise Http404
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "organization",
            "commune",
            "escalation",
            "nomination__award_form",
            "nomination__unit",
            "nomination__registration",
            "nomination__campaign",
            "nomination__organization",
        ),
        Q(organization=organization) | Q(commune=organization),
        pk=pk,
    )
    if proposal.organization_id == organization.pk and is_province_office.test(
        request.user, proposal
    ):
        return proposal, "province"
    if proposal.commune_id == organization.pk and is_office_of_sending_commune.test(
        request.user, proposal
    ):
        return proposal, "commune"
    raise Http404


def _moves(user, proposal: Proposal, refused: tuple[str, ReasonForm] | None = None) -> list[tuple]:
    """The province's buttons, each with its own reason field where it needs one; a
    refused move's form keeps what was typed, with the refusal."""
    return [
        (
            move,
            refused[1]
            if refused and refused[0] == move.target
            else ReasonForm.for_item(move.target),
        )
        for move in services.WORKFLOW.buttons(user, proposal)
    ]


def _proposal_page(
    request,
    proposal: Proposal,
    side: str,
    *,
    decision_form: DecisionForm | None = None,
    resend_form: ProposalSendForm | None = None,
    refused_move: tuple[str, ReasonForm] | None = None,
):
    """The proposal's page as ``side`` sees it; after a refused POST (status 400) with
    the refused form as the user filled it in."""
    user = request.user
    refused = decision_form is not None or resend_form is not None or refused_move is not None
    return render(
        request,
        "province/proposal.html",
        {
            "proposal": proposal,
            "nomination": proposal.nomination,
            "side": side,
            "votes": selectors.proposal_votes(proposal),
            "moves": _moves(user, proposal, refused_move) if side == "province" else [],
            "may_decide": side == "province"
            and services.WORKFLOW.may(user, proposal, Status.DECIDED),
            "may_resend": side == "commune" and services.WORKFLOW.may(user, proposal, Status.SENT),
            "decision_form": decision_form
            or DecisionForm(initial={"decision_date": timezone.localdate()}),
            "resend_form": resend_form
            or ProposalSendForm(initial={"cover_note": proposal.cover_note}),
            "file_again": resend_form is not None and "submission" in request.FILES,
        },
        status=400 if refused else 200,
    )


@require_GET
def proposal_detail(request, pk: int):
    proposal, side = _proposal(request, pk)
    return _proposal_page(request, proposal, side)


def _escalation_of(request, escalation_pk: int) -> Escalation:
    organization = request.organization
    if organization is None or not request.user.has_perm("province.send_proposal", organization):
        raise Http404
    return get_object_or_404(
        Escalation.objects.select_related(
            "nomination__award_form", "nomination__unit", "nomination__registration"
        ),
        pk=escalation_pk,
        organization=organization,
    )


@require_POST
def proposal_send(request, escalation_pk: int):
    """The commune's office sends an escalated nomination to its province. A refused
    send shows the form again with what was typed and why (status 400)."""
    escalation = _escalation_of(request, escalation_pk)
    form = ProposalSendForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            proposal = services.proposal_send(
                actor=request.user,
                escalation=escalation,
                cover_note=form.cleaned_data["cover_note"],
                submission=form.cleaned_data["submission"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request,
                _("Đã gửi đề nghị lên %(province)s.") % {"province": proposal.organization.name},
            )
            return redirect("province:proposal", pk=proposal.pk)
    return render(
        request,
        "province/send.html",
        {
            "escalation": escalation,
            "nomination": escalation.nomination,
            "province": selectors.province_of(escalation.organization),
            "form": form,
            "file_again": "submission" in request.FILES,
        },
        status=400,
    )


ACTIONS = {
    Status.RETURNED: services.proposal_return,
    Status.ACCEPTED: services.proposal_accept,
    Status.REJECTED: services.proposal_reject,
}


@require_POST
def proposal_move(request, pk: int, to: str):
    """Return, accept or reject. A refused move shows the page again with the reason as
    typed and why it was refused (status 400)."""
    proposal, side = _proposal(request, pk)
    if side != "province" or to not in ACTIONS:
        raise Http404
    form = ReasonForm.for_item(to, data=request.POST)
    if form.is_valid():
        arguments = {"actor": request.user, "proposal": proposal}
        if to != Status.ACCEPTED:
            arguments["reason"] = form.cleaned_data["reason"]
        try:
            ACTIONS[to](**arguments)
        except ValidationError as error:
            show_service_error(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Đã ghi: %(status)s.") % {"status": Status(to).label})
            return redirect("province:proposal", pk=pk)
    _after_refusal(request, proposal, to, form)
    return _proposal_page(request, proposal, side, refused_move=(to, form))


def _after_refusal(request, proposal: Proposal, to: str, form) -> None:
    """After a refused POST: the proposal as it is now; when the step is no longer
    possible (someone answered first), its form is gone, so say why above the page."""
    proposal.refresh_from_db()
    if not services.WORKFLOW.may(request.user, proposal, to):
        for text in form.non_field_errors():
            messages.error(request, text)


@require_POST
def proposal_decide(request, pk: int):
    proposal, side = _proposal(request, pk)
    if side != "province":
        raise Http404
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_decide(actor=request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as error:
            show_service_error(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Đã ghi quyết định khen thưởng."))
            return redirect("province:proposal", pk=pk)
    _after_refusal(request, proposal, Status.DECIDED, form)
    return _proposal_page(request, proposal, side, decision_form=form)


@require_POST
def proposal_resend(request, pk: int):
    proposal, side = _proposal(request, pk)
    if side != "commune":
        raise Http404
    form = ProposalSendForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.proposal_resend(
                actor=request.user,
                proposal=proposal,
                cover_note=form.cleaned_data["cover_note"],
                submission=form.cleaned_data["submission"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Đã gửi lại đề nghị lên cấp tỉnh."))
            return redirect("province:proposal", pk=pk)
    _after_refusal(request, proposal, Status.SENT, form)
    return _proposal_page(request, proposal, side, resend_form=form)


# The dossier ---------------------------------------------------------------------------


@require_GET
def dossier_submission(request, pk: int):
    proposal, _side = _proposal(request, pk)
    if not proposal.submission:
        raise Http404
    return private_file_response(
        proposal.submission,
        content_type=services.SUBMISSION_TYPES[proposal.submission_format],
        filename=proposal.submission_name,
    )


@require_GET
def dossier_report(request, pk: int, fmt: str):
    """The achievement report: the file the commune uploaded, or the one made from the
    nomination."""
    proposal, _side = _proposal(request, pk)
    nomination = proposal.nomination
    if nomination.report and fmt == nomination.report_format:
        return private_file_response(
            nomination.report, content_type=REPORT_TYPES[fmt], filename=nomination.report_name
        )
    spec = award_documents.achievement_report_document(nomination)
    content = (
        documents_render.render_docx(spec) if fmt == "docx" else documents_render.render_pdf(spec)
    )
    return file_response(
        content, fmt, filename=f"Báo cáo thành tích {nomination.nominee_name}.{fmt}"
    )


@require_GET
def dossier_minutes(request, pk: int, meeting_pk: int, fmt: str):
    """The minutes of a council meeting that voted on the proposal's nomination; a long
    one's file is made in the background (``dossier_minutes_job``)."""
    proposal, _side = _proposal(request, pk)
    meeting = selectors.proposal_meeting(proposal, meeting_pk)
    if meeting is None:
        raise Http404
    spec, name = award_documents.meeting_file(meeting, "minutes")
    back = reverse("province:proposal", args=[pk])
    return documents_views.document_file(request, spec, fmt, filename=name, back=back)


@require_POST
def dossier_minutes_job(request, pk: int, meeting_pk: int, fmt: str):
    """A long meeting's minutes, made in the background for whoever asked: the province's
    office or the sending commune's, each in their own organisation's jobs."""
    proposal, _side = _proposal(request, pk)
    meeting = selectors.proposal_meeting(proposal, meeting_pk)
    if meeting is None:
        raise Http404
    return documents_views.document_job(
        request,
        organization=request.organization,
        name=award_documents.MEETING_FILE_NAMES["minutes"].format(day=meeting.held_on),
        fmt=fmt,
        builder="proposal_minutes",
        arguments={"proposal_id": proposal.pk, "meeting_id": meeting.pk},
    )
