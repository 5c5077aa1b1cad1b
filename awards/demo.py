"""Demo data: how Phổ Minh closed its 2024 campaign — nominations, the council's vote,
the chairman's decision, a proposal to the province, and the honour board."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from awards import services
from awards.models import AwardForm, CouncilMember, Nomination
from campaigns.models import Campaign
from danvan.accounts.models import Membership, Unit
from models_registry import services as registry
from models_registry.demo import MODEL_OF_THE_YEAR
from models_registry.models import Registration

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
Kind = Nomination.Kind

COUNCIL_2024 = [
    ("Lê Duy Bảo", "Chủ tịch UBND phường", CouncilMember.Role.CHAIR),
    ("Võ Thị Hoa", "Phó Chủ tịch UBND phường", CouncilMember.Role.VICE_CHAIR),
    ("Trần Văn Hùng", "Phó Chủ tịch Ủy ban MTTQ Việt Nam phường", CouncilMember.Role.MEMBER),
    ("Nguyễn Thị Hồng", "Chủ tịch Hội Liên hiệp Phụ nữ phường", CouncilMember.Role.MEMBER),
    ("Lê Minh Tâm", "Bí thư Đoàn phường", CouncilMember.Role.MEMBER),
    ("Phan Văn Sáu", "Chủ tịch Hội Nông dân phường", CouncilMember.Role.MEMBER),
    ("Đỗ Văn Lực", "Chủ tịch Hội Cựu chiến binh phường", CouncilMember.Role.MEMBER),
    ("Trương Công Định", "Phó Trưởng Công an phường", CouncilMember.Role.MEMBER),
    ("Nguyễn Thị Lan", "Công chức Văn phòng – Thống kê", CouncilMember.Role.SECRETARY),
]

# kind, unit short name, person, position, form code, achievements, votes in favour (of 9)
NOMINATIONS = [
    (
        Kind.COLLECTIVE,
        "BPMC",
        "",
        "",
        "giay-khen-chu-tich-xa",
        "Thực hiện hiệu quả mô hình hướng dẫn công dân sử dụng dịch vụ công trực tuyến; tỷ lệ hồ sơ trực tuyến tăng từ 18% lên 63%.",
        8,
    ),
    (
        Kind.COLLECTIVE,
        "MTTQ",
        "",
        "",
        "giay-khen-chu-tich-xa",
        "Vận động Nhân dân xây dựng 3 tuyến đường hoa, cây xanh với sự tham gia của 85 hộ.",
        8,
    ),
    (
        Kind.MODEL,
        "BPMC",
        "",
        "",
        "giay-khen-chu-tich-xa",
        "Mô hình “Dân vận khéo” năm 2024 của phường, được người dân đánh giá hài lòng 96%.",
        8,
    ),
    (
        Kind.INDIVIDUAL,
        "BPMC",
        "Huỳnh Thị Ngọc",
        "Công chức Bộ phận một cửa",
        "giay-khen-chu-tich-xa",
        "Trực tiếp hướng dẫn hơn 950 lượt người dân tạo tài khoản và nộp hồ sơ trực tuyến.",
        7,
    ),
    (
        Kind.INDIVIDUAL,
        "MTTQ",
        "Trần Văn Hùng",
        "Phó Chủ tịch Ủy ban MTTQ Việt Nam phường",
        "giay-khen-chu-tich-xa",
        "Chỉ đạo tổ chức mô hình tuyến đường hoa, cây xanh ở khu dân cư.",
        7,
    ),
    (
        Kind.INDIVIDUAL,
        "ĐTN",
        "Lê Minh Tâm",
        "Bí thư Đoàn phường",
        "giay-khen-chu-tich-xa",
        "Tổ chức đoàn viên hướng dẫn tiểu thương thanh toán không dùng tiền mặt.",
        5,
    ),
    (
        Kind.COLLECTIVE,
        "CA",
        "",
        "",
        "bang-khen-chu-tich-tinh",
        "Xây dựng 12 tổ liên gia an toàn phòng cháy, chữa cháy; không để xảy ra cháy lớn trên địa bàn.",
        8,
    ),
]

NOMINATED_ON = date(2024, 12, 5)
MEETING_ON = date(2024, 12, 16)
DECIDED_AT = datetime(2024, 12, 20, 15, 5, 12, tzinfo=HANOI)


def _user(organization, role: str, unit: str | None = None):
    memberships = Membership.objects.filter(organization=organization, role=role).select_related(
        "user"
    )
    if unit:
        memberships = memberships.filter(unit__short_name=unit)
    return memberships.order_by("pk").first().user


def seed_awards(campaign: Campaign):
    """Close the 2024 cycle; left as it is if the campaign already has nominations."""
    if campaign.nominations.exists():
        return None
    organization = campaign.organization
    office = _user(organization, Membership.Role.OFFICE)
    chairman = _user(organization, Membership.Role.CHAIRMAN)
    units = {unit.short_name: unit for unit in Unit.objects.filter(organization=organization)}
    forms = {form.code: form for form in AwardForm.objects.all()}
    CouncilMember.objects.bulk_create(
        CouncilMember(
            organization=organization, year=campaign.year, name=name, position=position, role=role
        )
        for name, position, role in COUNCIL_2024
    )
    model_of_the_year = Registration.objects.get(campaign=campaign, name=MODEL_OF_THE_YEAR)
    if model_of_the_year.status == Registration.Status.ACCEPTED:
        registry.registration_transition(
            actor=office,
            registration=model_of_the_year,
            to=Registration.Status.RECOGNISED,
            reason="Mô hình “Dân vận khéo” của năm, kết quả sơ kết xếp loại Xuất sắc.",
            at=datetime(2024, 12, 2, 9, 0, tzinfo=HANOI),
        )
    nominations = {}
    for kind, unit_code, person, position, form_code, achievements, votes in NOMINATIONS:
        officer = _user(organization, Membership.Role.UNIT_OFFICER, unit_code)
        nomination = services.nomination_create(
            actor=officer,
            campaign=campaign,
            kind=kind,
            award_form=forms[form_code],
            achievements=achievements,
            unit=units[unit_code],
            person_name=person,
            person_position=position,
            registration=model_of_the_year if kind == Kind.MODEL else None,
            today=NOMINATED_ON,
        )
        nominations[nomination.pk] = votes
    meeting = services.meeting_create(
        actor=office,
        campaign=campaign,
        data={
            "held_on": MEETING_ON,
            "location": "Hội trường UBND phường Phổ Minh",
            "total_members": len(COUNCIL_2024),
            "present": 8,
            "chair": "Lê Duy Bảo",
            "secretary": "Nguyễn Thị Lan",
        },
    )
    services.votes_record(actor=office, meeting=meeting, votes=nominations)
    passed = Nomination.objects.filter(
        campaign=campaign, status=Nomination.Status.PASSED
    ).select_related("award_form")
    decision = services.decision_issue(
        actor=chairman,
        nominations=[n for n in passed if n.award_form.level == AwardForm.Level.COMMUNE],
        decided_on=DECIDED_AT.date(),
        signed_at=DECIDED_AT,
    )
    for nomination in passed.filter(award_form__level=AwardForm.Level.HIGHER):
        services.escalation_send(
            actor=office,
            nomination=nomination,
            sent_to="UBND tỉnh Quảng Ngãi (qua Sở Nội vụ)",
            sent_on=date(2024, 12, 23),
            reference="128/TTr-UBND",
        )
    return decision


# kind, unit, person, position, form, achievements, votes in favour (of 9)
NOMINATIONS_2025 = [
    (Kind.COLLECTIVE, "HPN", "", "", "giay-khen-chu-tich-xa", "Duy trì tổ phụ nữ tiết kiệm với 62 hội viên, hỗ trợ 14 hộ vượt khó.", 8),
    (Kind.INDIVIDUAL, "BPMC", "Huỳnh Thị Ngọc", "Công chức Bộ phận một cửa", "giay-khen-chu-tich-xa", "Tổ chức làm thủ tục sáng thứ Bảy, tiếp nhận 410 hồ sơ ngoài giờ hành chính.", 8),
    (Kind.HOUSEHOLD, "TDP1", "Hộ ông Nguyễn Văn Bình", "", "giay-khen-chu-tich-xa", "Hiến 60 m² đất mở rộng đường bê tông của tổ dân phố.", 9),
    (Kind.INDIVIDUAL, "ĐTN", "Lê Minh Tâm", "Bí thư Đoàn phường", "lao-dong-tien-tien", "Hoàn thành xuất sắc nhiệm vụ; hỗ trợ 30 hộ bán nông sản trực tuyến.", 7),
]  # fmt: skip
DECIDED_AT_2025 = datetime(2025, 12, 19, 14, 20, 37, tzinfo=HANOI)


def seed_awards_2025(campaign: Campaign):
    """Close Phổ Minh's 2025 cycle under the rules in force from 01/7/2025: nominations of
    a collective, a person and a household, the council's vote, the chairman's decision of
    19/12/2025, and the campaign closed. Left as it is if it has nominations."""
    if campaign.nominations.exists():
        return None
    organization = campaign.organization
    office = _user(organization, Membership.Role.OFFICE)
    chairman = _user(organization, Membership.Role.CHAIRMAN)
    units = {unit.short_name: unit for unit in Unit.objects.filter(organization=organization)}
    forms = {form.code: form for form in AwardForm.objects.all()}
    CouncilMember.objects.bulk_create(
        CouncilMember(organization=organization, year=2025, name=name, position=position, role=role)
        for name, position, role in COUNCIL_2024
    )
    votes = {}
    for kind, unit_code, person, position, form_code, achievements, in_favour in NOMINATIONS_2025:
        nomination = services.nomination_create(
            actor=office,
            campaign=campaign,
            kind=kind,
            award_form=forms[form_code],
            achievements=achievements,
            unit=units[unit_code],
            person_name=person,
            person_position=position,
            today=date(2025, 12, 3),
        )
        votes[nomination.pk] = in_favour
    meeting = services.meeting_create(
        actor=office,
        campaign=campaign,
        data={
            "held_on": date(2025, 12, 15),
            "location": f"Hội trường UBND phường {organization.place_name}",
            "total_members": len(COUNCIL_2024),
            "present": 9,
            "chair": "Lê Duy Bảo",
            "secretary": "Nguyễn Thị Lan",
        },
    )
    services.votes_record(actor=office, meeting=meeting, votes=votes)
    decision = services.decision_issue(
        actor=chairman,
        nominations=Nomination.objects.filter(campaign=campaign, status=Nomination.Status.PASSED),
        decided_on=DECIDED_AT_2025.date(),
        signed_at=DECIDED_AT_2025,
    )
    return decision


COUNCIL_NGUYEN_NGHIEM = [
    ("Nguyễn Văn Phúc", "Chủ tịch UBND phường", CouncilMember.Role.CHAIR),
    ("Phan Thị Hạnh", "Phó Chủ tịch UBND phường", CouncilMember.Role.VICE_CHAIR),
    ("Võ Thị Thanh Xuân", "Chủ tịch Ủy ban MTTQ Việt Nam phường", CouncilMember.Role.MEMBER),
    ("Lê Thị Kim", "Chủ tịch Hội Liên hiệp Phụ nữ phường", CouncilMember.Role.MEMBER),
    ("Huỳnh Thị Thu", "Công chức Văn phòng HĐND và UBND", CouncilMember.Role.SECRETARY),
]
CERTIFIED_AT = datetime(2026, 11, 27, 16, 10, 4, tzinfo=HANOI)


def seed_front_certificates(campaign: Campaign):
    """Nguyễn Nghiêm's recognised 2026 models receive the Giấy chứng nhận mô hình “Dân vận
    khéo” (no cash reward) by the chairman's decision of 27/11/2026, after the council's
    vote; left as it is if the campaign has nominations."""
    if campaign.nominations.exists():
        return None
    organization = campaign.organization
    office = _user(organization, Membership.Role.OFFICE)
    chairman = _user(organization, Membership.Role.CHAIRMAN)
    certificate = AwardForm.objects.get(code="giay-chung-nhan-mo-hinh")
    CouncilMember.objects.bulk_create(
        CouncilMember(
            organization=organization, year=campaign.year, name=name, position=position, role=role
        )
        for name, position, role in COUNCIL_NGUYEN_NGHIEM
    )
    votes = {}
    recognised = campaign.registrations.filter(status=Registration.Status.RECOGNISED)
    for registration in recognised.select_related("unit").order_by("sequence"):
        nomination = services.nomination_create(
            actor=office,
            campaign=campaign,
            kind=Kind.MODEL,
            award_form=certificate,
            achievements=registration.expected_outputs,
            unit=registration.unit,
            registration=registration,
            today=date(2026, 11, 16),
        )
        votes[nomination.pk] = len(COUNCIL_NGUYEN_NGHIEM)
    meeting = services.meeting_create(
        actor=office,
        campaign=campaign,
        data={
            "held_on": date(2026, 11, 24),
            "location": f"Hội trường UBND phường {organization.place_name}",
            "total_members": len(COUNCIL_NGUYEN_NGHIEM),
            "present": len(COUNCIL_NGUYEN_NGHIEM),
            "chair": COUNCIL_NGUYEN_NGHIEM[0][0],
            "secretary": COUNCIL_NGUYEN_NGHIEM[-1][0],
        },
    )
    services.votes_record(actor=office, meeting=meeting, votes=votes)
    return services.decision_issue(
        actor=chairman,
        nominations=Nomination.objects.filter(campaign=campaign, status=Nomination.Status.PASSED),
        decided_on=CERTIFIED_AT.date(),
        signed_at=CERTIFIED_AT,
    )
