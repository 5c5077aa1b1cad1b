"""The registration form (Phiếu đăng ký mô hình) as an official document of the unit."""

from django.utils import timezone

from danvan.documents.layout import OfficialDocument, Paragraph, Run, SignatureBlock, Table
from danvan.documents.parts import unit_issuer
from danvan.text import vnd
from models_registry.models import Registration


def _money(value: int) -> str:
    return vnd(value)


def _field(label: str, value: str) -> Paragraph:
    return Paragraph((Run(f"{label}: ", bold=True), Run(value or "—")), style="plain")


def registration_form_document(registration: Registration) -> OfficialDocument:
    organization = registration.organization
    unit = registration.unit
    body = [
        Paragraph.of(f"Kính gửi: {organization.short_name}.", style="center"),
        Paragraph.of(
            f"Thực hiện {registration.campaign.name}, {unit.name} đăng ký mô hình như sau:"
        ),
        Paragraph.of("I. THÔNG TIN CHUNG", style="heading"),
        _field("1. Tên mô hình", registration.name),
        _field("2. Mã mô hình", registration.code),
        _field("3. Lĩnh vực", registration.field.name),
        _field("4. Đơn vị chủ trì", unit.name),
        _field(
            "5. Người phụ trách",
            ", ".join(
                part
                for part in (
                    registration.person_in_charge,
                    registration.person_in_charge_position,
                    registration.person_in_charge_phone,
                )
                if part
            ),
        ),
        _field("6. Địa bàn thực hiện", registration.area),
        _field("7. Đối tượng thụ hưởng", registration.beneficiaries),
        Paragraph.of("II. NỘI DUNG MÔ HÌNH", style="heading"),
        _field("1. Thực trạng, lý do xây dựng mô hình", registration.situation),
        _field("2. Mục tiêu", registration.objectives),
        _field("3. Cách đo lường kết quả", registration.success_measures),
        _field("4. Nội dung, phương pháp thực hiện", registration.content_methods),
        _field("5. Kết quả dự kiến", registration.expected_outputs),
        _field("6. Tính bền vững, khả năng nhân rộng", registration.sustainability),
        Paragraph.of("III. ĐƠN VỊ PHỐI HỢP", style="heading"),
    ]
    partners = list(registration.partners.all())
    if partners:
        body.append(
            Table(
                headers=("TT", "Đơn vị, tổ chức", "Vai trò"),
                rows=tuple((str(i), str(p), p.role) for i, p in enumerate(partners, start=1)),
                widths=(1, 5, 6),
            )
        )
    else:
        body.append(Paragraph.of("Không có.", style="plain"))
    body.append(Paragraph.of("IV. NGUỒN LỰC VÀ TIẾN ĐỘ", style="heading"))
    body += [
        _field("1. Kinh phí", _money(registration.budget_vnd)),
        _field("2. Xã hội hóa", _money(registration.contributions_vnd)),
        _field("3. Ngày công", str(registration.workdays)),
        _field("4. Ngày bắt đầu", registration.start_date.strftime("%d/%m/%Y")),
        _field("5. Thời điểm đánh giá", registration.evaluation_date.strftime("%d/%m/%Y")),
    ]
    milestones = list(registration.milestones.all())
    if milestones:
        body.append(
            Table(
                headers=("TT", "Thời gian", "Nội dung mốc"),
                rows=tuple(
                    (str(i), m.due_on.strftime("%d/%m/%Y"), m.description)
                    for i, m in enumerate(milestones, start=1)
                ),
                widths=(1, 3, 8),
            )
        )
    submitted = registration.submitted_at
    issuer = unit_issuer(organization, unit)
    return OfficialDocument(
        **issuer.header(),
        kind_title="PHIẾU ĐĂNG KÝ",
        subject=f"Mô hình “Dân vận khéo” năm {registration.campaign.year}",
        date=timezone.localdate(submitted) if submitted else None,
        number=None,
        symbol=issuer.symbol_for("ĐK"),
        body=tuple(body),
        recipients=(f"{organization.short_name} (qua Văn phòng);", "Lưu: đơn vị."),
        signature=SignatureBlock(
            title="NGƯỜI PHỤ TRÁCH MÔ HÌNH", name=registration.person_in_charge
        ),
        draft=registration.status == Registration.Status.DRAFT,
        title=f"Phiếu đăng ký mô hình {registration.code}",
    )
