"""axe-core on every page shape of the portal, as each role that may open it, at 390 px:
no serious or critical violation. The pages are those the permission table gives each
role a 200 for, with the demo's objects (tests/permissions)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import PHONE, log_in
from tests.permissions.expected import EXPECTED
from tests.permissions.test_matrix import _url
from tests.permissions.world import ROLES, Objects, seed_world, url_patterns

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Files, machine-readable answers and pages that only redirect are not pages to read.
NOT_PAGES = ("api:", "admin:", "documents:css", "health", "favicon.ico", "set_language")
DEMO_PASSWORD = "demo@2024"


def is_file(pattern) -> bool:
    """A download (a document, an export, an evidence file), not a page."""
    last = pattern.route.rstrip("/").rsplit("/", 1)[-1]
    return "." in last or pattern.name.endswith(
        ("download", ":evidence", "self_file", "submission", "certificate")
    )


def serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(str(node["target"][0]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("role", ["viewer", "officer", "evaluator", "office", "chairman"])
def test_every_page_a_role_opens_has_no_serious_accessibility_violation(browser, live_server, role):
    seed_world()
    world = Objects()
    column = list(ROLES).index(role)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    log_in(page, ROLES[role], DEMO_PASSWORD)
    found, visited = {}, 0
    for pattern in url_patterns():
        if pattern.name.startswith(NOT_PAGES) or is_file(pattern):
            continue
        if EXPECTED[pattern.name].split()[column] != "200":
            continue
        response = page.goto(_url(pattern, world.kwargs(pattern)))
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        visited += 1
        problems = serious(page)
        if problems:
            found[pattern.name] = problems
    context.close()
    assert visited >= 10
    assert found == {}
