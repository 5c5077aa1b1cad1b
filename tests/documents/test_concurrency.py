"""Numbers under real concurrency: threads with their own connections and transactions.

PostgreSQL only: SQLite takes one writer at a time, so there is no race to test there.
"""

import threading
import time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction

from danvan.accounts.models import Organization
from danvan.documents.models import DocumentCounter, DocumentKind, IssuedDocument
from danvan.documents.services import document_issue, number_next
from tests.concurrency import needs_postgres, run_together
from tests.documents.factories import IssuedDocumentFactory
from tests.documents.specs import seed_plan
from tests.documents.text import pdf_text

pytestmark = needs_postgres
PLAN, DECISION = DocumentKind.PLAN, DocumentKind.DECISION
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


def test_an_issue_waiting_on_a_number_taken_meanwhile_takes_the_next_and_prints_it(org, chairman):
    """Automatic numbers: B waits on the sequence while A, which took number 1, has not
    committed; once A commits, B takes 2, and its files print the number it got."""
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


def _issue(org, actor, kind, number=None) -> IssuedDocument:
    with transaction.atomic():
        return document_issue(
            actor=actor,
            organization=org,
            kind=kind,
            year=2026,
            spec=seed_plan(),
            source=org,
            signatures=[],
            number=number,
        )


def test_two_issues_at_once_in_one_sequence_for_every_kind_get_two_numbers(org, chairman):
    org.numbering = Organization.Numbering.ALL_KINDS
    org.save()

    def work(index: int) -> int:
        return _issue(org, chairman, PLAN if index % 2 else DECISION).number

    assert sorted(run_together(work, 4)) == [1, 2, 3, 4]


def test_two_decisions_typed_with_one_register_number_at_once_let_one_through(org, chairman):
    def work(index: int):
        return _issue(org, chairman, DECISION, number=12)

    results = run_together(work, 2)
    issued = [r for r in results if isinstance(r, IssuedDocument)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(issued) == 1, results
    assert len(refused) == 1, results
    assert IssuedDocument.objects.get().number == 12


def test_two_decisions_of_one_organisation_at_once_are_both_issued_with_two_numbers(org, chairman):
    """Each is numbered in its own short transaction and rendered afterwards: neither
    waits for the other's rendering, and the numbers follow one another."""
    from datetime import date

    from awards import services as awards
    from tests.factories import CampaignFactory, NominationFactory

    campaign = CampaignFactory(organization=org, year=2025, status="issued")
    groups = [
        NominationFactory.create_batch(3, campaign=campaign, status="passed") for _ in range(2)
    ]

    def work(index: int):
        return awards.decision_issue(
            actor=chairman, nominations=groups[index], decided_on=date(2025, 12, 19)
        )

    decisions = run_together(work, 2)
    assert sorted(d.issued_document.number for d in decisions) == [1, 2], decisions
    assert all(d.issued_document.is_ready for d in decisions)
