"""Inspection minutes (biên bản kiểm tra) of one model in one round, in the decree-30
layout. Built live from the scores; not numbered or issued (the clerk fills in the number
on the printed copy the team signs)."""

from datetime import date

from danvan.documents.layout import OfficialDocument, Paragraph, Run, SignatureBlock, Table
from danvan.documents.models import DocumentKind
from danvan.documents.parts import issuer_of
from danvan.text import model_phrase
from evaluations.scoring import points_text
from evaluations.selectors import ScoreSheet

MINUTES_TITLE = "BIÊN BẢN"


def _team(sheet: ScoreSheet) -> list:
    """The evaluators the minutes name and have sign: those who scored the model (one
    assigned who never scored did not inspect it); before anyone scored, all assigned."""
    return sheet.scored_assignments or sheet.assignments


def minutes_date(sheet: ScoreSheet) -> date | None:
    """The day of the visit: the earliest inspection date an evaluator recorded."""
    days = [a.inspected_on for a in sheet.assignments if a.inspected_on]
    return min(days) if days else None


def _day_text(day: date | None) -> str:
    if day is None:
        return "ngày      tháng      năm      "
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def _evaluator_line(assignment) -> str:
    evaluator = assignment.evaluator
    position = f", {evaluator.position_title}" if evaluator.position_title else ""
    return f"- {evaluator.full_name}{position}."


def _score_table(sheet: ScoreSheet) -> Table:
    scored = sheet.scored_assignments
    headers = (
        "TT",
        "Tiêu chí",
        "Điểm tối đa",
        "Đơn vị tự chấm",
        *(a.evaluator.full_name for a in scored),
        "Bình quân",
    )
    rows = []
    for number, (criterion, self_score, scores, mean) in enumerate(sheet.rows(scored), start=1):
        title = criterion.title
        if criterion.weight != 1:
            title = f"{title} (trọng số {points_text(criterion.weight)})"
        rows.append(
            (
                str(number),
                title,
                points_text(criterion.max_points),
                points_text(self_score.points) if self_score else "",
                *(points_text(score.points) if score else "" for score in scores),
                points_text(mean),
            )
        )
    rows.append(
        (
            "",
            "Tổng điểm (thang điểm 100)",
            "100",
            points_text(sheet.inspection.self_total),
            *(points_text(a.total) for a in scored),
            points_text(sheet.mean),
        )
    )
    count = len(headers)
    return Table(
        headers=headers,
        rows=tuple(rows),
        widths=(0.6, 4, 1.1, 1.1, *([1.2] * len(scored)), 1.1),
        numeric=(False, False, *([True] * (count - 2))),
    )


def _person_in_charge(registration) -> str:
    """ "; người phụ trách mô hình: Trần Văn Hùng, Chủ tịch Hội" (none when not asked)."""
    person = registration.person_in_charge or registration.owner_name
    if not person:
        return ""
    position = registration.person_in_charge_position or registration.owner_position
    return f"; người phụ trách mô hình: {person}" + (f", {position}" if position else "")


def _registration_facts(registration) -> str:
    """ "Mô hình thuộc lĩnh vực Kinh tế; thực hiện từ ngày 01/04/2025, thời điểm đánh giá
    30/11/2025; địa bàn: Phường Phổ Minh." — as far as the campaign's form asked them."""
    parts = []
    if registration.field_id:
        parts.append(f"thuộc lĩnh vực {registration.field.name}")
    if registration.start_date:
        parts.append(f"thực hiện từ ngày {registration.start_date:%d/%m/%Y}")
    if registration.evaluation_date:
        parts.append(f"thời điểm đánh giá {registration.evaluation_date:%d/%m/%Y}")
    if registration.area:
        parts.append(f"địa bàn: {registration.area}")
    if not parts:
        return f"Mô hình của {registration.unit.name}."
    return "Mô hình " + "; ".join(parts) + "."


def minutes_document(sheet: ScoreSheet) -> OfficialDocument:
    inspection = sheet.inspection
    round = inspection.round
    registration = inspection.registration
    organization = round.organization
    unit = registration.unit
    day = minutes_date(sheet)
    body = [
        Paragraph.of(
            f"Hôm nay, {_day_text(day)}, tại {registration.area or registration.unit.name}, "
            f"Đoàn kiểm tra của "
            f"{organization.short_name} tiến hành kiểm tra, đánh giá việc thực hiện "
            f"{model_phrase(registration.name)} (mã {registration.code}) của {unit.name}, "
            f"trong đợt {round.name}."
        ),
        Paragraph.of("I. THÀNH PHẦN", style="heading"),
        Paragraph((Run("1. Đoàn kiểm tra:", bold=True),)),
        *(Paragraph.of(_evaluator_line(a)) for a in _team(sheet)),
        Paragraph(
            (
                Run("2. Đơn vị được kiểm tra: ", bold=True),
                Run(f"{unit.name}{_person_in_charge(registration)}."),
            )
        ),
        Paragraph.of("II. NỘI DUNG KIỂM TRA", style="heading"),
        Paragraph.of(_registration_facts(registration)),
        Paragraph((Run("Mục tiêu: ", bold=True), Run(registration.objectives))),
    ]
    if inspection.self_submitted_at:
        body.append(
            Paragraph(
                (
                    Run("Đơn vị tự đánh giá: ", bold=True),
                    Run(
                        f"{points_text(inspection.self_total)}/100 điểm. "
                        f"{inspection.self_narrative}"
                    ),
                )
            )
        )
    body.append(Paragraph.of("III. KẾT QUẢ CHẤM ĐIỂM", style="heading"))
    if sheet.scored_assignments:
        body.append(_score_table(sheet))
        spread = sheet.spread
        band = sheet.band
        body.append(
            Paragraph(
                (
                    Run("Tổng điểm bình quân: ", bold=True),
                    Run(f"{points_text(sheet.mean)}/100 điểm"),
                    Run(
                        f"; chênh lệch giữa các thành viên: {points_text(spread)} điểm"
                        if len(sheet.scored_assignments) > 1
                        else ""
                    ),
                    Run(". Xếp loại: "),
                    Run(band.name if band else "chưa xếp loại", bold=True),
                    Run("."),
                )
            )
        )
    else:
        body.append(Paragraph.of("Chưa có thành viên nào của Đoàn chấm điểm."))
    body.append(Paragraph.of("IV. NHẬN XÉT, KIẾN NGHỊ", style="heading"))
    remarks = 0
    for assignment in sheet.scored_assignments:
        comments = [
            (criterion.title, score.comment)
            for criterion, _self, (score,), _mean in sheet.rows([assignment])
            if score is not None and score.comment
        ]
        if not assignment.findings and not comments:
            continue
        remarks += 1
        body.append(
            Paragraph(
                (
                    Run(f"- {assignment.evaluator.full_name}: ", bold=True),
                    Run(assignment.findings),
                )
            )
        )
        body.extend(
            Paragraph.of(f"+ {title}: {comment}", style="plain") for title, comment in comments
        )
    if not remarks:
        body.append(Paragraph.of("Không có."))
    body.append(
        Paragraph.of(
            "Biên bản được lập thành 02 bản, đã thông qua các thành viên Đoàn kiểm tra và "
            "đại diện đơn vị được kiểm tra; các bên thống nhất ký tên dưới đây."
        )
    )
    signers = [(a.evaluator.full_name, "Thành viên Đoàn kiểm tra") for a in _team(sheet)] + [
        (
            registration.person_in_charge or registration.owner_name,
            f"Đại diện {unit.name}",
        )
    ]
    body.append(
        Table(
            headers=("TT", "Họ và tên", "Vai trò", "Ký tên"),
            rows=tuple(
                (str(number), name, role, "") for number, (name, role) in enumerate(signers, 1)
            ),
            widths=(0.6, 3, 3.4, 2.5),
        )
    )
    issuer = issuer_of(organization)
    return OfficialDocument(
        **issuer.header(),
        kind_title=MINUTES_TITLE,
        subject=f"Kiểm tra, đánh giá {model_phrase(registration.name)}",
        date=day,
        number=None,
        symbol=issuer.symbol_for(DocumentKind.MINUTES),
        body=tuple(body),
        recipients=(f"{unit.name};", "Lưu: VT."),
        signature=SignatureBlock(mode_line="TM. ĐOÀN KIỂM TRA", title="TRƯỞNG ĐOÀN", name=""),
        title=f"{MINUTES_TITLE} kiểm tra, đánh giá mô hình {registration.code}",
    )


def minutes_filename(sheet: ScoreSheet, fmt: str) -> str:
    inspection = sheet.inspection
    return f"Biên bản kiểm tra {inspection.registration.code} – {inspection.round.name}.{fmt}"
