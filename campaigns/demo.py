"""Demo data: plan 46/KH-UBND of Phổ Minh ward (19/3/2024), exactly as it was issued."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from campaigns import services
from campaigns.models import Campaign, Item, LegalBasis, Section
from danvan.accounts.models import IssuingBody, Membership, Organization

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
Role = Item.Role

NAME_2024 = "Phong trào thi đua “Dân vận khéo” năm 2024"

CAMPAIGN_2024 = {
    "year": 2024,
    "name": NAME_2024,
    "form": Campaign.Form.REGULAR,
    "registration_opens": date(2024, 3, 20),
    "registration_deadline": date(2024, 4, 15),
    "mid_year_review_starts": date(2024, 6, 17),
    "mid_year_review_ends": date(2024, 7, 12),
    "year_end_review_starts": date(2024, 11, 18),
    "year_end_review_ends": date(2024, 12, 20),
    "nomination_deadline": date(2024, 12, 10),
    "plan_number": 46,
    "plan_issue_date": date(2024, 3, 19),
    "plan_subject": "Về việc phát động phong trào thi đua “Dân vận khéo” năm 2024",
    "plan_introduction": (
        "Để triển khai thực hiện công tác dân vận chính quyền năm 2024 đạt hiệu quả. "
        "UBND phường Phổ Minh xây dựng kế hoạch phát động phong trào thi đua “Dân vận khéo” "
        "năm 2024 như sau:"
    ),
    "plan_closing": (
        "Yêu cầu các ban, ngành, đơn vị có liên quan nghiêm túc triển khai thực hiện. Trong quá "
        "trình triển khai thực hiện, nếu có phát sinh vướng mắc cần sửa đổi, bổ sung những nội "
        "dung của Kế hoạch này, kịp thời phản ánh về UBND phường (qua bộ phận Văn phòng- Thống "
        "kê) tổng hợp, báo cáo UBND phường xem xét, quyết định./."
    ),
    "recipients": "\n".join(
        [
            "Phòng Nội vụ thị xã;",
            "TT. Đảng ủy, HĐND phường;",
            "CT, PCT UBND phường;",
            "UBMTTQVN và các đoàn thể phường;",
            "Các ban, ngành, đơn vị có liên quan;",
            "Lưu: VT.",
        ]
    ),
    "signing_mode": Campaign.SigningMode.DIRECT,
}

LEGAL_BASES_2024 = [
    {
        "kind": "kế hoạch",
        "number": "44/KH-UBND",
        "issued_on": date(2024, 3, 19),
        "issuer": "UBND phường",
        "title": "về thực hiện Quy chế dân chủ ở cơ sở và công tác dân vận chính quyền năm 2024",
    }
]

# (section title, [(lead, text, role)])
SECTIONS_2024 = [
    (
        "MỤC ĐÍCH, YÊU CẦU",
        [
            (
                "",
                "Tiếp tục nâng cao nhận thức, vai trò, trách nhiệm của cấp ủy đảng, chính quyền và "
                "Mặt trận Tổ quốc, các tổ chức chính trị - xã hội, lực lượng vũ trang, triển khai "
                "thực hiện phong trào thi đua “Dân vận khéo” trong thời gian tới.",
                Role.NONE,
            ),
            (
                "",
                "Nhằm đưa phong trào thi đua “Dân vận khéo” thành công tác “Dân vận khéo” của cả hệ "
                "thống chính trị. Tập trung tuyên truyền, vận động cán bộ, chiến sĩ, công chức, người "
                "lao động, đoàn viên, hội viên và Nhân dân tích cực tham gia; nâng cao chất lượng, "
                "hiệu quả các mô hình, điển hình “Dân vận khéo” trên các lĩnh vực của đời sống xã hội.",
                Role.NONE,
            ),
            (
                "",
                "Thường xuyên theo dõi, đánh giá, rút kinh nghiệm trong triển khai thực hiện phong "
                "trào thi đua “Dân vận khéo”. Kịp thời phát hiện, biểu dương khen thưởng và nhân rộng "
                "các mô hình, điển hình “ Dân vận khéo” trên các lĩnh vực, tạo sức lan tỏa và cổ vũ "
                "mạnh mẽ trong toàn xã hội.",
                Role.NONE,
            ),
        ],
    ),
    (
        "NỘI DUNG",
        [
            (
                "",
                "Các ban, ngành, cơ quan đơn vị thực hiện Kế hoạch phát động phong trào thi đua “Dân "
                "vận khéo” trên địa bàn phường Phổ Minh.",
                Role.NONE,
            ),
            (
                "",
                "Ngay từ đầu năm UBND phường xây dựng kế hoạch phát động đăng ký mô hình “Dân vận "
                "khéo” thực hiện cải cách hành chính tại bộ phận một cửa của UBND phường Phổ Minh.",
                Role.NONE,
            ),
            (
                "",
                "Thường xuyên tổ chức kiểm tra, đánh giá kết quả thực hiện mô hình về thực phong trào "
                "thi đua dân vận khéo tại địa phương.",
                Role.NONE,
            ),
            (
                "",
                "Tổ chức sơ kết, tổng kết phong trào thi đua dân vận khéo vào cuối năm; xét khen "
                "thưởng và đề nghị khen thưởng nhân dịp sơ kết, tổng kết phong trào dân vận khéo.",
                Role.NONE,
            ),
        ],
    ),
    (
        "TIÊU CHÍ XÂY DỰNG ĐIỂN HÌNH “DÂN VẬN KHÉO”",
        [
            (
                "Tập thể điển hình “Dân vận khéo”:",
                "Trọng tâm là ở cơ sở ở địa phương, thường xuyên tuyên truyền, vận động, giải quyết "
                "công việc của Nhân dân gồm: Cấp ủy, chính quyền, Mặt trận Tổ quốc, các tổ chức chính "
                "trị - xã hội; các cơ quan, đơn vị, lực lượng vũ trang gắn với địa bàn, có nhiều hoạt "
                "động liên quan đến người dân.",
                Role.COLLECTIVE_CRITERIA,
            ),
            (
                "Cá nhân điển hình “Dân vận khéo”:",
                "Là cán bộ, đảng viên, công chức, người lao động, đoàn viên, hội viên, chiến sĩ lực "
                "lượng vũ trang đang làm việc trong hệ thống chính trị có những giải pháp, biện pháp "
                "sáng tạo, hiệu quả trong công tác vận động Nhân dân gắn với nhiệm vụ được phân công, "
                "được tập thể bình chọn, công nhận.",
                Role.INDIVIDUAL_CRITERIA,
            ),
            (
                "Mô hình Dân vận khéo năm 2024:",
                "Dự kiến thực hiện “Mô hình hướng dẫn công dân tiếp cận và sử dụng dịch vụ công trực "
                "tuyến tại Bộ phận một cửa phường Phổ Minh”.",
                Role.MODEL_OF_THE_YEAR,
            ),
        ],
    ),
    (
        "TỔ CHỨC THỰC HIỆN",
        [
            (
                "",
                "Các ban, ngành, lực lượng vũ trang, MTTQ, các tổ chức chính trị - xã hội phường "
                "phối hợp triển khai thực hiện Kế hoạch phát động phong trào thi đua “Dân vận khéo” "
                "trên địa bàn phường. Nội dung phải phù hợp với chức năng, nhiệm vụ, tình hình thực "
                "tế của địa phương, đảm bảo thiết thực, hiệu quả.",
                Role.NONE,
            ),
            (
                "",
                "Ban hành văn bản cụ thể hóa cho sát với đặc điểm, tình hình của địa phương trong "
                "chỉ đạo, tổ chức thực hiện phong trào thi đua “Dân vận khéo”.",
                Role.NONE,
            ),
        ],
    ),
]

SIGNED_AT = datetime(2024, 3, 19, 9, 28, 22, tzinfo=HANOI)
SEALED_AT = datetime(2024, 3, 19, 9, 30, 31, tzinfo=HANOI)


def _member(organization: Organization, role: str):
    return (
        Membership.objects.filter(organization=organization, role=role)
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )


def enter_plan_2024(*, organization: Organization, office, chairman) -> Campaign:
    """Enter plan 46/KH-UBND through the services and issue it with its two signature times."""
    campaign = services.campaign_create(actor=office, organization=organization, data=CAMPAIGN_2024)
    Section.objects.filter(campaign=campaign).delete()  # the plan brings its own sections
    for basis in LEGAL_BASES_2024:
        services.plan_part_save(actor=office, instance=LegalBasis(campaign=campaign), data=basis)
    for title, items in SECTIONS_2024:
        section = services.plan_part_save(
            actor=office, instance=Section(campaign=campaign), data={"title": title}
        )
        for lead, text, role in items:
            services.plan_part_save(
                actor=office,
                instance=Item(section=section),
                data={"lead": lead, "text": text, "role": role},
            )
    return services.campaign_issue(
        actor=chairman, campaign=campaign, signed_at=SIGNED_AT, sealed_at=SEALED_AT
    )


def seed_campaigns(organization: Organization) -> Campaign:
    """The 2024 campaign of Phổ Minh; left as it is if it already exists."""
    existing = Campaign.objects.filter(organization=organization, name=NAME_2024).first()
    if existing is not None:
        return existing
    return enter_plan_2024(
        organization=organization,
        office=_member(organization, Membership.Role.OFFICE),
        chairman=_member(organization, Membership.Role.CHAIRMAN),
    )


def plan_2024_in_memory():
    """The seed plan as unsaved objects, for building its document without a database."""
    from campaigns.selectors import PlanItem, PlanParts, PlanSection
    from danvan.accounts.demo import PHO_MINH

    organization = Organization(**PHO_MINH)
    fields = dict(CAMPAIGN_2024.items())
    campaign = Campaign(organization=organization, **fields)
    sections = []
    for title, items in SECTIONS_2024:
        section = Section(title=title)
        sections.append(
            PlanSection(
                section=section,
                items=[
                    PlanItem(Item(lead=lead, text=text, role=role)) for lead, text, role in items
                ],
            )
        )
    parts = PlanParts(
        legal_bases=[LegalBasis(**basis) for basis in LEGAL_BASES_2024], sections=sections
    )
    return campaign, parts


def seed_plan_document():
    """The seed plan 46/KH-UBND of 19 March 2024 as the ward issued it, signed by its
    chairman, built in memory through the campaign's own document builder."""
    from campaigns.documents import plan_document, signature_block
    from danvan.accounts.models import User
    from danvan.documents.parts import digital_signatures

    campaign, parts = plan_2024_in_memory()
    signer = User(full_name="Lê Duy Bảo")
    signatures = digital_signatures(
        signer_name=signer.full_name,
        body_name=campaign.organization.name,
        signed_at=SIGNED_AT,
        sealed_at=SEALED_AT,
    )
    return plan_document(
        campaign,
        parts,
        signature=signature_block(campaign, signer, signatures, deputy=False),
        draft=False,
    )


# District-level administrative units end on 1/7/2025 (Resolution 203/2025/QH15 amending
# the Constitution; see https://nhansu.vn/tim-kiem-bai-viet?tukhoa=k%E1%BA%BFt+th%C3%BAc+
# %C4%91%C6%A1n+v%E1%BB%8B+h%C3%A0nh+ch%C3%ADnh+c%E1%BA%A5p+huy%E1%BB%87n): a ward's plan
# no longer goes to the town's office of home affairs.
DISTRICTS_ABOLISHED = date(2025, 7, 1)
# year, the plan's date and signing time, its number in the ward's register (plans the
# portal did not make come before it), the local plan it builds on
LATER_YEARS = [
    (2025, datetime(2025, 3, 12, 9, 15, 4, tzinfo=HANOI), 14, ("12/KH-UBND", date(2025, 3, 5))),
    (2026, datetime(2026, 3, 10, 8, 42, 51, tzinfo=HANOI), 11, ("09/KH-UBND", date(2026, 3, 3))),
]


def seed_later_campaigns(organization: Organization, first: Campaign) -> list[Campaign]:
    """Each later year's campaign of Phổ Minh, copied from the year before as an office
    does, its legal basis updated, signed and issued on its date; left as they are if the
    year already has a campaign."""
    office = _member(organization, Membership.Role.OFFICE)
    chairman = _member(organization, Membership.Role.CHAIRMAN)
    campaigns, previous = [], first
    for year, signed_at, plan_number, (number, issued_on) in LATER_YEARS:
        campaign = Campaign.objects.filter(organization=organization, year=year).first()
        if campaign is None:
            campaign = services.campaign_clone(actor=office, campaign=previous, year=year)
            data = {"plan_issue_date": signed_at.date(), "plan_number": None}
            if signed_at.date() >= DISTRICTS_ABOLISHED:
                data["recipients"] = campaign.recipients.replace(
                    "Phòng Nội vụ thị xã;", "Sở Nội vụ tỉnh Quảng Ngãi;"
                )
            services.campaign_update(
                actor=office, campaign=campaign, data=data, expected_version=campaign.version
            )
            for basis in campaign.legal_bases.all():
                services.plan_part_save(
                    actor=office,
                    instance=basis,
                    data={
                        "number": number,
                        "issued_on": issued_on,
                        "title": basis.title.replace(str(previous.year), str(year)),
                    },
                    expected_version=basis.version,
                )
            campaign = services.campaign_issue(
                actor=chairman,
                campaign=campaign,
                signed_at=signed_at,
                sealed_at=signed_at + timedelta(minutes=2, seconds=9),
                number=plan_number,
            )
        campaigns.append(campaign)
        previous = campaign
    return campaigns


# Nguyễn Nghiêm: the Front committee leads the movement over a five-year stage, and calls
# for each year's registrations by letter.
FRONT_STAGE = {
    "year": 2026,
    "end_year": 2030,
    "name": "Phong trào thi đua “Dân vận khéo” giai đoạn 2026–2030",
    "form": Campaign.Form.REGULAR,
    "document_kind": Campaign.DocumentKind.PLAN,
    "mid_year_review_starts": date(2028, 6, 1),
    "mid_year_review_ends": date(2028, 6, 30),
    "year_end_review_starts": date(2030, 11, 2),
    "year_end_review_ends": date(2030, 12, 15),
    "nomination_deadline": date(2030, 11, 30),
    "plan_issue_date": date(2026, 1, 20),
    "plan_subject": "Thực hiện phong trào thi đua “Dân vận khéo” giai đoạn 2026–2030",
    "plan_introduction": (
        "Ban Thường trực Ủy ban MTTQ Việt Nam phường xây dựng kế hoạch thực hiện phong trào "
        "thi đua “Dân vận khéo” giai đoạn 2026–2030 trên địa bàn phường như sau:"
    ),
    "recipients": "\n".join(
        [
            "Thường trực Đảng ủy phường;",
            "UBND phường;",
            "Các tổ chức chính trị - xã hội phường;",
            "Ban công tác Mặt trận các khu dân cư;",
            "Lưu: VT.",
        ]
    ),
    "signing_mode": Campaign.SigningMode.DIRECT,
}
FRONT_2026 = {
    "year": 2026,
    "name": "Phong trào thi đua “Dân vận khéo” năm 2026",
    "form": Campaign.Form.REGULAR,
    "document_kind": Campaign.DocumentKind.LETTER,
    "registration_opens": date(2026, 2, 25),
    "registration_deadline": date(2026, 3, 31),
    "mid_year_review_starts": date(2026, 6, 15),
    "mid_year_review_ends": date(2026, 7, 10),
    "year_end_review_starts": date(2026, 11, 2),
    "year_end_review_ends": date(2026, 11, 30),
    "nomination_deadline": date(2026, 11, 20),
    "plan_issue_date": date(2026, 2, 24),
    "plan_subject": "Đăng ký mô hình “Dân vận khéo” năm 2026",
    "plan_introduction": (
        "Thực hiện Kế hoạch thực hiện phong trào thi đua “Dân vận khéo” giai đoạn 2026–2030, "
        "Ban Thường trực Ủy ban MTTQ Việt Nam phường đề nghị các cơ quan, trường học, chi bộ "
        "và Ban công tác Mặt trận các khu dân cư đăng ký mô hình “Dân vận khéo” năm 2026 theo "
        "phiếu đăng ký gồm 9 nội dung:"
    ),
    "recipients": "\n".join(
        [
            "Các cơ quan, trường học trên địa bàn phường;",
            "Các chi bộ khu dân cư;",
            "Ban công tác Mặt trận các khu dân cư;",
            "Lưu: VT.",
        ]
    ),
    "signing_mode": Campaign.SigningMode.DIRECT,
}
FRONT_BASIS = {
    "kind": "Kết luận",
    "number": "114-KL/TW",
    "issued_on": date(2021, 7, 14),
    "issuer": "Ban Bí thư",
    "title": "về nâng cao chất lượng, hiệu quả công tác dân vận của Đảng và hệ thống chính trị",
}
FRONT_SECTIONS = [
    (
        "MỤC ĐÍCH, YÊU CẦU",
        [
            "Phát huy vai trò của Mặt trận và các tổ chức thành viên trong vận động Nhân dân "
            "thực hiện phong trào thi đua “Dân vận khéo” ở từng khu dân cư.",
            "Mỗi khu dân cư, cơ quan, trường học có ít nhất một mô hình “Dân vận khéo”, được "
            "duy trì và nhân rộng trong giai đoạn.",
        ],
    ),
    (
        "NỘI DUNG THỰC HIỆN",
        [
            "Đăng ký mô hình hằng năm theo phiếu 9 nội dung; sơ kết giữa giai đoạn năm 2028, "
            "tổng kết giai đoạn năm 2030.",
            "Biểu dương, chứng nhận các mô hình tiêu biểu và đề nghị cấp trên khen thưởng.",
        ],
    ),
]
# The yearly letter: the nine contents of the Front's registration form, and where and
# when to send it.
FRONT_CALL_SECTIONS = [
    (
        "NỘI DUNG PHIẾU ĐĂNG KÝ",
        [
            "Tên mô hình.",
            "Thực trạng, lý do xây dựng mô hình.",
            "Mục đích, tiêu chí của mô hình.",
            "Nội dung, cách làm.",
            "Địa bàn, đối tượng thụ hưởng.",
            "Lực lượng chủ trì, phối hợp, tham gia.",
            "Thời gian thực hiện, nguồn lực.",
            "Sản phẩm đầu ra.",
            "Khả năng duy trì, nhân rộng.",
        ],
    ),
    (
        "THỜI GIAN GỬI PHIẾU",
        [
            "Các đơn vị gửi phiếu đăng ký về Ban Thường trực Ủy ban MTTQ Việt Nam phường "
            "trước ngày 31/3/2026, qua cổng thông tin phong trào hoặc bản giấy.",
        ],
    ),
]
# (number in the Front's register, signed on paper at)
FRONT_PLAN = (12, datetime(2026, 1, 20, 10, 5, tzinfo=HANOI))
FRONT_CALL = (249, datetime(2026, 2, 24, 15, 40, tzinfo=HANOI))


def _front_campaign(
    *, office, organization, body, data: dict, kind: str, number, signed_at, sections
):
    campaign = services.campaign_create(
        actor=office, organization=organization, data={**data, "issuing_body": body}, kind=kind
    )
    Section.objects.filter(campaign=campaign).delete()
    services.plan_part_save(actor=office, instance=LegalBasis(campaign=campaign), data=FRONT_BASIS)
    for title, texts in sections:
        section = services.plan_part_save(
            actor=office, instance=Section(campaign=campaign), data={"title": title}
        )
        for text in texts:
            services.plan_part_save(
                actor=office,
                instance=Item(section=section),
                data={"lead": "", "text": text, "role": Role.NONE},
            )
    return services.campaign_issue(
        actor=office, campaign=campaign, number=number, signed_at=signed_at, sealed_at=signed_at
    )


def seed_front_stage(organization: Organization) -> tuple[Campaign, Campaign]:
    """The Front committee's plan for the stage 2026–2030 and its call for the 2026
    registrations (letter 249/MTTQ-BTT), both signed on paper and recorded by the office;
    left as they are if the stage exists."""
    stage = Campaign.objects.filter(organization=organization, kind=Campaign.Kind.STAGE).first()
    if stage is not None:
        return stage, stage.yearly_campaigns.order_by("year").first()
    office = _member(organization, Membership.Role.OFFICE)
    body = IssuingBody.objects.get(organization=organization, kind=IssuingBody.Kind.FRONT)
    number, signed_at = FRONT_PLAN
    stage = _front_campaign(
        office=office,
        organization=organization,
        body=body,
        data=FRONT_STAGE,
        kind=Campaign.Kind.STAGE,
        number=number,
        signed_at=signed_at,
        sections=FRONT_SECTIONS,
    )
    number, signed_at = FRONT_CALL
    year = _front_campaign(
        office=office,
        organization=organization,
        body=body,
        data={**FRONT_2026, "stage": stage},
        kind=Campaign.Kind.YEARLY,
        number=number,
        signed_at=signed_at,
        sections=FRONT_CALL_SECTIONS,
    )
    return stage, year
