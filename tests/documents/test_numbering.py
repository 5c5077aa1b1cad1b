import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.transaction import TransactionManagementError

from danvan.documents.models import DocumentCounter, DocumentKind
from danvan.documents.services import number_claim, number_next
from tests.documents.factories import IssuedDocumentFactory

pytestmark = pytest.mark.django_db
PLAN, DECISION = DocumentKind.PLAN, DocumentKind.DECISION


def take(organization, year=2024, kind=PLAN) -> int:
    with transaction.atomic():
        return number_next(organization=organization, year=year, kind=kind)


def claim(organization, number, year=2024, kind=PLAN) -> int:
    with transaction.atomic():
        return number_claim(organization=organization, year=year, kind=kind, number=number)


def test_numbers_run_one_two_three(org):
    assert [take(org) for _ in range(3)] == [1, 2, 3]


def test_each_organisation_counts_on_its_own(org, other_org):
    assert [take(org), take(org), take(other_org), take(org)] == [1, 2, 1, 3]


def test_each_kind_counts_on_its_own(org):
    assert [take(org), take(org, kind=DECISION), take(org), take(org, kind=DECISION)] == [
        1,
        1,
        2,
        2,
    ]


def test_numbering_restarts_each_year(org):
    assert [take(org, 2024), take(org, 2024), take(org, 2025), take(org, 2024)] == [1, 2, 1, 3]


def test_a_rolled_back_transaction_gives_its_number_back(org):
    assert take(org) == 1
    with transaction.atomic():
        assert number_next(organization=org, year=2024, kind=PLAN) == 2
        transaction.set_rollback(True)
    assert take(org) == 2
    assert DocumentCounter.objects.get(organization=org, year=2024, sequence=PLAN).last_number == 2


def test_a_claimed_number_is_kept_and_numbering_continues_after_it(org):
    assert claim(org, 46) == 46
    assert take(org) == 47


def test_claiming_a_number_below_the_last_leaves_the_counter_alone(org):
    take(org), take(org), take(org)
    assert claim(org, 2) == 2
    assert take(org) == 4


def test_claiming_a_number_already_issued_is_refused_in_vietnamese(org):
    IssuedDocumentFactory(organization=org, kind=PLAN, year=2024, number=46, symbol="KH-UBND")
    with pytest.raises(ValidationError) as error:
        claim(org, 46)
    assert error.value.message_dict == {
        "number": ["Số 46/KH-UBND năm 2024 đã được dùng cho văn bản khác."]
    }
    assert error.value.error_dict["number"][0].code == "number_taken"


def test_a_number_issued_in_another_year_or_kind_or_organisation_may_be_claimed(org, other_org):
    IssuedDocumentFactory(organization=org, kind=PLAN, year=2023, number=46)
    IssuedDocumentFactory(organization=org, kind=DECISION, year=2024, number=46, symbol="QĐ-UBND")
    IssuedDocumentFactory(organization=other_org, kind=PLAN, year=2024, number=46)
    assert claim(org, 46) == 46


def test_claiming_zero_or_less_is_refused(org):
    for number in (0, -3):
        with pytest.raises(ValidationError) as error:
            claim(org, number)
        assert error.value.message_dict == {"number": ["Số văn bản phải từ 1 trở lên."]}
    assert not DocumentCounter.objects.exists()


def test_an_unknown_kind_is_refused(org):
    with pytest.raises(ValueError, match="Unknown document kind"):
        take(org, kind="XX")


@pytest.mark.django_db(transaction=True)
def test_numbering_outside_a_transaction_is_refused(org):
    with pytest.raises(TransactionManagementError, match="inside the caller's transaction"):
        number_next(organization=org, year=2024, kind=PLAN)
    with pytest.raises(TransactionManagementError):
        number_claim(organization=org, year=2024, kind=PLAN, number=5)
    assert not DocumentCounter.objects.exists()
