"""The review report (báo cáo sơ kết / tổng kết) as an official document.

Decree 30/2020/NĐ-CP, appendix III: a report is a "văn bản có tên loại" (form 1.4, as
the plan), symbol BC ("Số: 12/BC-UBND"). Its statistics are read from the data by
``review_statistics`` (grouped queries only) and written as tables whose totals are the
sums of their lines.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum

from awards.models import AWARDS_IN_FORCE, Award
from campaigns.models import Campaign
from campaigns.selectors import chairman_of
from danvan.accounts.models import User
from danvan.documents.layout import OfficialDocument, Paragraph, Signature, SignatureBlock, Table
from danvan.documents.models import DocumentKind
from danvan.documents.parts import issuer_of, leader_signature
from danvan.documents.tasks import register_builder
from danvan.text import thousands
from evaluations.models import Round
from models_registry.models import Registration
from reports import selectors
from reports.models import ReviewReport

REPORT_TITLE = "BÁO CÁO"


@dataclass
class Totals:
    """The headline figures of one campaign (or of a stage's years together)."""

    registered: int = 0
    accepted: int = 0
    recognised: int = 0
    awards: int = 0
    amount: int = 0


@dataclass
class ReviewStatistics:
    campaign: Campaign
    by_field: list[selectors.ModelLine]
    by_unit: list[selectors.ModelLine]
    ratings: list[selectors.YearRatings]
    awards_by_form: list[selectors.Row]
    awards_by_kind: list[selectors.Row]
    totals: Totals
    previous: Campaign | None
    previous_totals: Totals | None

    def model_total(self, lines: list[selectors.ModelLine]) -> selectors.ModelLine:
        return selectors.ModelLine(
            "",
            sum(line.registered for line in lines),
            sum(line.accepted for line in lines),
            sum(line.recognised for line in lines),
        )


def round_label(round, year: int) -> str:
    """A round named with its year: "Sơ kết giữa năm (2025)", or its name alone when the
    name already says the year ("Tổng kết cuối năm 2025", not "… 2025 (2025)")."""
    return round.name if str(year) in round.name else f"{round.name} ({year})"


def _totals(ids: list[int]) -> Totals:
    """Two aggregate queries: the models and the awards of the campaigns ``ids``."""
    models = Registration.objects.filter(campaign_id__in=ids).aggregate(
        registered=Count("pk", filter=selectors.REGISTERED),
        accepted=Count("pk", filter=Q(status__in=selectors.ACCEPTED)),
        recognised=Count("pk", filter=~Q(recognition_level="")),
    )
    awards = Award.objects.filter(AWARDS_IN_FORCE, decision__campaign_id__in=ids).aggregate(
        awards=Count("pk"), amount=Sum("amount_vnd")
    )
    return Totals(
        registered=models["registered"],
        accepted=models["accepted"],
        recognised=models["recognised"],
        awards=awards["awards"],
        amount=awards["amount"] or 0,
    )


def review_round_of(rounds: list[Round], kind: str) -> Round | None:
    """The round a report of ``kind`` speaks for: the review of the same kind, else the
    year's review round."""
    for candidate in rounds:
        if candidate.kind == kind and candidate.status != candidate.Status.PLANNED:
            return candidate
    return selectors.review_round(rounds)


def review_statistics(campaign: Campaign, kind: str) -> ReviewStatistics:
    """The report's figures, all aggregated by the database."""
    years = selectors.years_of(campaign)
    ids = [c.pk for c in years]
    by_id = {c.pk: c for c in years}
    rounds: dict[int, list[Round]] = {pk: [] for pk in ids}
    for line in selectors.scoring_progress(ids, by_id):
        rounds[line.campaign.pk].append(line.round)
    ratings = [
        selectors.ratings_of(c, rounds[c.pk], review_round_of(rounds[c.pk], kind)) for c in years
    ]
    previous = selectors.previous_campaign(campaign)
    previous_totals = None
    if previous is not None:
        previous_totals = _totals([c.pk for c in selectors.years_of(previous)])
    return ReviewStatistics(
        campaign=campaign,
        by_field=selectors.model_lines(ids, "field_id", "field__name"),
        by_unit=selectors.model_lines(ids, "unit_id", "unit__name"),
        ratings=ratings,
        awards_by_form=selectors.awards_by_form(ids),
        awards_by_kind=selectors.awards_by_kind(ids),
        totals=_totals(ids),
        previous=previous,
        previous_totals=previous_totals,
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _n(value: int) -> str:
    return thousands(value)


def _model_table(first: str, lines: list[selectors.ModelLine], total) -> Table:
    rows = [
        (str(index), line.label, _n(line.registered), _n(line.accepted), _n(line.recognised))
        for index, line in enumerate(lines, start=1)
    ]
    rows.append(("", "Tổng cộng", _n(total.registered), _n(total.accepted), _n(total.recognised)))
    return Table(
        headers=("TT", first, "Đăng ký", "Được chấp nhận", "Được công nhận"),
        rows=rows,
        widths=(1, 6, 2, 2.5, 2.5),
        numeric=(False, False, True, True, True),
    )


def _award_table(first: str, rows_in: list[selectors.Row]) -> Table:
    rows = [
        (str(index), row.label, _n(row.total), _n(row.amount_total))
        for index, row in enumerate(rows_in, start=1)
    ]
    rows.append(
        (
            "",
            "Tổng cộng",
            _n(sum(row.total for row in rows_in)),
            _n(sum(row.amount_total for row in rows_in)),
        )
    )
    return Table(
        headers=("TT", first, "Số lượng", "Tiền thưởng (đồng)"),
        rows=rows,
        widths=(1, 7, 2, 3.5),
        numeric=(False, False, True, True),
    )


def _change(now: int, before: int) -> str:
    difference = now - before
    if difference > 0:
        return f"tăng {_n(difference)}"
    if difference < 0:
        return f"giảm {_n(-difference)}"
    return "bằng"


def statistics_body(stats: ReviewStatistics, kind: str) -> list:
    """The tables of part II, numbered 1., 2., … as decree 30 numbers the points."""
    body: list = []
    total = stats.totals
    body.append(
        Paragraph.of(
            f"Tổng số mô hình đăng ký: {_n(total.registered)}; được chấp nhận: "
            f"{_n(total.accepted)}; được công nhận: {_n(total.recognised)}. "
            f"Khen thưởng: {_n(total.awards)} tập thể, cá nhân, hộ gia đình với tổng số tiền "
            f"thưởng {_n(total.amount)} đồng."
        )
    )
    body.append(Paragraph.of("1. Mô hình theo lĩnh vực", style="plain", bold=True))
    body.append(_model_table("Lĩnh vực", stats.by_field, stats.model_total(stats.by_field)))
    body.append(Paragraph.of("2. Mô hình theo đơn vị", style="plain", bold=True))
    body.append(_model_table("Đơn vị", stats.by_unit, stats.model_total(stats.by_unit)))
    body.append(Paragraph.of("3. Kết quả kiểm tra, đánh giá, xếp loại", style="plain", bold=True))
    rated = [year for year in stats.ratings if year.round is not None]
    if not rated:
        body.append(Paragraph.of("Chưa có đợt kiểm tra, đánh giá."))
    for year in rated:
        rows = [(row.label, _n(row.total)) for row in year.rows]
        rows.append(("Tổng cộng", _n(sum(row.total for row in year.rows))))
        body.append(Paragraph.of(f"{round_label(year.round, year.campaign.year)}:", style="plain"))
        body.append(
            Table(
                headers=("Xếp loại", "Số mô hình"),
                rows=rows,
                widths=(6, 3),
                numeric=(False, True),
            )
        )
    body.append(Paragraph.of("4. Khen thưởng theo hình thức", style="plain", bold=True))
    body.append(_award_table("Hình thức khen thưởng", stats.awards_by_form))
    body.append(Paragraph.of("5. Khen thưởng theo đối tượng", style="plain", bold=True))
    body.append(_award_table("Đối tượng", stats.awards_by_kind))
    if stats.previous_totals is not None:
        before = stats.previous_totals
        label = stats.previous.years_label
        body.append(Paragraph.of(f"6. So sánh với {label}", style="plain", bold=True))
        figures = [
            ("Mô hình đăng ký", total.registered, before.registered),
            ("Mô hình được chấp nhận", total.accepted, before.accepted),
            ("Mô hình được công nhận", total.recognised, before.recognised),
            ("Số khen thưởng", total.awards, before.awards),
            ("Tiền thưởng (đồng)", total.amount, before.amount),
        ]
        body.append(
            Table(
                headers=("Chỉ tiêu", stats.campaign.years_label, label, "So sánh"),
                rows=[(name, _n(now), _n(then), _change(now, then)) for name, now, then in figures],
                widths=(5, 2.5, 2.5, 2.5),
                numeric=(False, True, True, False),
            )
        )
    return body


def report_body(report: ReviewReport, stats: ReviewStatistics) -> tuple:
    body: list = [Paragraph.of("I. MỤC ĐÍCH, YÊU CẦU VÀ TÌNH HÌNH TRIỂN KHAI", style="heading")]
    body += [Paragraph.of(line) for line in _lines(report.situation)]
    body.append(Paragraph.of("II. KẾT QUẢ THỰC HIỆN", style="heading"))
    body += [Paragraph.of(line) for line in _lines(report.results)]
    body += statistics_body(stats, report.kind)
    body.append(Paragraph.of("III. HẠN CHẾ, NGUYÊN NHÂN", style="heading"))
    body += [Paragraph.of(line) for line in _lines(report.shortcomings)]
    body.append(Paragraph.of("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", style="heading"))
    body += [Paragraph.of(line) for line in _lines(report.tasks_ahead)]
    return tuple(body)


def report_signature(
    report: ReviewReport, signer: User | None, signatures: tuple[Signature, ...] = ()
) -> SignatureBlock:
    """A report of the People's Committee is signed on behalf of the committee ("TM. ỦY
    BAN NHÂN DÂN"), or "KT. CHỦ TỊCH" by a vice-chairman."""
    return leader_signature(report.organization, signer, on_behalf=True, signatures=signatures)


def report_document(
    report: ReviewReport,
    stats: ReviewStatistics,
    *,
    signature: SignatureBlock,
    number: int | None = None,
    issue_date: date | None = None,
    draft: bool,
) -> OfficialDocument:
    issuer = issuer_of(report.organization)
    return OfficialDocument(
        **issuer.header(),
        kind_title=REPORT_TITLE,
        subject=report.subject,
        date=issue_date,
        number=number,
        symbol=issuer.symbol_for(DocumentKind.REPORT),
        body=report_body(report, stats),
        recipients=tuple(report.recipient_lines),
        signature=signature,
        draft=draft,
        title=f"{REPORT_TITLE} {report.subject}",
    )


def draft_document(report: ReviewReport) -> OfficialDocument:
    """The report as it stands, unnumbered, for the chairman's name in the signature."""
    chairman = chairman_of(report.organization)
    return report_document(
        report,
        review_statistics(report.campaign, report.kind),
        signature=report_signature(report, chairman.user if chairman else None),
        draft=True,
    )


@register_builder("review_report_draft")
def report_draft_for_job(*, organization, report_id: int) -> tuple[OfficialDocument, str]:
    """The report as a draft, for a background job (``danvan.documents.tasks``)."""
    report = ReviewReport.objects.select_related("organization", "campaign").get(
        pk=report_id, organization=organization
    )
    return draft_document(report), f"Dự thảo báo cáo {report.campaign.years_label}"
