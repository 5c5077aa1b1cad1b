import os

import pytest

from tests.conftest import chromium_path

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        reason = "Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; CI must run the browser tests")
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    # A loaded CI machine can take more than Playwright's default 5 s to answer a POST.
    expect.set_options(timeout=15_000)

    # Playwright's sync API runs an event loop in this thread; the tests still use the ORM.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch(sync_playwright, path)
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def _launch(sync_playwright, path):
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield _WithoutAnimations(launched)
        launched.close()


class _WithoutAnimations:
    """The browser, whose pages ask for reduced motion: Bootstrap then opens a collapsing
    form at once, so a click never lands while it is still sliding open."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        return self._browser.new_context(**{"reduced_motion": "reduce", **options})

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture
def phone(browser, live_server):
    """A page in a 390 px-wide phone viewport; fails the test on any CSP or script error."""
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="en-US")
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()
    assert not errors, errors


def fits_the_screen(page) -> bool:
    """Nothing sticks out sideways: the page does not scroll horizontally.

    Measured once the page has its stylesheets and fonts: a layout asked for while
    a stylesheet is still loading is laid out without it, and is wider than the page.
    """
    page.wait_for_load_state("load")
    return page.evaluate(
        "document.fonts.ready.then(() => document.documentElement.scrollWidth <= window.innerWidth)"
    )


def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
