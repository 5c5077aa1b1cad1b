import pytest
from django.urls import reverse

from awards.models import Award
from danvan.workflow import StaleEdit
from reports import services
from reports.documents import draft_document, review_statistics
from reports.models import ReviewReport
from tests.documents.text import docx_lines, pdf_pages
from tests.factories import ItemFactory, SectionFactory
from tests.reports.conftest import build_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(org, office_user, chairman, office_evaluator):
    world = build_year(org, office_user, chairman, office_evaluator, n=3)
    aims = SectionFactory(campaign=world.campaign, position=0, title="MỤC ĐÍCH, YÊU CẦU")
    ItemFactory(section=aims, position=0, lead="Mục đích:", text="Phát huy vai trò của Nhân dân.")
    ItemFactory(section=aims, position=1, text="Mỗi đơn vị có ít nhất một mô hình.")
    return world


@pytest.fixture
def report(year, office_user):
    return services.review_report_start(
        actor=office_user, campaign=year.campaign, kind=ReviewReport.Kind.YEAR_END
    )


def download(client, report, fmt) -> bytes:
    response = client.get(reverse("reports:download", args=[report.pk, fmt]))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_new_report_is_prefilled_from_the_plans_aims(report, year):
    assert report.subject == "Tổng kết năm 2025 phong trào thi đua “Dân vận khéo”"
    assert report.situation.splitlines() == [
        "Mục đích: Phát huy vai trò của Nhân dân.",
        "Mỗi đơn vị có ít nhất một mô hình.",
    ]


def test_starting_twice_returns_the_same_draft(report, year, office_user):
    again = services.review_report_start(
        actor=office_user, campaign=year.campaign, kind=ReviewReport.Kind.YEAR_END
    )
    assert again.pk == report.pk


def test_the_office_edits_the_draft_and_an_older_version_is_refused(report, office_user, login):
    client = login(office_user)
    page = reverse("reports:report", args=[report.pk])
    data = {
        "subject": report.subject,
        "situation": "Tình hình mới.",
        "results": "Kết quả nổi bật.",
        "shortcomings": "Một số đơn vị gửi đăng ký chậm.",
        "tasks_ahead": "Nhân rộng mô hình.",
        "recipients": "Lưu: VT.",
        "version": report.version,
    }
    assert client.post(page, data).status_code == 302
    report.refresh_from_db()
    assert report.shortcomings == "Một số đơn vị gửi đăng ký chậm."
    stale = client.post(page, {**data, "shortcomings": "Bản cũ"})
    assert stale.status_code == 200
    assert "vừa được người khác sửa" in stale.content.decode()
    assert "Bản cũ" in stale.content.decode()  # what was typed stays in the form
    report.refresh_from_db()
    assert report.shortcomings == "Một số đơn vị gửi đăng ký chậm."
    with pytest.raises(StaleEdit):
        services.review_report_update(
            actor=office_user, report=report, data={}, expected_version=report.version - 1
        )


def test_statistics_match_the_data_and_totals_add_up(report, year):
    stats = review_statistics(year.campaign, report.kind)
    assert stats.totals.registered == 4  # three accepted, one submitted (the draft is not sent)
    assert stats.totals.accepted == 3
    assert sum(line.registered for line in stats.by_field) == stats.totals.registered
    assert sum(line.registered for line in stats.by_unit) == stats.totals.registered
    assert sum(line.accepted for line in stats.by_unit) == stats.totals.accepted
    awards = Award.objects.filter(decision=year.decision)
    assert stats.totals.awards == awards.count() == 3
    assert stats.totals.amount == year.decision.total_vnd
    assert sum(row.amount_total for row in stats.awards_by_form) == year.decision.total_vnd
    assert sum(row.amount_total for row in stats.awards_by_kind) == year.decision.total_vnd
    [ratings] = stats.ratings
    assert ratings.round == year.round
    assert sum(row.total for row in ratings.rows) == 3
    assert stats.previous is None


def test_the_draft_docx_and_pdf_carry_the_figures(report, year, office_user, login):
    client = login(office_user)
    total = f"{year.decision.total_vnd:,}".replace(",", ".")
    lines = docx_lines(download(client, report, "docx"))
    assert "BÁO CÁO" in lines
    assert "DỰ THẢO" in " ".join(lines)
    assert "Tổng kết năm 2025 phong trào thi đua “Dân vận khéo”" in lines
    assert "I. MỤC ĐÍCH, YÊU CẦU VÀ TÌNH HÌNH TRIỂN KHAI" in lines
    assert "Mục đích: Phát huy vai trò của Nhân dân." in lines
    # Models by unit: Tổ dân phố số 1 has two sent (one accepted), the others one each.
    at = lines.index("Tổ dân phố số 1")
    assert lines[at : at + 4] == ["Tổ dân phố số 1", "2", "1", "0"]
    # Every table ends with its totals: models by field and by unit, then awards by form
    # and by kind, whose totals are the decision's.
    totals = [lines[i + 1 : i + 4] for i, line in enumerate(lines) if line == "Tổng cộng"]
    assert len(totals) == 5
    by_field, by_unit, ratings, by_form, by_kind = totals
    assert by_field == by_unit == ["4", "3", "0"]
    assert ratings[0] == "3"
    assert by_form[:2] == by_kind[:2] == ["3", total]
    text = " ".join(" ".join(page) for page in pdf_pages(download(client, report, "pdf")))
    assert "BÁO CÁO" in text
    assert total in text
    assert "KẾT QUẢ THỰC HIỆN" in text


def test_comparison_with_last_year(org, office_user, chairman, office_evaluator):
    build_year(org, office_user, chairman, office_evaluator, n=1, year=2024, name="PT 2024")
    current = build_year(org, office_user, chairman, office_evaluator, n=3, year=2025)
    stats = review_statistics(current.campaign, ReviewReport.Kind.YEAR_END)
    assert stats.previous.year == 2024
    assert stats.previous_totals.accepted == 1
    assert stats.totals.accepted == 3
    report = services.review_report_start(
        actor=office_user, campaign=current.campaign, kind=ReviewReport.Kind.YEAR_END
    )
    document = draft_document(report)
    [comparison] = [
        part for part in document.body if getattr(part, "headers", ("",))[0] == "Chỉ tiêu"
    ]
    assert comparison.headers == ("Chỉ tiêu", "2025", "2024", "So sánh")
    assert ("Mô hình được chấp nhận", "3", "1", "tăng 2") in comparison.rows


def test_the_chairman_issues_the_report_numbered_bc(report, chairman, office_user, login):
    client = login(chairman)
    response = client.post(reverse("reports:issue", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    document = report.issued_document
    assert document.kind == "BC"
    assert document.number_symbol == "01/BC-UBND"
    lines = docx_lines(download(client, report, "docx"))
    assert "Số: 01/BC-UBND" in lines
    assert "TM. ỦY BAN NHÂN DÂN" in lines
    assert "Lê Duy Bảo" in lines
    # Its page shows the number and who signed, to the signer and to the office.
    for user in (chairman, office_user):
        page = login(user).get(reverse("reports:report", args=[report.pk]))
        assert page.status_code == 200
        content = page.content.decode()
        assert "Báo cáo số 01/BC-UBND" in content
        assert 'data-testid="document-signatures"' in content
        assert "Lê Duy Bảo" in content
    # An issued report never changes.
    edit = login(office_user).post(
        reverse("reports:report", args=[report.pk]),
        {"subject": "Khác", "version": report.version},
    )
    assert edit.status_code == 404
    report.refresh_from_db()
    assert report.subject != "Khác"


def test_the_office_sends_the_draft_to_the_signers_who_find_it_among_their_work(
    report, chairman, office_user, unit_officer, login
):
    from notifications.models import Kind, Notification

    home = login(chairman).get(reverse("home")).content.decode()
    assert "Báo cáo sơ kết, tổng kết chờ ký ban hành" not in home
    office = login(office_user)
    page = office.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "Trình ký" in page
    office.post(reverse("reports:send_for_signature", args=[report.pk]))
    office.post(reverse("reports:send_for_signature", args=[report.pk]))  # a second click
    report.refresh_from_db()
    assert report.sent_for_signature_at is not None
    told = Notification.objects.get(kind=Kind.REPORT_FOR_SIGNATURE)
    assert told.recipient == chairman
    assert told.url == reverse("reports:report", args=[report.pk])
    home = login(chairman).get(reverse("home")).content.decode()
    assert "Báo cáo sơ kết, tổng kết chờ ký ban hành" in home
    assert reverse("reports:report", args=[report.pk]) in home
    # Only the office sends it; once issued, it is nobody's work any more.
    assert (
        login(unit_officer)
        .post(reverse("reports:send_for_signature", args=[report.pk]))
        .status_code
        == 404
    )
    login(chairman).post(reverse("reports:issue", args=[report.pk]))
    home = login(chairman).get(reverse("home")).content.decode()
    assert "Báo cáo sơ kết, tổng kết chờ ký ban hành" not in home
    assert office.post(reverse("reports:send_for_signature", args=[report.pk])).status_code == 404


def test_office_cannot_sign_and_units_and_outsiders_see_nothing(
    report, office_user, unit_officer, outsider, login
):
    assert login(office_user).post(reverse("reports:issue", args=[report.pk])).status_code == 404
    for user in (unit_officer, outsider):
        client = login(user)
        assert client.get(reverse("reports:report", args=[report.pk])).status_code == 404
        assert client.get(reverse("reports:download", args=[report.pk, "docx"])).status_code == 404
    report.refresh_from_db()
    assert report.issued_document_id is None


def test_report_page_query_count_does_not_grow_with_rows(
    org, office_user, chairman, office_evaluator, login, queries_for
):
    one = build_year(org, office_user, chairman, office_evaluator, n=1)
    three = build_year(org, office_user, chairman, office_evaluator, n=3, name="PT")
    pages = []
    for world in (one, three):
        report = services.review_report_start(
            actor=office_user, campaign=world.campaign, kind=ReviewReport.Kind.MID_YEAR
        )
        pages.append(reverse("reports:report", args=[report.pk]))
    client = login(office_user)
    assert queries_for(client, pages[0]) == queries_for(client, pages[1])


def test_the_final_review_of_a_stage_counts_every_year_of_the_stage(
    org, office_user, chairman, office_evaluator, login
):
    from tests.factories import CampaignFactory

    stage = CampaignFactory(
        organization=org, year=2025, end_year=2026, kind="stage", status="issued", name="GĐ"
    )
    first = build_year(org, office_user, chairman, office_evaluator, n=1, stage=stage)
    second = build_year(org, office_user, chairman, office_evaluator, n=2, year=2026, stage=stage)
    report = services.review_report_start(
        actor=office_user, campaign=stage, kind=ReviewReport.Kind.YEAR_END
    )
    assert (
        report.subject == "Tổng kết giai đoạn phong trào thi đua “Dân vận khéo” giai đoạn 2025–2026"
    )
    statistics = review_statistics(stage, report.kind)
    each_year = [
        review_statistics(world.campaign, ReviewReport.Kind.YEAR_END).totals
        for world in (first, second)
    ]
    assert statistics.totals.registered == sum(t.registered for t in each_year) > 0
    assert statistics.totals.accepted == sum(t.accepted for t in each_year)
    assert statistics.totals.awards == sum(t.awards for t in each_year)
    assert statistics.totals.amount == sum(t.amount for t in each_year)
    # Each year's round is named once with its year, not "… 2025 (2025)".
    client = login(office_user)
    lines = docx_lines(download(client, report, "docx"))
    assert "Tổng kết cuối năm 2025:" in lines
    assert not any("2025 (2025)" in line for line in lines)
    progress = client.get(reverse("reports:progress", args=[stage.pk])).content.decode()
    assert "Tổng kết cuối năm 2026" in progress
    assert "2026 (2026)" not in progress
