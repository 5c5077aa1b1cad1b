"""Award forms, cash multipliers and base salaries every installation starts with.

Amounts change by decree: these rows are data, edited in the back office when a new
decree takes effect (a new row with its own effective date, the old one kept)."""

from datetime import date
from decimal import Decimal

# code, name, is_title, level, collective, individual, household, position
AWARD_FORMS = [
    ("giay-khen-chu-tich-xa", "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã", False, "commune", True, True, True, 1),
    ("lao-dong-tien-tien", "Danh hiệu “Lao động tiên tiến”", True, "commune", False, True, False, 2),
    ("gia-dinh-van-hoa", "Danh hiệu “Gia đình văn hóa”", True, "commune", False, False, True, 3),
    ("tap-the-lao-dong-tien-tien", "Danh hiệu “Tập thể lao động tiên tiến”", True, "higher", True, False, False, 4),
    ("bang-khen-chu-tich-tinh", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", False, "higher", True, True, True, 5),
]

DECREE_98 = "Nghị định số 98/2023/NĐ-CP"
# code, recipient kind, multiplier of the base salary, effective from
MULTIPLIERS = [
    ("giay-khen-chu-tich-xa", "individual", "0.15", date(2024, 1, 1)),
    ("giay-khen-chu-tich-xa", "collective", "0.30", date(2024, 1, 1)),
    ("giay-khen-chu-tich-xa", "household", "0.15", date(2024, 1, 1)),
    ("lao-dong-tien-tien", "individual", "0.30", date(2024, 1, 1)),
    ("gia-dinh-van-hoa", "household", "0.10", date(2024, 1, 1)),
    ("tap-the-lao-dong-tien-tien", "collective", "0.80", date(2024, 1, 1)),
    ("bang-khen-chu-tich-tinh", "individual", "1.50", date(2024, 1, 1)),
    ("bang-khen-chu-tich-tinh", "collective", "3.00", date(2024, 1, 1)),
    ("bang-khen-chu-tich-tinh", "household", "1.50", date(2024, 1, 1)),
]

# amount in đồng, effective from, basis
BASE_SALARIES = [
    (1_800_000, date(2023, 7, 1), "Nghị định số 24/2023/NĐ-CP"),
    (2_340_000, date(2024, 7, 1), "Nghị định số 73/2024/NĐ-CP"),
]


def ensure_reference(award_form_model=None, multiplier_model=None, base_salary_model=None) -> None:
    if award_form_model is None:
        from awards.models import AwardForm as award_form_model
        from awards.models import BaseSalary as base_salary_model
        from awards.models import Multiplier as multiplier_model
    forms = {}
    for code, name, is_title, level, collective, individual, household, position in AWARD_FORMS:
        forms[code], _created = award_form_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "is_title": is_title,
                "level": level,
                "for_collective": collective,
                "for_individual": individual,
                "for_household": household,
                "position": position,
            },
        )
    for code, kind, multiplier, effective_from in MULTIPLIERS:
        multiplier_model.objects.update_or_create(
            award_form=forms[code],
            recipient_kind=kind,
            effective_from=effective_from,
            defaults={"multiplier": Decimal(multiplier), "legal_basis": DECREE_98},
        )
    for amount, effective_from, basis in BASE_SALARIES:
        base_salary_model.objects.update_or_create(
            effective_from=effective_from, defaults={"amount_vnd": amount, "legal_basis": basis}
        )
