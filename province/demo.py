"""Demo: the province above the two demo wards, its commendation office, and one
proposal travelling from Phổ Minh."""

from datetime import date

from awards.models import Escalation
from danvan.accounts.demo import DemoUser, seed_organization
from danvan.accounts.models import Membership, Organization
from province import services
from province.models import CommuneMembership, Proposal

Role = Membership.Role

QUANG_NGAI = {
    "code": "quang-ngai",
    "name": "Ủy ban nhân dân tỉnh Quảng Ngãi",
    "short_name": "UBND tỉnh Quảng Ngãi",
    "kind": Organization.Kind.PROVINCE,
    "province": "Quảng Ngãi",
    "place_name": "Quảng Ngãi",
    "header_parent": "",
    "header_name": "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI",
    "symbol": "UBND",
    "email": "ubnd.quangngai@example.vn",
    "address": "52 Hùng Vương, tỉnh Quảng Ngãi",
    "office_name": "Sở Nội vụ (Ban Thi đua – Khen thưởng)",
}
QUANG_NGAI_USERS = [
    DemoUser(
        "tinh.thiduakhenthuong",
        "Trương Thị Thu",
        "Chuyên viên Ban Thi đua – Khen thưởng, Sở Nội vụ",
        Role.PROVINCE_OFFICE,
    ),
    DemoUser("tinh.xem", "Phan Văn Sơn", "Chuyên viên Văn phòng UBND tỉnh", Role.PROVINCE_VIEWER),
]
# The demo wards, under the province since before the demo's first year.
COMMUNES = ("pho-minh", "nguyen-nghiem")
SINCE = date(2024, 1, 1)


def seed_province(password: str) -> list[tuple[str, str, str]]:
    """The province, its users and its communes; then Phổ Minh sends the first of its
    2024 escalations through the portal (once). Returns the rows to print."""
    province, _units, printed = seed_organization(QUANG_NGAI, [], QUANG_NGAI_USERS, password)
    for commune in Organization.objects.filter(code__in=COMMUNES).order_by("code"):
        if not CommuneMembership.objects.filter(commune=commune).exists():
            CommuneMembership.objects.create(province=province, commune=commune, valid_from=SINCE)
    escalation = (
        Escalation.objects.filter(
            organization__code="pho-minh", status=Escalation.Status.SENT, proposal__isnull=True
        )
        .order_by("pk")
        .first()
    )
    if escalation is not None and not Proposal.objects.filter(commune__code="pho-minh").exists():
        office = (
            Membership.objects.filter(organization=escalation.organization_id, role=Role.OFFICE)
            .select_related("user")
            .order_by("pk")
            .first()
            .user
        )
        services.proposal_send(
            actor=office,
            escalation=escalation,
            cover_note=(
                "UBND phường Phổ Minh kính đề nghị UBND tỉnh tặng Bằng khen cho tập thể có "
                "thành tích xuất sắc trong phong trào thi đua “Dân vận khéo” năm 2024 "
                f"(Tờ trình số {escalation.reference or '128/TTr-UBND'})."
            ),
        )
    return printed


def seed_scale_province(*, tag: str, password: str, since: date = SINCE) -> Organization:
    """For scale runs (seed_scale --province): a province above the organisations one
    run seeded (codes ``scale-<tag>-<n>``), with an office account
    ``scale-<tag>-province-office``."""
    from django.contrib.auth.hashers import make_password

    from danvan.accounts.models import User

    province = Organization.objects.create(
        code=f"scale-{tag}-province",
        name=f"Ủy ban nhân dân tỉnh Thử Tải {tag}",
        short_name=f"UBND tỉnh Thử Tải {tag}",
        kind=Organization.Kind.PROVINCE,
        province=f"Thử Tải {tag}",
        place_name=f"Thử Tải {tag}",
        header_name=f"ỦY BAN NHÂN DÂN\nTỈNH THỬ TẢI {tag.upper()}",
        symbol="UBND",
    )
    communes = Organization.objects.filter(code__startswith=f"scale-{tag}-").exclude(pk=province.pk)
    CommuneMembership.objects.bulk_create(
        CommuneMembership(province=province, commune_id=commune_id, valid_from=since)
        for commune_id in communes.values_list("pk", flat=True)
    )
    user = User.objects.create(
        username=f"scale-{tag}-province-office",
        full_name="Cán bộ thi đua tỉnh",
        password=make_password(password),
    )
    Membership.objects.create(user=user, organization=province, role=Role.PROVINCE_OFFICE)
    return province
