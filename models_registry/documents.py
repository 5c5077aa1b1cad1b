"""The registration form (Phiếu đăng ký mô hình) as an official document of the unit."""

from django.utils import timezone, translation

from danvan.documents.layout import OfficialDocument, Paragraph, Run, SignatureBlock, Table
from danvan.documents.parts import unit_issuer
from models_registry.models import Registration
from models_registry.questions import answer_text, partner_groups, partner_text, shown_questions


def addressee(campaign) -> str:
    """Whom a unit sends its registration: the body that launched the campaign (the
    Party committee, the Front), or the People's Committee."""
    if campaign.issuing_body_id:
        return campaign.issuing_body.short_name
    return campaign.organization.short_name


def _field(label: str, value: str) -> Paragraph:
    return Paragraph((Run(f"{label}: ", bold=True), Run(value or "—")), style="plain")


def _question(number: int, registration: Registration, question) -> list[Paragraph | Table]:
    """One numbered question of the campaign's form and its answer."""
    label = f"{number}. {question.label}"
    if question.kind == "partners":
        groups = partner_groups(registration, question)
        if not groups:
            return [_field(label, "Không có.")]
        if question.partner_parts:
            return [
                Paragraph((Run(f"{label}:", bold=True),), style="plain"),
                *(
                    Paragraph.of(
                        f"- {force}: " + "; ".join(partner_text(p) for p in partners) + ".",
                        style="plain",
                    )
                    for force, partners in groups
                ),
            ]
        partners = groups[0][1]
        return [
            Paragraph((Run(f"{label}:", bold=True),), style="plain"),
            Table(
                headers=("TT", "Đơn vị, tổ chức", "Vai trò"),
                rows=tuple((str(i), str(p), p.role) for i, p in enumerate(partners, start=1)),
                widths=(1, 5, 6),
            ),
        ]
    if question.kind == "milestones":
        milestones = list(registration.milestones.all())
        if not milestones:
            return [_field(label, "Không có.")]
        return [
            Paragraph((Run(f"{label}:", bold=True),), style="plain"),
            Table(
                headers=("TT", "Thời gian", "Nội dung mốc"),
                rows=tuple(
                    (str(i), m.due_on.strftime("%d/%m/%Y"), m.description)
                    for i, m in enumerate(milestones, start=1)
                ),
                widths=(1, 3, 8),
            ),
        ]
    return [_field(label, answer_text(registration, question))]


def registration_form_document(registration: Registration) -> OfficialDocument:
    """The registration form as the campaign's form asks it: its shown questions, numbered,
    with their answers; added questions among them. In Vietnamese, whatever the language
    of the user who downloads it."""
    with translation.override("vi"):
        return _registration_form_document(registration)


def _registration_form_document(registration: Registration) -> OfficialDocument:
    organization = registration.organization
    unit = registration.unit
    campaign = registration.campaign
    body = [
        Paragraph.of(f"Kính gửi: {addressee(campaign)}.", style="center"),
        Paragraph.of(f"Thực hiện {campaign.name}, {unit.name} đăng ký mô hình như sau:"),
        _field("Mã mô hình", registration.code),
        # The unit that registers; who leads, co-ordinates and takes part is a question
        # of the form (its partners), which may name other forces.
        _field("Đơn vị đăng ký", unit.name),
    ]
    for number, question in enumerate(shown_questions(campaign), start=1):
        body += _question(number, registration, question)
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
        recipients=(
            f"{addressee(campaign)};"
            if campaign.issuing_body_id
            else f"{addressee(campaign)} (qua Văn phòng);",
            "Lưu: đơn vị.",
        ),
        signature=SignatureBlock(
            title="NGƯỜI PHỤ TRÁCH MÔ HÌNH",
            name=registration.person_in_charge or registration.owner_name,
        ),
        draft=registration.status == Registration.Status.DRAFT,
        title=f"Phiếu đăng ký mô hình {registration.code}",
    )
