"""Numbers under real concurrency: threads with their own connections and transactions.

PostgreSQL only: SQLite takes one writer at a time, so there is no race to test there.
"""

import threading
import time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction

from danvan.documents.models import DocumentCounter, DocumentKind, IssuedDocument
from danvan.documents.services import document_issue, number_next
from tests.concurrency import needs_postgres, run_together
from tests.documents.factories import IssuedDocumentFactory
from tests.documents.specs import seed_plan
from tests.documents.text import pdf_text

pytestmark = needs_postgres
PLAN = DocumentKind.PLAN
THREADS = 8


def test_concurrent_callers_get_one_to_eight_without_duplicates(org):
    def work(index: int) -> int:
        with transaction.atomic():
            number = number_next(organization=org, year=2024, kind=PLAN)
            if index % 2 == 0:  # half of them also issue a document with it
                IssuedDocumentFactory(organization=org, kind=PLAN, year=2024, number=number)
            return number

    results = run_together(work, THREADS)
    assert sorted(results) == list(range(1, THREADS + 1)), results
    assert DocumentCounter.objects.get(organization=org, year=2024, sequence=PLAN).last_number == 8
    numbers = IssuedDocument.objects.filter(organization=org).values_list("number", flat=True)
    assert len(numbers) == THREADS // 2
    assert len(set(numbers)) == len(numbers)


def test_two_issues_racing_for_one_number_let_exactly_one_through(org, chairman, stored_files):
    spec = seed_plan()

    def work(index: int) -> IssuedDocument:
        with transaction.atomic():
            return document_issue(
                actor=chairman,
                organization=org,
                kind=PLAN,
                year=2024,
                number=46,
                spec=spec,
                source=org,
                signatures=[],
            )

    results = run_together(work, 2)
    issued = [result for result in results if isinstance(result, IssuedDocument)]
    refused = [result for result in results if isinstance(result, ValidationError | IntegrityError)]
    assert len(issued) == 1, results
    assert len(refused) == 1, results
    assert IssuedDocument.objects.get().number == 46
    winner = issued[0]
    assert stored_files() == sorted([winner.docx.name, winner.pdf.name])  # no orphan


def wait_for_lock_waiters(count: int, timeout: float = 30) -> None:
    """Block until ``count`` other sessions of this database wait on a row lock."""
    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            # Activity statistics are a snapshot per transaction unless cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= count:
                return
            time.sleep(0.02)
    raise AssertionError("no session is waiting on a lock")


def test_an_issue_blocked_behind_one_with_its_number_is_refused_after_it_commits(
    org, chairman, stored_files
):
    """B checks the number before A commits and renders, then waits on the sequence A
    holds: once A commits, B finds the number taken, is refused and stores no file."""
    first_inserted = threading.Event()
    spec = seed_plan()

    def issue() -> IssuedDocument:
        return document_issue(
            actor=chairman,
            organization=org,
            kind=PLAN,
            year=2024,
            number=46,
            spec=spec,
            source=org,
            signatures=[],
        )

    def work(index: int):
        if index == 0:
            with transaction.atomic():
                document = issue()
                first_inserted.set()
                wait_for_lock_waiters(1)  # B is stuck on our uncommitted row
            return document
        assert first_inserted.wait(30)
        with transaction.atomic():
            return issue()

    first, second = run_together(work, 2)
    assert isinstance(first, IssuedDocument), first
    assert isinstance(second, ValidationError), second
    assert second.message_dict == {
        "number": ["Số 46/KH-UBND năm 2024 đã được dùng cho văn bản khác."]
    }
    assert IssuedDocument.objects.get().pk == first.pk
    assert stored_files() == sorted([first.docx.name, first.pdf.name])


def test_an_issue_rendered_with_a_number_taken_meanwhile_takes_the_next_and_says_so(org, chairman):
    """Automatic numbers: B renders with the number it expects while A, which took that
    number, has not committed; once A commits, B takes the next number and renders again,
    so its files print the number it got."""
    first_taken = threading.Event()
    spec = seed_plan()

    def issue() -> IssuedDocument:
        return document_issue(
            actor=chairman,
            organization=org,
            kind=PLAN,
            year=2024,
            spec=spec,
            source=org,
            signatures=[],
        )

    def work(index: int):
        if index == 0:
            with transaction.atomic():
                document = issue()
                first_taken.set()
                wait_for_lock_waiters(1)  # B rendered with 1 and waits on the sequence
            return document
        assert first_taken.wait(30)
        with transaction.atomic():
            return issue()

    first, second = run_together(work, 2)
    assert (first.number, second.number) == (1, 2)
    with second.pdf.open("rb") as handle:
        assert "Số: 02/KH-UBND" in pdf_text(handle.read())
    assert "Số: 02/KH-UBND" in second.html
