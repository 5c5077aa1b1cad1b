"""How an organisation numbers its documents: one sequence per kind, one for every kind, or
numbers typed from the văn thư's register; below 10 with a leading zero."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from awards import services as awards
from campaigns import services as campaigns
from campaigns.models import Campaign
from danvan.accounts.models import Organization
from danvan.documents.models import DocumentKind, IssuedDocument
from danvan.documents.services import document_issue
from tests.documents.factories import IssuedDocumentFactory
from tests.documents.specs import seed_plan
from tests.documents.text import docx_lines
from tests.factories import CampaignFactory, NominationFactory, complete_plan

pytestmark = pytest.mark.django_db
PLAN, DECISION = DocumentKind.PLAN, DocumentKind.DECISION


def issue(org, actor, kind=PLAN, number=None, year=2026) -> IssuedDocument:
    with transaction.atomic():
        return document_issue(
            actor=actor,
            organization=org,
            kind=kind,
            year=year,
            spec=seed_plan(),
            source=org,
            signatures=[],
            number=number,
        )


def test_each_kind_has_its_own_sequence_by_default(org, chairman):
    numbers = [issue(org, chairman, kind).number_symbol for kind in (PLAN, DECISION, PLAN)]
    assert numbers == ["01/KH-UBND", "01/KH-UBND", "02/KH-UBND"]
    assert [d.kind for d in IssuedDocument.objects.order_by("pk")] == [PLAN, DECISION, PLAN]


def test_one_sequence_for_every_kind_numbers_across_kinds(org, chairman):
    org.numbering = Organization.Numbering.ALL_KINDS
    org.save()
    numbers = [issue(org, chairman, kind).number for kind in (PLAN, DECISION, PLAN, DECISION)]
    assert numbers == [1, 2, 3, 4]
    with pytest.raises(ValidationError, match="Số 02/KH-UBND năm 2026 đã được dùng"):
        issue(org, chairman, PLAN, number=2)


def test_numbers_restart_each_year_with_a_leading_zero(org, chairman):
    issue(org, chairman, year=2025)
    issue(org, chairman, year=2025)
    document = issue(org, chairman, year=2026)
    assert document.number_symbol == "01/KH-UBND"
    assert "Số: 01/KH-UBND" in document.html


def test_a_typed_number_is_checked_positive_and_unused_in_its_sequence_and_year(org, chairman):
    assert issue(org, chairman, number=7).number_symbol == "07/KH-UBND"
    with pytest.raises(ValidationError, match="Số 07/KH-UBND năm 2026 đã được dùng"):
        issue(org, chairman, number=7)
    with pytest.raises(ValidationError, match="từ 1 trở lên"):
        issue(org, chairman, number=0)
    assert issue(org, chairman, number=7, year=2025).number == 7  # another year
    assert issue(org, chairman, DECISION, number=7).number == 7  # another sequence
    assert issue(org, chairman).number == 8  # automatic numbering goes on after it


def test_a_ward_that_numbers_from_its_register_must_type_the_number(org, chairman):
    org.numbers_from_register = True
    org.save()
    campaign = complete_plan(CampaignFactory(organization=org, year=2026))
    with pytest.raises(ValidationError, match="sổ đăng ký"):
        campaigns.campaign_issue(actor=chairman, campaign=campaign)
    issued = campaigns.campaign_issue(actor=chairman, campaign=campaign, number=23)
    assert issued.issued_document.number_symbol == "23/KH-UBND"


def test_a_number_typed_at_signing_that_is_taken_is_refused_and_keeps_the_form(
    login, org, chairman
):
    org.numbers_from_register = True
    org.save()
    IssuedDocumentFactory(organization=org, kind=PLAN, year=2026, number=23)
    campaign = complete_plan(
        CampaignFactory(organization=org, year=2026, plan_issue_date=date(2026, 3, 10))
    )
    url = reverse("campaigns:issue", args=[campaign.pk])
    client = login(chairman)
    assert 'name="number"' in client.get(url).content.decode()
    response = client.post(url, {"number": "23"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Số 23/KH-UBND năm 2026 đã được dùng cho văn bản khác." in content
    assert 'value="23"' in content  # what was typed stays in the box
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.DRAFT
    client.post(url, {"number": "24"})
    assert Campaign.objects.get(pk=campaign.pk).issued_document.number == 24


def test_the_chairman_types_the_register_number_when_approving_in_the_back_office(
    login, org, chairman
):
    org.numbers_from_register = True
    org.save()
    campaign = CampaignFactory(organization=org, year=2025, status="issued")
    nomination = NominationFactory(campaign=campaign, status="passed")
    changelist = reverse("admin:awards_nomination_changelist")
    data = {
        "action": "approve_nominations",
        "_selected_action": [nomination.pk],
        "post": "yes",
        "decided_on": "2025-12-19",
    }
    client = login(chairman)
    refused = client.post(changelist, data)
    assert refused.status_code == 200
    assert "Trường này là bắt buộc" in refused.content.decode()
    client.post(changelist, {**data, "number": "5"})
    decision = nomination.awards.get().decision
    assert decision.issued_document.number_symbol == "05/QĐ-UBND"
    with decision.issued_document.docx.open("rb") as handle:
        assert "Số: 05/QĐ-UBND" in docx_lines(handle.read())


def test_a_decision_approved_twice_over_keeps_one_number_per_decision(org, chairman):
    campaign = CampaignFactory(organization=org, year=2025, status="issued")
    first, second = NominationFactory.create_batch(2, campaign=campaign, status="passed")
    one = awards.decision_issue(actor=chairman, nominations=[first], decided_on=date(2025, 12, 19))
    two = awards.decision_issue(actor=chairman, nominations=[second], decided_on=date(2025, 12, 19))
    assert (one.issued_document.number, two.issued_document.number) == (1, 2)
