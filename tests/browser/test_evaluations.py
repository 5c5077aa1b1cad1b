import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from evaluations import selectors, services
from tests.browser.conftest import PHONE, fits_the_screen, log_in
from tests.evaluations.factories import accepted, inspection_of, open_round
from tests.factories import PASSWORD, CampaignFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Points typed on the phone for the nine default criteria (maxima 5, 5, 10, 5, 15, 20, 15, 15, 10).
GOOD = ["5", "5", "9", "5", "14", "18", "14", "13", "9"]  # 92: Xuất sắc
FAIR = ["4", "4", "7", "4", "11", "14", "11", "10", "7,5"]  # 72,5: Khá


@pytest.fixture
def world(org, unit, office_user, evaluator):
    campaign = CampaignFactory(organization=org, year=2025, status="issued")
    first = accepted(campaign, unit, name="Mô hình “Bữa cơm nghĩa tình”")
    second = accepted(campaign, unit, name="Mô hình “Ngõ xóm sáng – xanh – sạch”")
    services.rubric_seed_default(actor=office_user, campaign=campaign)
    round = open_round(office_user, campaign)
    for registration in (first, second):
        services.assignment_create(
            actor=office_user, inspection=inspection_of(round, registration), evaluator=evaluator
        )
    return {"campaign": campaign, "round": round, "first": first, "second": second}


def _fill(page, criteria, values):
    for criterion, value in zip(criteria, values, strict=True):
        page.get_by_label(criterion.title).fill(value)


def test_an_evaluator_scores_two_models_on_a_phone_then_the_office_closes_the_round(
    browser, live_server, world, evaluator, office_user
):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    criteria = selectors.criteria_of(world["campaign"].pk)

    # Chị Mai, on site with her phone.
    log_in(page, evaluator.username, PASSWORD)
    page.get_by_role("button", name="Mở menu").click()
    page.get_by_role("link", name="Kiểm tra, đánh giá").click()
    expect(page.get_by_role("heading", name="2 mô hình cần chấm")).to_be_visible()
    assert fits_the_screen(page)

    page.get_by_role("link", name=re.compile("Bữa cơm nghĩa tình")).click()
    assert fits_the_screen(page)
    wrong = list(GOOD)
    wrong[0] = "12"  # above the maximum of 5
    _fill(page, criteria, wrong)
    page.get_by_label("Nhận xét chung, kiến nghị").fill("Mô hình thiết thực, nên nhân rộng.")
    page.get_by_role("button", name="Lưu điểm").click()
    expect(page.get_by_text("Điểm phải từ 0 đến 5 (điểm tối đa của tiêu chí).")).to_be_visible()
    expect(page.get_by_test_id("form-errors")).to_contain_text("Chưa lưu: có 1 ô cần sửa")
    expect(page.get_by_label(criteria[1].title)).to_have_value("5")  # the rest is kept
    expect(page.get_by_label("Nhận xét chung, kiến nghị")).to_have_value(
        "Mô hình thiết thực, nên nhân rộng."
    )
    page.get_by_label(criteria[0].title).fill("5")
    page.get_by_role("button", name="Lưu điểm").click()
    expect(page.get_by_text("Đã lưu điểm mô hình")).to_contain_text("92/100")
    expect(page.get_by_role("heading", name="1 mô hình cần chấm")).to_be_visible()

    page.get_by_role("link", name=re.compile("Ngõ xóm sáng")).click()
    _fill(page, criteria, FAIR)
    page.get_by_role("button", name="Lưu điểm").click()
    expect(page.get_by_text("Đã lưu điểm mô hình")).to_contain_text("72,5/100")
    expect(page.get_by_text("2 / 2 đã chấm")).to_be_visible()
    assert fits_the_screen(page)
    context.close()

    # Chị Lan closes the round; the ratings appear.
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    log_in(page, office_user.username, PASSWORD)
    page.goto(f"/evaluations/rounds/{world['round'].pk}/")
    expect(page.get_by_test_id("scored-progress")).to_have_text("2 / 2")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Kết thúc đợt").click()
    expect(page.get_by_text("Đã kết thúc đợt; kết quả xếp loại đã chốt.")).to_be_visible()
    expect(page.get_by_test_id("round-status").first).to_have_text("Đã kết thúc")
    rows = page.get_by_test_id("result-row")
    expect(rows.filter(has_text="Bữa cơm nghĩa tình")).to_contain_text("Xuất sắc")
    expect(rows.filter(has_text="Ngõ xóm sáng")).to_contain_text("Khá")
    assert fits_the_screen(page)

    if "evaluations/_registration_results.html" in _registration_template():
        page.goto(f"/registrations/{world['first'].pk}/")
        expect(page.get_by_test_id("evaluation-round")).to_contain_text("Xuất sắc")
        expect(page.get_by_test_id("evaluation-mean")).to_have_text("92")
        page.goto(f"/registrations/{world['second'].pk}/")
        expect(page.get_by_test_id("evaluation-round")).to_contain_text("Khá")
    context.close()
    assert not errors, errors


def _registration_template() -> str:
    """The registration page shows the results once it includes the evaluations partial."""
    path = Path(__file__).resolve().parents[2] / "templates/models_registry/detail.html"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_a_unit_officer_keeps_a_half_written_self_assessment_on_a_phone_and_sends_it_later(
    browser, live_server, world, unit_officer
):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    criteria = selectors.criteria_of(world["campaign"].pk)
    inspection = inspection_of(world["round"], world["first"])

    log_in(page, unit_officer.username, PASSWORD)
    page.goto(f"/evaluations/inspections/{inspection.pk}/self/")
    _fill(page, criteria[:2], GOOD[:2])
    page.get_by_label("Báo cáo tự đánh giá").fill("Đã tổ chức 12 bữa cơm cho hộ khó khăn;")
    page.get_by_role("button", name="Lưu nháp, viết tiếp sau").click()
    expect(page.get_by_test_id("self-draft")).to_contain_text("Bản tự đánh giá đang soạn dở")
    assert fits_the_screen(page)
    context.close()

    # Later, on another phone: everything typed is there; she finishes and sends it.
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    log_in(page, unit_officer.username, PASSWORD)
    page.goto("/evaluations/")
    expect(page.get_by_text("Đang soạn dở")).to_be_visible()
    page.get_by_role("link", name=re.compile("Bữa cơm nghĩa tình")).click()
    expect(page.get_by_label(criteria[1].title)).to_have_value(GOOD[1])
    narrative = page.get_by_label("Báo cáo tự đánh giá")
    expect(narrative).to_have_value("Đã tổ chức 12 bữa cơm cho hộ khó khăn;")
    narrative.press("Control+End")
    narrative.type(" 40 hộ được giúp đỡ.")
    _fill(page, criteria, GOOD)
    page.get_by_role("button", name="Gửi tự đánh giá").click()
    expect(page.get_by_text("Đã gửi bản tự đánh giá.")).to_be_visible()
    context.close()
    inspection.refresh_from_db()
    assert inspection.self_total == 92
    assert inspection.self_narrative.endswith("hộ khó khăn; 40 hộ được giúp đỡ.")
    assert inspection.self_draft == {}
