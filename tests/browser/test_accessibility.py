"""axe-core (from the axe-playwright-python package) on the progress page and the review
report, at 390 px, as the office and as the chairman: no serious or critical violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from reports import services
from reports.models import ReviewReport
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, member
from tests.reports.conftest import build_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_progress_and_report_pages_have_no_serious_accessibility_violation(
    browser, live_server, org, office_user, chairman
):
    evaluator = member(org, "evaluator", full_name="Phạm Thị Mai")
    world = build_year(org, office_user, chairman, evaluator, n=2)
    report = services.review_report_start(
        actor=office_user, campaign=world.campaign, kind=ReviewReport.Kind.YEAR_END
    )
    pages = [
        reverse("reports:progress", args=[world.campaign.pk]),
        reverse("reports:report", args=[report.pk]),
    ]
    found = {}
    for user in (office_user, chairman):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 390, "height": 844}
        )
        page = context.new_page()
        log_in(page, user.username, PASSWORD)
        for url in pages:
            page.goto(url)
            problems = serious(page)
            if problems:
                found[(user.full_name, url)] = problems
        context.close()
    assert found == {}
