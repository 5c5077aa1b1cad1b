from io import StringIO

import pytest
from django.core.management import call_command

from danvan.accounts.models import Membership, Organization, Unit, User

pytestmark = pytest.mark.django_db


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_creates_pho_minh_as_the_plan_names_it_and_a_second_ward(demo):
    output = demo
    pho_minh = Organization.objects.get(code="pho-minh")
    assert pho_minh.header_lines == ["ỦY BAN NHÂN DÂN", "PHƯỜNG PHỔ MINH"]
    assert pho_minh.place_name == "Phổ Minh"
    assert pho_minh.symbol == "UBND"
    names = set(pho_minh.units.values_list("name", flat=True))
    assert {"Văn phòng – Thống kê", "Công an phường", "Ban Chỉ huy Quân sự phường"} <= names
    assert "Bộ phận Tiếp nhận và Trả kết quả (Bộ phận một cửa)" in names
    assert "Ủy ban Mặt trận Tổ quốc Việt Nam phường" in names
    chairman = Membership.objects.get(organization=pho_minh, role=Membership.Role.CHAIRMAN).user
    assert chairman.full_name == "Lê Duy Bảo"
    second = (
        Organization.objects.exclude(pk=pho_minh.pk).exclude(kind=Organization.Kind.PROVINCE).get()
    )
    assert second.units.exists()
    province_roles = {Membership.Role.PROVINCE_OFFICE, Membership.Role.PROVINCE_VIEWER}
    for organization in (pho_minh, second):
        roles = set(organization.memberships.values_list("role", flat=True))
        assert roles == set(Membership.Role.values) - province_roles
    assert "phominh.chutich" in output
    assert "thu-nghiem-1" in output
    assert User.objects.get(username="phominh.mttq").check_password("thu-nghiem-1")


def test_seed_demo_can_run_again_without_duplicating_anything(demo):
    counts = (
        Organization.objects.count(),
        Unit.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    seed()
    assert counts == (
        Organization.objects.count(),
        Unit.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )


def test_seed_demo_users_of_the_two_wards_do_not_overlap(demo):
    pho_minh_users = set(
        Membership.objects.filter(organization__code="pho-minh").values_list("user", flat=True)
    )
    other_users = set(
        Membership.objects.exclude(organization__code="pho-minh")
        .exclude(organization__kind=Organization.Kind.PROVINCE)
        .values_list("user", flat=True)
    )
    assert pho_minh_users
    assert other_users
    assert not pho_minh_users & other_users


def test_seed_demo_closes_a_2025_cycle_under_the_2025_rules_and_runs_a_2026_campaign(demo):
    from datetime import date

    from awards.models import AwardDecision
    from campaigns.models import Campaign
    from tests.documents.text import docx_lines

    pho_minh = Organization.objects.get(code="pho-minh")
    campaigns = {c.year: c for c in Campaign.objects.filter(organization=pho_minh)}
    assert {2024, 2025, 2026} <= set(campaigns)
    assert campaigns[2025].status == Campaign.Status.CLOSED
    assert campaigns[2026].status == Campaign.Status.ISSUED
    assert campaigns[2026].registrations.filter(status="accepted").exists()
    assert campaigns[2026].registrations.filter(status="submitted").exists()
    decision = AwardDecision.objects.get(campaign=campaigns[2025])
    assert decision.decided_on == date(2025, 12, 19)
    kinds = {award.recipient_kind: award.amount_vnd for award in decision.awards.all()}
    # Decree 152/2025 on 2,340,000, rounded up: 0.6, 0.3 and 0.45 of the base salary.
    assert kinds == {"collective": 1_410_000, "individual": 710_000, "household": 1_060_000}
    with decision.issued_document.docx.open("rb") as handle:
        text = " ".join(docx_lines(handle.read()))
    assert "Căn cứ Nghị định số 152/2025/NĐ-CP" in text
    assert "98/2023" not in text
    # Later plans take their number from the ward's register, after the plans they cite.
    assert campaigns[2025].issued_document.number_symbol == "14/KH-UBND"
    assert campaigns[2026].issued_document.number_symbol == "11/KH-UBND"
    assert "Căn cứ Kế hoạch số 14/KH-UBND ngày 12/03/2025 của Ủy ban nhân dân phường" in text
    # No district office after 1/7/2025.
    assert "Phòng Nội vụ thị xã;" in campaigns[2025].recipients
    assert "Phòng Nội vụ thị xã" not in campaigns[2026].recipients
    assert "Sở Nội vụ tỉnh Quảng Ngãi;" in campaigns[2026].recipients
    # The 2024 cycle of the seed plan stays as it was.
    assert campaigns[2024].issued_document.number_symbol == "46/KH-UBND"


def test_seed_demo_sets_up_the_second_ward_the_fronts_way(demo):
    """Nguyễn Nghiêm: a Front-led stage 2026–2030 and 2026 call with the nine-question form,
    twenty residential areas in three groups, two bodies without an account whose models the
    office entered, six fields, a model of a person, and the certificates of recognition."""
    from awards.models import AwardDecision
    from campaigns.models import Campaign
    from danvan.accounts.selectors import units_without_officer
    from models_registry.models import Field, Registration
    from models_registry.questions import shown_questions
    from tests.documents.text import docx_lines

    output = demo
    ward = Organization.objects.get(code="nguyen-nghiem")
    areas = ward.units.filter(kind=Unit.Kind.RESIDENTIAL)
    assert areas.count() == 20
    assert set(areas.values_list("group__name", flat=True)) == {
        "Khu vực phường Nguyễn Nghiêm cũ",
        "Khu vực xã Phổ Hòa cũ",
        "Khu vực xã Phổ Vinh cũ",
    }
    without_account = {unit.short_name for unit in units_without_officer(organization=ward)}
    assert {"TDP8", "THNN"} <= without_account
    assert not without_account & set(
        areas.exclude(short_name="TDP8").values_list("short_name", flat=True)
    )
    assert "nguyennghiem.kdc01" in output
    assert Field.objects.filter(organization=ward).count() == 6
    assert not Field.objects.filter(organization__code="pho-minh", code="environment").exists()

    stage = Campaign.objects.get(organization=ward, kind=Campaign.Kind.STAGE)
    assert (stage.year, stage.end_year) == (2026, 2030)
    assert stage.issuing_body.kind == "front"
    assert stage.issued_document.number_symbol == "12/KH-MTTQ-BTT"
    year = stage.yearly_campaigns.get()
    assert year.issued_document.number_symbol == "249/MTTQ-BTT"
    labels = [str(question.label) for question in shown_questions(year)]
    assert labels[:9] == [
        "Tên mô hình",
        "Thực trạng, lý do",
        "Mục đích, tiêu chí",
        "Nội dung, cách làm",
        "Địa bàn, đối tượng thụ hưởng",
        "Lực lượng chủ trì, phối hợp, tham gia",
        "Thời gian, nguồn lực",
        "Sản phẩm đầu ra",
        "Khả năng duy trì, nhân rộng",
    ]

    models = year.registrations.all()
    assert {m.unit.short_name for m in models.filter(on_behalf=True)} == {"TDP8", "THNN"}
    person = models.get(owner_kind=Registration.Owner.INDIVIDUAL)
    assert person.owner_name == "Phạm Thị Ngọc Ánh"
    assert person.recognition_level == Registration.Level.PROPOSED_PROVINCE
    assert all(m.answers for m in models)
    assert models.filter(partners__part="lead").count() == models.count()
    decision = AwardDecision.objects.get(campaign=year)
    assert {award.award_form.code for award in decision.awards.all()} == {"giay-chung-nhan-mo-hinh"}
    assert sum(award.amount_vnd for award in decision.awards.all()) == 0
    with decision.issued_document.docx.open("rb") as handle:
        text = " ".join(docx_lines(handle.read()))
    assert "Giấy chứng nhận mô hình “Dân vận khéo”" in text
    assert "không kèm tiền thưởng" in text
    assert (
        "Căn cứ Công văn số 249/MTTQ-BTT ngày 24/02/2026 của Ban Thường trực Ủy ban MTTQ Việt "
        "Nam phường Nguyễn Nghiêm về việc đăng ký mô hình" in text
    )
    with year.issued_document.docx.open("rb") as handle:
        letter = " ".join(docx_lines(handle.read()))
    assert "Khả năng duy trì, nhân rộng." in letter
    assert "MỤC ĐÍCH, YÊU CẦU" not in letter


def test_seed_demo_puts_the_province_above_both_wards_with_a_proposal_from_pho_minh(demo):
    from province.models import Proposal
    from province.selectors import commune_ids

    output = demo
    province = Organization.objects.get(code="quang-ngai")
    assert province.kind == Organization.Kind.PROVINCE
    wards = set(
        Organization.objects.filter(code__in=["pho-minh", "nguyen-nghiem"]).values_list(
            "pk", flat=True
        )
    )
    assert commune_ids(province) == wards
    office = Membership.objects.get(organization=province, role=Membership.Role.PROVINCE_OFFICE)
    assert office.user.username in output
    assert office.user.check_password("thu-nghiem-1")
    proposal = Proposal.objects.get()
    assert (proposal.commune.code, proposal.organization, proposal.status) == (
        "pho-minh",
        province,
        Proposal.Status.SENT,
    )
    seed()
    assert Proposal.objects.count() == 1
