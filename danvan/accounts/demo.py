"""Demo directory: Phổ Minh ward as plan 46/KH-UBND names its units, and a second ward."""

import zlib
from dataclasses import dataclass

from danvan.accounts.models import IssuingBody, Membership, Organization, Unit, UnitGroup, User

Role = Membership.Role
Kind = Unit.Kind


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    position_title: str
    role: str
    unit: str | None = None  # short name


PHO_MINH = {
    "code": "pho-minh",
    "name": "Ủy ban nhân dân phường Phổ Minh",
    "short_name": "UBND phường Phổ Minh",
    "kind": Organization.Kind.WARD,
    "province": "Quảng Ngãi",
    "place_name": "Phổ Minh",
    "header_parent": "",
    "header_name": "ỦY BAN NHÂN DÂN\nPHƯỜNG PHỔ MINH",
    "symbol": "UBND",
    "email": "ubnd.phominh@example.vn",
    "address": "Phường Phổ Minh, thị xã Đức Phổ, tỉnh Quảng Ngãi",
    "office_name": "Văn phòng HĐND và UBND",
    "finance_office_name": "Phòng Kinh tế, Hạ tầng và Đô thị",
}

PHO_MINH_UNITS = [
    ("Văn phòng – Thống kê", "VP-TK", Kind.GOVERNMENT),
    ("Bộ phận Tiếp nhận và Trả kết quả (Bộ phận một cửa)", "BPMC", Kind.GOVERNMENT),
    ("Địa chính – Xây dựng – Đô thị và Môi trường", "ĐC-XD", Kind.GOVERNMENT),
    ("Tài chính – Kế toán", "TC-KT", Kind.GOVERNMENT),
    ("Tư pháp – Hộ tịch", "TP-HT", Kind.GOVERNMENT),
    ("Văn hóa – Xã hội", "VH-XH", Kind.GOVERNMENT),
    ("Đảng ủy phường", "ĐU", Kind.PARTY),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam phường", "MTTQ", Kind.FRONT),
    ("Hội Liên hiệp Phụ nữ phường", "HPN", Kind.FRONT),
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh phường", "ĐTN", Kind.FRONT),
    ("Hội Nông dân phường", "HND", Kind.FRONT),
    ("Hội Cựu chiến binh phường", "HCCB", Kind.FRONT),
    ("Công an phường", "CA", Kind.ARMED_FORCES),
    ("Ban Chỉ huy Quân sự phường", "BCHQS", Kind.ARMED_FORCES),
    ("Tổ dân phố số 1", "TDP1", Kind.RESIDENTIAL),
    ("Tổ dân phố số 2", "TDP2", Kind.RESIDENTIAL),
]

PHO_MINH_USERS = [
    DemoUser(
        "phominh.vanphong", "Nguyễn Thị Lan", "Công chức Văn phòng – Thống kê", Role.OFFICE, "VP-TK"
    ),
    DemoUser(
        "phominh.mttq",
        "Trần Văn Hùng",
        "Phó Chủ tịch Ủy ban MTTQ Việt Nam phường",
        Role.UNIT_OFFICER,
        "MTTQ",
    ),
    DemoUser(
        "phominh.kiemtra", "Phạm Thị Mai", "Công chức Văn hóa – Xã hội", Role.EVALUATOR, "VH-XH"
    ),
    DemoUser("phominh.chutich", "Lê Duy Bảo", "Chủ tịch UBND phường", Role.CHAIRMAN),
    DemoUser("phominh.phochutich", "Võ Thị Hoa", "Phó Chủ tịch UBND phường", Role.VICE_CHAIRMAN),
    DemoUser("phominh.xem", "Đặng Quốc Minh", "Chuyên viên Đảng ủy phường", Role.VIEWER, "ĐU"),
]

# Officers of the other units that registered models in 2024.
PHO_MINH_UNIT_OFFICERS = [
    DemoUser(
        "phominh.motcua", "Huỳnh Thị Ngọc", "Công chức Bộ phận một cửa", Role.UNIT_OFFICER, "BPMC"
    ),
    DemoUser(
        "phominh.phunu",
        "Nguyễn Thị Hồng",
        "Chủ tịch Hội Liên hiệp Phụ nữ phường",
        Role.UNIT_OFFICER,
        "HPN",
    ),
    DemoUser(
        "phominh.doanthanhnien", "Lê Minh Tâm", "Bí thư Đoàn phường", Role.UNIT_OFFICER, "ĐTN"
    ),
    DemoUser(
        "phominh.nongdan", "Phan Văn Sáu", "Chủ tịch Hội Nông dân phường", Role.UNIT_OFFICER, "HND"
    ),
    DemoUser(
        "phominh.cuuchienbinh",
        "Đỗ Văn Lực",
        "Chủ tịch Hội Cựu chiến binh phường",
        Role.UNIT_OFFICER,
        "HCCB",
    ),
    DemoUser(
        "phominh.congan", "Trương Công Định", "Phó Trưởng Công an phường", Role.UNIT_OFFICER, "CA"
    ),
]

NGUYEN_NGHIEM = {
    "code": "nguyen-nghiem",
    "name": "Ủy ban nhân dân phường Nguyễn Nghiêm",
    "short_name": "UBND phường Nguyễn Nghiêm",
    "kind": Organization.Kind.WARD,
    "province": "Quảng Ngãi",
    "place_name": "Nguyễn Nghiêm",
    "header_parent": "",
    "header_name": "ỦY BAN NHÂN DÂN\nPHƯỜNG NGUYỄN NGHIÊM",
    "symbol": "UBND",
    "email": "ubnd.nguyennghiem@example.vn",
    "address": "Phường Nguyễn Nghiêm, thị xã Đức Phổ, tỉnh Quảng Ngãi",
}

NGUYEN_NGHIEM_UNITS = [
    ("Văn phòng HĐND và UBND", "VP", Kind.GOVERNMENT),
    ("Văn hóa – Xã hội", "VH-XH", Kind.GOVERNMENT),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam phường", "MTTQ", Kind.FRONT),
    ("Hội Liên hiệp Phụ nữ phường", "HPN", Kind.FRONT),
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh phường", "ĐTN", Kind.FRONT),
    ("Công an phường", "CA", Kind.ARMED_FORCES),
]

NGUYEN_NGHIEM_USERS = [
    DemoUser(
        "nguyennghiem.vanphong",
        "Huỳnh Thị Thu",
        "Công chức Văn phòng HĐND và UBND",
        Role.OFFICE,
        "VP",
    ),
    DemoUser(
        "nguyennghiem.phunu",
        "Lê Thị Kim",
        "Chủ tịch Hội Liên hiệp Phụ nữ phường",
        Role.UNIT_OFFICER,
        "HPN",
    ),
    DemoUser(
        "nguyennghiem.kiemtra",
        "Trương Văn Nam",
        "Công chức Văn hóa – Xã hội",
        Role.EVALUATOR,
        "VH-XH",
    ),
    DemoUser("nguyennghiem.chutich", "Nguyễn Văn Phúc", "Chủ tịch UBND phường", Role.CHAIRMAN),
    DemoUser(
        "nguyennghiem.phochutich", "Phan Thị Hạnh", "Phó Chủ tịch UBND phường", Role.VICE_CHAIRMAN
    ),
    DemoUser("nguyennghiem.xem", "Bùi Văn Tài", "Chuyên viên Đảng ủy phường", Role.VIEWER),
]

# The residential areas (khu dân cư) that answer the Front's call, grouped by the former
# wards and communes merged into Nguyễn Nghiêm: (group, [(name, short name)]).
NGUYEN_NGHIEM_AREAS = [
    (
        "Khu vực phường Nguyễn Nghiêm cũ",
        [(f"Tổ dân phố {number}", f"TDP{number}") for number in range(1, 9)],
    ),
    (
        "Khu vực xã Phổ Hòa cũ",
        [
            (f"Thôn {name}", code)
            for name, code in (
                ("Hiệp An", "HA"),
                ("Vĩnh Tuy", "VT"),
                ("Đông Quang", "ĐQ"),
                ("Lâm Bình", "LB"),
                ("Tân Lộc", "TL"),
                ("Phước Thạnh", "PT"),
            )
        ],
    ),
    (
        "Khu vực xã Phổ Vinh cũ",
        [
            (f"Thôn {name}", code)
            for name, code in (
                ("Vinh Hiển", "VH"),
                ("Hiển Văn", "HV"),
                ("Trung Sơn", "TS"),
                ("Hải Tân", "HT"),
                ("An Thạnh", "AT"),
                ("Vinh Thạnh", "VTh"),
            )
        ],
    ),
]
# Bodies that register models without an account of their own: the office enters for them.
NGUYEN_NGHIEM_WITHOUT_ACCOUNT = ["TDP8", "THNN"]
NGUYEN_NGHIEM_OTHER_UNITS = [
    ("Trường Tiểu học Nguyễn Nghiêm", "THNN", Kind.SCHOOL),
    ("Trạm Y tế phường", "TYT", Kind.AGENCY),
    ("Chi bộ Tổ dân phố 1", "CB-TDP1", Kind.PARTY_CELL),
]
SURNAMES = ["Nguyễn Văn", "Trần Thị", "Lê Văn", "Phạm Thị", "Huỳnh Văn", "Võ Thị", "Đặng Văn"]
GIVEN_NAMES = ["An", "Bình", "Cường", "Dung", "Giang", "Hải", "Khoa", "Lan", "Minh", "Ngọc", "Phúc"]
NGUYEN_NGHIEM_FRONT_HEAD = "Võ Thị Thanh Xuân"

SUPERUSER = DemoUser("quantri", "Hồ Anh Tuấn", "Trung tâm Công nghệ thông tin tỉnh", "superuser")


def seed_organization(spec: dict, units: list, users: list[DemoUser], password: str):
    """Create or refresh one organisation with its units and users; returns rows to print."""
    values = {key: value for key, value in spec.items() if key != "code"}
    organization, _created = Organization.objects.update_or_create(
        code=spec["code"], defaults=values
    )
    by_short = {}
    for name, short_name, kind in units:
        unit, _created = Unit.objects.update_or_create(
            organization=organization,
            short_name=short_name,
            defaults={"name": name, "kind": kind, "is_active": True},
        )
        by_short[short_name] = unit
    printed = []
    domain = spec["code"].replace("-", "") + ".example.vn"
    for demo in users:
        user = _demo_user(demo, email=f"{demo.username.split('.')[-1]}@{domain}", password=password)
        Membership.objects.update_or_create(
            user=user,
            organization=organization,
            role=demo.role,
            defaults={"unit": by_short.get(demo.unit)},
        )
        printed.append((organization.short_name, Role(demo.role).label, demo.username))
    return organization, by_short, printed


def _demo_user(demo: DemoUser, *, email: str, password: str) -> User:
    user, _created = User.objects.update_or_create(
        username=demo.username,
        defaults={
            "full_name": demo.full_name,
            "position_title": demo.position_title,
            "email": email,
            "is_active": True,
            "phone": "0255 3" + str(zlib.crc32(demo.username.encode()) % 1_000_000).zfill(6),
        },
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def seed_residential_areas(organization: Organization, password: str):
    """Nguyễn Nghiêm's residential areas in their three groups, its school, health station
    and Party cell, each area with its officer's account except those of
    ``NGUYEN_NGHIEM_WITHOUT_ACCOUNT``, and the Front committee that launches the movement
    there. Returns the rows to print (the first area officer stands for the others)."""
    units = []
    for position, (group_name, areas) in enumerate(NGUYEN_NGHIEM_AREAS, start=1):
        group, _created = UnitGroup.objects.update_or_create(
            organization=organization, name=group_name, defaults={"position": position}
        )
        units += [(name, short, Kind.RESIDENTIAL, group) for name, short in areas]
    units += [(name, short, kind, None) for name, short, kind in NGUYEN_NGHIEM_OTHER_UNITS]
    printed = []
    domain = organization.code.replace("-", "") + ".example.vn"
    for name, short_name, kind, group in units:
        unit, _created = Unit.objects.update_or_create(
            organization=organization,
            short_name=short_name,
            defaults={"name": name, "kind": kind, "group": group, "is_active": True},
        )
        if kind != Kind.RESIDENTIAL or short_name in NGUYEN_NGHIEM_WITHOUT_ACCOUNT:
            continue
        index = len(printed)
        number = str(index + 1).zfill(2)
        demo = DemoUser(
            f"nguyennghiem.kdc{number}",
            f"{SURNAMES[index % len(SURNAMES)]} {GIVEN_NAMES[index % len(GIVEN_NAMES)]}",
            f"Trưởng ban công tác Mặt trận {name}",
            Role.UNIT_OFFICER,
            short_name,
        )
        user = _demo_user(demo, email=f"kdc{number}@{domain}", password=password)
        Membership.objects.update_or_create(
            user=user, organization=organization, role=demo.role, defaults={"unit": unit}
        )
        printed.append(
            (organization.short_name, f"{Role(demo.role).label} ({name})", demo.username)
        )
    IssuingBody.objects.update_or_create(
        organization=organization,
        kind=IssuingBody.Kind.FRONT,
        defaults={
            **IssuingBody.defaults_for(IssuingBody.Kind.FRONT, organization),
            "head_name": NGUYEN_NGHIEM_FRONT_HEAD,
        },
    )
    if not printed:
        return []
    first, last = printed[0][2], printed[-1][2].rsplit(".", 1)[1]
    label = f"{Role(Role.UNIT_OFFICER).label} mỗi khu dân cư (đến …{last})"
    return [(organization.short_name, label, first)]


def seed_directory(password: str) -> list[tuple[str, str, str]]:
    """Both wards and the province's administrator; returns (organisation, role, username)."""
    _org, _units, printed = seed_organization(
        PHO_MINH, PHO_MINH_UNITS, PHO_MINH_USERS + PHO_MINH_UNIT_OFFICERS, password
    )
    nguyen_nghiem, _units, more = seed_organization(
        NGUYEN_NGHIEM, NGUYEN_NGHIEM_UNITS, NGUYEN_NGHIEM_USERS, password
    )
    more += seed_residential_areas(nguyen_nghiem, password)
    admin, _created = User.objects.update_or_create(
        username=SUPERUSER.username,
        defaults={
            "full_name": SUPERUSER.full_name,
            "position_title": SUPERUSER.position_title,
            "email": "quantri@example.vn",
            "is_superuser": True,
            "is_active": True,
        },
    )
    admin.set_password(password)
    admin.save(update_fields=["password"])
    return [*printed, *more, ("—", "Quản trị hệ thống", SUPERUSER.username)]


def seed_second_factor(usernames, secret_base32: str) -> list[str]:
    """Give every account among ``usernames`` that needs a second factor a confirmed
    authenticator app with the shared ``secret_base32``, so scripts and browser tests can
    compute the codes. Returns those usernames."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from danvan.accounts.selectors import needs_second_factor

    key = demo_totp_key(secret_base32)
    enrolled = []
    for user in User.objects.filter(username__in=list(usernames)).order_by("username"):
        if not needs_second_factor(user):
            continue
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(user=user, name="Demo", key=key, confirmed=True)
        enrolled.append(user.username)
    return enrolled


def demo_totp_key(secret_base32: str) -> str:
    """The hex key of a base32 secret (as authenticator apps show it); ValueError if it
    is not base32 or shorter than 16 characters (80 bits)."""
    import binascii
    from base64 import b32decode

    secret = "".join(secret_base32.split()).upper().rstrip("=")
    if len(secret) < 16:
        raise ValueError("the secret must have at least 16 base32 characters")
    try:
        raw = b32decode(secret + "=" * (-len(secret) % 8))
    except binascii.Error as error:
        raise ValueError(f"not base32: {error}") from None
    return raw.hex()
