"""The award rules in force on a decision's date: multipliers, base salary and rounding,
each a dated row with its source; decisions keep what they fixed."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards import services
from awards.models import BaseSalary, Multiplier, RoundingRule
from tests.factories import CampaignFactory, NominationFactory, UnitFactory, award_form

pytestmark = pytest.mark.django_db

GIAY_KHEN = "giay-khen-chu-tich-xa"


@pytest.fixture
def nominees(org):
    """A collective, a person and a household proposed for the commune chairman's Giấy khen."""
    campaign = CampaignFactory(organization=org, year=2025, status="issued")
    unit = UnitFactory(organization=org)
    return [
        NominationFactory(campaign=campaign, unit=unit, status="passed"),
        NominationFactory(
            campaign=campaign,
            unit=unit,
            kind="individual",
            person_name="Huỳnh Thị Ngọc",
            status="passed",
        ),
        NominationFactory(
            campaign=campaign,
            unit=unit,
            kind="household",
            person_name="Hộ ông Nguyễn Văn Bình",
            status="passed",
        ),
    ]


def amounts(nominations, day) -> list[int]:
    _salary, priced = services.price(nominations, day)
    return [item.amount_vnd for item in priced]


# (day, [collective, individual, household]): each side of every change of rule.
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Decree 98/2023 (0.30 / 0.15) on the base salary of 1,800,000: already round.
        (date(2024, 6, 30), [540_000, 270_000, None]),
        # Base salary 2,340,000 from 1/7/2024: 702,000 and 351,000 round up to the next 10,000.
        (date(2024, 7, 1), [710_000, 360_000, None]),
        (date(2025, 6, 30), [710_000, 360_000, None]),
        # Decree 152/2025 from 1/7/2025: 0.6 / 0.3 / 0.45 → 1,404,000, 702,000, 1,053,000.
        (date(2025, 7, 1), [1_410_000, 710_000, 1_060_000]),
        (date(2026, 6, 30), [1_410_000, 710_000, 1_060_000]),
        # Base salary 2,530,000 from 1/7/2026 (decree 161/2026): 1,518,000, 759,000, 1,138,500.
        (date(2026, 7, 1), [1_520_000, 760_000, 1_140_000]),
    ],
)
def test_amounts_follow_the_rules_in_force_on_the_decision_date(nominees, day, expected):
    collective, individual, household = nominees
    assert amounts([collective, individual], day) == expected[:2]
    if expected[2] is None:
        with pytest.raises(ValidationError, match="Chưa có mức tiền thưởng.*quản trị hệ thống"):
            amounts([household], day)
    else:
        assert amounts([household], day) == [expected[2]]


def test_rounding_up_goes_to_the_next_ten_thousand_and_leaves_round_amounts_alone():
    rule = RoundingRule(mode=RoundingRule.Mode.UP, step_vnd=10_000)
    assert rule.apply(Decimal("702000")) == 710_000
    assert rule.apply(Decimal("700001")) == 710_000
    assert rule.apply(Decimal("700000")) == 700_000
    nearest = RoundingRule(mode=RoundingRule.Mode.NEAREST, step_vnd=10_000)
    assert nearest.apply(Decimal("1053000")) == 1_050_000
    assert nearest.apply(Decimal("1055000")) == 1_060_000
    assert RoundingRule(mode=RoundingRule.Mode.NONE).apply(Decimal("1138500")) == 1_138_500


def test_every_rate_salary_and_rounding_rule_names_its_source_and_period():
    for model in (Multiplier, BaseSalary, RoundingRule):
        for row in model.objects.all():
            assert row.legal_basis, row
            assert row.effective_from, row
    decree_152 = Multiplier.objects.get(
        award_form=award_form(GIAY_KHEN), recipient_kind="individual", multiplier=Decimal("0.30")
    )
    assert decree_152.legal_basis.startswith("Nghị định số 152/2025/NĐ-CP")
    assert decree_152.effective_from == date(2025, 7, 1)
    assert BaseSalary.objects.get(amount_vnd=2_530_000).legal_basis.startswith(
        "Nghị định số 161/2026/NĐ-CP"
    )


def test_a_rate_the_law_does_not_set_is_left_empty_and_refused_with_its_source(org):
    """No national rate for Gia đình văn hóa: never guessed, the pricing says why."""
    campaign = CampaignFactory(organization=org, year=2025, status="issued")
    household = NominationFactory(
        campaign=campaign,
        kind="household",
        person_name="Hộ bà Lê Thị Tám",
        award_form=award_form("gia-dinh-van-hoa"),
    )
    row = Multiplier.objects.get(
        award_form=award_form("gia-dinh-van-hoa"), effective_from=date(2025, 7, 1)
    )
    assert row.multiplier is None
    assert "không quy định" in row.note
    with pytest.raises(ValidationError) as refused:
        services.price([household], date(2025, 12, 19))
    assert "Danh hiệu “Gia đình văn hóa”" in refused.value.messages[0]
    assert "“Danh hiệu" not in refused.value.messages[0]  # its own quotes, not another pair
    assert "Nghị định số 152/2025/NĐ-CP" in refused.value.messages[0]


def test_an_issued_decision_keeps_its_amounts_when_the_rules_change_after_it(nominees, chairman):
    collective, individual, _household = nominees
    decision = services.decision_issue(
        actor=chairman, nominations=[collective, individual], decided_on=date(2025, 12, 19)
    )
    with decision.issued_document.pdf.open("rb") as handle:
        frozen = handle.read()
    stored = [award.amount_vnd for award in decision.awards.order_by("position")]
    BaseSalary.objects.create(
        amount_vnd=3_000_000,
        effective_from=date(2027, 7, 1),
        legal_basis="Nghị định giả định (thử nghiệm)",
    )
    assert stored == [1_410_000, 710_000]
    # Recomputing on the decision's own date gives the same figures…
    assert amounts([collective, individual], decision.decided_on) == stored
    # …and the issued file has not moved.
    with decision.issued_document.pdf.open("rb") as handle:
        assert handle.read() == frozen


def test_overlapping_periods_of_one_rate_are_refused():
    existing = Multiplier.objects.get(
        award_form=award_form(GIAY_KHEN), recipient_kind="individual", multiplier=Decimal("0.30")
    )
    overlapping = Multiplier(
        award_form=existing.award_form,
        recipient_kind="individual",
        multiplier=Decimal("0.40"),
        effective_from=date(2026, 1, 1),
        legal_basis="Thử nghiệm",
    )
    with pytest.raises(ValidationError, match="trùng"):
        overlapping.full_clean()


def test_the_back_office_shows_each_rate_with_its_source_and_validity(
    login, superuser, office_user
):
    form = award_form(GIAY_KHEN)
    for user in (superuser, office_user):
        content = (
            login(user)
            .get(reverse("admin:awards_awardform_change", args=[form.pk]))
            .content.decode()
        )
        assert "Nghị định số 152/2025/NĐ-CP, điểm e khoản 1 Điều 54" in content
        assert "2025-07-01" in content or "01/07/2025" in content
    salaries = login(office_user).get(reverse("admin:awards_basesalary_changelist")).content
    assert "Nghị định số 161/2026/NĐ-CP" in salaries.decode()


def test_who_decides_each_form_is_data_with_its_basis():
    assert award_form(GIAY_KHEN).level == "commune"
    assert "khoản 3 Điều 80" in award_form(GIAY_KHEN).level_basis
    for code in ("chien-si-thi-dua-co-so", "tap-the-lao-dong-tien-tien", "thon-to-dan-pho-van-hoa"):
        form = award_form(code)
        assert form.level == "higher"
        assert "khoản 2 Điều 80" in form.level_basis
