from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awards import documents as award_documents
from awards import selectors, services, tasks
from awards.forms import (
    CorrectionFormSet,
    EscalationForm,
    MeetingForm,
    NominationForm,
    OutcomeForm,
    ReplacementForm,
    VoteForm,
)
from awards.models import Award, AwardDecision, CouncilMeeting, Escalation, Nomination
from campaigns.models import Campaign
from danvan import panels
from danvan.accounts import selectors as accounts
from danvan.accounts.models import Membership, Organization
from danvan.accounts.rules import is_office
from danvan.accounts.second_factor import otp_required_for_signing
from danvan.documents import render as documents_render
from danvan.documents import views as documents_views
from danvan.documents.layout import long_formats
from danvan.documents.pdf import render_page_pdf
from danvan.documents.selectors import file_response, issued_file_response
from danvan.forms import ReasonForm, error_text, show_service_error
from danvan.jobs import services as jobs
from danvan.pagination import KeysFirstPaginator
from danvan.uploads import private_file_response
from evaluations.selectors import registration_rounds
from models_registry.models import Registration

Role = Membership.Role
Status = Nomination.Status


def _organization(request) -> Organization:
    if request.organization is None:
        raise Http404
    return request.organization


def _require(request, perm: str, obj) -> None:
    if not request.user.has_perm(perm, obj):
        raise Http404


def _campaign(request, pk: int) -> Campaign:
    return get_object_or_404(
        Campaign.objects.exclude(status=Campaign.Status.DRAFT).select_related(
            "organization", "issued_document"
        ),
        pk=pk,
        organization=_organization(request),
    )


def _nomination(request, pk: int) -> Nomination:
    nomination = get_object_or_404(
        Nomination.objects.select_related(
            "unit", "registration", "award_form", "campaign", "organization"
        ),
        pk=pk,
        organization=_organization(request),
    )
    if not request.user.has_perm("awards.view_nomination", nomination):
        raise Http404
    return nomination


HOME_NOMINATIONS = 50


@require_GET
def awards_home(request):
    organization = _organization(request)
    _require(request, "awards.use_awards", organization)
    today = timezone.localdate()
    campaigns = list(selectors.campaign_summary(organization=organization))
    # Newest first, fifty a page: for a unit officer, the only list of the unit's own.
    page = Paginator(
        selectors.nomination_list(user=request.user, organization=organization).order_by(
            "-created_at", "-pk"
        ),
        HOME_NOMINATIONS,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "awards/home.html",
        {
            "campaigns": campaigns,
            "open_campaigns": [c for c in campaigns if c.takes_nominations(today)]
            if request.user.has_perm("awards.nominate", organization)
            else [],
            "nominations": page.object_list,
            "page": page,
            "is_back_office": request.user.has_perm("awards.view_campaign_awards", organization),
            "is_office": is_office.test(request.user, organization),
        },
    )


@require_http_methods(["GET", "POST"])
def nomination_create(request, campaign_pk: int):
    campaign = _campaign(request, campaign_pk)
    organization = campaign.organization
    _require(request, "awards.nominate", campaign)
    office = is_office.test(request.user, organization)
    own_units = accounts.unit_ids_in(request.user, organization.pk, Role.UNIT_OFFICER)
    units = accounts.unit_list(organization=organization, active_only=True)
    registrations = Registration.objects.filter(
        # The organisation first: the index on (organisation, campaign, status) counts
        # them, not the campaign's index through the whole country's table.
        organization=organization,
        campaign=campaign,
        status__in=[Registration.Status.RECOGNISED, Registration.Status.REPLICATED],
    ).select_related("unit")
    if not office:
        units = units.filter(pk__in=own_units)
        registrations = registrations.filter(unit_id__in=own_units)
    form = NominationForm(
        request.POST or None, request.FILES or None, units=units, registrations=registrations
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination = services.nomination_create(
                actor=request.user,
                campaign=campaign,
                kind=data["kind"],
                award_form=data["award_form"],
                achievements=data["achievements"],
                unit=data.get("unit"),
                person_name=data.get("person_name", ""),
                person_position=data.get("person_position", ""),
                registration=data.get("registration"),
                report=data.get("report"),
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Đã gửi đề nghị khen thưởng."))
            return redirect("awards:nomination", pk=nomination.pk)
    return render(request, "awards/nomination_form.html", {"campaign": campaign, "form": form})


def _evaluation_rounds(registration, user):
    """The model's results round by round, as the user may see them."""
    return registration_rounds(registration, user=user) if registration is not None else []


@require_GET
def nomination_detail(request, pk: int):
    return _nomination_page(request, _nomination(request, pk))


def _nomination_page(request, nomination, escalation_form=None):
    """The nomination's page, with the escalation form as the user filled it in when it
    was refused (what was typed is kept)."""
    user = request.user
    context = {
        "nomination": nomination,
        "votes": list(nomination.votes.select_related("meeting").order_by("meeting__held_on")),
        "rounds": _evaluation_rounds(nomination.registration, request.user),
        "can_withdraw": services.WORKFLOW.may(user, nomination, Status.WITHDRAWN),
        "can_escalate": services.WORKFLOW.may(user, nomination, Status.ESCALATED)
        and nomination.award_form.level == "higher",
        "escalation_form": escalation_form
        or EscalationForm(initial={"sent_on": timezone.localdate()}),
        "panels": panels.render("nomination_detail", request, nomination),
    }
    return render(request, "awards/nomination_detail.html", context)


@require_POST
def nomination_withdraw(request, pk: int):
    nomination = _nomination(request, pk)
    try:
        services.nomination_withdraw(actor=request.user, nomination=nomination)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã rút đề nghị."))
    return redirect("awards:nomination", pk=pk)


@require_POST
def nomination_escalate(request, pk: int):
    nomination = _nomination(request, pk)
    _require(request, "awards.escalate", nomination)
    form = EscalationForm(request.POST)
    if not form.is_valid():
        return _nomination_page(request, nomination, form)
    try:
        services.escalation_send(actor=request.user, nomination=nomination, **form.cleaned_data)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        show_service_error(form, error)
        return _nomination_page(request, nomination, form)
    messages.success(request, _("Đã ghi nhận gửi đề nghị lên cấp trên."))
    return redirect("awards:nomination", pk=pk)


@require_GET
def nomination_report(request, pk: int, fmt: str):
    nomination = _nomination(request, pk)
    if nomination.report and fmt == nomination.report_format:
        return private_file_response(
            nomination.report,
            content_type=services.REPORT_TYPES[fmt],
            filename=nomination.report_name,
        )
    rounds = [r for r in _evaluation_rounds(nomination.registration, request.user) if r.final]
    document = award_documents.achievement_report_document(nomination, rounds)
    content = (
        documents_render.render_docx(document)
        if fmt == "docx"
        else documents_render.render_pdf(document)
    )
    return file_response(
        content, fmt, filename=f"Báo cáo thành tích {nomination.nominee_name}.{fmt}"
    )


NOMINATIONS_PER_PAGE = 100


@require_GET
def campaign_awards(request, pk: int):
    campaign = _campaign(request, pk)
    _require(request, "awards.view_campaign_awards", campaign)
    page = Paginator(
        selectors.nomination_list(
            user=request.user, organization=campaign.organization, campaign=campaign
        ),
        NOMINATIONS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "awards/campaign.html",
        {
            "campaign": campaign,
            "nominations": page.object_list,
            "page": page,
            "meetings": campaign.council_meetings.order_by("-held_on"),
            "decisions": selectors.decisions_for(organization=campaign.organization).filter(
                campaign=campaign
            ),
            "is_office": request.user.has_perm("awards.manage_council", campaign),
            "can_nominate": campaign.takes_nominations(timezone.localdate())
            and request.user.has_perm("awards.nominate", campaign),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_create(request, campaign_pk: int):
    campaign = _campaign(request, campaign_pk)
    _require(request, "awards.manage_council", campaign)
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=request.user, campaign=campaign, data=form.cleaned_data
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            return redirect("awards:meeting", pk=meeting.pk)
    return render(request, "awards/meeting_form.html", {"campaign": campaign, "form": form})


def _meeting(request, pk: int) -> CouncilMeeting:
    meeting = get_object_or_404(
        selectors.meetings_for_documents(),
        pk=pk,
        organization=_organization(request),
    )
    _require(request, "awards.view_council", meeting)
    return meeting


# The results and the ballot go a page at a time: a commune's council may vote on
# thousands of nominations, too many fields for one form (DATA_UPLOAD_MAX_NUMBER_FIELDS).
MEETING_PAGE = 100


@require_http_methods(["GET", "POST"])
def meeting_detail(request, pk: int):
    meeting = _meeting(request, pk)
    results = KeysFirstPaginator(selectors.votes_of(meeting), MEETING_PAGE).get_page(
        request.GET.get("page")
    )
    ballot = KeysFirstPaginator(selectors.nominations_to_vote(meeting), MEETING_PAGE).get_page(
        request.GET.get("ballot")
    )
    nominations = list(ballot.object_list)
    shown = request.POST.getlist("shown")[:MEETING_PAGE] if request.method == "POST" else []
    if shown:
        # The nominations the form showed, not this page of the list as it is now: one
        # withdrawn or added meanwhile would move the typed votes to another page.
        nominations = list(selectors.nominations_shown(meeting, shown))
    recorded = dict(
        meeting.votes.filter(nomination__in=[n.pk for n in nominations]).values_list(
            "nomination_id", "votes_in_favour"
        )
    )
    form = VoteForm(
        request.POST or None,
        nominations=nominations,
        present=meeting.present,
        initial_votes=recorded,
    )
    if request.method == "POST":
        _require(request, "awards.manage_council", meeting)
        if form.is_valid():
            try:
                services.votes_record(actor=request.user, meeting=meeting, votes=form.votes())
            except ValidationError as error:
                form.apply_service_error(error)
            else:
                messages.success(request, _("Đã ghi kết quả bỏ phiếu."))
                return redirect(request.get_full_path())
    return render(
        request,
        "awards/meeting.html",
        {
            "meeting": meeting,
            "votes": [(vote, vote.passed) for vote in results],
            "page": results,
            "ballot": ballot,
            "form": form,
            "is_office": request.user.has_perm("awards.manage_council", meeting),
            # The submission's table has a line of the total below the votes.
            "long_documents": {
                "minutes": long_formats(results.paginator.count),
                "submission": long_formats(results.paginator.count + 1),
            },
        },
    )


@require_GET
def meeting_document(request, pk: int, document: str, fmt: str):
    meeting = _meeting(request, pk)
    try:
        spec, name = award_documents.meeting_file(meeting, document)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("awards:meeting", pk=pk)
    back = reverse("awards:meeting", args=[pk])
    return documents_views.document_file(request, spec, fmt, filename=name, back=back)


@require_POST
def meeting_document_job(request, pk: int, document: str, fmt: str):
    """A long meeting's minutes or submission, made in the background."""
    meeting = _meeting(request, pk)
    try:
        _spec, name = award_documents.meeting_file(meeting, document)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("awards:meeting", pk=pk)
    return documents_views.document_job(
        request,
        organization=meeting.organization,
        name=name,
        fmt=fmt,
        builder="council_meeting",
        arguments={"meeting_id": meeting.pk, "document": document},
    )


def _decision(request, pk: int) -> AwardDecision:
    decision = get_object_or_404(
        AwardDecision.objects.select_related(
            "issued_document",
            "signer",
            "campaign",
            "organization",
            "replaces__issued_document",
            "replaced_by__issued_document",
        ),
        pk=pk,
        organization=_organization(request),
    )
    _require(request, "awards.view_decisions", decision)
    return decision


AWARDS_PER_PAGE = 100


@require_GET
def decision_detail(request, pk: int):
    decision = _decision(request, pk)
    # A commune's year-end decision may award thousands: a hundred lines at a time.
    page = KeysFirstPaginator(selectors.decision_awards(decision), AWARDS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "awards/decision.html",
        {
            "decision": decision,
            "awards": page,
            # One reason box per award, written straight into the page: a hundred of them
            # through the form's templates took 40% of the page's time.
            "revoke_form": ReasonForm(),
            "page": page,
            "can_revoke": request.user.has_perm("awards.revoke_award", decision),
            "can_replace": request.user.has_perm("awards.replace_decision", decision)
            and not hasattr(decision, "replaced_by"),
            "can_render": request.user.has_perm("documents.render_document", decision),
            "signatures": list(decision.issued_document.signatures.all()),
        },
    )


@otp_required_for_signing
@require_http_methods(["GET", "POST"])
def decision_replace(request, pk: int):
    """Replace an issued decision that has a mistake with a new one that names it."""
    decision = _decision(request, pk)
    _require(request, "awards.replace_decision", decision)
    if hasattr(decision, "replaced_by"):
        messages.info(request, _("Quyết định này đã được thay thế."))
        return redirect("awards:decision", pk=decision.replaced_by.pk)
    # Only people's names and positions can be corrected: a decision of thousands of
    # models' awards is not read to find its few people (5,715 awards: 362 ms to 24 ms).
    awards = list(
        selectors.decision_awards(decision).filter(
            revoked_at__isnull=True, nomination__kind__in=("individual", "household")
        )
    )
    data = request.POST if request.method == "POST" else None
    form = ReplacementForm(
        data,
        required=decision.organization.numbers_from_register,
        initial={"decided_on": timezone.localdate()},
    )
    corrections = CorrectionFormSet(
        data,
        prefix="corrections",
        initial=[
            {
                "award_id": award.pk,
                "person_name": award.nomination.person_name,
                "person_position": award.nomination.person_position,
            }
            for award in awards
        ],
    )
    if request.method == "POST" and form.is_valid() and corrections.is_valid():
        try:
            replacement = services.decision_replace(
                actor=request.user,
                decision=decision,
                reason=form.cleaned_data["reason"],
                decided_on=form.cleaned_data["decided_on"],
                number=form.cleaned_data.get("number"),
                corrections=[services.Correction(**row) for row in corrections.cleaned_data if row],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request,
                _("Đã ban hành Quyết định số %(number)s thay thế Quyết định số %(old)s.")
                % {
                    "number": replacement.issued_document.number_symbol,
                    "old": decision.issued_document.number_symbol,
                },
            )
            return redirect("awards:decision", pk=replacement.pk)
    return render(
        request,
        "awards/decision_replace.html",
        {
            "decision": decision,
            "form": form,
            "corrections": corrections,
            "rows": list(zip(awards, corrections.forms, strict=False)),
        },
    )


@require_GET
def decision_download(request, pk: int, fmt: str):
    decision = _decision(request, pk)
    issued = decision.issued_document
    return issued_file_response(
        issued, fmt, filename=f"{award_documents.decision_file_stem(issued)}.{fmt}"
    )


@require_POST
def decision_certificates(request, pk: int):
    """Every certificate of the decision in one PDF, made in the background."""
    decision = _decision(request, pk)
    if not decision.awards.filter(revoked_at__isnull=True).exists():
        messages.error(request, _("Quyết định không còn khen thưởng nào để in giấy khen."))
        return redirect("awards:decision", pk=pk)
    jobs.job_start(
        actor=request.user,
        organization=decision.organization,
        kind="certificates",
        title=_("In giấy khen theo Quyết định %(number)s")
        % {"number": decision.issued_document.number_symbol},
        task=tasks.decision_certificates,
        decision_id=decision.pk,
    )
    messages.success(request, _("Đang in giấy khen; tải tệp PDF ở đây khi xong."))
    return redirect("jobs:list")


@require_POST
@otp_required_for_signing
def award_revoke(request, pk: int):
    award = get_object_or_404(Award, pk=pk, organization=_organization(request))
    # Back to the page of the decision's list that holds the award.
    before = Award.objects.filter(decision_id=award.decision_id, position__lt=award.position)
    back = (
        f"{reverse('awards:decision', args=[award.decision_id])}"
        f"?page={before.count() // AWARDS_PER_PAGE + 1}"
    )
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi lý do thu hồi."))
        return redirect(back)
    try:
        services.award_revoke(actor=request.user, award=award, reason=form.cleaned_data["reason"])
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã thu hồi khen thưởng; quyết định và lịch sử vẫn được giữ."))
    return redirect(back)


@require_GET
def certificate(request, pk: int):
    award = get_object_or_404(
        Award.objects.select_related(
            "decision__issued_document",
            "decision__signer",
            "decision__organization",
            "decision__campaign",
            "award_form",
            "nomination__registration",
        ),
        pk=pk,
        organization=_organization(request),
    )
    _require(request, "awards.view_decisions", award)
    if award.is_revoked:
        raise Http404
    content = render_page_pdf(award_documents.certificate_html(award))
    form = award.award_form
    title = (
        form.paper_title.capitalize()
        if form.paper_title
        else ("Giấy khen" if not form.is_title else form.name)
    )
    return file_response(content, "pdf", filename=f"{title} {award.recipient_name}.pdf")


@require_GET
def escalations(request):
    organization = _organization(request)
    _require(request, "awards.view_escalations", organization)
    return render(
        request,
        "awards/escalations.html",
        {
            "escalations": selectors.escalations_for(organization=organization),
            "outcome_form": OutcomeForm(initial={"outcome_on": timezone.localdate()}),
            "is_office": is_office.test(request.user, organization),
        },
    )


@require_POST
def escalation_outcome(request, pk: int):
    escalation = get_object_or_404(Escalation, pk=pk, organization=_organization(request))
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.escalation_record_outcome(
                actor=request.user, escalation=escalation, **form.cleaned_data
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Đã ghi kết quả."))
    else:
        messages.error(request, _("Hãy chọn kết quả và ngày."))
    return redirect("awards:escalations")


HONOURS_PER_PAGE = 60


def _honour_board(request, organization, *, public: bool) -> HttpResponse:
    """One year of the board at a time (the newest by default), a page of cards at a
    time: a commune of 100,000 models has thousands of awards a year, and the public
    board is open to anyone."""
    years = selectors.honour_years(organization=organization)
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isascii() and asked.isdigit() and int(asked) in years else None
    if year is None and years:
        year = years[0]
    page = None
    if year is not None:
        page = KeysFirstPaginator(
            selectors.honour_board(organization=organization, year=year), HONOURS_PER_PAGE
        ).get_page(request.GET.get("page"))
    return render(
        request,
        "awards/honour_board.html",
        {
            "organization": organization,
            "years": years,
            "year": year,
            "page": page,
            "public": public,
        },
    )


@require_GET
def honour_board(request):
    organization = _organization(request)
    _require(request, "awards.view_decisions", organization)
    return _honour_board(request, organization, public=False)


@login_not_required
@require_GET
def public_honour_board(request, code: str):
    """The honour board for everyone, where the organisation chose to publish it."""
    organization = get_object_or_404(
        Organization, code=code, is_active=True, honour_board_public=True
    )
    return _honour_board(request, organization, public=True)
