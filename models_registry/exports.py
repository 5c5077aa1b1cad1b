"""The registrations list as an Excel workbook, written row by row to a temporary file
so a large export never holds all rows in memory.

The columns follow the registration forms of the campaigns exported: for one campaign,
its questions in its order and with its labels; across campaigns, every standard question
some campaign asks and each campaign's added questions (by label). A question a form no
longer shows still gets its column when some exported registration has an answer to it.
"""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.http import FileResponse
from django.utils import timezone, translation

from campaigns.models import Campaign
from danvan.excel import XLSX_CONTENT_TYPE, Sheet
from models_registry.models import Registration
from models_registry.questions import STANDARD, Question, answer_text, answer_value, questions_for
from models_registry.selectors import registration_for_export

MONEY = "#,##0"
DATE = "DD/MM/YYYY"
DATETIME = "DD/MM/YYYY HH:MM"
WIDTHS = {"long_text": 50, "partners": 45, "milestones": 45, "owner": 35, "money": 16}


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


@dataclass(frozen=True)
class ExportColumn:
    header: str
    width: int
    value: Callable  # (sheet, registration) -> cell value


def _meta_columns() -> list[ExportColumn]:
    def text(getter, header, width=20, wrap=False):
        return ExportColumn(
            header, width, lambda sheet, r: sheet.cell(getter(r), wrap=True) if wrap else getter(r)
        )

    return [
        text(lambda r: r.code, "Mã mô hình", 14),
        text(lambda r: r.campaign.name, "Phong trào", 30),
        text(lambda r: r.unit.name, "Đơn vị chủ trì", 30),
        text(lambda r: r.unit.group.name if r.unit.group else "", "Nhóm đơn vị", 22),
        text(lambda r: str(r.get_status_display()), "Trạng thái", 20),
        text(lambda r: r.status_reason, "Lý do (trả lại, không chấp nhận, rút)", 30, wrap=True),
        text(
            lambda r: str(r.get_recognition_level_display()) if r.recognition_level else "",
            "Cấp công nhận",
            24,
        ),
        ExportColumn(
            "Ngày ra mắt", 13, lambda sheet, r: sheet.cell(r.launched_on, number_format=DATE)
        ),
    ]


def _tail_columns() -> list[ExportColumn]:
    return [
        ExportColumn(
            "Gửi lúc", 17, lambda s, r: s.cell(_local(r.submitted_at), number_format=DATETIME)
        ),
        ExportColumn(
            "Duyệt lúc", 17, lambda s, r: s.cell(_local(r.decided_at), number_format=DATETIME)
        ),
        ExportColumn("Văn phòng nhập thay", 12, lambda s, r: "có" if r.on_behalf else ""),
    ]


def _cell(sheet: Sheet, registration, question: Question | None):
    if question is None:
        return None
    if question.kind == "money":
        return sheet.cell(answer_value(registration, question) or 0, number_format=MONEY)
    if question.kind in ("integer", "number"):
        value = answer_value(registration, question)
        return value if value not in ("", None) else None
    if question.kind == "date":
        return sheet.cell(answer_value(registration, question), number_format=DATE)
    return sheet.cell(answer_text(registration, question), wrap=True)


def answered(question: Question) -> Q:
    """The registrations that hold an answer to ``question`` (a database condition)."""
    if question.extra:
        return Q(answers__has_key=question.key)
    if question.kind == "owner":
        return Q(owner_kind=Registration.Owner.INDIVIDUAL)
    if question.kind in ("partners", "milestones"):
        return Q(**{f"{question.kind}__isnull": False})
    if question.kind in ("money", "integer"):
        return ~Q(**{question.key: 0})
    if question.kind in ("date", "field"):
        return Q(**{f"{question.key}__isnull": False})
    return ~Q(**{question.key: ""})


def _question_columns(campaigns: list[Campaign], queryset) -> list[ExportColumn]:
    forms = {campaign.pk: {q.key: q for q in questions_for(campaign)} for campaign in campaigns}
    single = campaigns[0] if len(campaigns) == 1 else None

    def answered_somewhere(question: Question) -> bool:
        return queryset.filter(answered(question)).exists()

    columns = []
    if single is not None:
        for question in questions_for(single):
            if not question.shown and not answered_somewhere(question):
                continue
            header = question.label if question.shown else f"{question.label} (mục đã ẩn)"
            columns.append(
                ExportColumn(
                    header,
                    WIDTHS.get(question.kind, 25),
                    lambda sheet, r, q=question: _cell(sheet, r, q),
                )
            )
        return columns
    # Across campaigns: the standard questions in their usual order, then added ones by label.
    for standard in STANDARD:
        if not any(
            forms[c.pk][standard.key].shown for c in campaigns if standard.key in forms[c.pk]
        ):
            continue
        columns.append(
            ExportColumn(
                str(standard.label),
                WIDTHS.get(standard.kind, 25),
                lambda sheet, r, key=standard.key: _cell(sheet, r, forms[r.campaign_id].get(key)),
            )
        )
    labels: dict[str, dict[int, Question]] = {}
    for campaign in campaigns:
        for question in forms[campaign.pk].values():
            if question.extra:
                labels.setdefault(question.label, {})[campaign.pk] = question
    for label, by_campaign in labels.items():
        columns.append(
            ExportColumn(
                label,
                25,
                lambda sheet, r, by=by_campaign: _cell(sheet, r, by.get(r.campaign_id)),
            )
        )
    return columns


def export_columns(queryset) -> list[ExportColumn]:
    if queryset.query.is_sliced:  # the first rows only (a benchmark): ask about those
        queryset = Registration.objects.filter(pk__in=queryset.values("pk"))
    campaign_ids = set(queryset.order_by().values_list("campaign_id", flat=True).distinct())
    campaigns = list(
        Campaign.objects.filter(pk__in=campaign_ids)
        .prefetch_related("form_questions")
        .order_by("-year", "pk")
    )
    questions = _question_columns(campaigns, queryset) if campaigns else []
    meta = _meta_columns()
    # The model's name right after its code, as the list shows them.
    return [meta[0], *questions, *meta[1:], *_tail_columns()]


def write_registrations(queryset, target, *, progress=None) -> int:
    """Write every registration of ``queryset`` with every question into ``target`` (a
    binary file); returns the number of rows. Rows are fetched and written in chunks;
    ``progress(count)`` is called after each row (a background job's progress)."""
    with translation.override("vi"):
        columns = export_columns(queryset)
        sheet = Sheet(title="Mô hình", columns=[(c.header, c.width) for c in columns], freeze="C2")
        count = 0
        for registration in registration_for_export(queryset).iterator(chunk_size=500):
            sheet.append([column.value(sheet, registration) for column in columns])
            count += 1
            if progress is not None:
                progress(count)
    sheet.save(target)
    return count


def export_filename(organization) -> str:
    return f"mo-hinh-{organization.code}-{timezone.localdate():%Y%m%d}.xlsx"


def registrations_xlsx_response(queryset, *, organization) -> FileResponse:
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it, which deletes it
    write_registrations(queryset, spool)
    spool.seek(0)
    filename = export_filename(organization)
    return FileResponse(
        spool, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
