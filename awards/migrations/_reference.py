"""Award forms, who decides them, cash multipliers, base salaries and rounding rules every
installation starts with, each with the legal source it was checked against.

Amounts and powers change by decree: these rows are data, edited in the back office when
a new text takes effect (a new row with its own period, the old one kept for the decisions
of its time). Where the law gives no value the row says so and leaves it empty; it is
never guessed."""

from datetime import date
from decimal import Decimal

LAW_06 = "Luật Thi đua, khen thưởng số 06/2022/QH15"
DECREE_98 = "Nghị định số 98/2023/NĐ-CP"
DECREE_152 = "Nghị định số 152/2025/NĐ-CP"
COMMUNE_POWER = f"{LAW_06}, khoản 3 Điều 80 (Chủ tịch Ủy ban nhân dân cấp xã)"
FORMER_DISTRICT_POWER = (
    f"{LAW_06}, khoản 2 Điều 80 giao Chủ tịch Ủy ban nhân dân cấp huyện. Từ 01/7/2025 cấp "
    "huyện không còn; chưa đối chiếu được văn bản giao thẩm quyền này cho cấp xã (Nghị định "
    "số 152/2025/NĐ-CP không giao nhiệm vụ thi đua, khen thưởng cho cấp xã): đề nghị cấp trên "
    "cho đến khi có căn cứ, theo quy chế thi đua, khen thưởng của tỉnh."
)

# code, name, is_title, level, basis of the level, collective, individual, household, position
AWARD_FORMS = [
    ("giay-khen-chu-tich-xa", "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã", False, "commune", COMMUNE_POWER, True, True, True, 1),
    ("lao-dong-tien-tien", "Danh hiệu “Lao động tiên tiến”", True, "commune", COMMUNE_POWER, False, True, False, 2),
    ("gia-dinh-van-hoa", "Danh hiệu “Gia đình văn hóa”", True, "commune", COMMUNE_POWER, False, False, True, 3),
    ("tap-the-lao-dong-tien-tien", "Danh hiệu “Tập thể lao động tiên tiến”", True, "higher", FORMER_DISTRICT_POWER, True, False, False, 4),
    ("chien-si-thi-dua-co-so", "Danh hiệu “Chiến sĩ thi đua cơ sở”", True, "higher", FORMER_DISTRICT_POWER, False, True, False, 5),
    ("thon-to-dan-pho-van-hoa", "Danh hiệu “Thôn, tổ dân phố văn hóa”", True, "higher", FORMER_DISTRICT_POWER, True, False, False, 6),
    ("bang-khen-chu-tich-tinh", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", False, "higher", f"{LAW_06}, Điều 79 (Chủ tịch Ủy ban nhân dân cấp tỉnh)", True, True, True, 7),
]  # fmt: skip

DECREE_98_FROM, DECREE_98_TO = date(2024, 1, 1), date(2025, 6, 30)
DECREE_152_FROM, DECREE_152_TO = date(2025, 7, 1), date(2027, 2, 28)
NO_VALUE = "Văn bản không quy định mức tiền thưởng; nhập mức theo quy định của tỉnh nếu có."
CHECK_98 = "Điều khoản chưa đối chiếu nguyên văn."
HOUSEHOLD_152 = (
    "Hộ gia đình được thưởng 1,5 lần mức tiền thưởng của cá nhân cùng hình thức (Bộ Nội vụ, "
    "báo Lao Động 2025; UBND xã Mỹ Hòa Hưng chi 1.053.000 đ/hộ năm 2026). Khoản chưa đối "
    "chiếu nguyên văn."
)
COLLECTIVE_152 = (
    "Tập thể được thưởng gấp 2 lần mức của cá nhân cùng hình thức (như điểm c khoản 2 Điều 58 "
    "Nghị định số 98/2023/NĐ-CP và khoản 2 Điều 51 Nghị định số 152/2025/NĐ-CP về huân "
    "chương); khoản 2 Điều 54 chưa đối chiếu nguyên văn."
)
VALID_152 = "Nghị định có hiệu lực từ 01/7/2025 đến 01/3/2027, trừ khi được kéo dài."

# code, recipient kind, multiplier (None: the law sets none), from, to, source, note
MULTIPLIERS = [
    # Decree 98/2023/NĐ-CP, 01/01/2024 – 30/06/2025.
    ("giay-khen-chu-tich-xa", "individual", "0.15", DECREE_98_FROM, DECREE_98_TO, f"{DECREE_98}, điểm g khoản 1 Điều 58", "Báo Lao Động: 0,15 lần mức lương cơ sở trước 01/7/2025."),
    ("giay-khen-chu-tich-xa", "collective", "0.30", DECREE_98_FROM, DECREE_98_TO, f"{DECREE_98}, điểm c khoản 2 Điều 58", "Gấp hai lần mức của cá nhân."),
    ("giay-khen-chu-tich-xa", "household", None, DECREE_98_FROM, DECREE_98_TO, DECREE_98, "Chưa đối chiếu được mức cho hộ gia đình; nhập khi có căn cứ."),
    ("lao-dong-tien-tien", "individual", "0.30", DECREE_98_FROM, DECREE_98_TO, DECREE_98, CHECK_98),
    ("gia-dinh-van-hoa", "household", None, DECREE_98_FROM, DECREE_98_TO, DECREE_98, NO_VALUE),
    ("tap-the-lao-dong-tien-tien", "collective", "0.80", DECREE_98_FROM, DECREE_98_TO, DECREE_98, CHECK_98),
    ("chien-si-thi-dua-co-so", "individual", "1.00", DECREE_98_FROM, DECREE_98_TO, DECREE_98, "Báo Quốc tế, bảng mức thưởng năm 2024: 1 lần mức lương cơ sở. " + CHECK_98),
    ("thon-to-dan-pho-van-hoa", "collective", None, DECREE_98_FROM, DECREE_98_TO, DECREE_98, "Chưa đối chiếu được mức; nhập khi có căn cứ."),
    ("bang-khen-chu-tich-tinh", "individual", None, DECREE_98_FROM, DECREE_98_TO, DECREE_98, "Hình thức do cấp tỉnh quyết định; mức chưa đối chiếu."),
    ("bang-khen-chu-tich-tinh", "collective", None, DECREE_98_FROM, DECREE_98_TO, DECREE_98, "Hình thức do cấp tỉnh quyết định; mức chưa đối chiếu."),
    ("bang-khen-chu-tich-tinh", "household", None, DECREE_98_FROM, DECREE_98_TO, DECREE_98, "Hình thức do cấp tỉnh quyết định; mức chưa đối chiếu."),
    # Decree 152/2025/NĐ-CP, from 01/07/2025.
    ("giay-khen-chu-tich-xa", "individual", "0.30", DECREE_152_FROM, DECREE_152_TO, f"{DECREE_152}, điểm e khoản 1 Điều 54", "Công đoàn Việt Nam, Lao Động 2025: 0,3 lần mức lương cơ sở. " + VALID_152),
    ("giay-khen-chu-tich-xa", "collective", "0.60", DECREE_152_FROM, DECREE_152_TO, f"{DECREE_152}, Điều 54", COLLECTIVE_152),
    ("giay-khen-chu-tich-xa", "household", "0.45", DECREE_152_FROM, DECREE_152_TO, f"{DECREE_152}, Điều 54", HOUSEHOLD_152),
    ("lao-dong-tien-tien", "individual", "0.30", DECREE_152_FROM, DECREE_152_TO, f"{DECREE_152}, Điều 50", "Dân trí 03/12/2025. " + VALID_152),
    ("gia-dinh-van-hoa", "household", None, DECREE_152_FROM, DECREE_152_TO, DECREE_152, NO_VALUE),
    ("tap-the-lao-dong-tien-tien", "collective", "0.80", DECREE_152_FROM, DECREE_152_TO, f"{DECREE_152}, Điều 50", "Dân trí 03/12/2025. " + VALID_152),
    ("chien-si-thi-dua-co-so", "individual", "1.00", DECREE_152_FROM, DECREE_152_TO, f"{DECREE_152}, Điều 50", "Dân trí 03/12/2025; kèm Bằng chứng nhận, khung. " + VALID_152),
    ("thon-to-dan-pho-van-hoa", "collective", "1.50", DECREE_152_FROM, DECREE_152_TO, f"{DECREE_152}, Điều 50", "Dân trí 03/12/2025; kèm Bằng chứng nhận, khung. " + VALID_152),
    ("bang-khen-chu-tich-tinh", "individual", "1.50", DECREE_152_FROM, DECREE_152_TO, f"{DECREE_152}, khoản 1 Điều 54", "Gia đình & Xã hội 11/8/2025. " + VALID_152),
    ("bang-khen-chu-tich-tinh", "collective", "3.00", DECREE_152_FROM, DECREE_152_TO, f"{DECREE_152}, Điều 54", COLLECTIVE_152),
    ("bang-khen-chu-tich-tinh", "household", "2.25", DECREE_152_FROM, DECREE_152_TO, f"{DECREE_152}, Điều 54", HOUSEHOLD_152),
]  # fmt: skip

# amount in đồng, from, to, source, note
BASE_SALARIES = [
    (1_800_000, date(2023, 7, 1), date(2024, 6, 30), "Nghị định số 24/2023/NĐ-CP ngày 14/5/2023", "Điều khoản chưa đối chiếu; ngày và số theo khoản 2 Điều 6 Nghị định số 73/2024/NĐ-CP."),
    (2_340_000, date(2024, 7, 1), date(2026, 6, 30), "Nghị định số 73/2024/NĐ-CP ngày 30/6/2024, khoản 2 Điều 3", "vbpl.vn (văn bản số 168048)."),
    (2_530_000, date(2026, 7, 1), None, "Nghị định số 161/2026/NĐ-CP ngày 15/5/2026, khoản 2 Điều 3", "Hiệu lực từ 01/7/2026 (Điều 6); thay Nghị định số 73/2024/NĐ-CP."),
]  # fmt: skip

ROUNDING_WORDS = "“Tiền thưởng sau khi nhân với hệ số mức lương cơ sở được làm tròn số lên hàng chục nghìn đồng tiền Việt Nam.”"
# mode, step, from, to, source, note
ROUNDING_RULES = [
    ("up", 10_000, DECREE_98_FROM, DECREE_98_TO, f"{DECREE_98}, khoản 2 Điều 53", ROUNDING_WORDS + " (báo Phụ nữ Việt Nam, 07/01/2024)."),
    ("up", 10_000, DECREE_152_FROM, DECREE_152_TO, f"{DECREE_152}, Điều 49", ROUNDING_WORDS + " (báo Lào Cai, 22/6/2025). Có nơi hiểu là làm tròn đến gần nhất: đổi cách làm tròn nếu quy chế của tỉnh hướng dẫn như vậy. " + VALID_152),
]  # fmt: skip


# A recognition of a model, not a commendation under the Law on Emulation and
# Commendation: no national text sets it, and it carries no cash. Wards (and the
# mass-mobilisation steering committees) recognise their models this way, e.g. "bình xét
# và công nhận 123 mô hình Dân vận khéo năm 2022" (Báo Bắc Kạn,
# https://baobackan.com.vn/cho-don-cong-nhan-123-mo-hinh-dan-van-kheo-nam-2022-post2896.html).
MODEL_CERTIFICATE = {
    "code": "giay-chung-nhan-mo-hinh",
    "name": "Giấy chứng nhận mô hình “Dân vận khéo”",
    "is_title": False,
    "level": "commune",
    "level_basis": (
        "Công nhận mô hình theo kế hoạch phong trào của địa phương; không phải hình thức khen "
        "thưởng theo Luật Thi đua, khen thưởng số 06/2022/QH15, không kèm tiền thưởng."
    ),
    "has_reward": False,
    "paper_title": "GIẤY CHỨNG NHẬN",
    "for_collective": True,
    "for_individual": True,
    "for_household": False,
    "position": 8,
}


def ensure_model_certificate(award_form_model) -> None:
    values = dict(MODEL_CERTIFICATE)
    award_form_model.objects.update_or_create(code=values.pop("code"), defaults=values)


def ensure_reference(
    award_form_model=None, multiplier_model=None, base_salary_model=None, rounding_model=None
) -> None:
    if award_form_model is None:
        from awards.models import AwardForm as award_form_model
        from awards.models import BaseSalary as base_salary_model
        from awards.models import Multiplier as multiplier_model
        from awards.models import RoundingRule as rounding_model

        ensure_model_certificate(award_form_model)
    forms = {}
    for (
        code,
        name,
        is_title,
        level,
        basis,
        collective,
        individual,
        household,
        position,
    ) in AWARD_FORMS:
        forms[code], _created = award_form_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "is_title": is_title,
                "level": level,
                "level_basis": basis,
                "for_collective": collective,
                "for_individual": individual,
                "for_household": household,
                "position": position,
            },
        )
    for code, kind, multiplier, start, end, source, note in MULTIPLIERS:
        multiplier_model.objects.update_or_create(
            award_form=forms[code],
            recipient_kind=kind,
            effective_from=start,
            defaults={
                "multiplier": Decimal(multiplier) if multiplier is not None else None,
                "effective_to": end,
                "legal_basis": source,
                "note": note,
            },
        )
    for amount, start, end, source, note in BASE_SALARIES:
        base_salary_model.objects.update_or_create(
            effective_from=start,
            defaults={
                "amount_vnd": amount,
                "effective_to": end,
                "legal_basis": source,
                "note": note,
            },
        )
    for mode, step, start, end, source, note in ROUNDING_RULES:
        rounding_model.objects.update_or_create(
            effective_from=start,
            defaults={
                "mode": mode,
                "step_vnd": step,
                "effective_to": end,
                "legal_basis": source,
                "note": note,
            },
        )
