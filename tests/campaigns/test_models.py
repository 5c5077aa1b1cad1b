from datetime import date

import pytest
from django.core.exceptions import ValidationError

from campaigns.models import Campaign
from campaigns.selectors import letter, roman
from tests.factories import CampaignFactory, LegalBasisFactory

pytestmark = pytest.mark.django_db
Phase = Campaign.Phase


@pytest.mark.parametrize(
    ("today", "phase"),
    [
        (date(2025, 1, 10), Phase.UPCOMING),
        (date(2025, 2, 5), Phase.REGISTRATION),
        (date(2025, 3, 31), Phase.REGISTRATION),
        (date(2025, 4, 1), Phase.IN_PROGRESS),
        (date(2025, 6, 16), Phase.MID_YEAR_REVIEW),
        (date(2025, 7, 11), Phase.MID_YEAR_REVIEW),
        (date(2025, 9, 1), Phase.IN_PROGRESS),
        (date(2025, 11, 17), Phase.YEAR_END_REVIEW),
        (date(2025, 12, 19), Phase.YEAR_END_REVIEW),
        (date(2025, 12, 20), Phase.CLOSED),
    ],
)
def test_the_phase_of_an_issued_campaign_follows_its_key_dates(today, phase):
    campaign = CampaignFactory.build(status=Campaign.Status.ISSUED)
    assert campaign.phase(today) == phase


def test_a_draft_is_in_drafting_and_a_closed_campaign_closed_whatever_the_date():
    assert CampaignFactory.build().phase(date(2025, 3, 1)) == Phase.DRAFT
    closed = CampaignFactory.build(status=Campaign.Status.CLOSED)
    assert closed.phase(date(2025, 3, 1)) == Phase.CLOSED


def test_days_left_to_register_count_down_to_the_deadline_only_while_open():
    campaign = CampaignFactory.build(status=Campaign.Status.ISSUED)
    assert campaign.registration_days_left(date(2025, 3, 19)) == 12
    assert campaign.registration_days_left(date(2025, 3, 31)) == 0
    assert campaign.registration_days_left(date(2025, 4, 1)) is None
    assert CampaignFactory.build().registration_days_left(date(2025, 3, 19)) is None


def test_key_dates_outside_the_campaign_year_are_refused_field_by_field():
    campaign = CampaignFactory.build(
        mid_year_review_starts=date(2024, 6, 1), nomination_deadline=date(2026, 1, 5)
    )
    with pytest.raises(ValidationError) as caught:
        campaign.clean()
    assert caught.value.message_dict["mid_year_review_starts"] == [
        "Ngày này phải thuộc năm 2025 của phong trào."
    ]
    assert "nomination_deadline" in caught.value.message_dict


def test_a_deadline_before_the_opening_date_is_refused():
    campaign = CampaignFactory.build(registration_deadline=date(2025, 2, 1))
    with pytest.raises(ValidationError) as caught:
        campaign.clean()
    assert caught.value.message_dict["registration_deadline"] == [
        "Hạn đăng ký không được trước ngày mở đăng ký."
    ]


def test_a_legal_basis_reads_as_the_plan_cites_it():
    basis = LegalBasisFactory.build(
        kind="kế hoạch",
        number="44/KH-UBND",
        issued_on=date(2024, 3, 19),
        issuer="UBND phường",
        title="về thực hiện Quy chế dân chủ ở cơ sở và công tác dân vận chính quyền năm 2024",
    )
    assert basis.reference == (
        "kế hoạch số 44/KH-UBND ngày 19/3/2024 của UBND phường về thực hiện Quy chế dân chủ "
        "ở cơ sở và công tác dân vận chính quyền năm 2024"
    )


def test_a_legal_basis_without_number_or_issuer_leaves_them_out():
    basis = LegalBasisFactory.build(
        kind="Luật Thi đua, khen thưởng", number="", issued_on=None, issuer="", title=""
    )
    assert basis.reference == "Luật Thi đua, khen thưởng"


@pytest.mark.parametrize(
    ("number", "text"), [(1, "I"), (4, "IV"), (9, "IX"), (14, "XIV"), (40, "XL")]
)
def test_sections_are_numbered_in_roman_numerals(number, text):
    assert roman(number) == text


def test_sub_points_are_lettered():
    assert [letter(n) for n in (1, 2, 26)] == ["a", "b", "z"]


def test_recipients_are_read_one_per_line_without_dashes():
    campaign = CampaignFactory.build(recipients="- Phòng Nội vụ thị xã;\n\n  Lưu: VT.  ")
    assert campaign.recipient_lines == ["Phòng Nội vụ thị xã;", "Lưu: VT."]
