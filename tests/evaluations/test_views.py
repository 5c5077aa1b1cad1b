import io
from decimal import Decimal

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.template.loader import render_to_string
from django.urls import reverse
from openpyxl import load_workbook

from danvan.accounts.models import Membership, Unit, UnitGroup, User
from danvan.jobs.models import Job
from danvan.text import natural_sort_key
from evaluations import exports, selectors, services
from evaluations.models import Assignment, Inspection, Round, Rubric, Score
from evaluations.views import RECOGNITION_BATCH
from models_registry.models import Registration
from tests.documents.text import docx_lines, pdf_pages
from tests.evaluations.factories import (
    accepted,
    form_data,
    inspection_of,
    open_round,
    points,
    points_totalling,
    score,
)
from tests.factories import CampaignFactory, RegistrationFactory, UnitFactory, member

pytestmark = pytest.mark.django_db
Role = Membership.Role


def url(name, *args):
    return reverse(f"evaluations:{name}", args=args)


def _content(response) -> bytes:
    """A response's body; a streamed file is read and closed (the test client leaves it
    open), without the request-finished signal that would close the test's connection."""
    if not response.streaming:
        return response.content
    content = b"".join(response.streaming_content)
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return content


def _status(client, target, method="get") -> int:
    response = getattr(client, method)(target)
    _content(response)
    return response.status_code


# Who sees what ---------------------------------------------------------------------------------

USERS = [
    "office_user",
    "evaluator",
    "second_evaluator",
    "unit_officer",
    "other_unit_officer",
    "chairman",
    "viewer",
    "outsider",
]


def pages(campaign, round, inspection, assignment):
    return {
        "round": url("round", round.pk),
        "inspection": url("inspection", inspection.pk),
        "score": url("score", assignment.pk),
        "self_assessment": url("self_assessment", inspection.pk),
        "minutes": url("minutes", inspection.pk, "docx"),
        "rubric": url("rubric", campaign.pk),
        "results": url("results", campaign.pk),
        "round_create": url("round_create", campaign.pk),
        "round_edit": url("round_edit", round.pk),
        "round_assign": url("round_assign", round.pk),
        "round_export": url("round_export", round.pk),
        "recognition": url("recognition", campaign.pk),
    }


# page -> the users who get it while the round is open; everyone else gets a 404.
WHILE_OPEN = {
    "round": {"office_user", "evaluator"},
    "inspection": {"office_user", "evaluator", "unit_officer"},
    "score": {"evaluator"},
    "self_assessment": {"unit_officer"},
    # Every evaluator's points are in them: the evaluators read them once it closes.
    "minutes": {"office_user"},
    "rubric": {"office_user", "evaluator", "second_evaluator", "unit_officer",
               "other_unit_officer", "chairman", "viewer"},
    "results": {"office_user", "chairman", "viewer"},
    "round_create": {"office_user"},
    "round_edit": {"office_user"},
    "round_assign": {"office_user"},
    "round_export": {"office_user"},
    "recognition": {"office_user"},
}  # fmt: skip
# What closing the round opens up: results and minutes for the leaders and the unit.
ONCE_CLOSED = {
    **WHILE_OPEN,
    "round": {"office_user", "evaluator", "chairman", "viewer"},
    "inspection": {"office_user", "evaluator", "unit_officer", "chairman", "viewer"},
    "minutes": {"office_user", "evaluator", "unit_officer", "chairman", "viewer"},
}


@pytest.fixture
def everyone(request, office_user, evaluator, second_evaluator, unit_officer, other_unit_officer, chairman, viewer, outsider):  # fmt: skip
    return {name: request.getfixturevalue(name) for name in USERS}


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize("page", list(WHILE_OPEN))
def test_the_permission_matrix(
    login, everyone, office_user, campaign, round, inspection, assignment, page, closed
):
    if closed:
        services.round_close(actor=office_user, round=round)
    target = pages(campaign, round, inspection, assignment)[page]
    allowed = (ONCE_CLOSED if closed else WHILE_OPEN)[page]
    got = {name: _status(login(user), target) for name, user in everyone.items()}
    # Closed rounds redirect their editing page back to the round.
    expected = {name: (200 if name in allowed else 404) for name in USERS}
    if closed and page == "round_edit":
        expected["office_user"] = 302
    assert got == expected


def test_an_evaluator_never_reaches_a_model_of_their_own_unit(
    login, round, own_registration, evaluator
):
    inspection = inspection_of(round, own_registration)
    assert login(evaluator).get(url("inspection", inspection.pk)).status_code == 404


def test_another_organisations_objects_are_404_even_for_its_office(
    login, outsider, campaign, round, inspection, assignment
):
    client = login(outsider)
    for target in pages(campaign, round, inspection, assignment).values():
        assert _status(client, target) == 404
    for name in ("round_open", "round_close", "round_scope_sync"):
        assert client.post(url(name, round.pk)).status_code == 404
    assert client.post(url("assignment_remove", assignment.pk)).status_code == 404
    assert Round.objects.get(pk=round.pk).status == round.status
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_post_only_actions_are_404_for_everyone_but_office(
    login, evaluator, chairman, round, assignment
):
    for user in (evaluator, chairman):
        client = login(user)
        assert client.post(url("round_close", round.pk)).status_code == 404
        assert client.post(url("assignment_remove", assignment.pk)).status_code == 404
    assert Round.objects.get().status == Round.Status.OPEN


def test_the_menu_shows_evaluation_to_the_roles_that_use_it(login, evaluator, unit_officer, round):
    assert "Kiểm tra, đánh giá" in login(evaluator).get(reverse("home")).content.decode()
    assert "Kiểm tra, đánh giá" not in login(unit_officer).get(reverse("home")).content.decode()


# Home ----------------------------------------------------------------------------------------


def test_an_evaluator_sees_what_is_left_to_score(
    login, office_user, round, inspection, assignment, evaluator, criteria, campaign, unit
):
    accepted(campaign, unit, name="Mô hình thứ hai")
    services.round_scope_sync(actor=office_user, round=round)
    other = inspection_of(round, Registration.objects.get(name="Mô hình thứ hai"))
    second = services.assignment_create(actor=office_user, inspection=other, evaluator=evaluator)
    score(second, points(criteria))
    content = login(evaluator).get(url("home")).content.decode()
    assert "1 mô hình cần chấm" in content
    assert "1 / 2 đã chấm" in content
    assert "Mô hình thứ hai" in content


def test_office_staff_see_each_campaigns_rounds_with_progress(
    login, office_user, round, assignment
):
    content = login(office_user).get(url("home")).content.decode()
    assert round.name in content
    assert "0 / 1 lượt đã chấm" in content
    assert "Tạo đợt kiểm tra" in content


# Scoring: bad input never loses what was typed ------------------------------------------------


def test_an_evaluator_scores_a_model_from_the_form(login, evaluator, assignment, criteria):
    values = {**points(criteria), criteria[0].pk: "4,5"}
    data = form_data(criteria, values, findings="Tốt.", inspected_on="2025-06-20")
    response = login(evaluator).post(url("score", assignment.pk), data, follow=True)
    assert "Đã lưu điểm mô hình" in response.content.decode()
    assert "99,5/100" in response.content.decode()
    assert Assignment.objects.get().total == Decimal("99.50")


def test_the_score_form_is_made_for_phones(login, evaluator, assignment, criteria):
    content = login(evaluator).get(url("score", assignment.pk)).content.decode()
    first = criteria[0]
    assert f'name="points_{first.pk}"' in content
    assert 'inputmode="decimal"' in content
    assert "Tối đa 5 điểm" in content


def test_a_score_above_the_maximum_is_refused_and_everything_typed_is_kept(
    login, evaluator, assignment, criteria
):
    client = login(evaluator)
    client.post(url("score", assignment.pk), form_data(criteria, points(criteria)))
    values = points(criteria, 3)
    values[criteria[1].pk] = "12"
    values[criteria[2].pk] = "mười"
    data = form_data(criteria, values, findings="Nhận xét dài đang viết dở.")
    response = client.post(url("score", assignment.pk), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Chưa lưu: có 2 ô cần sửa" in content
    assert "Điểm phải từ 0 đến 5 (điểm tối đa của tiêu chí)." in content
    assert "“mười” không phải là số. Hãy nhập số, ví dụ 8 hoặc 7,5." in content
    assert 'value="12"' in content
    assert 'value="mười"' in content
    assert 'value="3"' in content
    assert "Nhận xét dài đang viết dở." in content
    # What was saved before is still there.
    assert Assignment.objects.get().total == 100
    assert Score.objects.get(criterion=criteria[0]).points == criteria[0].max_points


def test_a_half_filled_sheet_is_kept_as_typed_and_counts_for_nothing_until_saved_in_full(
    login, evaluator, assignment, criteria
):
    client = login(evaluator)
    first, second = criteria[0], criteria[1]
    data = {
        f"points_{first.pk}": "4,5",
        f"comment_{first.pk}": "Có sổ theo dõi.",
        f"points_{second.pk}": "mười",  # wrong, but kept: said when saved in full
        "findings": "Đang kiểm tra dở, còn phải xem hồ sơ.",
        "draft": "1",
    }
    response = client.post(url("score", assignment.pk), data, follow=True)
    content = response.content.decode()
    assert response.redirect_chain[-1][0] == url("score", assignment.pk)
    assert "Đã lưu nháp phiếu chấm mô hình" in content
    assert "Phiếu đang chấm dở" in content
    assert 'value="4,5"' in content
    assert 'value="mười"' in content
    assert "Có sổ theo dõi." in content
    assert "Đang kiểm tra dở, còn phải xem hồ sơ." in content
    saved = Assignment.objects.get()
    assert not saved.is_scored
    assert saved.total_hundredths is None
    assert not Score.objects.exists()
    assert "Đang chấm dở" in client.get(url("home")).content.decode()

    full = form_data(criteria, {**points(criteria), first.pk: "4,5"}, findings="Tốt.")
    client.post(url("score", assignment.pk), full)
    saved = Assignment.objects.get()
    assert saved.total == Decimal("99.50")
    assert saved.draft == {}
    content = client.get(url("score", assignment.pk)).content.decode()
    assert "Phiếu đang chấm dở" not in content


def test_a_draft_with_nothing_typed_keeps_no_draft(login, evaluator, assignment, criteria):
    login(evaluator).post(url("score", assignment.pk), {"draft": "1"})
    assert Assignment.objects.get().draft == {}
    assert "Đang chấm dở" not in login(evaluator).get(url("home")).content.decode()


def test_a_draft_of_a_scored_sheet_leaves_the_counted_scores_as_they_were(
    login, evaluator, assignment, criteria
):
    score(assignment, points(criteria))
    client = login(evaluator)
    data = {f"points_{criteria[0].pk}": "1", "draft": "1"}
    client.post(url("score", assignment.pk), data)
    assert Assignment.objects.get().total == 100
    assert Score.objects.get(criterion=criteria[0]).points == criteria[0].max_points
    assert 'value="1"' in client.get(url("score", assignment.pk)).content.decode()


def test_a_draft_in_a_closed_round_is_refused_and_nothing_is_kept(
    login, office_user, evaluator, round, assignment, criteria
):
    client = login(evaluator)
    services.round_close(actor=office_user, round=round)
    data = {f"points_{criteria[0].pk}": "3", "draft": "1"}
    content = client.post(url("score", assignment.pk), data, follow=True).content.decode()
    assert "Đợt kiểm tra đã kết thúc; không chấm hay sửa điểm được nữa." in content
    assert Assignment.objects.get().draft == {}


def test_only_the_assigned_evaluator_may_keep_a_draft_of_the_sheet(
    login, second_evaluator, assignment, criteria
):
    data = {f"points_{criteria[0].pk}": "3", "draft": "1"}
    response = login(second_evaluator).post(url("score", assignment.pk), data)
    assert response.status_code == 404
    assert Assignment.objects.get().draft == {}


@pytest.mark.parametrize("typed", ["0001-06-20", "9999-06-20"])
def test_an_inspection_date_in_an_absurd_year_is_refused_and_nothing_is_saved(
    login, evaluator, assignment, criteria, typed
):
    data = form_data(criteria, points(criteria), inspected_on=typed)
    response = login(evaluator).post(url("score", assignment.pk), data)
    assert response.status_code == 200
    assert "nằm ngoài khoảng hợp lý" in response.content.decode()
    assert not Score.objects.exists()
    assert Assignment.objects.get().inspected_on is None


@pytest.mark.parametrize("typed", ["４,５", "٤٫٥", "٤,٥", "4e0"])
def test_points_in_other_digits_are_refused_and_kept_as_typed(
    login, evaluator, assignment, criteria, typed
):
    data = form_data(criteria, {**points(criteria), criteria[0].pk: typed})
    response = login(evaluator).post(url("score", assignment.pk), data)
    content = response.content.decode()
    assert f"“{typed}” không phải là số" in content
    assert f'value="{typed}"' in content
    assert not Score.objects.exists()


def test_scoring_in_a_closed_round_is_refused_with_the_input_kept(
    login, office_user, evaluator, round, assignment, criteria
):
    client = login(evaluator)
    page = client.get(url("score", assignment.pk))
    assert page.status_code == 200
    services.round_close(actor=office_user, round=round)
    data = form_data(criteria, {**points(criteria), criteria[0].pk: "2,5"})
    content = client.post(url("score", assignment.pk), data).content.decode()
    assert "Đợt kiểm tra đã kết thúc; không chấm hay sửa điểm được nữa." in content
    assert 'value="2,5"' in content
    assert not Score.objects.exists()


def test_the_score_page_of_a_closed_round_is_read_only(
    login, office_user, evaluator, round, assignment, criteria
):
    score(assignment, points(criteria))
    services.round_close(actor=office_user, round=round)
    content = login(evaluator).get(url("score", assignment.pk), follow=True).content.decode()
    assert "<fieldset disabled>" in content
    assert "Lưu điểm" not in content


def test_editing_a_locked_rubric_is_refused_with_the_input_kept(
    login, office_user, campaign, rubric, assignment, criteria
):
    client = login(office_user)
    page = client.get(url("rubric", campaign.pk))
    data = _rubric_post(page.context)
    data["criteria-0-title"] = "Tên gọi mới đang sửa"
    score(assignment, points(criteria))  # an evaluator saves meanwhile
    content = client.post(url("rubric", campaign.pk), data).content.decode()
    assert "Thang điểm đã khóa vì đã có điểm chấm" in content
    assert 'value="Tên gọi mới đang sửa"' in content
    assert Rubric.objects.get().criteria.filter(title="Tên gọi mới đang sửa").count() == 0


def _rubric_post(context) -> dict:
    data = {"version": context["rubric"].version}
    for formset in (context["criteria"], context["bands"]):
        management = formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        for form in formset.forms:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value is None or value is False:
                    continue
                data[form.add_prefix(name)] = value
    return data


def test_office_staff_edit_the_rubric_on_its_page(login, office_user, campaign, rubric):
    client = login(office_user)
    data = _rubric_post(client.get(url("rubric", campaign.pk)).context)
    data["criteria-0-max_points"] = "7,5"
    data["criteria-0-weight"] = "2"
    data["criteria-9-title"] = "Ứng dụng chuyển đổi số"
    data["criteria-9-max_points"] = "10"
    data["criteria-9-ORDER"] = "0"
    data["bands-4-DELETE"] = "on"
    data["bands-3-min_score"] = "0"
    response = client.post(url("rubric", campaign.pk), data, follow=True)
    assert "Đã lưu thang điểm." in response.content.decode()
    criteria = selectors.criteria_of(campaign.pk)
    assert criteria[0].title == "Ứng dụng chuyển đổi số"
    assert (criteria[1].max_points, criteria[1].weight) == (Decimal("7.5"), 2)
    assert [b.name for b in selectors.bands_of(campaign.pk)] == ["Xuất sắc", "Tốt", "Khá", "Đạt"]


def test_a_rubric_with_bad_numbers_says_which_and_keeps_the_input(
    login, office_user, campaign, rubric
):
    client = login(office_user)
    data = _rubric_post(client.get(url("rubric", campaign.pk)).context)
    data["criteria-0-max_points"] = "năm"
    data["criteria-1-max_points"] = "0"
    content = client.post(url("rubric", campaign.pk), data).content.decode()
    assert "“năm” không phải là số" in content
    assert "Điểm tối đa phải lớn hơn 0." in content
    assert 'value="năm"' in content


def test_viewing_the_rubric_page_writes_nothing_and_the_first_save_stores_the_rubric(
    login, office_user, viewer, campaign
):
    from danvan.audit.models import AuditEvent

    assert login(viewer).get(url("rubric", campaign.pk)).status_code == 404
    client = login(office_user)
    events = AuditEvent.objects.count()
    page = client.get(url("rubric", campaign.pk))
    assert "Hiệu quả thiết thực, có sức lan tỏa" in page.content.decode()
    assert not Rubric.objects.filter(campaign=campaign).exists()
    assert AuditEvent.objects.count() == events
    assert login(viewer).get(url("rubric", campaign.pk)).status_code == 404

    data = _rubric_post(page.context)
    data["criteria-0-max_points"] = "12"
    response = client.post(url("rubric", campaign.pk), data, follow=True)
    assert "Đã lưu thang điểm." in response.content.decode()
    criteria = selectors.criteria_of(campaign.pk)
    assert criteria[0].max_points == Decimal("12")
    assert len(criteria) == 9
    assert login(viewer).get(url("rubric", campaign.pk)).status_code == 200


# Rounds and assignment --------------------------------------------------------------------------


def test_office_creates_a_round_with_defaults_from_the_campaign(
    login, office_user, campaign, registration
):
    client = login(office_user)
    form = client.get(url("round_create", campaign.pk)).context["form"]
    assert form.initial["kind"] == Round.Kind.MID_YEAR
    assert form.initial["starts_on"] == campaign.mid_year_review_starts
    data = {
        "kind": "mid_year",
        "name": "Sơ kết giữa năm 2025",
        "starts_on": "2025-06-16",
        "ends_on": "2025-07-11",
    }
    response = client.post(url("round_create", campaign.pk), data, follow=True)
    assert "Đã tạo đợt “Sơ kết giữa năm 2025” với 1 mô hình" in response.content.decode()
    round = Round.objects.get()
    response = client.post(url("round_open", round.pk), follow=True)
    assert "Đã mở đợt" in response.content.decode()
    assert Round.objects.get().status == Round.Status.OPEN


def test_a_round_form_with_bad_dates_says_so(login, office_user, campaign, rubric):
    data = {
        "kind": "ad_hoc",
        "name": "Đột xuất",
        "starts_on": "2025-09-10",
        "ends_on": "2025-09-01",
    }
    content = login(office_user).post(url("round_create", campaign.pk), data).content.decode()
    assert "Ngày kết thúc phải sau ngày bắt đầu." in content


def test_office_assigns_a_field_in_bulk_and_hears_about_conflicts(
    login, office_user, round, evaluator, second_evaluator, registration, own_registration
):
    data = {
        "evaluators": [evaluator.pk, second_evaluator.pk],
        "target": "field",
        "field": registration.field_id,
    }
    response = login(office_user).post(url("round_assign", round.pk), data, follow=True)
    content = response.content.decode()
    assert "Đã phân công 3 lượt chấm." in content
    assert "Không phân công Phạm Thị Mai chấm mô hình" in content
    assert Assignment.objects.count() == 3


def test_office_assigns_a_units_models(login, office_user, round, second_evaluator, unit):
    data = {"evaluators": [second_evaluator.pk], "target": "unit", "unit": unit.pk}
    login(office_user).post(url("round_assign", round.pk), data)
    assert list(Assignment.objects.values_list("inspection__registration__unit", flat=True)) == [
        unit.pk
    ]


def test_one_by_one_assignment_refuses_a_conflict_with_a_clear_message(
    login, office_user, round, evaluator, own_registration
):
    inspection = inspection_of(round, own_registration)
    data = {"inspection": inspection.pk, "evaluator": evaluator.pk}
    response = login(office_user).post(url("assign_one", round.pk), data, follow=True)
    assert "mô hình do đơn vị của thành viên này chủ trì" in response.content.decode()
    assert not Assignment.objects.exists()


def test_the_assignment_page_offers_only_evaluators_without_a_conflict(
    login, office_user, round, evaluator, own_registration
):
    response = login(office_user).get(url("round_assign", round.pk))
    rows = {
        inspection.registration_id: [pk for pk, _label in form.fields["evaluator"].choices]
        for inspection, form in response.context["rows"]
        if form is not None
    }
    assert evaluator.pk not in rows.get(own_registration.pk, [])
    assert any(evaluator.pk in offered for offered in rows.values())  # offered elsewhere


def test_closing_the_round_shows_the_ratings(
    login, office_user, round, inspection, assignment, second_assignment, criteria
):
    score(assignment, points_totalling(criteria, 95))
    score(second_assignment, points_totalling(criteria, 86))
    response = login(office_user).post(url("round_close", round.pk), follow=True)
    content = response.content.decode()
    assert "Đã kết thúc đợt" in content
    assert "Xuất sắc: 1" in content
    assert "90,5" in content
    assert "từ 86 đến 95" in content


# Documents and exports ------------------------------------------------------------------------


@pytest.fixture
def scored(inspection, assignment, second_assignment, criteria, unit_officer):
    services.self_assessment_save(
        actor=unit_officer,
        inspection=inspection,
        points=points(criteria),
        narrative="Đã hướng dẫn 300 lượt người dân.",
    )
    score(
        assignment,
        points_totalling(criteria, 84),
        findings="Cần nhân rộng ra các tổ dân phố.",
        comments={criteria[0].pk: "Tên gọi chưa ngắn gọn."},
        inspected_on=__import__("datetime").date(2025, 6, 20),
    )
    score(second_assignment, points_totalling(criteria, 80))
    return inspection


def test_the_inspection_minutes_print_team_scores_rating_and_signature_lines(
    login, office_user, scored, evaluator, second_evaluator
):
    response = login(office_user).get(url("minutes", scored.pk, "docx"))
    assert response.status_code == 200
    assert "Bi%C3%AAn%20b%E1%BA%A3n%20ki%E1%BB%83m%20tra" in response["Content-Disposition"]
    text = "\n".join(docx_lines(response.content))
    assert "BIÊN BẢN" in text
    assert "Kiểm tra, đánh giá mô hình “Dân vận khéo” trong cải cách hành chính" in text
    assert "“Mô hình" not in text
    assert "ngày 20 tháng 06 năm 2025" in text
    assert "Phổ Minh, ngày 20 tháng 6 năm 2025" in text
    assert evaluator.full_name in text
    assert second_evaluator.full_name in text
    assert "Tổng điểm bình quân: 82/100 điểm; chênh lệch giữa các thành viên: 4 điểm" in text
    assert "Xếp loại: Tốt" in text
    assert "Cần nhân rộng ra các tổ dân phố." in text
    assert "Tên gọi chưa ngắn gọn." in text
    assert "Đơn vị tự đánh giá: 100/100 điểm" in text
    assert "Ký tên" in text
    assert "TRƯỞNG ĐOÀN" in text


def test_the_minutes_print_as_pdf_too(login, office_user, evaluator, round, scored):
    services.round_close(actor=office_user, round=round)
    response = login(evaluator).get(url("minutes", scored.pk, "pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page) for page in pdf_pages(response.content))
    assert "BIÊN BẢN" in text
    assert "Xếp loại: Tốt" in text


def test_the_round_exports_every_score_to_excel(
    login, office_user, round, scored, criteria, evaluator
):
    response = login(office_user).get(url("round_export", round.pk))
    content = _content(response)
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    header = rows[0]
    assert header[:5] == (
        "Mã mô hình",
        "Tên mô hình",
        "Đơn vị chủ trì",
        "Lĩnh vực",
        "Thành viên chấm",
    )
    assert header[5 : 5 + len(criteria)] == tuple(c.title for c in criteria)
    assert header[-4:] == (
        "Tổng điểm (thang 100)",
        "Bình quân của mô hình",
        "Chênh lệch",
        "Xếp loại",
    )
    mine = next(row for row in rows[1:] if row[4] == evaluator.full_name)
    assert mine[0] == scored.registration.code
    assert mine[-4:] == (84, 82, 4, "Tốt")
    assert len(rows) == 1 + 2


def test_a_large_rounds_scores_are_exported_in_the_background(
    login, office_user, round, scored, settings, django_capture_on_commit_callbacks
):
    settings.LONG_EXPORT_ROWS = 1  # the round has two score rows
    client = login(office_user)
    page = client.get(url("round", round.pk)).content.decode()
    assert url("round_export_job", round.pk) in page
    assert f'href="{url("round_export", round.pk)}"' not in page
    response = client.get(url("round_export", round.pk), follow=True)
    assert response.redirect_chain == [(url("round", round.pk), 302)]
    assert "Đợt có hơn 1 lượt chấm nên bảng điểm được xuất trong nền" in response.content.decode()
    assert not Job.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("round_export_job", round.pk))
    assert response.url == reverse("jobs:list")
    job = Job.objects.get()
    assert (job.status, job.owner, job.done, job.total) == (Job.Status.DONE, office_user, 2, 2)
    with job.result.open("rb") as stored:
        rows = list(load_workbook(stored, read_only=True).active.iter_rows(values_only=True))
    assert rows[0][0] == "Mã mô hình"
    assert sorted(row[0] for row in rows[1:]) == [scored.registration.code] * 2
    assert job.result_name == exports.round_scores_filename(round)


def test_a_small_rounds_page_links_its_export_directly(login, office_user, round, scored):
    page = login(office_user).get(url("round", round.pk)).content.decode()
    assert f'href="{url("round_export", round.pk)}"' in page
    assert url("round_export_job", round.pk) not in page


def test_the_round_export_writes_formulas_and_control_characters_as_plain_text(
    login, office_user, round, scored, criteria
):
    Registration.objects.filter(pk=scored.registration_id).update(name="=1+1\x07 mô hình")
    criteria[0].__class__.objects.filter(pk=criteria[0].pk).update(title="@SUM(A1)")
    Round.objects.filter(pk=round.pk).update(name="Đợt [1]: 6/2025\x1b")
    response = login(office_user).get(url("round_export", round.pk))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(_content(response)))
    sheet = workbook.active
    assert sheet.title == "Đợt -1-- 6-2025\ufffd"
    assert (sheet["F1"].value, sheet["F1"].data_type) == ("@SUM(A1)", "s")
    assert (sheet["B2"].value, sheet["B2"].data_type) == ("=1+1\ufffd mô hình", "s")
    assert sheet["B2"].quotePrefix


def test_the_results_page_counts_ratings_by_field_and_unit(
    login, office_user, chairman, round, scored
):
    services.round_close(actor=office_user, round=round)
    content = login(chairman).get(url("results", round.campaign_id)).content.decode()
    assert "Theo lĩnh vực" in content
    assert "Theo đơn vị" in content
    assert "Ủy ban MTTQ Việt Nam phường" in content
    assert "Kinh tế" in content


def test_a_rounds_ratings_are_counted_by_field_unit_and_group_of_units(
    office_user, round, registration, own_registration, second_evaluator, criteria, campaign,
    unit, other_unit, org,
):  # fmt: skip
    group = UnitGroup.objects.create(organization=org, name="Khu dân cư số 1", position=1)
    Unit.objects.filter(pk=unit.pk).update(group=group)
    unrated = accepted(campaign, unit, name="Mô hình chưa chấm")
    services.round_scope_sync(actor=office_user, round=round)
    for model, total in ((registration, 95), (own_registration, 60)):
        sheet = services.assignment_create(
            actor=office_user, inspection=inspection_of(round, model), evaluator=second_evaluator
        )
        score(sheet, points_totalling(criteria, total))
    bands = selectors.bands_of(campaign.pk)
    result = selectors.rating_distribution(round=round, bands=bands)
    by_unit = {row.label: (row.counts, row.unrated) for row in result.by_unit}
    assert [row.label for row in result.by_unit] == sorted(by_unit)
    mttq, hpn = by_unit[unit.name], by_unit[other_unit.name]
    assert (sum(mttq[0]), mttq[1]) == (1, 1)  # one rated, one not yet
    assert (sum(hpn[0]), hpn[1]) == (1, 0)
    assert mttq[0] != hpn[0]  # 95 and 60 points: two different bands
    by_group = {row.label: (row.counts, row.unrated) for row in result.by_group}
    assert by_group == {"Khu dân cư số 1": mttq, "Chưa xếp nhóm": hpn}
    assert sum(row.total for row in result.by_field) == 3
    assert result.totals.total == 3
    assert result.totals.unrated == 1
    assert unrated.field.name in {row.label for row in result.by_field}


def test_the_registration_partial_shows_the_trajectory(office_user, round, scored):
    services.round_close(actor=office_user, round=round)
    content = render_to_string(
        "evaluations/_registration_results.html",
        {"evaluation_rounds": selectors.registration_rounds(scored.registration, user=office_user)},
    )
    assert round.name in content
    assert "82" in content
    assert "Tốt" in content
    assert "2 thành viên, từ 80 đến 84" in content


def test_the_inspection_page_hides_other_evaluators_scores_while_the_round_is_open(
    login, evaluator, office_user, scored, second_evaluator
):
    content = login(evaluator).get(url("inspection", scored.pk)).content.decode()
    assert second_evaluator.full_name not in content
    content = login(office_user).get(url("inspection", scored.pk)).content.decode()
    assert second_evaluator.full_name in content
    assert "Kết quả tạm tính" in content


def test_the_unit_sees_its_results_once_the_round_has_closed(
    login, unit_officer, office_user, round, scored, evaluator
):
    client = login(unit_officer)
    assert evaluator.full_name not in client.get(url("inspection", scored.pk)).content.decode()
    services.round_close(actor=office_user, round=round)
    content = client.get(url("inspection", scored.pk)).content.decode()
    assert evaluator.full_name in content
    assert "Tốt" in content


def test_the_unit_self_assesses_from_its_page(login, unit_officer, inspection, criteria):
    data = form_data(criteria, points(criteria, 4), narrative="Kết quả tốt.", evidence="Ảnh.")
    response = login(unit_officer).post(url("self_assessment", inspection.pk), data, follow=True)
    assert "Đã gửi bản tự đánh giá." in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.self_total == 99


def test_a_self_assessment_without_narrative_says_so(login, unit_officer, inspection, criteria):
    data = form_data(criteria, points(criteria), narrative="")
    content = login(unit_officer).post(url("self_assessment", inspection.pk), data).content.decode()
    assert "Hãy viết vài dòng tự đánh giá kết quả thực hiện." in content


def test_a_half_written_self_assessment_is_kept_as_typed_and_shown_to_nobody_until_sent(
    login, unit_officer, evaluator, assignment, inspection, criteria
):
    client = login(unit_officer)
    first = criteria[0]
    data = {
        f"points_{first.pk}": "mười",  # wrong, but kept: said when sent
        f"comment_{first.pk}": "Có biển tên.",
        "narrative": "Đơn vị đã hướng dẫn 300 lượt người dân, còn viết tiếp.",
        "draft": "1",
    }
    response = client.post(url("self_assessment", inspection.pk), data, follow=True)
    content = response.content.decode()
    assert response.redirect_chain[-1][0] == url("self_assessment", inspection.pk)
    assert "Đã lưu nháp bản tự đánh giá mô hình" in content
    assert "Bản tự đánh giá đang soạn dở" in content
    assert 'value="mười"' in content
    assert "Có biển tên." in content
    assert "còn viết tiếp." in content
    saved = Inspection.objects.get(pk=inspection.pk)
    assert saved.self_submitted_at is None
    assert saved.self_total_hundredths is None
    assert not saved.self_scores.exists()
    assert "Đang soạn dở" in client.get(url("home")).content.decode()
    seen = login(evaluator).get(url("inspection", inspection.pk)).content.decode()
    assert "còn viết tiếp." not in seen
    assert "Đơn vị chưa tự đánh giá." in seen

    full = form_data(criteria, points(criteria, 4), narrative="Kết quả tốt.")
    client.post(url("self_assessment", inspection.pk), full)
    saved = Inspection.objects.get(pk=inspection.pk)
    assert saved.self_total == 99
    assert saved.self_draft == {}
    assert "Bản tự đánh giá đang soạn dở" not in (
        client.get(url("self_assessment", inspection.pk)).content.decode()
    )


def test_a_draft_of_a_sent_self_assessment_leaves_what_was_sent_as_it_was(
    login, unit_officer, evaluator, assignment, inspection, criteria
):
    client = login(unit_officer)
    sent = form_data(criteria, points(criteria, 4), narrative="Bản đã gửi.")
    client.post(url("self_assessment", inspection.pk), sent)
    data = {f"points_{criteria[0].pk}": "1", "narrative": "Bản đang sửa.", "draft": "1"}
    client.post(url("self_assessment", inspection.pk), data)
    saved = Inspection.objects.get(pk=inspection.pk)
    assert saved.self_total == 99
    assert saved.self_narrative == "Bản đã gửi."
    assert "Bản đang sửa." in client.get(url("self_assessment", inspection.pk)).content.decode()
    seen = login(evaluator).get(url("inspection", inspection.pk)).content.decode()
    assert "Bản đã gửi." in seen
    assert "Bản đang sửa." not in seen


def test_a_draft_keeps_a_long_narrative_whole_and_a_box_emptied_stays_empty(
    login, unit_officer, inspection, criteria
):
    client = login(unit_officer)
    first = criteria[0]
    sent = form_data(criteria, points(criteria), narrative="Bản đã gửi.")
    sent[f"comment_{first.pk}"] = "Giải trình đã gửi."
    client.post(url("self_assessment", inspection.pk), sent)
    long_narrative = "Đơn vị đã tổ chức nhiều hoạt động. " * 450  # 15,750 characters
    draft = dict(sent, narrative=long_narrative, draft="1")
    draft[f"comment_{first.pk}"] = ""  # emptied since it was sent
    client.post(url("self_assessment", inspection.pk), draft)
    form = client.get(url("self_assessment", inspection.pk)).context["form"]
    assert form[f"comment_{first.pk}"].value() == ""
    assert form["narrative"].value() == long_narrative
    assert Inspection.objects.get(pk=inspection.pk).self_narrative == "Bản đã gửi."


def test_files_chosen_with_a_self_assessment_draft_are_said_not_to_be_kept(
    login, unit_officer, inspection
):
    from tests.models_registry.test_views import png

    data = {"narrative": "Viết dở.", "files": [png("hien-truong.png")], "draft": "1"}
    response = login(unit_officer).post(url("self_assessment", inspection.pk), data, follow=True)
    assert "Tệp đã chọn chưa được lưu theo bản nháp" in response.content.decode()
    assert not inspection.self_files.exists()


def test_a_self_assessment_draft_in_a_closed_round_is_refused_and_nothing_is_kept(
    login, office_user, unit_officer, round, inspection
):
    services.round_close(actor=office_user, round=round)
    data = {"narrative": "Viết dở.", "draft": "1"}
    login(unit_officer).post(url("self_assessment", inspection.pk), data, follow=True)
    assert Inspection.objects.get(pk=inspection.pk).self_draft == {}


def test_another_unit_cannot_keep_a_draft_of_our_self_assessment(
    login, other_unit_officer, inspection
):
    data = {"narrative": "Viết thay.", "draft": "1"}
    response = login(other_unit_officer).post(url("self_assessment", inspection.pk), data)
    assert response.status_code == 404
    assert Inspection.objects.get(pk=inspection.pk).self_draft == {}


@pytest.mark.parametrize("who", ["evaluator", "office_user", "outsider"])
def test_nobody_but_the_models_unit_keeps_a_draft_of_its_self_assessment(
    request, login, inspection, who
):
    user = request.getfixturevalue(who)
    data = {"narrative": "Viết thay.", "draft": "1"}
    response = login(user).post(url("self_assessment", inspection.pk), data)
    assert response.status_code == 404
    assert Inspection.objects.get(pk=inspection.pk).self_draft == {}


# Recognition ------------------------------------------------------------------------------------


@pytest.fixture
def year_end(office_user, campaign, round, registration, own_registration, evaluator, second_evaluator, criteria):  # fmt: skip
    services.round_close(actor=office_user, round=round)
    year_end = open_round(office_user, campaign, Round.Kind.YEAR_END)
    for registration_, evaluator_, total in (
        (registration, evaluator, 88),
        (own_registration, second_evaluator, 40),
    ):
        assignment = services.assignment_create(
            actor=office_user,
            inspection=inspection_of(year_end, registration_),
            evaluator=evaluator_,
        )
        score(assignment, points_totalling(criteria, total))
    return services.round_close(actor=office_user, round=year_end)


def _recognition_post(context, **changes) -> dict:
    formset = context["formset"]
    data = {
        formset.management_form.add_prefix(k): v for k, v in formset.management_form.initial.items()
    }
    for form in formset.forms:
        data[form.add_prefix("registration")] = form.initial["registration"]
        data[form.add_prefix("decision")] = form.initial["decision"]
        data[form.add_prefix("include")] = "on"
    data.update(changes)
    return data


def test_office_confirms_recognition_in_bulk(
    login, office_user, campaign, year_end, registration, own_registration
):
    client = login(office_user)
    page = client.get(url("recognition", campaign.pk))
    content = page.content.decode()
    assert "Đề xuất: công nhận" in content
    assert "Đề xuất: không công nhận" in content
    response = client.post(
        url("recognition", campaign.pk), _recognition_post(page.context), follow=True
    )
    assert "Đã ghi quyết định cho 2 mô hình." in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == "recognised"
    assert Registration.objects.get(pk=own_registration.pk).status == "not_recognised"


def test_overriding_a_suggestion_without_reason_is_refused_and_kept(
    login, office_user, campaign, year_end, own_registration
):
    client = login(office_user)
    page = client.get(url("recognition", campaign.pk))
    index = next(
        i
        for i, form in enumerate(page.context["formset"].forms)
        if form.initial["registration"] == own_registration.pk
    )
    data = _recognition_post(page.context, **{f"decisions-{index}-decision": "recognised"})
    content = client.post(url("recognition", campaign.pk), data).content.decode()
    assert "Khác với đề xuất theo xếp loại: hãy ghi lý do." in content
    assert Registration.objects.filter(status="accepted").count() == 2
    data[f"decisions-{index}-reason"] = "Kết quả quý IV vượt trội."
    client.post(url("recognition", campaign.pk), data)
    assert Registration.objects.get(pk=own_registration.pk).status == "recognised"


def test_recognition_of_many_models_goes_a_hundred_at_a_time(
    login, office_user, campaign, unit, year_end, registration, own_registration
):
    RegistrationFactory.create_batch(
        RECOGNITION_BATCH, campaign=campaign, unit=unit, status="accepted"
    )
    client = login(office_user)
    page = client.get(url("recognition", campaign.pk))
    assert len(page.context["formset"].forms) == RECOGNITION_BATCH
    assert "Còn 102 mô hình chờ xét; dưới đây là 100 mô hình đầu." in page.content.decode()
    response = client.post(
        url("recognition", campaign.pk), _recognition_post(page.context), follow=True
    )
    assert "Đã ghi quyết định cho 100 mô hình." in response.content.decode()
    assert Registration.objects.filter(campaign=campaign, status="accepted").count() == 2
    assert len(response.context["formset"].forms) == 2
    assert 'data-testid="recognition-batch"' not in response.content.decode()
    assert response.context["decided_count"] == 100


def test_an_evaluator_of_many_models_sees_those_left_to_score_first_and_pages_the_rest(
    login, office_user, campaign, unit, rubric, evaluator
):
    first, *_rest = [
        accepted(campaign, unit, name=f"Mô hình số {index:02d}")
        for index in range(selectors.WORKLIST_LINES + 1)
    ]
    round = open_round(office_user, campaign)
    services.assignments_create(
        actor=office_user,
        round=round,
        inspections=Inspection.objects.filter(round=round),
        evaluators=User.objects.filter(pk=evaluator.pk),
    )
    done = Assignment.objects.get(inspection__registration=first)
    score(done, points(rubric.criteria.all()))
    client = login(evaluator)
    home = client.get(url("home"))
    [group] = home.context["work"]
    assert (group.total, group.scored, len(group.assignments)) == (51, 1, 50)
    assert done not in group.assignments  # the scored one waits below the others
    assert "và 1 mô hình khác: xem tất cả ở trang đợt" in home.content.decode()
    page = client.get(url("round", round.pk))
    assert "Bạn đã chấm 1 / 51" in page.content.decode()
    assert done not in page.context["sheets"].object_list
    last = client.get(url("round", round.pk), {"sheets": 2})
    assert list(last.context["sheets"].object_list) == [done]


def test_a_unit_officer_of_many_models_sees_those_left_to_send_first_and_pages_the_rest(
    login, office_user, unit_officer, campaign, unit, rubric, criteria
):
    first, *_rest = [
        accepted(campaign, unit, name=f"Mô hình số {index:02d}")
        for index in range(selectors.WORKLIST_LINES + 1)
    ]
    round = open_round(office_user, campaign)
    sent = inspection_of(round, first)
    services.self_assessment_save(
        actor=unit_officer, inspection=sent, points=points(criteria), narrative="Đã làm xong."
    )
    client = login(unit_officer)
    home = client.get(url("home"))
    [group] = home.context["self_assessments"]
    assert (group.total, group.sent, len(group.inspections)) == (51, 1, 50)
    assert sent not in group.inspections  # the one sent waits below the others
    assert "1 / 51 đã gửi" in home.content.decode()
    assert "và 1 mô hình khác: xem tất cả" in home.content.decode()
    page = client.get(url("round_self_assessments", round.pk))
    assert "1 / 51 đã gửi" in page.content.decode()
    assert "Mô hình số 01" in page.content.decode()
    assert sent not in page.context["page"].object_list
    last = client.get(url("round_self_assessments", round.pk), {"page": 2})
    assert list(last.context["page"].object_list) == [sent]


def test_a_units_self_assessments_of_a_round_are_its_own_officers_alone(
    login, office_user, unit_officer, other_unit_officer, evaluator, outsider, round,
    registration, own_registration,
):  # fmt: skip
    target = url("round_self_assessments", round.pk)
    mine = login(unit_officer).get(target).content.decode()
    assert registration.name in mine
    assert own_registration.name not in mine
    theirs = login(other_unit_officer).get(target).content.decode()
    assert own_registration.name in theirs  # their own unit's model, and only that
    assert registration.name not in theirs
    for someone in (evaluator, office_user, outsider):
        assert login(someone).get(target).status_code == 404
    services.round_close(actor=office_user, round=round)
    closed = login(unit_officer).get(target).content.decode()
    assert registration.name in closed  # still listed, each to be read as it was sent
    assert "Đã kết thúc" in closed


def test_recognition_waits_for_the_year_end_round(login, office_user, campaign, round):
    content = login(office_user).get(url("recognition", campaign.pk)).content.decode()
    assert "chưa có đợt tổng kết cuối năm" in content


# Query counts: the same for 1 and 3 rows -------------------------------------------------------


def _grow(office_user, campaign, round, evaluators, criteria, count):
    """Add ``count`` accepted models to the round, each scored by every evaluator."""
    for _index in range(count):
        unit = UnitFactory(organization=campaign.organization)
        registration = accepted(campaign, unit)
        services.round_scope_sync(actor=office_user, round=round)
        inspection = inspection_of(round, registration)
        for evaluator in evaluators:
            score(
                services.assignment_create(
                    actor=office_user, inspection=inspection, evaluator=evaluator
                ),
                points(criteria, 3),
            )


@pytest.mark.parametrize(
    ("page", "who"),
    [
        ("home", "office_user"),
        ("home", "evaluator"),
        ("round", "office_user"),
        ("round", "evaluator"),
        ("round_assign", "office_user"),
        ("results", "office_user"),
        ("recognition", "office_user"),
    ],
)
def test_pages_take_as_many_queries_for_three_models_as_for_one(
    request, login, queries_for, office_user, campaign, round, evaluator, second_evaluator, criteria, page, who,
):  # fmt: skip
    user = request.getfixturevalue(who)
    targets = {
        "home": url("home"),
        "round": url("round", round.pk),
        "round_assign": url("round_assign", round.pk),
        "results": url("results", campaign.pk),
        "recognition": url("recognition", campaign.pk),
    }
    if page == "recognition":
        year_end = open_round(office_user, campaign, Round.Kind.YEAR_END)
        services.round_close(actor=office_user, round=year_end)
    client = login(user)
    _grow(office_user, campaign, round, [evaluator, second_evaluator], criteria, 1)
    one = queries_for(client, targets[page])
    _grow(office_user, campaign, round, [evaluator, second_evaluator], criteria, 2)
    assert queries_for(client, targets[page]) == one


@pytest.mark.parametrize("page", ["inspection", "minutes_docx", "score", "self_assessment"])
def test_model_pages_take_as_many_queries_for_three_evaluators_as_for_one(
    login, queries_for, org, office_user, unit_officer, inspection, evaluator, criteria, page
):
    team = [evaluator]
    first = services.assignment_create(
        actor=office_user, inspection=inspection, evaluator=evaluator
    )
    score(first, points(criteria, 2))
    user = {"score": evaluator, "self_assessment": unit_officer}.get(page, office_user)
    target = {
        "inspection": url("inspection", inspection.pk),
        "minutes_docx": url("minutes", inspection.pk, "docx"),
        "score": url("score", first.pk),
        "self_assessment": url("self_assessment", inspection.pk),
    }[page]
    client = login(user)
    one = queries_for(client, target)
    for name in ("Đỗ Văn Bình", "Lý Thị Cúc"):
        extra = member(org, Role.EVALUATOR, unit=UnitFactory(organization=org), full_name=name)
        team.append(extra)
        score(
            services.assignment_create(actor=office_user, inspection=inspection, evaluator=extra),
            points(criteria, 1),
        )
    assert queries_for(client, target) == one


def test_the_export_takes_as_many_queries_for_three_models_as_for_one(
    login, office_user, campaign, round, evaluator, second_evaluator, criteria
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(office_user)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            _content(client.get(url("round_export", round.pk)))
        return len(captured)

    _grow(office_user, campaign, round, [evaluator, second_evaluator], criteria, 1)
    count()
    one = count()
    _grow(office_user, campaign, round, [evaluator, second_evaluator], criteria, 2)
    assert count() == one


def test_the_rubric_page_takes_as_many_queries_for_more_criteria(
    login, queries_for, office_user, campaign, rubric
):
    client = login(office_user)
    one = queries_for(client, url("rubric", campaign.pk))
    rows = [
        {"id": c.pk, "title": c.title, "max_points": c.max_points, "weight": c.weight}
        for c in rubric.criteria.all()
    ] + [{"title": f"Tiêu chí thêm {n}", "max_points": Decimal(5)} for n in range(3)]
    bands = [
        {"name": b.name, "min_score": b.min_score, "passing": b.passing} for b in rubric.bands.all()
    ]
    services.rubric_update(actor=office_user, rubric=rubric, criteria=rows, bands=bands)
    assert queries_for(client, url("rubric", campaign.pk)) == one


def test_a_campaign_of_another_organisation_never_appears(login, outsider, office_user, round):
    theirs = CampaignFactory(organization=outsider.memberships.get().organization, status="issued")
    content = login(outsider).get(url("home")).content.decode()
    assert round.name not in content
    assert theirs.name in content  # positive control: their own campaign is listed
    assert round.name in login(office_user).get(url("home")).content.decode()


def test_an_evaluator_sees_their_own_list_on_a_closed_rounds_page(
    login, office_user, evaluator, round, assignment, criteria
):
    score(assignment, points(criteria))
    services.round_close(actor=office_user, round=round)
    content = login(evaluator).get(url("round", round.pk)).content.decode()
    assert "Bạn đã chấm 1 / 1" in content
    assert "Kết quả xếp loại" not in content  # the ranking is for the office and the leaders


def test_a_unit_officer_finds_the_self_assessments_to_do(login, unit_officer, round, inspection):
    content = login(unit_officer).get(url("home")).content.decode()
    assert "Tự đánh giá của đơn vị" in content
    assert inspection.registration.name in content
    assert "Chưa tự đánh giá" in content


def test_a_round_name_excel_cannot_use_as_a_sheet_name_still_exports(
    login, office_user, round, assignment, criteria
):
    services.round_update(
        actor=office_user,
        round=round,
        data={"name": "Kiểm tra 6/2025: [đợt 1]"},
        expected_version=None,
    )
    score(assignment, points(criteria))
    response = login(office_user).get(url("round_export", round.pk))
    workbook = load_workbook(io.BytesIO(_content(response)), read_only=True)
    assert workbook.sheetnames == ["Kiểm tra 6-2025- -đợt 1-"]
    workbook.close()


def test_the_registration_partial_also_takes_rounds_under_a_section_of_the_callers(
    office_user, round, scored
):
    services.round_close(actor=office_user, round=round)
    content = render_to_string(
        "evaluations/_registration_results.html",
        {"rounds": selectors.registration_rounds(scored.registration), "no_heading": True},
    )
    assert round.name in content
    assert "<h2" not in content
    assert render_to_string("evaluations/_registration_results.html", {}).strip() == ""


def test_a_unit_officers_list_takes_as_many_queries_for_three_models_as_for_one(
    login, queries_for, office_user, unit_officer, campaign, unit, round
):
    client = login(unit_officer)
    one = queries_for(client, url("home"))
    for _index in range(2):
        accepted(campaign, unit)
    services.round_scope_sync(actor=office_user, round=round)
    assert queries_for(client, url("home")) == one


def test_a_units_self_assessments_of_a_round_take_as_many_queries_for_three_models_as_for_one(
    login, queries_for, office_user, unit_officer, campaign, unit, round
):
    client = login(unit_officer)
    one = queries_for(client, url("round_self_assessments", round.pk))
    for _index in range(2):
        accepted(campaign, unit)
    services.round_scope_sync(actor=office_user, round=round)
    assert queries_for(client, url("round_self_assessments", round.pk)) == one


def test_a_registrations_trajectory_takes_two_queries_whatever_the_rounds(
    django_assert_num_queries, office_user, campaign, registration, evaluator, criteria, round
):
    services.round_close(actor=office_user, round=round)
    with django_assert_num_queries(2):
        assert len(selectors.registration_rounds(registration, user=office_user)) == 1
    for kind in (Round.Kind.YEAR_END, Round.Kind.PERIODIC):
        later = open_round(office_user, campaign, kind)
        assignment = services.assignment_create(
            actor=office_user, inspection=inspection_of(later, registration), evaluator=evaluator
        )
        score(assignment, points(criteria))
    with django_assert_num_queries(2):
        assert len(selectors.registration_rounds(registration, user=office_user)) == 3


def test_the_round_progress_lists_units_in_natural_order_with_their_evaluators(
    office_user, campaign, registration, rubric, evaluator, second_evaluator
):
    numbered = [
        accepted(
            campaign, UnitFactory(organization=campaign.organization, name=f"Tổ dân phố số {n}")
        )
        for n in (10, 2)
    ]
    round = open_round(office_user, campaign)
    for model in numbered:
        services.assignment_create(
            actor=office_user, inspection=inspection_of(round, model), evaluator=second_evaluator
        )
    services.assignment_create(
        actor=office_user, inspection=inspection_of(round, registration), evaluator=evaluator
    )
    progress = selectors.round_progress(round=round)
    names = [row["unit_name"] for row in progress["by_unit"]]
    assert names.index("Tổ dân phố số 2") < names.index("Tổ dân phố số 10")
    assert names == sorted(names, key=natural_sort_key)
    by_person = {row["evaluator_id"]: row for row in progress["by_evaluator"]}
    assert by_person[second_evaluator.pk]["assigned"] == 2
    assert by_person[second_evaluator.pk]["evaluator__full_name"] == second_evaluator.full_name
    assert by_person[evaluator.pk]["assigned"] == 1


def test_files_chosen_for_a_refused_self_assessment_are_said_not_to_be_saved(
    login, inspection, unit_officer, criteria
):
    from evaluations.services import points_field
    from tests.models_registry.test_views import png

    first, *rest = criteria
    data = {points_field(c.pk): "1" for c in rest}
    data[points_field(first.pk)] = str(first.max_points + 1)
    data.update(narrative="Đã thực hiện đúng kế hoạch.", files=[png("hien-truong.png")])
    response = login(unit_officer).post(
        reverse("evaluations:self_assessment", args=[inspection.pk]), data
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[points_field(first.pk)]
    assert form.errors["files"] == [
        "Tệp đã chọn chưa được lưu vì phiếu còn lỗi; hãy chọn lại tệp trước khi gửi lại."
    ]
    assert "Tệp đã chọn chưa được lưu" in response.content.decode()
    assert not inspection.self_files.exists()


def test_the_minutes_name_and_have_sign_only_the_evaluators_who_scored(
    login, office_user, inspection, assignment, second_assignment, criteria, second_evaluator
):
    score(assignment, points_totalling(criteria, 84))
    text = "\n".join(
        docx_lines(login(office_user).get(url("minutes", inspection.pk, "docx")).content)
    )
    assert assignment.evaluator.full_name in text
    assert second_evaluator.full_name not in text  # assigned, never scored


def test_criterion_means_round_half_up_as_the_total_does(
    inspection, assignment, second_assignment, criteria
):
    from decimal import Decimal

    big = max(criteria, key=lambda criterion: criterion.max_points)
    assert big.max_points >= Decimal("14.25")
    score(assignment, {**points(criteria), big.pk: Decimal("12")})
    score(second_assignment, {**points(criteria), big.pk: Decimal("14.25")})
    sheet = selectors.score_sheet(inspection=inspection)
    assert sheet.criterion_means[big.pk] == Decimal("13.13")  # 13.125, half up


def test_closing_a_round_asks_naming_the_work_left_undone(
    login, office_user, round, inspection, assignment, second_assignment, criteria
):
    import html

    score(assignment, points_totalling(criteria, 84))
    page = login(office_user).get(url("round", round.pk))
    question = page.context["close_question"]
    # Two models in the round, one without a team; one of the two sheets unscored.
    assert question.startswith("Còn 1 mô hình chưa phân công và 1 lượt chấm chưa xong")
    assert f'data-confirm="{html.escape(question)}"' in page.content.decode()
    score(second_assignment, points_totalling(criteria, 80))
    other = services.assignment_create(
        actor=office_user,
        inspection=round.inspections.exclude(pk=inspection.pk).get(),
        evaluator=second_assignment.evaluator,
    )
    question = login(office_user).get(url("round", round.pk)).context["close_question"]
    assert question.startswith("Còn 0 mô hình chưa phân công và 1 lượt chấm chưa xong")
    score(other, points_totalling(criteria, 70))
    question = login(office_user).get(url("round", round.pk)).context["close_question"]
    assert question == "Kết thúc đợt? Sau khi kết thúc, điểm không sửa được nữa."
