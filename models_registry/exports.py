"""The registrations list as an Excel workbook, written row by row to a temporary file
so a large export never holds all rows in memory."""

import tempfile

from django.http import FileResponse
from django.utils import timezone, translation

from danvan.excel import XLSX_CONTENT_TYPE, Sheet
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


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _row(sheet: Sheet, registration):
    partners = "; ".join(f"{partner}: {partner.role}" for partner in registration.partners.all())
    milestones = "; ".join(
        f"{m.due_on:%d/%m/%Y}: {m.description}" for m in registration.milestones.all()
    )
    return [
        registration.code,
        sheet.cell(registration.name, wrap=True),
        registration.campaign.name,
        registration.unit.name,
        registration.field.name,
        str(registration.get_status_display()),
        registration.status_reason,
        sheet.cell(registration.situation, wrap=True),
        sheet.cell(registration.objectives, wrap=True),
        sheet.cell(registration.success_measures, wrap=True),
        sheet.cell(registration.content_methods, wrap=True),
        registration.area,
        sheet.cell(registration.beneficiaries, wrap=True),
        sheet.cell(partners, wrap=True),
        registration.person_in_charge,
        registration.person_in_charge_position,
        registration.person_in_charge_phone,
        sheet.cell(registration.budget_vnd, number_format=MONEY),
        sheet.cell(registration.contributions_vnd, number_format=MONEY),
        registration.workdays,
        sheet.cell(registration.start_date, number_format=DATE),
        sheet.cell(milestones, wrap=True),
        sheet.cell(registration.evaluation_date, number_format=DATE),
        sheet.cell(registration.expected_outputs, wrap=True),
        sheet.cell(registration.sustainability, wrap=True),
        sheet.cell(_local(registration.submitted_at), number_format=DATETIME),
        sheet.cell(_local(registration.decided_at), number_format=DATETIME),
    ]


def write_registrations(queryset, target) -> int:
    """Write every registration of ``queryset`` with every field into ``target`` (a binary
    file); returns the number of rows. Rows are fetched and written in chunks."""
    sheet = Sheet(title="Mô hình", columns=COLUMNS, freeze="C2")
    count = 0
    with translation.override("vi"):
        for registration in registration_for_export(queryset).iterator(chunk_size=500):
            sheet.append(_row(sheet, registration))
            count += 1
    sheet.save(target)
    return count


def registrations_xlsx_response(queryset, *, organization) -> FileResponse:
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it, which deletes it
    write_registrations(queryset, spool)
    spool.seek(0)
    filename = f"mo-hinh-{organization.code}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        spool, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
