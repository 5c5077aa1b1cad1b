from datetime import date

from django.core.exceptions import ValidationError

from awards import services
from awards.models import AwardDecision
from danvan.documents.models import IssuedDocument
from tests.concurrency import needs_postgres, run_together

pytestmark = needs_postgres


def test_two_approvals_at_once_produce_one_decision_with_one_number(
    passed, chairman, vice_chairman
):
    signers = [chairman, vice_chairman]

    results = run_together(
        lambda index: services.decision_issue(
            actor=signers[index], nominations=passed, decided_on=date(2024, 12, 20)
        ),
        2,
    )

    decisions = [result for result in results if isinstance(result, AwardDecision)]
    refusals = [result for result in results if isinstance(result, Exception)]
    assert len(decisions) == 1
    assert len(refusals) == 1
    assert isinstance(refusals[0], ValidationError)
    assert AwardDecision.objects.count() == 1
    assert list(IssuedDocument.objects.values_list("number", flat=True)) == [1]
    assert AwardDecision.objects.get().awards.count() == 2
