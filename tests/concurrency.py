"""Running work in several threads at the same moment, each with its own connection and
transaction: the way two clicks at once reach the database. PostgreSQL only."""

import threading

import pytest
from django.db import connection


def postgres_only(reason: str) -> list:
    """The marks of a test that needs PostgreSQL (skipped elsewhere, saying ``reason``)
    and real transactions."""
    return [
        pytest.mark.postgres,
        pytest.mark.skipif(connection.vendor != "postgresql", reason=reason),
        pytest.mark.django_db(transaction=True),
    ]


needs_postgres = postgres_only(
    "row locks and concurrent transactions need PostgreSQL; SQLite has one writer"
)


def run_together(work, count: int) -> list:
    """Run ``work(index)`` in ``count`` threads released at the same moment; each thread
    has its own connection, closed at the end. Returns results or exceptions by index."""
    barrier = threading.Barrier(count, timeout=30)
    results: list = [None] * count

    def target(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # noqa: BLE001 - the test inspects it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results
