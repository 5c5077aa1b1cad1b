"""Sample documents for the tests: the seed plan 46/KH-UBND and variations of it."""

from dataclasses import replace
from datetime import date

from campaigns.demo import SEALED_AT, SIGNED_AT, plan_2024_in_memory, seed_plan_document
from campaigns.documents import plan_body
from danvan.documents.layout import (
    OfficialDocument,
    Paragraph,
    Run,
    Signature,
    SignatureBlock,
    Table,
)

SIGNED = (SIGNED_AT, SEALED_AT)
SIGNATURE_METADATA = (
    "Ký số: Lê Duy Bảo 2024-03-19T09:28:22+07:00",
    "Ký số cơ quan ban hành: Ủy ban nhân dân phường Phổ Minh 2024-03-19T09:30:31+07:00",
)
SIGNATURE_LINES = (
    "Ký số: Lê Duy Bảo – 09:28:22 ngày 19/03/2024",
    "Ký số cơ quan ban hành: Ủy ban nhân dân phường Phổ Minh – 09:30:31 ngày 19/03/2024",
)


def seed_plan_body() -> tuple:
    campaign, parts = plan_2024_in_memory()
    return plan_body(campaign, parts)


def seed_plan(**changes) -> OfficialDocument:
    """The seed campaign plan, 46/KH-UBND of 19 March 2024, as the ward issued it (built
    from the demo data through the campaign's own document builder)."""
    doc = seed_plan_document()
    return replace(doc, **changes)


AWARDEES = Table(
    headers=("TT", "Tập thể, cá nhân", "Số tiền (đồng)"),
    rows=(
        ("1", "Bộ phận Một cửa phường Phổ Minh", "1.000.000"),
        ("2", "Hội Liên hiệp Phụ nữ phường", "800.000"),
        ("3", "Nguyễn Thị Lan, công chức Văn phòng – Thống kê", "500.000"),
    ),
    widths=(1, 6, 3),
    numeric=(False, False, True),
)


def decision(**changes) -> OfficialDocument:
    """An award decision signed on behalf of the committee, with a table of awardees."""
    doc = seed_plan(
        header_parent="ỦY BAN NHÂN DÂN THỊ XÃ ĐỨC PHỔ",
        kind_title="QUYẾT ĐỊNH",
        subject="Về việc khen thưởng điển hình “Dân vận khéo” năm 2024",
        date=date(2025, 2, 5),
        number=12,
        symbol="QĐ-UBND",
        body=(
            Paragraph.of("CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG PHỔ MINH", "center", bold=True),
            Paragraph.of("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;", "basis"),
            Paragraph.of("QUYẾT ĐỊNH:", "center", bold=True),
            Paragraph(
                (
                    Run("Điều 1. ", bold=True),
                    Run("Tặng Giấy khen cho các tập thể, cá nhân có tên sau:"),
                ),
                "article",
            ),
            AWARDEES,
            Paragraph(
                (Run("Điều 2. ", bold=True), Run("Quyết định có hiệu lực kể từ ngày ký.")),
                "article",
            ),
        ),
        signature=SignatureBlock(
            mode_line="KT. CHỦ TỊCH",
            title="PHÓ CHỦ TỊCH",
            name="Võ Thị Hoa",
            signatures=(Signature("Ký số", "Võ Thị Hoa", SIGNED[0]),),
        ),
    )
    return replace(doc, **changes)


def long_plan(pages: int = 3) -> OfficialDocument:
    """The seed plan with its body repeated until it runs to several pages."""
    return seed_plan(body=seed_plan_body() * pages)
