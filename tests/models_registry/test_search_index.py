"""On PostgreSQL, the accent-insensitive search reads the trigram index with the
organisation in it, so that a common word elsewhere in the country costs nothing here."""

import pytest
from django.db import connection

from models_registry import selectors
from models_registry.models import Registration
from tests.factories import RegistrationFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index"),
    pytest.mark.django_db,
]


def _plan(queryset) -> str:
    """The plan with the trigram index as the only way in: a few hundred rows would
    otherwise be read by whatever the planner fancies. Dropping the other indexes is
    undone with the test's transaction."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'models_registry_registration' "
            "AND indexname <> 'registration_org_search_trgm' AND indexdef NOT LIKE '%UNIQUE%'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _trigram_condition(plan: str) -> str:
    """The index condition of the trigram index's scan."""
    lines = plan.splitlines()
    scan = next(i for i, line in enumerate(lines) if "registration_org_search_trgm" in line)
    return next(line for line in lines[scan:] if "Index Cond" in line)


@pytest.fixture
def many(campaign, unit):
    RegistrationFactory(
        campaign=campaign, unit=unit, status=Registration.Status.SUBMITTED, name="Dịch vụ công"
    )
    RegistrationFactory.create_batch(
        300,
        campaign=campaign,
        unit=unit,
        status=Registration.Status.SUBMITTED,
        search_text="duong hoa nong thon",
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE models_registry_registration")


def test_the_search_uses_the_organisation_in_the_trigram_index(org, office_user, many):
    registrations = selectors.registration_list(
        user=office_user,
        organization=org,
        filters=selectors.RegistrationFilter(query="dịch vụ công"),
    )
    assert "organization_id" in _trigram_condition(_plan(registrations))


def test_the_admin_search_uses_the_organisation_in_the_trigram_index(rf, org, office_user, many):
    from django.contrib import admin

    request = rf.get("/admin/models_registry/registration/")
    request.user, request.organization = office_user, org
    model_admin = admin.site._registry[Registration]
    queryset, _duplicates = model_admin.get_search_results(
        request, model_admin.get_queryset(request), "dịch vụ công"
    )
    assert "organization_id" in _trigram_condition(_plan(queryset))
