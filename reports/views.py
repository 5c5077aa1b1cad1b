from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns.models import Campaign
from danvan.accounts.second_factor import otp_required_for_signing
from danvan.documents import render as documents_render
from danvan.documents.selectors import file_response, issued_file_response
from danvan.forms import RegisterNumberForm, error_text, show_service_error
from danvan.text import vnd
from reports import selectors, services
from reports.charts import bar_chart
from reports.documents import draft_document, review_statistics, round_label
from reports.forms import ReviewReportForm
from reports.models import ReviewReport


def _campaign(request, pk: int) -> Campaign:
    """An issued campaign of the current organisation whose figures the user may see;
    else 404."""
    campaign = get_object_or_404(
        Campaign.objects.select_related("organization"), pk=pk, organization=request.organization
    )
    if campaign.is_draft or not request.user.has_perm("reports.view_progress", campaign):
        raise Http404
    return campaign


def _report(request, pk: int) -> ReviewReport:
    report = get_object_or_404(
        ReviewReport.objects.select_related(
            "organization", "campaign__organization", "issued_document"
        ),
        pk=pk,
        organization=request.organization,
    )
    if not request.user.has_perm("reports.view_progress", report):
        raise Http404
    return report


def _charts(progress: selectors.Progress) -> dict:
    series = [str(year) for year in progress.years] if len(progress.campaigns) > 1 else None

    def chart(id, title, rows, formatter=str, amounts=False):
        items = [(row.label, row.amounts if amounts else row.values) for row in rows]
        return bar_chart(id=id, title=title, items=items, series=series, formatter=formatter)

    ratings = []
    for year in progress.ratings:
        if year.round is not None:
            ratings.append(
                (
                    year,
                    bar_chart(
                        id=f"chart-ratings-{year.campaign.pk}",
                        title=_("Xếp loại mô hình – %(round)s") % {"round": year.round.name},
                        items=[(row.label, row.values) for row in year.rows],
                    ),
                )
            )
    rounds = bar_chart(
        id="chart-rounds",
        title=_("Tiến độ chấm điểm theo đợt (%)"),
        items=[
            (round_label(line.round, line.campaign.year), [line.percent])
            for line in progress.rounds
        ],
        formatter=lambda value: f"{value}%",
    )
    return {
        "status": chart("chart-status", _("Mô hình theo trạng thái"), progress.by_status),
        "field": chart("chart-field", _("Mô hình đã gửi theo lĩnh vực"), progress.by_field),
        "unit": chart("chart-unit", _("Mô hình đã gửi theo đơn vị"), progress.by_unit),
        "rounds": rounds,
        "ratings": ratings,
        "award_forms": chart(
            "chart-award-forms", _("Khen thưởng theo hình thức"), progress.awards_by_form
        ),
        "award_kinds": chart(
            "chart-award-kinds", _("Khen thưởng theo đối tượng"), progress.awards_by_kind
        ),
        "award_amounts": chart(
            "chart-award-amounts",
            _("Tiền thưởng theo đối tượng"),
            progress.awards_by_kind,
            formatter=lambda value: vnd(value, "đ"),
            amounts=True,
        ),
    }


@require_GET
def progress(request, pk: int):
    campaign = _campaign(request, pk)
    data = selectors.campaign_progress(campaign)
    reports = {r.kind: r for r in campaign.review_reports.select_related("issued_document")}
    years = len(data.campaigns)
    total = _("Tổng cộng")
    return render(
        request,
        "reports/progress.html",
        {
            "campaign": campaign,
            "progress": data,
            "charts": _charts(data),
            "review_links": [
                (value, label, reports.get(value)) for value, label in ReviewReport.Kind.choices
            ],
            "totals": {
                "status": selectors.total_row(data.by_status, total, years),
                "field": selectors.total_row(data.by_field, total, years),
                "unit": selectors.total_row(data.by_unit, total, years),
                "award_forms": selectors.total_row(data.awards_by_form, total, years),
                "award_kinds": selectors.total_row(data.awards_by_kind, total, years),
            },
            "can_start": request.user.has_perm("reports.change_review_report", campaign),
        },
    )


@require_POST
def report_start(request, pk: int, kind: str):
    campaign = _campaign(request, pk)
    try:
        report = services.review_report_start(actor=request.user, campaign=campaign, kind=kind)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("reports:progress", pk=pk)
    return redirect("reports:report", pk=report.pk)


@require_http_methods(["GET", "POST"])
def report_edit(request, pk: int):
    report = _report(request, pk)
    can_edit = not report.is_issued and request.user.has_perm(
        "reports.change_review_report", report
    )
    form = None
    if can_edit:
        form = ReviewReportForm(request.POST or None, instance=report)
        if request.method == "POST" and form.is_valid():
            try:
                services.review_report_update(
                    actor=request.user,
                    report=report,
                    data=form.cleaned_data,
                    expected_version=form.expected_version,
                )
            except ValidationError as error:
                show_service_error(form, error)
            else:
                messages.success(request, _("Đã lưu dự thảo báo cáo."))
                return redirect("reports:report", pk=pk)
    elif request.method == "POST":
        raise Http404
    stats = review_statistics(report.campaign, report.kind)
    can_issue = not report.is_issued and request.user.has_perm(
        "reports.issue_review_report", report
    )
    number_form = (
        RegisterNumberForm() if can_issue and report.organization.numbers_from_register else None
    )
    return render(
        request,
        "reports/report.html",
        {
            "report": report,
            "campaign": report.campaign,
            "form": form,
            "stats": stats,
            "model_tables": [
                (_("Lĩnh vực"), stats.by_field, stats.model_total(stats.by_field)),
                (_("Đơn vị"), stats.by_unit, stats.model_total(stats.by_unit)),
            ],
            "award_tables": [
                (_("Hình thức khen thưởng"), stats.awards_by_form),
                (_("Đối tượng khen thưởng"), stats.awards_by_kind),
            ],
            "can_issue": can_issue,
            "can_send_for_signature": can_edit,
            "number_form": number_form,
            "signatures": (
                list(report.issued_document.signatures.all()) if report.issued_document_id else []
            ),
        },
    )


@require_POST
def report_send_for_signature(request, pk: int):
    report = _report(request, pk)
    if report.is_issued or not request.user.has_perm("reports.change_review_report", report):
        raise Http404
    try:
        services.review_report_send_for_signature(actor=request.user, report=report)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã trình ký: Chủ tịch, Phó Chủ tịch được báo để ký ban hành."))
    return redirect("reports:report", pk=pk)


@require_POST
@otp_required_for_signing
def report_issue(request, pk: int):
    report = _report(request, pk)
    if not request.user.has_perm("reports.issue_review_report", report):
        raise Http404
    number = None
    if report.organization.numbers_from_register:
        number_form = RegisterNumberForm(request.POST)
        if not number_form.is_valid():
            messages.error(request, " ".join(number_form.errors.get("number", [])))
            return redirect("reports:report", pk=pk)
        number = number_form.cleaned_data["number"]
    try:
        report = services.review_report_issue(actor=request.user, report=report, number=number)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("Đã ký ban hành báo cáo số %(number)s.")
            % {"number": report.issued_document.number_symbol},
        )
    return redirect("reports:report", pk=pk)


@require_GET
def report_download(request, pk: int, fmt: str):
    report = _report(request, pk)
    if report.is_issued:
        number = report.issued_document.number_symbol.replace("/", "-")
        return issued_file_response(report.issued_document, fmt, filename=f"Báo cáo {number}.{fmt}")
    document = draft_document(report)
    content = (
        documents_render.render_docx(document)
        if fmt == "docx"
        else documents_render.render_pdf(document)
    )
    return file_response(
        content, fmt, filename=f"Dự thảo báo cáo {report.campaign.years_label}.{fmt}"
    )
