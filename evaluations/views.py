from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns.models import Campaign
from danvan.accounts import selectors as accounts
from danvan.accounts.models import Membership, User
from danvan.accounts.rules import is_evaluator, is_office, is_reader, is_unit_officer
from danvan.documents import render as documents_render
from danvan.documents.selectors import file_response
from danvan.excel import is_long_export
from danvan.forms import error_text, show_service_error
from danvan.jobs import services as jobs
from danvan.pagination import KeysFirstPaginator
from danvan.text import thousands
from danvan.uploads import private_file_response
from evaluations import exports, selectors, services, tasks
from evaluations.documents import minutes_document, minutes_filename
from evaluations.forms import (
    AssignOneForm,
    BandFormSet,
    BulkAssignForm,
    CriterionFormSet,
    RecognitionFormSet,
    RoundChoiceForm,
    RoundForm,
    ScoreForm,
    SelfAssessmentForm,
)
from evaluations.models import Assignment, Inspection, Round, SelfAssessmentFile
from evaluations.rules import is_lead_unit_officer
from evaluations.scoring import as_points, points_text
from models_registry.models import Registration
from models_registry.selectors import organization_fields

Role = Membership.Role
Status = Round.Status
PAGE_SIZE = 50


def _organization(request):
    if request.organization is None:
        raise Http404
    return request.organization


def _campaign(request, pk: int, perm: str) -> Campaign:
    """An issued (or closed) campaign of the current organisation the user may act on; else 404."""
    campaign = get_object_or_404(
        Campaign.objects.exclude(status=Campaign.Status.DRAFT).select_related("organization"),
        pk=pk,
        organization=_organization(request),
    )
    if not request.user.has_perm(perm, campaign):
        raise Http404
    return campaign


def _round(request, pk: int, perm: str = "evaluations.view_round") -> Round:
    round = get_object_or_404(
        Round.objects.select_related("campaign", "organization"),
        pk=pk,
        organization=_organization(request),
    )
    if not request.user.has_perm(perm, round):
        raise Http404
    return round


def _inspection(request, pk: int, perm: str = "evaluations.view_inspection") -> Inspection:
    try:
        inspection = selectors.inspection_detail(
            inspection_id=pk, organization=_organization(request)
        )
    except Inspection.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm(perm, inspection):
        raise Http404
    return inspection


def _assignment(request, pk: int) -> Assignment:
    try:
        return selectors.assignment_detail(assignment_id=pk, organization=_organization(request))
    except Assignment.DoesNotExist:
        raise Http404 from None


# Home ------------------------------------------------------------------------------------------


@require_GET
def home(request):
    """Evaluators: what they have to score; units: what to self-assess; office and
    leaders: the rounds of each campaign with their progress."""
    organization = _organization(request)
    user = request.user
    office = is_office.test(user, organization)
    context = {"is_office": office}
    if is_evaluator.test(user, organization):
        work = selectors.evaluator_worklist(user=request.user, organization=organization)
        context["work"] = work
        context["pending"] = sum(w.total - w.scored for w in work)
    if is_unit_officer.test(user, organization):
        context["self_assessments"] = selectors.self_assessment_rounds(
            user=request.user, organization=organization
        )
    if office or is_reader.test(user, organization):
        context["campaigns"] = selectors.campaigns_with_rounds(
            organization=organization, closed_only=not office
        )
    return render(request, "evaluations/home.html", context)


# Rubric ----------------------------------------------------------------------------------------


def _rubric_initial(rubric):
    criteria = [
        {
            "id": c.pk,
            "title": c.title,
            "description": c.description,
            "max_points": points_text(c.max_points),
            "weight": points_text(c.weight),
            "ORDER": index,
        }
        for index, c in enumerate(rubric.criterion_list, start=1)
    ]
    bands = [
        {"name": b.name, "min_score": points_text(b.min_score), "passing": b.passing}
        for b in rubric.band_list
    ]
    return criteria, bands


@require_http_methods(["GET", "POST"])
def rubric(request, campaign_pk: int):
    campaign = _campaign(request, campaign_pk, "evaluations.view_rubric")
    may_edit = request.user.has_perm("evaluations.manage_campaign", campaign)
    current = selectors.rubric_for(campaign=campaign)
    if current is None:
        if not may_edit:
            raise Http404
        # Shown, not stored: viewing a page never writes; the first save stores it.
        current = services.rubric_default_unsaved(campaign)
    editable = may_edit and not current.is_locked
    criteria_initial, bands_initial = _rubric_initial(current)
    data = request.POST if request.method == "POST" else None
    criteria = CriterionFormSet(data, prefix="criteria", initial=criteria_initial)
    bands = BandFormSet(data, prefix="bands", initial=bands_initial)
    errors = []
    if request.method == "POST":
        if not may_edit:
            raise Http404
        if criteria.is_valid() and bands.is_valid():
            expected = _int(request.POST.get("version"))
            try:
                if current.pk is None:
                    current = services.rubric_seed_default(actor=request.user, campaign=campaign)
                    if expected == 0:
                        expected = 1  # the defaults this form showed, as just stored
                services.rubric_update(
                    actor=request.user,
                    rubric=current,
                    criteria=criteria.rows(),
                    bands=bands.rows(),
                    expected_version=expected,
                )
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("Đã lưu thang điểm."))
                return redirect("evaluations:rubric", campaign_pk=campaign.pk)
        else:
            errors = [_("Chưa lưu: hãy sửa các ô được đánh dấu; nội dung bạn nhập vẫn còn.")]
    total = sum((c.max_points for c in current.criterion_list), 0)
    return render(
        request,
        "evaluations/rubric.html",
        {
            "campaign": campaign,
            "rubric": current,
            "editable": editable,
            # A refused save keeps what was typed, even if the rubric locked meanwhile.
            "show_form": editable or (may_edit and request.method == "POST"),
            "criteria": criteria,
            "bands": bands,
            "errors": errors,
            "max_total": total,
        },
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# Rounds ------------------------------------------------------------------------------------------


def _round_suggestions(campaign: Campaign) -> dict:
    """What choosing each kind of round fills in: its name, and for the reviews the
    dates the campaign's plan gives them."""
    dates = {
        Round.Kind.MID_YEAR: (campaign.mid_year_review_starts, campaign.mid_year_review_ends),
        Round.Kind.YEAR_END: (campaign.year_end_review_starts, campaign.year_end_review_ends),
    }
    suggestions = {}
    for kind in Round.Kind.values:
        suggestion = {"name": services.default_round_name(kind, campaign.year)}
        if kind in dates:
            start, end = dates[kind]
            suggestion.update(starts_on=f"{start:%d/%m/%Y}", ends_on=f"{end:%d/%m/%Y}")
        suggestions[kind] = suggestion
    return suggestions


def _round_defaults(campaign: Campaign) -> dict:
    """Mid-year review first if the campaign has none, then the year-end review."""
    taken = set(Round.objects.filter(campaign=campaign).values_list("kind", flat=True))
    if Round.Kind.MID_YEAR not in taken:
        kind, start, end = (
            Round.Kind.MID_YEAR,
            campaign.mid_year_review_starts,
            campaign.mid_year_review_ends,
        )
    elif Round.Kind.YEAR_END not in taken:
        kind, start, end = (
            Round.Kind.YEAR_END,
            campaign.year_end_review_starts,
            campaign.year_end_review_ends,
        )
    else:
        today = timezone.localdate()
        kind, start, end = Round.Kind.PERIODIC, today, today
    return {
        "kind": kind,
        "name": services.default_round_name(kind, campaign.year),
        "starts_on": start,
        "ends_on": end,
    }


@require_http_methods(["GET", "POST"])
def round_create(request, campaign_pk: int):
    campaign = _campaign(request, campaign_pk, "evaluations.manage_campaign")
    form = RoundForm(
        request.POST or None,
        instance=Round(campaign=campaign),
        initial=_round_defaults(campaign),
    )
    form.suggest_by_kind(_round_suggestions(campaign))
    if request.method == "POST" and form.is_valid():
        try:
            round = services.round_create(
                actor=request.user, campaign=campaign, data=form.cleaned_data
            )
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(
                request,
                _("Đã tạo đợt “%(name)s” với %(count)s mô hình. Hãy phân công đoàn kiểm tra.")
                % {"name": round.name, "count": round.inspections.count()},
            )
            return redirect("evaluations:round", pk=round.pk)
    return render(
        request, "evaluations/round_form.html", {"form": form, "campaign": campaign, "round": None}
    )


@require_http_methods(["GET", "POST"])
def round_edit(request, pk: int):
    round = _round(request, pk, "evaluations.manage_round")
    if round.is_closed:
        messages.warning(request, _("Đợt kiểm tra đã kết thúc; không sửa được nữa."))
        return redirect("evaluations:round", pk=pk)
    form = RoundForm(request.POST or None, instance=round)
    if round.status != Status.PLANNED:
        form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(
                actor=request.user,
                round=round,
                data=form.cleaned_data,
                expected_version=form.expected_version,
            )
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("evaluations:round", pk=pk)
    return render(
        request,
        "evaluations/round_form.html",
        {"form": form, "campaign": round.campaign, "round": round},
    )


@require_GET
def round_detail(request, pk: int):
    round = _round(request, pk)
    user = request.user
    office = user.has_perm("evaluations.manage_round", round)
    context = {"round": round, "campaign": round.campaign, "is_office": office}
    if user.has_perm("evaluations.view_round_results", round):
        bands = selectors.bands_of(round.campaign_id)
        page = selectors.round_results_page(
            round=round, bands=bands, number=request.GET.get("page"), per_page=PAGE_SIZE
        )
        counts = selectors.rating_counts(round=round, bands=bands)
        context.update(
            {
                "page": page,
                "bands": bands,
                "band_counts": [(band, counts.get(band.pk, 0)) for band in bands],
                "unrated": counts.get(None, 0),
            }
        )
    if office:
        context["progress"] = progress = selectors.round_progress(round=round)
        context["close_question"] = _close_question(progress["overall"])
        context["long_export"] = is_long_export(progress["overall"]["assigned"])
    else:
        # The page lists the sheets itself: only the counts of the worklist.
        mine = selectors.evaluator_worklist(
            user=user, organization=round.organization, round=round, lines=False
        )
        context["mine"] = mine[0] if mine else None
        if mine:
            context["sheets"] = KeysFirstPaginator(
                selectors.evaluator_sheets(user=user, round=round), selectors.WORKLIST_LINES
            ).get_page(request.GET.get("sheets"))
    return render(request, "evaluations/round_detail.html", context)


@require_GET
def round_self_assessments(request, pk: int):
    """All the models of the user's units in a round, fifty a page, those whose
    self-assessment is left to send first: the home page lists only the first fifty of
    each open round."""
    round = get_object_or_404(
        Round.objects.select_related("campaign"), pk=pk, organization=_organization(request)
    )
    units = accounts.unit_ids_in(request.user, round.organization_id, Membership.Role.UNIT_OFFICER)
    inspections = selectors.unit_self_assessments(units=units, round=round)
    page = Paginator(inspections, PAGE_SIZE).get_page(request.GET.get("page"))
    if not page.object_list:
        raise Http404  # not a unit officer, or none of their units' models is in it
    return render(
        request,
        "evaluations/round_self_assessments.html",
        {
            "round": round,
            "page": page,
            "sent": inspections.filter(self_submitted_at__isnull=False).count(),
        },
    )


def _close_question(overall: dict) -> str:
    """What "Kết thúc đợt" asks: closing is final, so the work left undone is named."""
    unassigned = overall["unassigned"]
    unscored = overall["assigned"] - overall["scored"]
    question = _("Kết thúc đợt? Sau khi kết thúc, điểm không sửa được nữa.")
    if unassigned or unscored:
        left = _(
            "Còn %(unassigned)s mô hình chưa phân công và %(unscored)s lượt chấm chưa xong; "
            "mô hình chưa ai chấm sẽ không có kết quả."
        ) % {"unassigned": unassigned, "unscored": unscored}
        return f"{left} {question}"
    return question


def _transition(request, pk: int, service, done: str):
    round = _round(request, pk, "evaluations.manage_round")
    try:
        service(actor=request.user, round=round)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, done)
    return redirect("evaluations:round", pk=pk)


@require_POST
def round_open(request, pk: int):
    return _transition(
        request, pk, services.round_open, _("Đã mở đợt; đoàn kiểm tra có thể chấm điểm.")
    )


@require_POST
def round_close(request, pk: int):
    return _transition(
        request, pk, services.round_close, _("Đã kết thúc đợt; kết quả xếp loại đã chốt.")
    )


@require_POST
def round_scope_sync(request, pk: int):
    round = _round(request, pk, "evaluations.manage_round")
    try:
        added = services.round_scope_sync(actor=request.user, round=round)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã thêm %(count)s mô hình vào đợt.") % {"count": added})
    return redirect("evaluations:round_assign", pk=pk)


@require_POST
def inspection_remove(request, pk: int):
    inspection = _inspection(request, pk)
    if not request.user.has_perm("evaluations.manage_round", inspection.round):
        raise Http404
    try:
        services.inspection_remove(actor=request.user, inspection=inspection)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã bỏ mô hình khỏi đợt."))
    return redirect("evaluations:round_assign", pk=inspection.round_id)


@require_GET
def round_export(request, pk: int):
    round = _round(request, pk, "evaluations.manage_round")
    if is_long_export(Assignment.objects.filter(round=round)):
        messages.info(
            request,
            _(
                "Đợt có hơn %(limit)s lượt chấm nên bảng điểm được xuất trong nền: bấm “Xuất "
                "Excel trong nền” rồi tải tệp ở trang Công việc chạy nền khi xong."
            )
            % {"limit": thousands(settings.LONG_EXPORT_ROWS)},
        )
        return redirect("evaluations:round", pk=pk)
    return exports.round_scores_response(round)


@require_POST
def round_export_job(request, pk: int):
    """A round's scores as Excel, made in the background (for a large round)."""
    round = _round(request, pk, "evaluations.manage_round")
    jobs.job_start(
        actor=request.user,
        organization=round.organization,
        kind="round-export",
        title=_("Xuất bảng điểm %(round)s ra Excel") % {"round": round.name},
        task=tasks.round_scores_export,
        round_id=round.pk,
    )
    messages.success(request, _("Đã bắt đầu xuất bảng điểm; tải tệp ở đây khi xong."))
    return redirect("jobs:list")


# Assignment ---------------------------------------------------------------------------------------


def _assign_forms(request, round, data=None):
    organization = round.organization
    evaluators = selectors.evaluators_of(organization=organization)
    bulk = BulkAssignForm(
        data,
        evaluators=evaluators,
        units=accounts.unit_list(organization=organization),
        fields=organization_fields(organization),
    )
    return evaluators, bulk


@require_http_methods(["GET", "POST"])
def round_assign(request, pk: int):
    """Assign the inspection team: in bulk by unit or field, or model by model."""
    round = _round(request, pk, "evaluations.manage_round")
    evaluators, bulk = _assign_forms(request, round, request.POST or None)
    if request.method == "POST" and bulk.is_valid():
        data = bulk.cleaned_data
        inspections = selectors.joined_inspections(round)
        if data["target"] == "unit":
            inspections = inspections.filter(registration__unit_id=data["unit"])
        elif data["target"] == "field":
            inspections = inspections.filter(registration__field_id=data["field"])
        chosen = User.objects.filter(pk__in=data["evaluators"])
        try:
            report = services.assignments_create(
                actor=request.user, round=round, inspections=inspections, evaluators=chosen
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            _report(request, report)
            return redirect("evaluations:round_assign", pk=pk)
    board = Paginator(selectors.assignment_board(round=round), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = []
    for inspection in board.object_list:
        choices = [e for e in evaluators if inspection.registration.unit_id not in e.unit_ids]
        form = AssignOneForm(
            evaluators=choices,
            initial={"inspection": inspection.pk},
            auto_id=f"assign-{inspection.pk}-%s",
        )
        rows.append((inspection, form if choices else None))
    return render(
        request,
        "evaluations/assign.html",
        {
            "round": round,
            "campaign": round.campaign,
            "bulk": bulk,
            "page": board,
            "rows": rows,
            "evaluators": evaluators,
            "changeable": not round.is_closed,
        },
    )


def _report(request, report) -> None:
    if report.created:
        messages.success(
            request, _("Đã phân công %(count)s lượt chấm.") % {"count": len(report.created)}
        )
    elif not report.conflicts:
        messages.info(request, _("Các thành viên này đã được phân công từ trước."))
    for conflict in report.conflicts[:10]:
        messages.warning(request, conflict)
    if len(report.conflicts) > 10:
        messages.warning(
            request,
            _("… và %(count)s trường hợp khác không phân công vì cùng đơn vị.")
            % {"count": len(report.conflicts) - 10},
        )


@require_POST
def assign_one(request, pk: int):
    round = _round(request, pk, "evaluations.manage_round")
    evaluators = selectors.evaluators_of(organization=round.organization)
    form = AssignOneForm(request.POST, evaluators=evaluators)
    if form.is_valid():
        inspection = get_object_or_404(Inspection, pk=form.cleaned_data["inspection"], round=round)
        evaluator = User.objects.get(pk=form.cleaned_data["evaluator"])
        try:
            services.assignment_create(
                actor=request.user, inspection=inspection, evaluator=evaluator
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _("Đã phân công %(name)s chấm mô hình %(code)s.")
                % {"name": evaluator.full_name, "code": inspection.registration.code},
            )
    else:
        messages.error(request, _("Hãy chọn một thành viên đoàn kiểm tra."))
    return redirect(f"{reverse('evaluations:round_assign', args=[pk])}?{request.GET.urlencode()}")


@require_POST
def assignment_remove(request, pk: int):
    assignment = _assignment(request, pk)
    round = assignment.inspection.round
    if not request.user.has_perm("evaluations.manage_round", round):
        raise Http404
    try:
        services.assignment_remove(actor=request.user, assignment=assignment)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã bỏ phân công."))
    return redirect("evaluations:round_assign", pk=round.pk)


# Scoring ----------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def score(request, pk: int):
    """One evaluator scores one model: one number per criterion, on a phone."""
    assignment = _assignment(request, pk)
    inspection = assignment.inspection
    if assignment.evaluator_id != request.user.pk or not request.user.has_perm(
        "evaluations.view_inspection", inspection
    ):
        raise Http404
    criteria = selectors.criteria_of(inspection.round.campaign_id)
    initial = ScoreForm.initial_from(assignment.scores.all())
    initial.update(
        {
            "findings": assignment.findings,
            "inspected_on": assignment.inspected_on or timezone.localdate(),
        }
    )
    may_score = request.user.has_perm("evaluations.score", assignment)
    if may_score and assignment.draft:
        # What was typed last time, over what was counted.
        initial.update(assignment.draft.get("fields", {}))
    form = ScoreForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and "draft" in request.POST:
        return _score_draft(request, assignment, form)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.scores_save(
                actor=request.user,
                assignment=assignment,
                points=form.points,
                comments=form.comments,
                findings=form.cleaned_data["findings"],
                inspected_on=form.cleaned_data["inspected_on"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request,
                _("Đã lưu điểm mô hình %(code)s: %(total)s/100.")
                % {
                    "code": inspection.registration.code,
                    "total": points_text(as_points(saved.total_hundredths)),
                },
            )
            return redirect("evaluations:home")
    elif request.method == "GET" and not may_score:
        if inspection.round.is_closed:
            messages.info(request, _("Đợt kiểm tra đã kết thúc; không chấm hay sửa điểm được nữa."))
        elif inspection.round.status == Status.PLANNED:
            messages.info(request, _("Đợt kiểm tra chưa mở; chưa chấm điểm được."))
    return render(
        request,
        "evaluations/score_form.html",
        {
            "assignment": assignment,
            "inspection": inspection,
            "registration": inspection.registration,
            "form": form,
            "may_score": may_score,
            "max_total": sum((c.max_points for c in criteria), 0),
        },
    )


def _kept_as_draft(request, save, form, *, leave_out=()) -> bool:
    """Run ``save`` (a draft service) with what was typed in ``form``'s boxes, as typed;
    a refusal is said, and someone who may not write the form gets a 404."""
    fields = {name: request.POST.get(name, "") for name in form.fields if name not in leave_out}
    try:
        save(fields=fields)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error_text(error))
        return False
    return True


def _score_draft(request, assignment, form):
    """Keep the sheet as typed, to finish later; its errors are said when it is saved in full."""
    save = partial(services.scores_draft_save, actor=request.user, assignment=assignment)
    if _kept_as_draft(request, save, form):
        messages.success(
            request,
            _(
                "Đã lưu nháp phiếu chấm mô hình %(code)s. Điểm chưa được tính cho đến khi "
                "bạn chấm đủ các tiêu chí và bấm “Lưu điểm”."
            )
            % {"code": assignment.inspection.registration.code},
        )
    return redirect("evaluations:score", pk=assignment.pk)


def _self_assessment_draft(request, inspection, form):
    """Keep the self-assessment as typed, to finish later; its errors are said when it is
    sent. Chosen files are not kept: they are attached when it is sent."""
    save = partial(services.self_assessment_draft_save, actor=request.user, inspection=inspection)
    if _kept_as_draft(request, save, form, leave_out={"files"}):
        messages.success(
            request,
            _(
                "Đã lưu nháp bản tự đánh giá mô hình %(code)s. Bản nháp chưa được gửi: "
                "Đoàn kiểm tra chỉ thấy bản tự đánh giá khi bạn bấm “Gửi tự đánh giá”."
            )
            % {"code": inspection.registration.code},
        )
        if request.FILES:
            messages.warning(
                request,
                _("Tệp đã chọn chưa được lưu theo bản nháp; hãy chọn lại tệp khi gửi."),
            )
    return redirect("evaluations:self_assessment", pk=inspection.pk)


@require_http_methods(["GET", "POST"])
def self_assessment(request, pk: int):
    """The lead unit scores its own model and tells how it went, with evidence."""
    inspection = _inspection(request, pk)
    if not is_lead_unit_officer.test(request.user, inspection):
        raise Http404
    criteria = selectors.criteria_of(inspection.round.campaign_id)
    initial = SelfAssessmentForm.initial_from(inspection.self_scores.all())
    initial.update({"narrative": inspection.self_narrative, "evidence": inspection.self_evidence})
    may_edit = request.user.has_perm("evaluations.self_assess", inspection)
    if may_edit and inspection.self_draft:
        # What was typed last time, over what was sent.
        initial.update(inspection.self_draft.get("fields", {}))
    form = SelfAssessmentForm(
        request.POST or None, request.FILES or None, criteria=criteria, initial=initial
    )
    if request.method == "POST" and "draft" in request.POST:
        return _self_assessment_draft(request, inspection, form)
    if request.method == "POST" and form.is_valid():
        try:
            services.self_assessment_save(
                actor=request.user,
                inspection=inspection,
                points=form.points,
                comments=form.comments,
                narrative=form.cleaned_data["narrative"],
                evidence=form.cleaned_data["evidence"],
                files=form.cleaned_data["files"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Đã gửi bản tự đánh giá."))
            return redirect("evaluations:inspection", pk=pk)
    elif request.method == "GET" and not may_edit:
        messages.info(request, _("Đợt kiểm tra không còn mở; bản tự đánh giá chỉ xem được."))
    return render(
        request,
        "evaluations/self_assessment.html",
        {
            "inspection": inspection,
            "registration": inspection.registration,
            "form": form,
            "may_edit": may_edit,
            "files": inspection.self_files.order_by("uploaded_at", "pk"),
        },
    )


@require_GET
def self_file(request, file_pk: int):
    """Self-assessment evidence goes out only through here, to those who may see it."""
    attached = get_object_or_404(
        SelfAssessmentFile.objects.select_related("inspection__round", "inspection__registration"),
        pk=file_pk,
        inspection__round__organization=_organization(request),
    )
    if not request.user.has_perm("evaluations.view_self_assessment", attached.inspection):
        raise Http404
    return private_file_response(
        attached.file, content_type=attached.content_type, filename=attached.original_name
    )


# One model in one round ----------------------------------------------------------------------------


@require_GET
def inspection_detail(request, pk: int):
    inspection = _inspection(request, pk)
    user = request.user
    sheet = selectors.score_sheet(inspection=inspection)
    all_scores = user.has_perm("evaluations.view_all_scores", inspection)
    columns = (
        sheet.scored_assignments
        if all_scores
        else [a for a in sheet.scored_assignments if a.evaluator_id == user.pk]
    )
    return render(
        request,
        "evaluations/inspection_detail.html",
        {
            "inspection": inspection,
            "round": inspection.round,
            "registration": inspection.registration,
            "sheet": sheet,
            "columns": columns,
            "rows": list(sheet.rows(columns)),
            "all_scores": all_scores,
            "show_self": user.has_perm("evaluations.view_self_assessment", inspection),
            "files": inspection.self_files.order_by("uploaded_at", "pk"),
            "can_self_assess": user.has_perm("evaluations.self_assess", inspection),
            "can_minutes": user.has_perm("evaluations.view_minutes", inspection),
            "is_office": user.has_perm("evaluations.manage_round", inspection.round),
            "can_view_round": user.has_perm("evaluations.view_round", inspection.round),
            "my_assignment": next(
                (a for a in sheet.assignments if a.evaluator_id == user.pk), None
            ),
        },
    )


@require_GET
def minutes(request, pk: int, fmt: str):
    inspection = _inspection(request, pk, "evaluations.view_minutes")
    sheet = selectors.score_sheet(inspection=inspection)
    document = minutes_document(sheet)
    content = (
        documents_render.render_docx(document)
        if fmt == "docx"
        else documents_render.render_pdf(document)
    )
    return file_response(content, fmt, filename=minutes_filename(sheet, fmt))


# Results and recognition --------------------------------------------------------------------------


@require_GET
def results(request, campaign_pk: int):
    """Ratings of a round counted by field and by unit."""
    campaign = _campaign(request, campaign_pk, "evaluations.view_campaign_results")
    rounds = selectors.rounds_of(campaign=campaign)
    if not request.user.has_perm("evaluations.manage_campaign", campaign):
        rounds = rounds.filter(status=Status.CLOSED)
    rounds = list(rounds)
    chosen = _int(request.GET.get("round"))
    closed = [r for r in rounds if r.is_closed]
    round = next((r for r in rounds if r.pk == chosen), None) or (
        closed[-1] if closed else (rounds[-1] if rounds else None)
    )
    context = {
        "campaign": campaign,
        "rounds": rounds,
        "round": round,
        "choice": RoundChoiceForm(rounds=rounds, initial={"round": round.pk if round else None}),
    }
    if round is not None:
        bands = selectors.bands_of(campaign.pk)
        context["distribution"] = selectors.rating_distribution(round=round, bands=bands)
    return render(request, "evaluations/results.html", context)


RECOGNITION_BATCH = 100


@require_http_methods(["GET", "POST"])
def recognition(request, campaign_pk: int):
    """Year-end: office staff mark accepted models recognised or not, as the rating
    suggests or, with a reason, otherwise."""
    campaign = _campaign(request, campaign_pk, "evaluations.manage_campaign")
    year_end = selectors.year_end_round(campaign=campaign)
    ready = year_end is not None and year_end.is_closed
    pending = selectors.recognition_rows(campaign=campaign, year_end=year_end) if ready else []
    # A batch at a time: a commune's thousands of models would be one form too long to
    # send (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS) and to read.
    rows = pending[:RECOGNITION_BATCH]
    suggestions = ["recognised" if row.suggest_recognised else "not_recognised" for row in rows]
    initial = [
        {"registration": row.registration.pk, "decision": suggestion, "include": True}
        for row, suggestion in zip(rows, suggestions, strict=True)
    ]
    formset = RecognitionFormSet(
        request.POST if request.method == "POST" else None,
        initial=initial,
        suggestions=suggestions,
        prefix="decisions",
    )
    errors = []
    if request.method == "POST" and ready:
        if formset.is_valid():
            decisions = [
                services.RecognitionDecision(
                    registration_id=form.cleaned_data["registration"],
                    recognise=form.cleaned_data["decision"] == "recognised",
                    reason=form.cleaned_data.get("reason", ""),
                )
                for form in formset.forms
                if form.cleaned_data.get("include")
            ]
            try:
                moved = services.recognition_decide(
                    actor=request.user, campaign=campaign, decisions=decisions
                )
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(
                    request, _("Đã ghi quyết định cho %(count)s mô hình.") % {"count": moved}
                )
                return redirect("evaluations:recognition", campaign_pk=campaign.pk)
        else:
            errors = [_("Chưa lưu: hãy ghi lý do ở những dòng khác với đề xuất.")]
    for row, form in zip(rows, formset.forms, strict=False):
        form.fields["include"].label = f"{row.registration.code} {row.registration.name}"
    decided = Registration.objects.filter(
        organization_id=campaign.organization_id,  # the index on (organisation, campaign, status)
        campaign=campaign,
        status__in=[Registration.Status.RECOGNISED, Registration.Status.NOT_RECOGNISED],
    )
    decided_count = decided.count()
    return render(
        request,
        "evaluations/recognition.html",
        {
            "campaign": campaign,
            "year_end": year_end,
            "ready": ready,
            "lines": list(zip(rows, formset.forms, strict=False)) if ready else [],
            "formset": formset,
            "errors": errors,
            "pending_count": len(pending),
            "decided": decided.select_related("unit").order_by("-updated_at", "-pk")[
                :RECOGNITION_BATCH
            ],
            "decided_count": decided_count,
        },
    )
