import io
import os
import shutil

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from danvan.accounts.models import Membership
from tests.factories import OrganizationFactory, UnitFactory, member

Role = Membership.Role


TEST_SETTINGS = {
    # No signing keys unless a test configures its own (the demo's live under var/).
    "SIGNING_KEYS_DIR": None,
    "SIGNING_TRUST_DIR": None,
    "SIGNING_TIMESTAMP_URL": "",
    # Hashing strength is not under test; a fast hasher keeps the suite quick.
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
}


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for name, value in TEST_SETTINGS.items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Reference rows that migrations create (award rules, citations). Tests that run in
    real transactions empty every table afterwards, so put them back for the next ones."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from awards.migrations._reference import ensure_reference
    from danvan.documents.migrations._citations import ensure_citations

    ensure_reference()
    ensure_citations()


DEMO_PASSWORD = "thu-nghiem-1"


@pytest.fixture(scope="module")
def _demo_of_the_module(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, **TEST_SETTINGS),
        transaction.atomic(),
    ):
        out = io.StringIO()
        call_command("seed_demo", "--password", DEMO_PASSWORD, stdout=out)
        yield out.getvalue(), media
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_of_the_module, db, settings):
    """What ``seed_demo --password thu-nghiem-1`` printed, and the demo it made: seeded
    once per test module (a few seconds) and rolled back after the module's last test;
    each test's own changes roll back after it as usual. Only for modules whose tests
    all run in a transaction (no ``transaction=True``): a test of the module that does
    not ask for the demo still sees it once an earlier test has."""
    output, media = _demo_of_the_module
    settings.MEDIA_ROOT = media
    return output


@pytest.fixture
def org(db):
    return OrganizationFactory(place_name="Phổ Minh")


@pytest.fixture
def other_org(db):
    return OrganizationFactory()


@pytest.fixture
def unit(org):
    return UnitFactory(organization=org, name="Ủy ban MTTQ Việt Nam phường", short_name="MTTQ")


@pytest.fixture
def other_unit(org):
    """Another unit of the same organisation."""
    return UnitFactory(organization=org, name="Hội Liên hiệp Phụ nữ phường", short_name="HPN")


@pytest.fixture
def office_user(org):
    return member(org, Role.OFFICE, full_name="Nguyễn Thị Lan")


@pytest.fixture
def unit_officer(org, unit):
    return member(org, Role.UNIT_OFFICER, unit=unit, full_name="Trần Văn Hùng")


@pytest.fixture
def other_unit_officer(org, other_unit):
    """An officer of the same organisation but another unit."""
    return member(org, Role.UNIT_OFFICER, unit=other_unit, full_name="Lê Thị Kim")


@pytest.fixture
def evaluator(org, other_unit):
    return member(org, Role.EVALUATOR, unit=other_unit, full_name="Phạm Thị Mai")


@pytest.fixture
def chairman(org):
    return member(org, Role.CHAIRMAN, full_name="Lê Duy Bảo")


@pytest.fixture
def vice_chairman(org):
    return member(org, Role.VICE_CHAIRMAN, full_name="Võ Thị Hoa")


@pytest.fixture
def viewer(org):
    return member(org, Role.VIEWER, full_name="Đặng Quốc Minh")


@pytest.fixture
def outsider(other_org):
    """Office staff of another organisation: must never see this organisation's data."""
    return member(other_org, Role.OFFICE, full_name="Huỳnh Thị Thu")


@pytest.fixture
def superuser(db):
    from tests.factories import UserFactory

    return UserFactory(is_superuser=True, full_name="Hồ Anh Tuấn")


@pytest.fixture
def pki(tmp_path, settings):
    """A certificate authority made for the test and trusted by the settings;
    ``pki.seal_for(org)`` configures an organisation's seal, ``pki.person(name)`` makes
    a personal certificate (see tests/signing.py)."""
    from tests.signing import make_pki

    return make_pki(tmp_path, settings)


@pytest.fixture
def login():
    """``login(user)`` returns a test client logged in as that user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
    ):
        if candidate and shutil.which(candidate):
            return candidate
    return None


@pytest.fixture
def queries_for():
    """``queries_for(client, url)`` fetches the page (must be 200) and returns the number of
    database queries it took, after a first fetch that warms per-process caches."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def fetch(client, url, method, data):
        response = getattr(client, method)(url, data or {})
        if response.streaming:
            b"".join(response.streaming_content)  # read to the end, which closes the file
        return response

    def count(client, url, *, method="get", data=None) -> int:
        fetch(client, url, method, data)
        with CaptureQueriesContext(connection) as captured:
            response = fetch(client, url, method, data)
        assert response.status_code == 200, (url, response.status_code)
        return len(captured)

    return count


@pytest.fixture
def require_2fa(settings):
    """Two-factor sign-in enforced, as in production (``REQUIRE_2FA``, on when DEBUG=0)."""
    settings.REQUIRE_2FA = True
    return settings


@pytest.fixture
def verified_login():
    """``verified_login(user)``: a client logged in as that user with an authenticator app
    set up and this session verified by its code, as after the sign-in's second step."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from tests.factories import totp_device

    def make(user) -> Client:
        device = totp_device(user)
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return make


@pytest.fixture(scope="session", autouse=True)
def _no_stray_sessions_at_the_end(django_db_setup, django_db_blocker):
    """Threads of the tests (the live server's request threads, the concurrency tests'
    workers) can leave a PostgreSQL session open when a test stops midway; it would keep
    the test database from being dropped at the end. End them before it is dropped."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()
