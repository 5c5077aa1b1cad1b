"""The review queue served again from memory while nothing in the database changed
(danvan/pagecache.py): never stale, never another person's, never with another
browser's tokens or a message already read."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse, reverse_lazy

from campaigns.models import Campaign
from danvan.accounts.models import Membership
from danvan.pagecache import cache_while_unchanged, database_state
from danvan.urls import urlpatterns as portal_urlpatterns
from tests.concurrency import postgres_only
from tests.factories import (
    CampaignFactory,
    OrganizationFactory,
    RegistrationFactory,
    UnitFactory,
    member,
)

Role = Membership.Role
QUEUE = reverse_lazy("models_registry:list")

on_postgres = postgres_only(
    "the database's state is PostgreSQL's snapshot; on SQLite every page is built"
)


def fetch(client: Client, url: str = QUEUE, **params):
    """The page, and whether building it read the registrations."""
    response, read, _queries = fetch_counted(client, url, **params)
    return response, read


def fetch_counted(client: Client, url: str = QUEUE, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    read = any("models_registry_registration" in q["sql"] for q in captured.captured_queries)
    return response, read, len(captured)


def fetch_again(client: Client, **params):
    """The page asked again, expected to be served without being built, and the queries
    that took. Anything that ends a writing transaction anywhere on the server meanwhile
    (autovacuum's ANALYZE, a test of another database) rightly builds it again, and
    stores it: a second or third try is then served."""
    for _ in range(3):
        response, read, queries = fetch_counted(client, **params)
        if not read:
            return response, queries
    raise AssertionError("the page was built each time")


def token_in(response) -> str:
    return response.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


@pytest.fixture
def campaign(org):
    return CampaignFactory(organization=org, year=2025, status=Campaign.Status.ISSUED)


@pytest.fixture
def registration(campaign, unit):
    return RegistrationFactory(campaign=campaign, unit=unit, name="Mô hình chợ sạch")


def stored_queue(client: Client, **params):
    """The queue after a first visit (which gives the browser its CSRF cookie) and a
    second one (which stores the page): the stored page."""
    fetch(client, **params)
    stored, read = fetch(client, **params)
    assert read
    return stored


class TestOnPostgres:
    pytestmark = on_postgres

    def test_the_same_page_asked_again_with_nothing_changed_is_not_built_again(
        self, registration, office_user, login
    ):
        client = login(office_user)
        stored = stored_queue(client)
        again, read = fetch(client)
        if read:  # the server's state moved on meanwhile: the page was built and stored again
            stored, (again, _queries) = again, fetch_again(client)
        assert again.content == stored.content
        assert "Mô hình chợ sạch" in again.content.decode()

    def test_a_registration_renamed_meanwhile_shows_at_once(self, registration, office_user, login):
        client = login(office_user)
        stored_queue(client)
        registration.name = "Mô hình đường hoa"
        registration.save(update_fields=["name"])
        again, read = fetch(client)
        assert read
        assert "Mô hình đường hoa" in again.content.decode()
        assert "Mô hình chợ sạch" not in again.content.decode()

    def test_a_write_anywhere_else_builds_the_page_again(self, registration, office_user, login):
        client = login(office_user)
        stored_queue(client)
        OrganizationFactory()
        _again, read = fetch(client)
        assert read

    def test_another_person_is_never_served_anothers_page(
        self, org, registration, office_user, login
    ):
        colleague = member(org, Role.OFFICE, full_name="Trần Thị Đồng Nghiệp")
        clients = login(office_user), login(colleague)
        for client in clients:  # the same CSRF secret: only the person differs
            client.cookies["csrftoken"] = "k" * 32
        fetch(clients[0])
        fetch_again(clients[0])
        state = database_state()
        page, read = fetch(clients[1])
        assert database_state() == state  # the stored page was there to be served
        assert read
        assert "Trần Thị Đồng Nghiệp" in page.content.decode()

    def test_another_address_is_not_served_the_first_pages_copy(
        self, registration, office_user, login
    ):
        client = login(office_user)
        stored_queue(client)
        found, read = fetch(client, q="đường hoa")
        assert read
        assert "Mô hình chợ sạch" not in found.content.decode()

    def test_each_language_has_its_own_copy(self, registration, office_user, login, settings):
        client = login(office_user)
        stored_queue(client)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page, read = fetch(client)
        assert read
        assert page["Content-Language"] == "en"
        assert '<html lang="en"' in page.content.decode()

    def test_a_stored_pages_forms_carry_tokens_the_browser_can_post(
        self, registration, office_user
    ):
        client = Client(enforce_csrf_checks=True)
        client.force_login(office_user)
        stored_queue(client)
        again, _queries = fetch_again(client)
        switched = client.post(
            reverse("set_language"),
            {"language": "en", "next": QUEUE, "csrfmiddlewaretoken": token_in(again)},
        )
        assert switched.status_code == 302
        assert client.cookies["django_language"].value == "en"

    def test_a_browser_that_lost_its_csrf_cookie_gets_a_page_built_for_its_new_one(
        self, registration, office_user
    ):
        client = Client(enforce_csrf_checks=True)
        client.force_login(office_user)
        stored_queue(client)
        del client.cookies["csrftoken"]
        page, read = fetch(client)
        assert read
        switched = client.post(
            reverse("set_language"),
            {"language": "en", "next": QUEUE, "csrfmiddlewaretoken": token_in(page)},
        )
        assert switched.status_code == 302

    def test_a_page_that_shows_a_message_is_not_served_again(
        self, registration, office_user, login, settings
    ):
        settings.LONG_EXPORT_ROWS = 0  # the export sends the reader back with a message
        client = login(office_user)
        stored_queue(client)
        sent_back = client.get(reverse("models_registry:export"), follow=True)
        assert sent_back.request["PATH_INFO"] == QUEUE
        assert "xuất trong nền" in sent_back.content.decode()
        # Had the page with the message been stored, the same address would show it again.
        again, _queries = fetch_again(client)
        assert "xuất trong nền" not in again.content.decode()

    def test_the_same_page_stored_for_one_and_for_three_lines_takes_the_same_queries(
        self, campaign, unit, office_user, login
    ):
        counts = []
        for lines in (1, 2):
            RegistrationFactory.create_batch(lines, campaign=campaign, unit=unit)
            client = login(office_user)
            stored_queue(client)
            _page, queries = fetch_again(client)
            counts.append(queries)
        # Loading the session, the user and their memberships, and the database's state.
        assert counts[0] == counts[1] == 4

    def test_a_lifetime_of_zero_builds_the_page_every_time(
        self, registration, office_user, login, settings
    ):
        settings.CACHES = {
            **settings.CACHES,
            "pages": {**settings.CACHES["pages"], "TIMEOUT": 0},
        }
        client = login(office_user)
        fetch(client)
        for _ in range(2):
            _page, read = fetch(client)
            assert read

    def test_the_state_names_the_servers_start_as_well_as_its_snapshot(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_postmaster_start_time()::text")
            started = cursor.fetchone()[0]
        state = database_state()
        assert state.startswith(f"{started} ")
        assert state.count(":") >= 2 + started.count(":")  # xmin:xmax:open

    def test_only_the_pages_served_again_read_the_database_state(self, office_user, login):
        client = login(office_user)
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("awards:home"))
        assert not [q for q in captured.captured_queries if "pg_current_snapshot" in q["sql"]]


built = []


@cache_while_unchanged
def writes_while_built(request):
    """A page whose building writes to the database."""
    built.append(request.path)
    UnitFactory(organization=request.organization)
    return HttpResponse("built")


@cache_while_unchanged
def reads_only(request):
    built.append(request.path)
    return HttpResponse(f"built {len(built)}")


urlpatterns = [
    path("writes/", writes_while_built),
    path("reads/", reads_only),
    *portal_urlpatterns,
]


@pytest.mark.urls(__name__)
class TestAnyPage:
    pytestmark = on_postgres

    def test_a_page_whose_building_writes_is_built_again_each_time(self, office_user, login):
        built.clear()
        client = login(office_user)
        client.cookies["csrftoken"] = "x" * 32
        for _ in range(3):
            assert client.get("/writes/").status_code == 200
        assert built == ["/writes/"] * 3

    def test_a_page_that_only_reads_is_built_once(self, office_user, login):
        built.clear()
        client = login(office_user)
        client.cookies["csrftoken"] = "x" * 32
        pages = [client.get("/reads/").content for _ in range(4)]
        # Built once, or twice if the server's state moved on meanwhile (autovacuum).
        assert len(built) <= 2
        assert pages[-1] == f"built {len(built)}".encode()


def test_inside_a_transaction_every_request_builds_the_page(registration, office_user, login):
    client = login(office_user)
    assert database_state() is None
    for _ in range(3):
        _page, read = fetch(client)
        assert read
