from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from danvan.accounts.models import Membership
from evaluations.models import Assignment, Inspection, Round
from inbox.selectors import inbox_for
from models_registry.models import Comment, LateException, LateRequest, ProgressReport
from tests.factories import (
    CampaignFactory,
    NominationFactory,
    RegistrationFactory,
    UnitFactory,
    member,
)

pytestmark = pytest.mark.django_db
Role = Membership.Role
TODAY = date(2025, 12, 1)


def counts(user, organization, today=TODAY) -> dict[str, int]:
    tasks = inbox_for(user=user, organization=organization, today=today)
    return {task.key: task.count for task in tasks if task.key != "deadline"}


def round_with_sheets(campaign, evaluator, *, sheets: int, scored: int = 0, **fields) -> Round:
    values = {
        "kind": Round.Kind.PERIODIC,
        "name": f"Đợt kiểm tra {Round.objects.count() + 1}",
        "starts_on": TODAY - timedelta(days=10),
        "ends_on": TODAY + timedelta(days=20),
        "status": Round.Status.OPEN,
        **fields,
    }
    round = Round.objects.create(organization=campaign.organization, campaign=campaign, **values)
    for index in range(sheets):
        registration = RegistrationFactory(campaign=campaign, status="accepted")
        inspection = Inspection.objects.create(round=round, registration=registration)
        Assignment.objects.create(
            inspection=inspection,
            evaluator=evaluator,
            **({"scored_at": timezone.now(), "total_hundredths": 8000} if index < scored else {}),
        )
    return round


def late_request(campaign, *, status, wished_until=date(2025, 12, 20)) -> LateRequest:
    return LateRequest.objects.create(
        campaign=campaign,
        organization=campaign.organization,
        unit=UnitFactory(organization=campaign.organization),
        reason="Đơn vị mới kiện toàn cán bộ.",
        wished_until=wished_until,
        status=status,
        refusal_reason="Quá muộn." if status == LateRequest.Status.REFUSED else "",
    )


def test_office_staff_see_the_late_requests_waiting_campaign_by_campaign(
    office_user, org, campaign, other_campaign
):
    later_campaign = CampaignFactory(organization=org, year=2026, status=Campaign.Status.ISSUED)
    closed = CampaignFactory(organization=org, year=2024, status=Campaign.Status.CLOSED)
    late_request(later_campaign, status=LateRequest.Status.PENDING, wished_until=date(2025, 12, 30))
    late_request(campaign, status=LateRequest.Status.PENDING, wished_until=date(2025, 12, 5))
    late_request(campaign, status=LateRequest.Status.PENDING, wished_until=date(2025, 12, 9))
    late_request(campaign, status=LateRequest.Status.GRANTED, wished_until=date(2025, 12, 2))
    late_request(closed, status=LateRequest.Status.PENDING, wished_until=date(2025, 12, 1))
    late_request(other_campaign, status=LateRequest.Status.PENDING, wished_until=date(2025, 12, 3))
    lines = [
        (task.count, task.deadline, task.url)
        for task in inbox_for(user=office_user, organization=org, today=TODAY)
        if task.key == "late_requests"
    ]
    assert lines == [
        (2, date(2025, 12, 5), reverse("models_registry:late", args=[campaign.pk])),
        (1, date(2025, 12, 30), reverse("models_registry:late", args=[later_campaign.pk])),
    ]


@pytest.fixture
def campaign(org):
    return CampaignFactory(organization=org, year=2025, status=Campaign.Status.ISSUED)


@pytest.fixture
def other_campaign(other_org):
    return CampaignFactory(organization=other_org, year=2025, status=Campaign.Status.ISSUED)


def test_the_chairman_sees_plans_to_sign_and_nominations_to_approve_of_his_organisation_only(
    chairman, org, campaign, other_campaign, unit, other_unit
):
    CampaignFactory(organization=org, year=2026, sent_for_signature_at=timezone.now())
    CampaignFactory(organization=org, year=2027)  # a draft still being written
    NominationFactory(campaign=campaign, unit=unit, status="passed")
    NominationFactory(campaign=campaign, unit=other_unit, status="passed")
    NominationFactory(campaign=campaign, status="proposed")  # not yet voted
    CampaignFactory(
        organization=other_campaign.organization, year=2026, sent_for_signature_at=timezone.now()
    )
    NominationFactory(campaign=other_campaign, status="passed")
    assert counts(chairman, org) == {"plans_to_sign": 1, "nominations_to_approve": 2}


def test_office_staff_see_the_registrations_rounds_evaluators_and_meetings_waiting(
    office_user, org, campaign, other_campaign, evaluator
):
    RegistrationFactory.create_batch(2, campaign=campaign, status="submitted")
    RegistrationFactory(campaign=campaign, status="accepted")
    RegistrationFactory(campaign=other_campaign, status="submitted")
    RegistrationFactory(campaign=campaign, status="draft")  # left after the 31/3 deadline
    round_with_sheets(campaign, evaluator, sheets=0, status=Round.Status.PLANNED)  # to open
    round_with_sheets(
        campaign, evaluator, sheets=2, scored=1, ends_on=TODAY - timedelta(days=1)
    )  # to close, its evaluator behind
    foreign_evaluator = member(other_campaign.organization, Role.EVALUATOR)
    round_with_sheets(
        other_campaign, foreign_evaluator, sheets=1, ends_on=TODAY - timedelta(days=1)
    )
    NominationFactory(campaign=campaign, status="proposed")  # deadline 10/12 passed on 11/12
    NominationFactory(campaign=other_campaign, status="proposed")
    late_request(campaign, status=LateRequest.Status.PENDING)
    late_request(campaign, status=LateRequest.Status.PENDING)
    late_request(campaign, status=LateRequest.Status.REFUSED)  # answered: not waiting
    late_request(other_campaign, status=LateRequest.Status.PENDING)  # another ward's
    assert counts(office_user, org, today=date(2025, 12, 11)) == {
        "registrations_submitted": 2,
        "late_drafts": 1,
        "late_requests": 2,
        "rounds_to_open": 1,
        "rounds_to_close": 1,
        "evaluators_behind": 1,
        "meetings_to_record": 1,
    }


def test_a_unit_officer_sees_only_their_units_returned_registrations_and_unanswered_comments(
    unit_officer, office_user, org, unit, other_unit, campaign, other_campaign
):
    mine = RegistrationFactory(campaign=campaign, unit=unit, status="returned")
    RegistrationFactory(campaign=campaign, unit=other_unit, status="returned")
    RegistrationFactory(campaign=other_campaign, status="returned")
    Comment.objects.create(registration=mine, author=office_user, body="Bổ sung chỉ tiêu.")
    answered = RegistrationFactory(campaign=campaign, unit=unit, status="submitted")
    Comment.objects.create(registration=answered, author=office_user, body="Gửi ảnh?")
    Comment.objects.create(registration=answered, author=unit_officer, body="Đã gửi.")
    accepted = RegistrationFactory(campaign=campaign, unit=unit, status="accepted")
    accepted.milestones.create(due_on=TODAY + timedelta(days=5), description="Sơ kết quý")
    other = RegistrationFactory(campaign=campaign, unit=other_unit, status="accepted")
    other.milestones.create(due_on=TODAY + timedelta(days=5), description="Sơ kết quý")
    assert counts(unit_officer, org) == {
        "registrations_returned": 1,
        "comments_unanswered": 1,
        "reports_due": 1,
    }
    deadlines = [
        task
        for task in inbox_for(user=unit_officer, organization=org, today=TODAY)
        if task.key == "deadline"
    ]
    # 10/12 nominations, 19/12 year-end review: both within 14 days of 1/12.
    assert [task.deadline for task in deadlines] == [date(2025, 12, 10)]
    assert deadlines[0].count == 9


def test_a_milestone_is_answered_by_a_report_filed_before_it_is_due_and_old_years_drop_out(
    unit_officer, org, unit, campaign
):
    accepted = RegistrationFactory(campaign=campaign, unit=unit, status="accepted")
    accepted.milestones.create(due_on=TODAY + timedelta(days=9), description="Sơ kết quý")
    [task] = [
        t
        for t in inbox_for(user=unit_officer, organization=org, today=TODAY)
        if t.key == "reports_due"
    ]
    assert task.url == reverse("models_registry:detail", args=[accepted.pk])  # the one model
    ProgressReport.objects.create(
        registration=accepted, reported_on=TODAY, text="Đã tổ chức 2 buổi hướng dẫn."
    )
    assert "reports_due" not in counts(unit_officer, org)
    # A report from before the milestone came into view does not answer it.
    ProgressReport.objects.filter(registration=accepted).update(
        reported_on=TODAY - timedelta(days=30)
    )
    assert counts(unit_officer, org)["reports_due"] == 1
    # One report answers one milestone: with another milestone a week before this one,
    # the report filed for the earlier one does not answer the later one.
    ProgressReport.objects.filter(registration=accepted).update(reported_on=TODAY)
    accepted.milestones.create(due_on=TODAY + timedelta(days=2), description="Tháng 12")
    assert counts(unit_officer, org)["reports_due"] == 1
    ProgressReport.objects.create(
        registration=accepted, reported_on=TODAY + timedelta(days=3), text="Đã xong mốc 2."
    )
    assert "reports_due" not in counts(unit_officer, org, today=TODAY + timedelta(days=3))
    # Once the year's review is over, the year's milestones are no longer asked for.
    later = campaign.year_end_review_ends + timedelta(days=1)
    assert "reports_due" not in counts(unit_officer, org, today=later)


def test_a_unit_sees_its_registration_extension_as_a_deadline(
    unit_officer, office_user, org, unit, other_unit, campaign
):
    LateException.objects.create(
        campaign=campaign, unit=unit, expires_on=TODAY + timedelta(days=6), granted_by=office_user
    )
    LateException.objects.create(
        campaign=campaign,
        unit=other_unit,
        expires_on=TODAY + timedelta(days=3),
        granted_by=office_user,
    )
    deadlines = [
        task
        for task in inbox_for(user=unit_officer, organization=org, today=TODAY)
        if task.key == "deadline" and "gia hạn" in task.label
    ]
    assert [(task.label, task.count, task.deadline) for task in deadlines] == [
        (
            f"Hạn đăng ký được gia hạn ({unit.name}): {campaign.name}",
            6,
            TODAY + timedelta(days=6),
        )
    ]


def test_an_evaluator_sees_sheets_to_score_per_round_with_its_deadline(
    evaluator, org, campaign, other_campaign
):
    round = round_with_sheets(campaign, evaluator, sheets=45, scored=12)
    round_with_sheets(campaign, evaluator, sheets=2, scored=2)  # all scored: not listed
    Membership.objects.create(
        user=evaluator, organization=other_campaign.organization, role=Role.EVALUATOR
    )
    round_with_sheets(other_campaign, evaluator, sheets=3)
    tasks = inbox_for(user=evaluator, organization=org, today=TODAY)
    assert [(t.key, t.progress, t.count, t.deadline) for t in tasks] == [
        ("sheets_to_score", "12 / 45", 33, round.ends_on)
    ]


def test_the_inbox_is_ordered_by_deadline(office_user, org, campaign, evaluator):
    RegistrationFactory(campaign=campaign, status="submitted")  # deadline 31/3
    round_with_sheets(campaign, evaluator, sheets=0, status=Round.Status.PLANNED)  # 21/11
    keys = [t.key for t in inbox_for(user=office_user, organization=org, today=TODAY)]
    assert keys == ["registrations_submitted", "rounds_to_open"]


def test_the_home_page_lists_the_work_with_links(login, chairman, campaign, unit):
    NominationFactory(campaign=campaign, unit=unit, status="passed")
    content = login(chairman).get(reverse("home")).content.decode()
    assert "chờ phê duyệt" in content
    assert reverse("admin:awards_nomination_desk") in content


def test_the_home_page_says_when_nothing_waits(login, viewer):
    content = login(viewer).get(reverse("home")).content.decode()
    assert "Không có việc nào đang chờ bạn." in content


@pytest.mark.parametrize("role", [Role.OFFICE, Role.UNIT_OFFICER, Role.EVALUATOR, Role.CHAIRMAN])
def test_the_home_page_takes_as_many_queries_for_three_items_as_for_one(
    login, queries_for, org, unit, campaign, role
):
    user = member(org, role, unit=unit if role == Role.UNIT_OFFICER else None)
    if role == Role.EVALUATOR:
        user.memberships.update(unit=UnitFactory(organization=org))
    client = login(user)
    today = timezone.localdate()
    live = CampaignFactory(
        organization=org,
        year=today.year,
        status=Campaign.Status.ISSUED,
        registration_opens=today - timedelta(days=30),
        registration_deadline=today + timedelta(days=3),
    )

    def add_items():
        RegistrationFactory(campaign=live, status="submitted")
        late_request(live, status=LateRequest.Status.PENDING)
        RegistrationFactory(campaign=live, unit=unit, status="returned")
        NominationFactory(campaign=live, status="passed")
        round_with_sheets(live, user, sheets=1, starts_on=today, ends_on=today + timedelta(days=2))

    add_items()
    one = queries_for(client, reverse("home"))
    add_items()
    add_items()
    assert queries_for(client, reverse("home")) == one


def test_a_unit_is_asked_for_the_self_assessments_it_has_not_sent_in_open_rounds(
    unit_officer, evaluator, org, unit, other_unit, campaign
):
    round = round_with_sheets(campaign, evaluator, sheets=0, ends_on=TODAY + timedelta(days=9))
    ours = [RegistrationFactory(campaign=campaign, unit=unit, status="accepted") for _ in range(3)]
    theirs = RegistrationFactory(campaign=campaign, unit=other_unit, status="accepted")
    inspections = [
        Inspection.objects.create(round=round, registration=registration)
        for registration in (*ours, theirs)
    ]
    # One sent; one kept as a draft, which is not sent.
    Inspection.objects.filter(pk=inspections[0].pk).update(self_submitted_at=timezone.now())
    Inspection.objects.filter(pk=inspections[1].pk).update(
        self_draft={"fields": {"narrative": "Viết dở."}, "saved_at": "2025-11-30T08:00:00+07:00"}
    )
    [task] = [
        t
        for t in inbox_for(user=unit_officer, organization=org, today=TODAY)
        if t.key == "self_assessments_to_send"
    ]
    assert (task.label, task.count, task.deadline) == (
        "Mô hình cần tự đánh giá",
        2,
        TODAY + timedelta(days=9),
    )
    assert task.url == reverse("evaluations:home")
    # The last one left leads straight to its form; a closed round asks for nothing.
    Inspection.objects.filter(pk=inspections[1].pk).update(self_submitted_at=timezone.now())
    [task] = [
        t
        for t in inbox_for(user=unit_officer, organization=org, today=TODAY)
        if t.key == "self_assessments_to_send"
    ]
    assert task.url == reverse("evaluations:self_assessment", args=[inspections[2].pk])
    Round.objects.filter(pk=round.pk).update(status=Round.Status.CLOSED)
    assert "self_assessments_to_send" not in counts(unit_officer, org)
