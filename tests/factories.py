"""Factories for every model; tests build their world from these."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from danvan.accounts.models import Membership, Organization, Unit, User
from danvan.text import fold
from models_registry.models import Field

PASSWORD = "mật-khẩu-thử-nghiệm-2024"


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Ủy ban nhân dân phường Thử Nghiệm {n}")
    short_name = factory.Sequence(lambda n: f"UBND phường Thử Nghiệm {n}")
    code = factory.Sequence(lambda n: f"thu-nghiem-{n}")
    kind = Organization.Kind.WARD
    province = "Quảng Ngãi"
    place_name = factory.Sequence(lambda n: f"Thử Nghiệm {n}")
    header_name = factory.Sequence(lambda n: f"ỦY BAN NHÂN DÂN\nPHƯỜNG THỬ NGHIỆM {n}")
    symbol = "UBND"


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Đơn vị thử nghiệm {n}")
    short_name = factory.Sequence(lambda n: f"ĐV{n}")
    kind = Unit.Kind.FRONT


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    phone = "0255 3812 345"
    position_title = "Chuyên viên"
    password = factory.django.Password(PASSWORD)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.VIEWER
    unit = None


def member(organization, role, unit=None, **user_fields) -> User:
    """A new user holding ``role`` in ``organization`` (and ``unit``)."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organization=organization, role=role, unit=unit)
    return user


class CampaignFactory(DjangoModelFactory):
    """A draft campaign of the current year's shape (2025 by default) with valid key dates."""

    class Meta:
        model = "campaigns.Campaign"

    organization = factory.SubFactory(OrganizationFactory)
    year = 2025
    name = factory.Sequence(lambda n: f"Phong trào thi đua “Dân vận khéo” số {n}")
    registration_opens = factory.LazyAttribute(lambda o: date(o.year, 2, 5))
    registration_deadline = factory.LazyAttribute(lambda o: date(o.year, 3, 31))
    mid_year_review_starts = factory.LazyAttribute(lambda o: date(o.year, 6, 16))
    mid_year_review_ends = factory.LazyAttribute(lambda o: date(o.year, 7, 11))
    year_end_review_starts = factory.LazyAttribute(lambda o: date(o.year, 11, 17))
    year_end_review_ends = factory.LazyAttribute(lambda o: date(o.year, 12, 19))
    nomination_deadline = factory.LazyAttribute(lambda o: date(o.year, 12, 10))
    plan_subject = factory.LazyAttribute(
        lambda o: f"Về việc phát động phong trào thi đua “Dân vận khéo” năm {o.year}"
    )
    plan_introduction = factory.LazyAttribute(
        lambda o: f"Để triển khai thực hiện công tác dân vận chính quyền năm {o.year} đạt hiệu quả."
    )
    recipients = "Các ban, ngành, đơn vị có liên quan;\nLưu: VT."


class LegalBasisFactory(DjangoModelFactory):
    class Meta:
        model = "campaigns.LegalBasis"

    campaign = factory.SubFactory(CampaignFactory)
    position = factory.Sequence(int)
    kind = "kế hoạch"
    number = "44/KH-UBND"
    issued_on = factory.LazyAttribute(lambda o: date(o.campaign.year, 1, 15))
    issuer = "UBND phường"
    title = "về thực hiện Quy chế dân chủ ở cơ sở"


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = "campaigns.Section"

    campaign = factory.SubFactory(CampaignFactory)
    position = factory.Sequence(int)
    title = factory.Sequence(lambda n: f"MỤC THỬ NGHIỆM {n}")


class ItemFactory(DjangoModelFactory):
    class Meta:
        model = "campaigns.Item"

    section = factory.SubFactory(SectionFactory)
    position = factory.Sequence(int)
    text = factory.Sequence(lambda n: f"Nội dung điểm thử nghiệm số {n}.")


def complete_plan(campaign, sections: int = 2, items: int = 2):
    """Give a draft campaign a legal basis and sections with points, ready to issue."""
    LegalBasisFactory(campaign=campaign)
    for _index in range(sections):
        section = SectionFactory(campaign=campaign)
        ItemFactory.create_batch(items, section=section)
    return campaign


class RegistrationFactory(DjangoModelFactory):
    """A registration of a model by a unit of the campaign's organisation (a draft)."""

    class Meta:
        model = "models_registry.Registration"

    campaign = factory.SubFactory(CampaignFactory, status="issued")
    organization = factory.SelfAttribute("campaign.organization")
    unit = factory.SubFactory(
        UnitFactory, organization=factory.SelfAttribute("..campaign.organization")
    )
    sequence = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda o: f"DVK-{o.campaign.year}-{o.sequence:03d}")
    name = factory.Sequence(lambda n: f"Mô hình thử nghiệm số {n}")
    # The organisation's own "Kinh tế" (none for a record built without saving).
    field = factory.LazyAttribute(
        lambda o: (
            Field.objects.get(organization=o.organization, code="economy")
            if o.organization.pk
            else None
        )
    )
    situation = "Thực trạng của địa phương."
    objectives = "Mục tiêu rõ ràng."
    success_measures = "Số hồ sơ trực tuyến tăng 30%."
    content_methods = "Tuyên truyền, hướng dẫn trực tiếp."
    area = "Toàn phường"
    beneficiaries = "Người dân trên địa bàn"
    person_in_charge = "Trần Văn Hùng"
    start_date = factory.LazyAttribute(lambda o: date(o.campaign.year, 4, 1))
    evaluation_date = factory.LazyAttribute(lambda o: date(o.campaign.year, 11, 30))
    expected_outputs = "Người dân sử dụng dịch vụ công trực tuyến."
    sustainability = "Duy trì và nhân rộng."
    status = "draft"
    search_text = factory.LazyAttribute(lambda o: fold(f"{o.code} {o.name} {o.situation}"))


def award_form(code: str = "giay-khen-chu-tich-xa"):
    from awards.models import AwardForm

    return AwardForm.objects.get(code=code)


class NominationFactory(DjangoModelFactory):
    """A proposed nomination of a unit as a collective for the Giấy khen."""

    class Meta:
        model = "awards.Nomination"

    campaign = factory.SubFactory(CampaignFactory, status="issued")
    organization = factory.SelfAttribute("campaign.organization")
    kind = "collective"
    unit = factory.SubFactory(
        UnitFactory, organization=factory.SelfAttribute("..campaign.organization")
    )
    award_form = factory.LazyFunction(award_form)
    achievements = "Hoàn thành xuất sắc nhiệm vụ."
    nominee_key = factory.LazyAttribute(
        lambda o: (
            f"unit:{o.unit.pk}"
            if o.kind == "collective"
            else f"{o.kind}:{o.unit.pk}:{fold(o.person_name)}"
        )
    )
    status = "proposed"


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = "awards.CouncilMeeting"

    campaign = factory.SubFactory(CampaignFactory, status="issued")
    organization = factory.SelfAttribute("campaign.organization")
    held_on = factory.LazyAttribute(lambda o: date(o.campaign.year, 12, 15))
    location = "Hội trường UBND"
    total_members = 10
    present = 9
    chair = "Lê Duy Bảo"
    secretary = "Nguyễn Thị Lan"
    pass_percent = 70


# Second factor ---------------------------------------------------------------------

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # base32, as an authenticator app shows it


def totp_device(user, secret: str = TOTP_SECRET):
    """A confirmed authenticator app for ``user`` with a known secret."""
    from base64 import b32decode

    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(
        user=user, name="Điện thoại", key=b32decode(secret).hex(), confirmed=True
    )


def totp_code(secret: str = TOTP_SECRET, *, at: float | None = None, steps_ahead: int = 0) -> str:
    """The code an authenticator app with ``secret`` shows at ``at`` (now by default),
    or ``steps_ahead`` 30-second steps later; computed with django-otp's own TOTP."""
    import time
    from base64 import b32decode

    from django_otp.oath import TOTP

    generator = TOTP(b32decode(secret))
    generator.time = (time.time() if at is None else at) + 30 * steps_ahead
    return f"{generator.token():06d}"
