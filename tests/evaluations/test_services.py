from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Sum

from danvan.accounts.models import Membership
from danvan.audit.models import AuditEvent
from danvan.workflow import StaleEdit
from evaluations import selectors, services
from evaluations.models import (
    Assignment,
    Criterion,
    Inspection,
    RatingBand,
    ReminderSent,
    Round,
    Rubric,
    Score,
)
from models_registry.models import Registration
from tests.evaluations.factories import (
    accepted,
    inspection_of,
    open_round,
    points,
    points_totalling,
    score,
)
from tests.factories import CampaignFactory, RegistrationFactory, member

pytestmark = pytest.mark.django_db
Status = Round.Status


# Rubric -------------------------------------------------------------------------------------


def test_the_default_rubric_turns_the_model_criteria_into_100_points(rubric):
    criteria = list(rubric.criteria.order_by("position"))
    assert len(criteria) == 9
    assert sum(c.max_points for c in criteria) == 100
    assert {c.weight for c in criteria} == {Decimal(1)}
    assert criteria[0].title == "Tên gọi, địa bàn cụ thể"
    assert [(b.name, b.min_score) for b in rubric.bands.order_by("-min_score")] == [
        ("Xuất sắc", 90),
        ("Tốt", 80),
        ("Khá", 65),
        ("Đạt", 50),
        ("Không đạt", 0),
    ]
    assert not rubric.bands.get(name="Không đạt").passing
    assert AuditEvent.objects.filter(action="rubric.create").count() == 1


def test_seeding_the_default_rubric_twice_changes_nothing(office_user, campaign, rubric):
    assert services.rubric_seed_default(actor=office_user, campaign=campaign) == rubric
    assert Rubric.objects.count() == 1
    assert Criterion.objects.count() == 9


def test_only_office_staff_seed_and_edit_the_rubric(campaign, evaluator, chairman):
    for user in (evaluator, chairman):
        with pytest.raises(PermissionDenied):
            services.rubric_seed_default(actor=user, campaign=campaign)


def rubric_rows(rubric):
    criteria = [
        {
            "id": c.pk,
            "title": c.title,
            "description": c.description,
            "max_points": c.max_points,
            "weight": c.weight,
        }
        for c in rubric.criteria.order_by("position")
    ]
    bands = [
        {"name": b.name, "min_score": b.min_score, "passing": b.passing}
        for b in rubric.bands.order_by("-min_score")
    ]
    return criteria, bands


def test_office_staff_reorder_reweight_add_and_remove_criteria(office_user, rubric):
    criteria, bands = rubric_rows(rubric)
    first = criteria.pop(0)
    criteria[0]["weight"] = Decimal(2)
    criteria.append(first)
    criteria.append({"title": "Ứng dụng công nghệ số", "max_points": Decimal(10)})
    removed = criteria.pop(1)

    services.rubric_update(actor=office_user, rubric=rubric, criteria=criteria, bands=bands)

    titles = list(rubric.criteria.order_by("position").values_list("title", flat=True))
    assert titles[-2:] == [first["title"], "Ứng dụng công nghệ số"]
    assert removed["title"] not in titles
    assert rubric.criteria.get(pk=criteria[0]["id"]).weight == 2
    assert rubric.criteria.get(pk=first["id"]).position == 8  # kept its row, moved
    rubric.refresh_from_db()
    assert rubric.version == 2
    assert AuditEvent.objects.filter(action="rubric.update").exists()


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ([], "Cần ít nhất một mức xếp loại."),
        ([{"name": "Đạt", "min_score": Decimal(50)}], "bắt đầu từ 0 điểm"),
        (
            [{"name": "Đạt", "min_score": Decimal(0)}, {"name": "đạt", "min_score": Decimal(50)}],
            "trùng tên",
        ),
        (
            [{"name": "Tốt", "min_score": Decimal(0)}, {"name": "Khá", "min_score": Decimal(0)}],
            "trùng điểm sàn",
        ),
    ],
)
def test_rating_bands_must_cover_every_total_without_duplicates(
    office_user, rubric, bands, message
):
    criteria, _bands = rubric_rows(rubric)
    with pytest.raises(ValidationError) as caught:
        services.rubric_update(actor=office_user, rubric=rubric, criteria=criteria, bands=bands)
    assert message in " ".join(caught.value.messages)
    assert rubric.bands.count() == 5


def test_a_rubric_needs_a_criterion(office_user, rubric):
    _criteria, bands = rubric_rows(rubric)
    with pytest.raises(ValidationError, match="ít nhất một tiêu chí"):
        services.rubric_update(actor=office_user, rubric=rubric, criteria=[], bands=bands)


def test_the_first_score_locks_the_rubric_and_its_bands(office_user, rubric, assignment, criteria):
    assert not Rubric.objects.get().is_locked
    score(assignment, points(criteria))
    rubric.refresh_from_db()
    assert rubric.is_locked
    criteria_rows, bands = rubric_rows(rubric)
    criteria_rows[0]["max_points"] = Decimal(50)
    with pytest.raises(ValidationError) as caught:
        services.rubric_update(
            actor=office_user, rubric=rubric, criteria=criteria_rows, bands=bands
        )
    assert caught.value.code == "locked"
    assert "Thang điểm đã khóa" in caught.value.messages[0]
    assert Criterion.objects.get(pk=criteria_rows[0]["id"]).max_points == 5


def test_a_unit_self_assessment_locks_the_rubric_too(rubric, inspection, unit_officer, criteria):
    services.self_assessment_save(
        actor=unit_officer, inspection=inspection, points=points(criteria), narrative="Tốt."
    )
    assert Rubric.objects.get().is_locked


def test_a_rubric_edit_based_on_an_old_version_is_refused(office_user, rubric):
    criteria, bands = rubric_rows(rubric)
    services.rubric_update(actor=office_user, rubric=rubric, criteria=criteria, bands=bands)
    with pytest.raises(StaleEdit):
        services.rubric_update(
            actor=office_user, rubric=rubric, criteria=criteria, bands=bands, expected_version=1
        )


# Rounds -------------------------------------------------------------------------------------


def test_a_new_round_covers_every_accepted_registration_and_seeds_the_rubric(
    office_user, campaign, unit
):
    kept = [accepted(campaign, unit) for _index in range(3)]
    RegistrationFactory(campaign=campaign, unit=unit, status="submitted")
    RegistrationFactory(campaign=campaign, unit=unit, status="withdrawn")
    round = services.round_create(
        actor=office_user,
        campaign=campaign,
        data={
            "kind": Round.Kind.MID_YEAR,
            "name": "Sơ kết giữa năm 2025",
            "starts_on": date(2025, 6, 16),
            "ends_on": date(2025, 7, 11),
        },
    )
    assert round.status == Status.PLANNED
    assert set(round.inspections.values_list("registration", flat=True)) == {r.pk for r in kept}
    assert Rubric.objects.filter(campaign=campaign).exists()
    assert AuditEvent.objects.filter(action="round.create").count() == 1


def test_a_campaign_has_one_mid_year_and_one_year_end_review(office_user, campaign, rubric):
    open_round(office_user, campaign, Round.Kind.YEAR_END)
    with pytest.raises(ValidationError, match="một đợt sơ kết và một đợt tổng kết"):
        open_round(office_user, campaign, Round.Kind.YEAR_END, name="Tổng kết lần hai")
    open_round(office_user, campaign, Round.Kind.PERIODIC, name="Kiểm tra quý III")
    open_round(office_user, campaign, Round.Kind.PERIODIC, name="Kiểm tra quý IV")


def test_a_round_window_ends_after_it_starts(office_user, campaign):
    with pytest.raises(ValidationError) as caught:
        services.round_create(
            actor=office_user,
            campaign=campaign,
            data={
                "kind": Round.Kind.AD_HOC,
                "name": "Kiểm tra đột xuất",
                "starts_on": date(2025, 9, 10),
                "ends_on": date(2025, 9, 1),
            },
        )
    assert "Ngày kết thúc phải sau ngày bắt đầu." in caught.value.messages


def test_rounds_are_only_for_issued_campaigns(office_user, org):
    draft = CampaignFactory(organization=org)
    with pytest.raises(ValidationError, match="đã ban hành"):
        open_round(office_user, draft)


def test_a_round_goes_planned_open_closed_and_never_back(office_user, campaign, rubric):
    round = services.round_create(
        actor=office_user,
        campaign=campaign,
        data={
            "kind": Round.Kind.PERIODIC,
            "name": "Kiểm tra định kỳ",
            "starts_on": date(2025, 5, 1),
            "ends_on": date(2025, 5, 30),
        },
    )
    with pytest.raises(ValidationError, match="Không thể chuyển"):
        services.round_close(actor=office_user, round=round)
    round = services.round_open(actor=office_user, round=round)
    assert round.status == Status.OPEN
    assert round.opened_at
    round = services.round_close(actor=office_user, round=round)
    assert Round.objects.get().status == Status.CLOSED
    with pytest.raises(ValidationError, match="Không thể chuyển"):
        services.round_open(actor=office_user, round=round)
    assert list(
        AuditEvent.objects.filter(action__startswith="round.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["round.create", "round.open", "round.closed"]


def test_a_transition_from_a_status_already_left_is_refused(office_user, round):
    stale = Round.objects.get(pk=round.pk)
    services.round_close(actor=office_user, round=round)
    stale.status = Status.OPEN
    with pytest.raises(ValidationError, match="vừa được người khác cập nhật"):
        services.round_transition(actor=office_user, round=stale, to=Status.CLOSED)


def test_only_office_staff_open_and_close_rounds(round, chairman, evaluator):
    for user in (chairman, evaluator):
        with pytest.raises(PermissionDenied):
            services.round_close(actor=user, round=round)


def test_a_closed_round_refuses_every_change(
    office_user, round, inspection, assignment, second_evaluator, unit_officer, criteria
):
    services.round_close(actor=office_user, round=round)
    changes = [
        lambda: services.round_update(
            actor=office_user, round=round, data={"name": "Đổi tên"}, expected_version=None
        ),
        lambda: services.assignment_create(
            actor=office_user, inspection=inspection, evaluator=second_evaluator
        ),
        lambda: services.assignment_remove(actor=office_user, assignment=assignment),
        lambda: services.round_scope_sync(actor=office_user, round=round),
        lambda: services.inspection_remove(actor=office_user, inspection=inspection),
        lambda: score(assignment, points(criteria)),
        lambda: services.self_assessment_save(
            actor=unit_officer, inspection=inspection, points=points(criteria), narrative="x"
        ),
    ]
    for change in changes:
        with pytest.raises(ValidationError, match="đã kết thúc"):
            change()
    assert not Score.objects.exists()
    assert Assignment.objects.count() == 1


def test_newly_accepted_registrations_join_an_open_round(office_user, round, campaign, unit):
    late = accepted(campaign, unit)
    assert services.round_scope_sync(actor=office_user, round=round) == 1
    assert round.inspections.filter(registration=late).exists()
    assert services.round_scope_sync(actor=office_user, round=round) == 0


def test_a_model_leaves_a_round_only_before_it_is_scored(
    office_user, inspection, assignment, criteria
):
    score(assignment, points(criteria))
    with pytest.raises(ValidationError, match="đã có điểm"):
        services.inspection_remove(actor=office_user, inspection=inspection)
    other = Inspection.objects.exclude(pk=inspection.pk).get()
    services.inspection_remove(actor=office_user, inspection=other)
    assert Inspection.objects.count() == 1


# Assignments ----------------------------------------------------------------------------------


def test_office_assigns_evaluators_in_bulk_skipping_their_own_units_models(
    office_user, round, evaluator, second_evaluator, registration, own_registration
):
    report = services.assignments_create(
        actor=office_user,
        round=round,
        inspections=round.inspections.all(),
        evaluators=[evaluator, second_evaluator],
    )
    assert len(report.created) == 3
    assert report.conflicts == [
        "Không phân công Phạm Thị Mai chấm mô hình phụ nữ giúp nhau phát triển kinh tế: "
        "mô hình do đơn vị của thành viên này chủ trì (Hội Liên hiệp Phụ nữ phường)."
    ]
    assert not Assignment.objects.filter(
        evaluator=evaluator, inspection__registration=own_registration
    ).exists()
    again = services.assignments_create(
        actor=office_user,
        round=round,
        inspections=round.inspections.all(),
        evaluators=[evaluator, second_evaluator],
    )
    assert (len(again.created), again.existing) == (0, 3)
    assert AuditEvent.objects.filter(action="round.assign").count() == 1


def test_assigning_an_evaluator_to_their_own_units_model_is_refused(
    office_user, round, evaluator, own_registration
):
    with pytest.raises(ValidationError) as caught:
        services.assignment_create(
            actor=office_user,
            inspection=inspection_of(round, own_registration),
            evaluator=evaluator,
        )
    assert caught.value.code == "conflict"
    assert "do đơn vị của thành viên này chủ trì" in caught.value.messages[0]


def test_an_evaluator_who_is_also_an_officer_of_the_unit_is_refused(
    office_user, org, round, inspection, unit
):
    from danvan.accounts.models import Membership

    officer = member(org, "unit_officer", unit=unit, full_name="Hồ Văn Tâm")
    Membership.objects.create(user=officer, organization=org, role="evaluator")
    with pytest.raises(ValidationError, match="chủ trì"):
        services.assignment_create(actor=office_user, inspection=inspection, evaluator=officer)


def test_only_evaluators_of_the_organisation_are_assigned(
    office_user, inspection, viewer, outsider
):
    for user in (viewer, outsider):
        with pytest.raises(ValidationError, match="không phải thành viên đoàn kiểm tra"):
            services.assignment_create(actor=office_user, inspection=inspection, evaluator=user)


def test_an_evaluator_who_has_scored_stays_assigned(office_user, assignment, criteria):
    score(assignment, points(criteria))
    with pytest.raises(ValidationError, match="đã chấm điểm"):
        services.assignment_remove(actor=office_user, assignment=assignment)


def test_an_unscored_assignment_is_withdrawn(office_user, assignment):
    services.assignment_remove(actor=office_user, assignment=assignment)
    assert not Assignment.objects.exists()
    assert AuditEvent.objects.filter(action="round.unassign").exists()


# Scores -----------------------------------------------------------------------------------------


def test_an_evaluator_scores_every_criterion_and_gets_the_total(assignment, criteria):
    saved = score(
        assignment,
        points(criteria, 4, "4.5", 9),
        comments={criteria[0].pk: "Tên gọi rõ ràng."},
        findings="Mô hình thiết thực.",
        inspected_on=date(2025, 6, 20),
    )
    # 4 + 4.5 + 9 + the other six at full marks (5 + 15 + 20 + 15 + 15 + 10)
    assert saved.total == Decimal("97.50")
    assert saved.is_scored
    assert saved.findings == "Mô hình thiết thực."
    assert Score.objects.filter(assignment=assignment).count() == 9
    assert Score.objects.get(criterion=criteria[0]).comment == "Tên gọi rõ ràng."
    event = AuditEvent.objects.get(action="assignment.score")
    assert event.changes["total"] == ["", "97.50"]


def test_saving_again_updates_the_points_and_the_total(assignment, criteria):
    score(assignment, points(criteria))
    saved = score(assignment, points(criteria, 0))
    assert saved.total == Decimal(95)
    assert Score.objects.filter(assignment=assignment).count() == 9


def test_the_stored_total_always_matches_the_weighted_points(
    office_user, rubric, assignment, criteria
):
    rows, bands = rubric_rows(rubric)
    rows[0]["weight"] = Decimal(3)
    services.rubric_update(actor=office_user, rubric=rubric, criteria=rows, bands=bands)
    criteria = selectors.criteria_of(rubric.campaign_id)
    saved = score(assignment, points(criteria, 2, 3))
    weighted = Score.objects.filter(assignment=assignment).aggregate(
        points=Sum(F("points") * F("criterion__weight")),
        maximum=Sum(F("criterion__max_points") * F("criterion__weight")),
    )
    expected = (100 * weighted["points"] / weighted["maximum"]).quantize(Decimal("0.01"))
    assert saved.total == expected == Decimal(90)  # 100 × (3·2 + 3 + 90) / (3·5 + 5 + 90)


@pytest.mark.parametrize(("value", "field_index"), [("5.5", 0), ("-1", 1), ("21", 5)])
def test_points_outside_0_and_the_maximum_are_refused_and_nothing_is_saved(
    assignment, criteria, value, field_index
):
    values = points(criteria)
    values[criteria[field_index].pk] = Decimal(value)
    with pytest.raises(ValidationError) as caught:
        score(assignment, values)
    key = f"points_{criteria[field_index].pk}"
    assert list(caught.value.error_dict) == [key]
    assert "Điểm phải từ 0 đến" in caught.value.message_dict[key][0]
    assert not Score.objects.exists()
    assert not Assignment.objects.get().is_scored


def test_every_criterion_must_be_scored(assignment, criteria):
    values = points(criteria)
    values[criteria[2].pk] = None
    with pytest.raises(ValidationError) as caught:
        score(assignment, values)
    assert caught.value.message_dict[f"points_{criteria[2].pk}"] == ["Hãy nhập điểm tiêu chí này."]


def test_scores_for_a_rubric_that_changed_meanwhile_are_refused(assignment, criteria):
    values = points(criteria)
    values.pop(criteria[-1].pk)
    with pytest.raises(ValidationError, match="Thang điểm vừa thay đổi"):
        score(assignment, values)


def test_only_the_assigned_evaluator_scores(assignment, second_evaluator, office_user, criteria):
    for user in (second_evaluator, office_user):
        with pytest.raises(PermissionDenied):
            services.scores_save(actor=user, assignment=assignment, points=points(criteria))


def test_an_evaluator_never_scores_a_model_of_their_own_unit(
    org, round, own_registration, evaluator, criteria
):
    # Assigned before they joined the unit: the conflict is checked again when scoring.
    inspection = inspection_of(round, own_registration)
    sneaked = Assignment.objects.create(inspection=inspection, evaluator=evaluator)
    with pytest.raises(ValidationError) as caught:
        score(sneaked, points(criteria))
    assert caught.value.code == "conflict"
    assert not Score.objects.exists()


def test_an_evaluator_who_lost_the_role_no_longer_scores(assignment, evaluator, criteria):
    evaluator.memberships.filter(role="evaluator").delete()
    from danvan.accounts.selectors import forget_memberships

    forget_memberships(evaluator)
    with pytest.raises(PermissionDenied):
        score(assignment, points(criteria))


def test_scoring_waits_for_the_round_to_open(
    office_user, campaign, registration, evaluator, rubric
):
    round = services.round_create(
        actor=office_user,
        campaign=campaign,
        data={
            "kind": Round.Kind.PERIODIC,
            "name": "Kiểm tra quý III",
            "starts_on": date(2025, 9, 1),
            "ends_on": date(2025, 9, 30),
        },
    )
    assignment = services.assignment_create(
        actor=office_user, inspection=inspection_of(round, registration), evaluator=evaluator
    )
    with pytest.raises(ValidationError, match="chưa mở"):
        score(assignment, points(selectors.criteria_of(campaign.pk)))


# Results ----------------------------------------------------------------------------------------


def test_a_models_result_is_the_mean_of_its_evaluators_with_their_spread_and_rating(
    inspection, assignment, second_assignment, criteria, rubric
):
    score(assignment, points_totalling(criteria, "92.5"))
    score(second_assignment, points_totalling(criteria, "85"))
    sheet = selectors.score_sheet(inspection=inspection)
    assert sheet.mean == Decimal("88.75")
    assert sheet.spread == Decimal("7.50")
    assert sheet.band.name == "Tốt"
    [result] = selectors.registration_rounds(inspection.registration, user=None) or [None]
    assert result is None  # the round is still open: nobody but the office sees a result


def test_unscored_assignments_do_not_count_in_the_mean(
    inspection, assignment, second_assignment, criteria, office_user
):
    score(assignment, points_totalling(criteria, 64))
    results = list(
        selectors.round_results(
            round=inspection.round, bands=selectors.bands_of(inspection.round.campaign_id)
        )
    )
    row = next(r for r in results if r.pk == inspection.pk)
    assert (row.mean, row.scored_count, row.assigned_count) == (6400, 1, 2)
    assert RatingBand.objects.get(pk=row.band_id).name == "Đạt"


def test_a_registrations_trajectory_shows_closed_rounds_to_readers_and_every_round_to_office(
    office_user, chairman, campaign, registration, evaluator, criteria, unit_officer, round
):
    mid_year = round
    assignment = services.assignment_create(
        actor=office_user, inspection=inspection_of(mid_year, registration), evaluator=evaluator
    )
    score(assignment, points_totalling(criteria, 91))
    services.round_close(actor=office_user, round=mid_year)
    year_end = open_round(office_user, campaign, Round.Kind.YEAR_END)
    late = services.assignment_create(
        actor=office_user, inspection=inspection_of(year_end, registration), evaluator=evaluator
    )
    score(late, points_totalling(criteria, 70))

    readers = selectors.registration_rounds(registration, user=chairman)
    assert [(r.round.name, r.mean, r.band.name) for r in readers] == [
        ("Sơ kết giữa năm 2025", Decimal("91.00"), "Xuất sắc")
    ]
    office = selectors.registration_rounds(registration, user=office_user)
    assert [(r.round.kind, r.mean, r.final) for r in office] == [
        ("mid_year", Decimal("91.00"), True),
        ("year_end", Decimal("70.00"), False),
    ]
    own = selectors.registration_rounds(registration, user=unit_officer)
    assert [(r.round.kind, r.mean, r.can_self_assess) for r in own] == [
        ("mid_year", Decimal("91.00"), False),
        ("year_end", None, True),
    ]


# Self-assessment --------------------------------------------------------------------------------


def test_the_lead_unit_self_assesses_with_narrative_and_evidence(
    inspection, unit_officer, criteria
):
    saved = services.self_assessment_save(
        actor=unit_officer,
        inspection=inspection,
        points=points(criteria, 4),
        comments={criteria[0].pk: "Đã có biển tên."},
        narrative="Đơn vị đã hướng dẫn 300 lượt người dân.",
        evidence="Sổ theo dõi, ảnh.",
    )
    assert saved.self_total == Decimal(99)
    assert saved.self_narrative == "Đơn vị đã hướng dẫn 300 lượt người dân."
    assert saved.self_scores.get(criterion=criteria[0]).comment == "Đã có biển tên."


def test_other_units_and_evaluators_cannot_self_assess(
    inspection, other_unit_officer, evaluator, office_user, criteria
):
    for user in (other_unit_officer, evaluator, office_user):
        with pytest.raises(PermissionDenied):
            services.self_assessment_save(
                actor=user, inspection=inspection, points=points(criteria), narrative="x"
            )


def test_evidence_files_are_checked_and_kept(inspection, unit_officer, criteria):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = SimpleUploadedFile(
        "ảnh hoạt động.png",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        content_type="image/png",
    )
    services.self_assessment_save(
        actor=unit_officer,
        inspection=inspection,
        points=points(criteria),
        narrative="x",
        files=[png],
    )
    attached = inspection.self_files.get()
    assert attached.original_name == "ảnh hoạt động.png"
    fake = SimpleUploadedFile("báo cáo.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        services.self_assessment_save(
            actor=unit_officer,
            inspection=inspection,
            points=points(criteria, 1),
            narrative="y",
            files=[fake],
        )
    assert "không phải PDF" in " ".join(caught.value.messages)
    inspection.refresh_from_db()
    assert inspection.self_narrative == "x"  # nothing of the refused save was kept


# Reminders ----------------------------------------------------------------------------------------


def test_evaluators_behind_get_one_reminder_a_day_before_the_round_closes(
    round,
    assignment,
    second_assignment,
    evaluator,
    criteria,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.EVALUATION_REMINDER_DAYS = 3
    score(second_assignment, points(criteria))
    assert services.reminders_send(today=date(2025, 7, 1)) == 0  # ten days before: too early
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(today=date(2025, 7, 9)) == 1
    [message] = mail.outbox
    assert message.to == [evaluator.email]
    assert "Còn 1 mô hình chưa chấm – Sơ kết giữa năm 2025" in message.subject
    assert assignment.inspection.registration.name in message.body
    assert f"/evaluations/assignments/{assignment.pk}/score/" in message.body
    assert services.reminders_send(today=date(2025, 7, 9)) == 0  # same day: nothing more
    assert len(mail.outbox) == 1
    assert services.reminders_send(today=date(2025, 7, 10)) == 1  # next day: again
    assert ReminderSent.objects.count() == 2


def test_no_reminders_for_closed_rounds_or_finished_work(office_user, round, assignment, criteria):
    services.round_close(actor=office_user, round=round)
    assert services.reminders_send(today=date(2025, 7, 10), days=3) == 0
    assert not mail.outbox


def test_overdue_open_rounds_keep_reminding(round, assignment):
    assert services.reminders_send(today=date(2025, 8, 1), days=0) == 1


def test_an_evaluator_who_left_the_organisation_is_neither_reminded_nor_counted_behind(
    round, assignment, evaluator, office_user, org, other_org
):
    from inbox.selectors import inbox_for

    def behind():
        tasks = inbox_for(user=office_user, organization=org, today=date(2025, 7, 9))
        return {task.key: task.count for task in tasks}.get("evaluators_behind", 0)

    assert behind() == 1
    tasks = inbox_for(user=office_user, organization=org, today=date(2025, 7, 9))
    assert {task.key: task.count for task in tasks}.get("sheets_of_leavers", 0) == 0
    Membership.objects.filter(user=evaluator, organization=org).delete()
    Membership.objects.create(
        user=evaluator, organization=other_org, role=Membership.Role.EVALUATOR
    )
    assert services.reminders_send(today=date(2025, 7, 9), days=3) == 0
    assert not mail.outbox
    assert not ReminderSent.objects.exists()
    assert behind() == 0
    assignment.refresh_from_db()
    assert assignment.scored_at is None  # the sheet waits for the office to reassign it
    tasks = inbox_for(user=office_user, organization=org, today=date(2025, 7, 9))
    assert {task.key: task.count for task in tasks}["sheets_of_leavers"] == 1


def test_a_deactivated_evaluator_is_not_reminded_and_the_office_is_told_to_reassign(
    round, assignment, evaluator, office_user, org
):
    from inbox.selectors import inbox_for

    evaluator.is_active = False
    evaluator.save(update_fields=["is_active"])
    assert services.reminders_send(today=date(2025, 7, 9), days=3) == 0
    counts = {
        task.key: task.count
        for task in inbox_for(user=office_user, organization=org, today=date(2025, 7, 9))
    }
    assert counts.get("evaluators_behind", 0) == 0
    assert counts["sheets_of_leavers"] == 1


# Year-end recognition ---------------------------------------------------------------------------


@pytest.fixture
def year_end(
    office_user,
    campaign,
    registration,
    own_registration,
    evaluator,
    second_evaluator,
    rubric,
    round,
):
    """A closed year-end round: the MTTQ's model rated Tốt, the HPN's Không đạt."""
    services.round_close(actor=office_user, round=round)
    year_end = open_round(office_user, campaign, Round.Kind.YEAR_END)
    good = services.assignment_create(
        actor=office_user, inspection=inspection_of(year_end, registration), evaluator=evaluator
    )
    weak = services.assignment_create(
        actor=office_user,
        inspection=inspection_of(year_end, own_registration),
        evaluator=second_evaluator,
    )
    criteria = selectors.criteria_of(campaign.pk)
    score(good, points_totalling(criteria, 82))
    score(weak, points_totalling(criteria, "49.99"))
    return services.round_close(actor=office_user, round=year_end)


def test_recognition_is_suggested_from_the_year_end_rating(campaign, year_end, registration):
    rows = {
        r.registration.pk: r
        for r in selectors.recognition_rows(campaign=campaign, year_end=year_end)
    }
    assert rows[registration.pk].band.name == "Tốt"
    assert rows[registration.pk].suggest_recognised
    weak = next(r for pk, r in rows.items() if pk != registration.pk)
    assert (weak.band.name, weak.mean, weak.suggest_recognised) == (
        "Không đạt",
        Decimal("49.99"),
        False,
    )


def test_office_confirms_the_suggestions_through_the_registration_workflow(
    office_user,
    campaign,
    year_end,
    registration,
    own_registration,
    unit_officer,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.recognition_decide(
            actor=office_user,
            campaign=campaign,
            decisions=[
                services.RecognitionDecision(registration.pk, True),
                services.RecognitionDecision(own_registration.pk, False),
            ],
        )
    assert moved == 2
    registration.refresh_from_db()
    own_registration.refresh_from_db()
    assert registration.status == Registration.Status.RECOGNISED
    assert "Xếp loại Tốt (82 điểm)" in registration.status_reason
    assert own_registration.status == Registration.Status.NOT_RECOGNISED
    assert AuditEvent.objects.filter(action="registration.recognised").count() == 1
    assert any(unit_officer.email in m.to for m in mail.outbox)


def test_overriding_the_suggestion_needs_a_reason_and_saves_nothing_without_one(
    office_user, campaign, year_end, registration, own_registration
):
    with pytest.raises(ValidationError) as caught:
        services.recognition_decide(
            actor=office_user,
            campaign=campaign,
            decisions=[
                services.RecognitionDecision(registration.pk, True),
                services.RecognitionDecision(own_registration.pk, True),
            ],
        )
    assert "khác đề xuất theo xếp loại; hãy ghi lý do" in caught.value.messages[0]
    assert Registration.objects.filter(status="accepted").count() == 2
    services.recognition_decide(
        actor=office_user,
        campaign=campaign,
        decisions=[
            services.RecognitionDecision(
                own_registration.pk, True, "Hội đồng ghi nhận kết quả quý IV vượt trội."
            )
        ],
    )
    own_registration.refresh_from_db()
    assert own_registration.status == Registration.Status.RECOGNISED
    assert own_registration.status_reason.startswith("Hội đồng ghi nhận")


def test_recognition_waits_for_the_year_end_round_to_close(
    office_user, campaign, registration, round
):
    with pytest.raises(ValidationError, match="sau khi đợt tổng kết cuối năm đã kết thúc"):
        services.recognition_decide(
            actor=office_user,
            campaign=campaign,
            decisions=[services.RecognitionDecision(registration.pk, True)],
        )
    open_round(office_user, campaign, Round.Kind.YEAR_END)
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.recognition_decide(
            actor=office_user,
            campaign=campaign,
            decisions=[services.RecognitionDecision(registration.pk, True)],
        )


def test_a_registration_already_decided_is_not_decided_twice(
    office_user, campaign, year_end, registration
):
    decision = [services.RecognitionDecision(registration.pk, True)]
    services.recognition_decide(actor=office_user, campaign=campaign, decisions=decision)
    with pytest.raises(ValidationError, match="không còn chờ xét công nhận"):
        services.recognition_decide(actor=office_user, campaign=campaign, decisions=decision)
