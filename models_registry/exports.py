"""The registrations list as an Excel workbook, written row by row to a temporary file
so a large export never holds all rows in memory."""

import tempfile

from django.http import FileResponse
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from danvan.excel import XLSX_CONTENT_TYPE
from models_registry.selectors import registration_for_export

COLUMNS = [
    ("Mã mô hình", 14),
    ("Tên mô hình", 45),
    ("Phong trào", 30),
    ("Đơn vị chủ trì", 30),
    ("Lĩnh vực", 22),
    ("Trạng thái", 20),
    ("Lý do (trả lại, không chấp nhận, rút)", 30),
    ("Thực trạng, lý do", 50),
    ("Mục tiêu", 50),
    ("Cách đo lường kết quả", 40),
    ("Nội dung, phương pháp", 50),
    ("Địa bàn", 25),
    ("Đối tượng thụ hưởng", 30),
    ("Đơn vị phối hợp và vai trò", 45),
    ("Người phụ trách", 22),
    ("Chức vụ", 22),
    ("Điện thoại", 16),
    ("Kinh phí (đồng)", 16),
    ("Xã hội hóa (đồng)", 16),
    ("Ngày công", 10),
    ("Ngày bắt đầu", 13),
    ("Các mốc thực hiện", 45),
    ("Thời điểm đánh giá", 13),
    ("Kết quả dự kiến", 45),
    ("Tính bền vững, khả năng nhân rộng", 45),
    ("Gửi lúc", 17),
    ("Duyệt lúc", 17),
]
MONEY = "#,##0"
DATE = "DD/MM/YYYY"
DATETIME = "DD/MM/YYYY HH:MM"


def _cell(sheet, value, number_format=None, wrap=False):
    cell = WriteOnlyCell(sheet, value=value)
    if number_format:
        cell.number_format = number_format
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _row(sheet, registration):
    partners = "; ".join(f"{partner}: {partner.role}" for partner in registration.partners.all())
    milestones = "; ".join(
        f"{m.due_on:%d/%m/%Y}: {m.description}" for m in registration.milestones.all()
    )
    return [
        registration.code,
        _cell(sheet, registration.name, wrap=True),
        registration.campaign.name,
        registration.unit.name,
        registration.field.name,
        str(registration.get_status_display()),
        registration.status_reason,
        _cell(sheet, registration.situation, wrap=True),
        _cell(sheet, registration.objectives, wrap=True),
        _cell(sheet, registration.success_measures, wrap=True),
        _cell(sheet, registration.content_methods, wrap=True),
        registration.area,
        _cell(sheet, registration.beneficiaries, wrap=True),
        _cell(sheet, partners, wrap=True),
        registration.person_in_charge,
        registration.person_in_charge_position,
        registration.person_in_charge_phone,
        _cell(sheet, registration.budget_vnd, MONEY),
        _cell(sheet, registration.contributions_vnd, MONEY),
        registration.workdays,
        _cell(sheet, registration.start_date, DATE),
        _cell(sheet, milestones, wrap=True),
        _cell(sheet, registration.evaluation_date, DATE),
        _cell(sheet, registration.expected_outputs, wrap=True),
        _cell(sheet, registration.sustainability, wrap=True),
        _cell(sheet, _local(registration.submitted_at), DATETIME),
        _cell(sheet, _local(registration.decided_at), DATETIME),
    ]


def write_registrations(queryset, target, *, progress=None) -> int:
    """Write every registration of ``queryset`` with every field into ``target`` (a binary
    file); returns the number of rows. Rows are fetched and written in chunks;
    ``progress(count)`` is called after each row (a background job's progress)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Mô hình")
    from openpyxl.utils import get_column_letter

    for index, (_title, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"
    bold = Font(bold=True)
    header = []
    for title, _width in COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    with translation.override("vi"):
        for registration in registration_for_export(queryset).iterator(chunk_size=500):
            sheet.append(_row(sheet, registration))
            count += 1
            if progress is not None:
                progress(count)
    workbook.save(target)
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
