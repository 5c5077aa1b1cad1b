from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards import services
from awards.models import Award, BaseSalary, Escalation, Nomination, Vote
from danvan.audit.models import AuditEvent
from models_registry.models import Registration
from tests.documents.text import docx_lines, pdf_text
from tests.factories import (
    MeetingFactory,
    NominationFactory,
    RegistrationFactory,
    UnitFactory,
    award_form,
)

pytestmark = pytest.mark.django_db
Status = Nomination.Status
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
BEFORE_DEADLINE = date(2024, 12, 1)


def nominate(actor, campaign, **extra):
    data = {
        "kind": "collective",
        "award_form": award_form(),
        "achievements": "Thành tích xuất sắc.",
        "today": BEFORE_DEADLINE,
    }
    data.update(extra)
    return services.nomination_create(actor=actor, campaign=campaign, **data)


# The council's threshold ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "votes", "passes"),
    [(10, 7, True), (10, 6, False), (9, 7, True), (9, 6, False), (20, 14, True), (20, 13, False)],
)
def test_the_threshold_is_seventy_percent_of_all_members_at_its_edge(
    campaign, total, votes, passes
):
    meeting = MeetingFactory.build(
        campaign=campaign, total_members=total, present=total, pass_percent=70
    )
    assert meeting.passes(votes) is passes


def test_a_meeting_takes_the_organisations_threshold_when_it_is_recorded(
    campaign, office_user, org
):
    org.council_pass_percent = 60
    org.save()
    meeting = services.meeting_create(
        actor=office_user,
        campaign=campaign,
        data={
            "held_on": date(2024, 12, 15),
            "location": "Hội trường",
            "total_members": 10,
            "present": 8,
            "chair": "A",
            "secretary": "B",
        },
    )
    assert meeting.pass_percent == 60
    assert meeting.passes(6)


def test_votes_mark_nominations_passed_or_not(campaign, meeting, office_user, unit, other_unit):
    first = NominationFactory(campaign=campaign, unit=unit)
    second = NominationFactory(campaign=campaign, unit=other_unit)
    services.votes_record(actor=office_user, meeting=meeting, votes={first.pk: 7, second.pk: 6})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.PASSED, Status.NOT_PASSED)
    assert "7/10" in first.status_reason


def test_votes_above_the_number_present_are_refused_and_nothing_is_saved(
    campaign, meeting, office_user, unit, other_unit
):
    first = NominationFactory(campaign=campaign, unit=unit)
    second = NominationFactory(campaign=campaign, unit=other_unit)
    with pytest.raises(ValidationError) as caught:
        services.votes_record(
            actor=office_user, meeting=meeting, votes={first.pk: 8, second.pk: 10}
        )
    assert caught.value.message_dict[second.pk] == [
        "Số phiếu đồng ý (10) lớn hơn số thành viên có mặt (9)."
    ]
    assert not Vote.objects.exists()
    assert Nomination.objects.get(pk=first.pk).status == Status.PROPOSED


def test_more_present_than_members_is_refused(campaign, office_user):
    with pytest.raises(ValidationError, match="không được lớn hơn tổng số"):
        services.meeting_create(
            actor=office_user,
            campaign=campaign,
            data={
                "held_on": date(2024, 12, 15),
                "location": "x",
                "total_members": 5,
                "present": 6,
                "chair": "A",
                "secretary": "B",
            },
        )


# Nominations ----------------------------------------------------------------------------


def test_a_unit_nominates_itself_its_people_and_its_recognised_models(campaign, unit, unit_officer):
    collective = nominate(unit_officer, campaign, unit=unit)
    person = nominate(
        unit_officer,
        campaign,
        kind="individual",
        unit=unit,
        person_name="Trần Văn Hùng",
        person_position="Phó Chủ tịch",
    )
    model = RegistrationFactory(campaign=campaign, unit=unit, status=Registration.Status.RECOGNISED)
    for_model = nominate(unit_officer, campaign, kind="model", registration=model)
    assert (collective.nominee_name, person.nominee_name, for_model.nominee_name) == (
        unit.name,
        "Trần Văn Hùng",
        model.name,
    )
    assert for_model.recipient_kind == "collective"
    assert AuditEvent.objects.filter(action="nomination.create").count() == 3


def test_a_second_form_for_the_same_nominee_in_a_campaign_is_refused(campaign, unit, unit_officer):
    nominate(unit_officer, campaign, kind="individual", unit=unit, person_name="Trần Văn Hùng")
    with pytest.raises(ValidationError, match="đã được đề nghị khen thưởng cho cùng thành tích"):
        nominate(
            unit_officer,
            campaign,
            kind="individual",
            unit=unit,
            person_name="tran van  hung",
            award_form=award_form("lao-dong-tien-tien"),
        )


def test_a_withdrawn_nomination_can_be_made_again(campaign, unit, unit_officer):
    first = nominate(unit_officer, campaign, unit=unit)
    services.nomination_withdraw(actor=unit_officer, nomination=first)
    assert nominate(unit_officer, campaign, unit=unit).status == Status.PROPOSED


def test_a_dissolved_unit_is_refused(campaign, office_user, unit):
    unit.is_active = False
    unit.save()
    with pytest.raises(ValidationError, match="đã giải thể hoặc ngừng hoạt động"):
        nominate(office_user, campaign, unit=unit)


def test_nominations_after_the_deadline_are_refused(campaign, office_user, unit):
    with pytest.raises(ValidationError, match="Đã hết hạn đề nghị khen thưởng"):
        nominate(office_user, campaign, unit=unit, today=date(2024, 12, 11))


def test_a_nominee_outside_the_organisation_is_refused(campaign, office_user, other_org):
    with pytest.raises(ValidationError, match="không thuộc tổ chức"):
        nominate(office_user, campaign, unit=UnitFactory(organization=other_org))


def test_a_unit_cannot_nominate_another_unit_but_the_office_can(
    campaign, unit_officer, office_user, other_unit
):
    with pytest.raises(PermissionDenied):
        nominate(unit_officer, campaign, unit=other_unit)
    assert nominate(office_user, campaign, unit=other_unit).unit == other_unit


def test_only_recognised_models_are_nominated(campaign, unit, unit_officer):
    model = RegistrationFactory(campaign=campaign, unit=unit, status=Registration.Status.ACCEPTED)
    with pytest.raises(ValidationError, match="đã được công nhận"):
        nominate(unit_officer, campaign, kind="model", registration=model)


def test_a_form_must_fit_the_nominee(campaign, unit, unit_officer):
    with pytest.raises(ValidationError, match="không dùng để khen thưởng đối tượng này"):
        nominate(unit_officer, campaign, unit=unit, award_form=award_form("lao-dong-tien-tien"))


def test_a_refused_title_is_named_in_its_own_quotes_not_wrapped_in_another_pair(
    campaign, unit, unit_officer
):
    with pytest.raises(ValidationError) as refused:
        nominate(unit_officer, campaign, unit=unit, award_form=award_form("lao-dong-tien-tien"))
    assert refused.value.message_dict["award_form"] == [
        "Danh hiệu “Lao động tiên tiến” không dùng để khen thưởng đối tượng này."
    ]


# Amounts -------------------------------------------------------------------------------


def test_amounts_follow_the_base_salary_in_force_on_the_decision_date(campaign, passed, chairman):
    before = services.decision_issue(
        actor=chairman, nominations=[passed[0]], decided_on=date(2024, 6, 30)
    )
    after = services.decision_issue(
        actor=chairman, nominations=[passed[1]], decided_on=date(2024, 7, 1)
    )
    assert before.base_salary_vnd == 1_800_000
    assert before.awards.get().amount_vnd == 540_000  # 0.30 × 1,800,000
    assert after.base_salary_vnd == 2_340_000
    # 0.15 × 2,340,000 = 351,000, rounded up to the next 10,000 (decree 98/2023, art. 53.2)
    assert after.awards.get().amount_vnd == 360_000


def test_a_date_with_no_base_salary_is_refused_with_a_clear_message(campaign, passed, chairman):
    with pytest.raises(
        ValidationError, match="Chưa có mức lương cơ sở áp dụng cho ngày 01/01/2020"
    ):
        services.decision_issue(actor=chairman, nominations=passed, decided_on=date(2020, 1, 1))
    assert set(Nomination.objects.values_list("status", flat=True)) == {Status.PASSED}


def test_without_a_rounding_rule_amounts_round_to_the_dong():
    assert services.amount_vnd(Decimal("0.15"), 1_490_001) == 223_500
    assert services.amount_vnd(Decimal("0.3"), 2_340_000) == 702_000


# Decisions --------------------------------------------------------------------------------


def test_only_the_chairman_or_a_vice_chairman_approves(
    campaign, passed, office_user, unit_officer, vice_chairman
):
    for user in (office_user, unit_officer):
        with pytest.raises(PermissionDenied):
            services.decision_issue(actor=user, nominations=passed, decided_on=date(2024, 12, 20))
    decision = services.decision_issue(
        actor=vice_chairman, nominations=passed, decided_on=date(2024, 12, 20)
    )
    with decision.issued_document.docx.open("rb") as handle:
        text = " ".join(docx_lines(handle.read()))
    assert "KT. CHỦ TỊCH" in text
    assert "PHÓ CHỦ TỊCH" in text


def test_the_decision_is_numbered_and_lists_awardees_forms_and_amounts(campaign, passed, chairman):
    signed = datetime(2024, 12, 20, 15, 5, tzinfo=HANOI)
    decision = services.decision_issue(
        actor=chairman, nominations=passed, decided_on=date(2024, 12, 20), signed_at=signed
    )
    issued = decision.issued_document
    assert issued.number_symbol == "01/QĐ-UBND"
    assert decision.total_vnd == 710_000 + 360_000
    with issued.docx.open("rb") as handle:
        text = " ".join(docx_lines(handle.read()))
    with issued.pdf.open("rb") as handle:
        pdf = pdf_text(handle.read())
    for expected in (
        "QUYẾT ĐỊNH",
        "Số: 01/QĐ-UBND",
        "ngày 20 tháng 12 năm 2024",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Điều 1.",
        passed[0].unit.name,
        "Nguyễn Thị Hồng",
        "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã",
        "710.000",
        "360.000",
        "1.070.000",
        "Một triệu không trăm bảy mươi nghìn đồng",
        "Điều 2.",
        "2.340.000",
        "Điều 3.",
        "CHỦ TỊCH",
        chairman.full_name,
    ):
        assert expected in text, expected
        assert expected in pdf, expected
    assert "TM. ỦY BAN NHÂN DÂN" not in text  # the chairman's own power (law 06/2022, art. 80)
    assert set(Nomination.objects.values_list("status", flat=True)) == {Status.APPROVED}


def test_a_decision_after_july_2025_cites_decree_152(campaign, passed, chairman):
    decision = services.decision_issue(
        actor=chairman, nominations=passed, decided_on=date(2025, 7, 15)
    )
    with decision.issued_document.docx.open("rb") as handle:
        assert "152/2025/NĐ-CP" in " ".join(docx_lines(handle.read()))


def test_approving_twice_is_refused_and_makes_no_second_decision(campaign, passed, chairman):
    services.decision_issue(actor=chairman, nominations=passed, decided_on=date(2024, 12, 20))
    with pytest.raises(ValidationError, match="vừa được xử lý"):
        services.decision_issue(actor=chairman, nominations=passed, decided_on=date(2024, 12, 20))
    assert Award.objects.count() == 2


def test_a_higher_level_form_goes_up_not_into_the_decision(campaign, unit, chairman, office_user):
    higher = NominationFactory(
        campaign=campaign,
        unit=unit,
        award_form=award_form("bang-khen-chu-tich-tinh"),
        status="passed",
    )
    with pytest.raises(ValidationError, match="do cấp trên quyết định"):
        services.decision_issue(actor=chairman, nominations=[higher], decided_on=date(2024, 12, 20))
    escalation = services.escalation_send(
        actor=office_user, nomination=higher, sent_to="UBND tỉnh", sent_on=date(2024, 12, 23)
    )
    services.escalation_record_outcome(
        actor=office_user,
        escalation=escalation,
        approved=True,
        outcome_on=date(2025, 1, 20),
        note="QĐ 55/QĐ-UBND tỉnh",
    )
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.APPROVED
    assert Nomination.objects.get(pk=higher.pk).status == Status.ESCALATED
    with pytest.raises(ValidationError, match="đã được ghi"):
        services.escalation_record_outcome(
            actor=office_user, escalation=escalation, approved=False, outcome_on=date(2025, 1, 21)
        )


def test_the_chairman_declines_with_a_reason(campaign, passed, chairman):
    with pytest.raises(ValidationError):
        services.nominations_reject(actor=chairman, nominations=passed, reason=" ")
    services.nominations_reject(actor=chairman, nominations=passed, reason="Chưa đủ tiêu chuẩn.")
    assert set(Nomination.objects.values_list("status", flat=True)) == {Status.REJECTED}


def test_an_issued_decision_is_immutable_and_revocation_keeps_the_history(
    campaign, passed, chairman
):
    decision = services.decision_issue(
        actor=chairman, nominations=passed, decided_on=date(2024, 12, 20)
    )
    issued = decision.issued_document
    with issued.docx.open("rb") as handle:
        before = handle.read()
    award = decision.awards.first()
    services.award_revoke(
        actor=chairman, award=award, reason="Phát hiện vi phạm sau khi khen thưởng."
    )
    award.refresh_from_db()
    assert award.is_revoked
    assert award.revoked_by == chairman
    assert award.revoked_reason == "Phát hiện vi phạm sau khi khen thưởng."
    assert Award.objects.count() == 2  # nothing deleted
    with issued.docx.open("rb") as handle:
        assert handle.read() == before
    with pytest.raises(ValidationError, match="đã được thu hồi"):
        services.award_revoke(actor=chairman, award=award, reason="Lần nữa.")
    assert AuditEvent.objects.filter(action="award.revoke").count() == 1


def test_only_signers_revoke(campaign, passed, chairman, office_user):
    decision = services.decision_issue(
        actor=chairman, nominations=passed, decided_on=date(2024, 12, 20)
    )
    with pytest.raises(PermissionDenied):
        services.award_revoke(actor=office_user, award=decision.awards.first(), reason="x")


def test_base_salaries_are_reference_data_with_effective_dates():
    assert list(
        BaseSalary.objects.order_by("effective_from").values_list("amount_vnd", flat=True)
    ) == [1_800_000, 2_340_000, 2_530_000]
    assert services.base_salary_on(date(2024, 7, 1)).amount_vnd == 2_340_000
    assert services.base_salary_on(date(2026, 6, 30)).amount_vnd == 2_340_000
    assert services.base_salary_on(date(2026, 7, 1)).amount_vnd == 2_530_000
    assert all(salary.legal_basis for salary in BaseSalary.objects.all())


def test_a_decision_is_dated_neither_after_its_signing_nor_before_the_council_met(
    campaign, meeting, office_user, chairman, unit
):
    nomination = NominationFactory(campaign=campaign, unit=unit)
    services.votes_record(actor=office_user, meeting=meeting, votes={nomination.pk: 8})
    signed_at = datetime(2024, 12, 20, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    for decided_on, message in (
        (date(2025, 1, 15), "Ngày quyết định không được sau ngày ký (20/12/2024)."),
        (
            date(2024, 12, 14),
            "Ngày quyết định không được trước ngày Hội đồng họp xét (15/12/2024).",
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            services.decision_issue(
                actor=chairman,
                nominations=[Nomination.objects.get(pk=nomination.pk)],
                decided_on=decided_on,
                signed_at=signed_at,
            )
        assert refused.value.message_dict == {"decided_on": [message]}
    assert Nomination.objects.get(pk=nomination.pk).status == Nomination.Status.PASSED
    assert not Award.objects.exists()
    decision = services.decision_issue(
        actor=chairman,
        nominations=[Nomination.objects.get(pk=nomination.pk)],
        decided_on=date(2024, 12, 15),
        signed_at=signed_at,
    )
    assert decision.decided_on == date(2024, 12, 15)
