"""The national texts that documents cite, with the period each is cited for and where
its number, date and validity were checked. Superusers keep these in the back office; a
new row takes over from an ended one, the old row stays for the documents of its time."""

from datetime import date

LAW, DECREE = "Luật", "Nghị định"
DECISION = "QĐ"

# document kind, position, legal kind, number, issued on, issuer, title, valid from, valid to, source
CITATIONS = [
    (
        DECISION,
        1,
        LAW,
        "77/2015/QH13",
        date(2015, 6, 19),
        "Quốc hội",
        "Tổ chức chính quyền địa phương",
        date(2016, 1, 1),
        date(2025, 2, 28),
        "Luật số 77/2015/QH13 ngày 19/6/2015, hiệu lực từ 01/01/2016 (Văn bản hợp nhất "
        "32/VBHN-VPQH). Từ 01/3/2025 đến 15/6/2025 áp dụng Luật số 65/2025/QH15, chưa đối "
        "chiếu được ngày thông qua: bổ sung khi cần dẫn cho văn bản trong khoảng đó.",
    ),
    (
        DECISION,
        1,
        LAW,
        "72/2025/QH15",
        date(2025, 6, 16),
        "Quốc hội",
        "Tổ chức chính quyền địa phương",
        date(2025, 6, 16),
        None,
        "Luật số 72/2025/QH15, Quốc hội thông qua ngày 16/6/2025, hiệu lực từ ngày thông qua "
        "(Điều 51); bản công báo congbao.chinhphu.vn.",
    ),
    (
        DECISION,
        2,
        LAW,
        "06/2022/QH15",
        date(2022, 6, 15),
        "Quốc hội",
        "Thi đua, khen thưởng",
        date(2024, 1, 1),
        None,
        "Luật số 06/2022/QH15 ngày 15/6/2022, hiệu lực từ 01/01/2024 (Công báo số 571+572, "
        "15/7/2022).",
    ),
    (
        DECISION,
        3,
        DECREE,
        "98/2023/NĐ-CP",
        date(2023, 12, 31),
        "Chính phủ",
        "quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
        date(2024, 1, 1),
        date(2025, 6, 30),
        "Nghị định số 98/2023/NĐ-CP ngày 31/12/2023, hiệu lực từ 01/01/2024 (báo Phụ nữ Việt "
        "Nam, 07/01/2024). Từ 01/7/2025 mức thưởng và nguyên tắc tính theo Nghị định số "
        "152/2025/NĐ-CP.",
    ),
    (
        DECISION,
        3,
        DECREE,
        "152/2025/NĐ-CP",
        date(2025, 6, 14),
        "Chính phủ",
        "quy định về phân cấp, phân quyền trong lĩnh vực thi đua, khen thưởng; quy định chi "
        "tiết và hướng dẫn thi hành một số điều của Luật Thi đua, khen thưởng",
        date(2025, 7, 1),
        date(2027, 2, 28),
        "Nghị định số 152/2025/NĐ-CP ngày 14/6/2025 (pbgdpl.cantho.gov.vn); hiệu lực từ "
        "01/7/2025 đến 01/3/2027 trừ khi được kéo dài (vbpl.vn).",
    ),
]


def ensure_citations(citation_model=None) -> None:
    if citation_model is None:
        from danvan.documents.models import Citation as citation_model
    for (
        kind,
        position,
        legal_kind,
        number,
        issued_on,
        issuer,
        title,
        start,
        end,
        source,
    ) in CITATIONS:
        citation_model.objects.update_or_create(
            organization=None,
            document_kind=kind,
            number=number,
            defaults={
                "position": position,
                "legal_kind": legal_kind,
                "issued_on": issued_on,
                "issuer": issuer,
                "title": title,
                "valid_from": start,
                "valid_to": end,
                "source": source,
            },
        )
