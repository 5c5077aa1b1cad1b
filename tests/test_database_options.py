"""The portal's PostgreSQL connections carry the planner settings made for its queries
(danvan/settings.py, docs/configuration.md)."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL settings"),
]


def setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_postgresql_plans_for_ssds_and_compiles_no_query_to_machine_code():
    assert setting("random_page_cost") == "1.1"
    assert setting("jit") == "off"
