from datetime import date

from django.core.exceptions import ValidationError

from campaigns import services
from campaigns.models import Campaign
from danvan.audit.models import AuditEvent
from danvan.documents.models import IssuedDocument
from danvan.workflow import StaleEdit
from tests.concurrency import needs_postgres, run_together
from tests.factories import CampaignFactory, complete_plan

pytestmark = needs_postgres


def test_two_signers_issuing_at_the_same_moment_produce_one_document_and_one_number(
    org, chairman, vice_chairman
):
    campaign = complete_plan(CampaignFactory(organization=org, plan_issue_date=date(2025, 2, 5)))
    signers = [chairman, vice_chairman]

    results = run_together(
        lambda index: services.campaign_issue(actor=signers[index], campaign=campaign), 2
    )

    failures = [result for result in results if isinstance(result, Exception)]
    assert len(failures) == 1
    assert isinstance(failures[0], ValidationError)
    assert "đã được ban hành" in " ".join(failures[0].messages)
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.ISSUED
    assert IssuedDocument.objects.filter(organization=org).count() == 1
    assert IssuedDocument.objects.get().number == 1
    assert AuditEvent.objects.filter(action="campaign.issued").count() == 1


def test_plans_issued_at_the_same_moment_get_consecutive_numbers(org, chairman):
    campaigns = [
        complete_plan(CampaignFactory(organization=org, plan_issue_date=date(2025, 3, 1)))
        for _index in range(4)
    ]

    results = run_together(
        lambda index: services.campaign_issue(actor=chairman, campaign=campaigns[index]), 4
    )

    assert not [result for result in results if isinstance(result, Exception)]
    numbers = sorted(IssuedDocument.objects.values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]


def test_two_office_users_saving_one_draft_at_once_lose_neither_edit_silently(org, office_user):
    campaign = CampaignFactory(organization=org)
    version = campaign.version

    results = run_together(
        lambda index: services.campaign_update(
            actor=office_user,
            campaign=campaign,
            data={"plan_closing": f"Bản {index}"},
            expected_version=version,
        ),
        2,
    )

    refused = [result for result in results if isinstance(result, StaleEdit)]
    saved = [result for result in results if isinstance(result, Campaign)]
    assert len(refused) == 1
    assert len(saved) == 1
    assert Campaign.objects.get(pk=campaign.pk).plan_closing == saved[0].plan_closing


def test_two_clicks_on_clone_at_once_make_one_copy_and_a_clear_refusal(org, office_user):
    # The two clicks meet between the check and the insert only some of the time: five
    # campaigns, two clicks each, so that the race is met.
    for year in range(2020, 2030, 2):
        campaign = CampaignFactory(organization=org, year=year)

        results = run_together(
            lambda index, campaign=campaign: services.campaign_clone(
                actor=office_user, campaign=campaign
            ),
            2,
        )

        failures = [result for result in results if isinstance(result, Exception)]
        assert len(failures) == 1
        assert isinstance(failures[0], ValidationError), failures[0]
        assert "trùng tên" in " ".join(failures[0].messages)
        assert Campaign.objects.filter(organization=org, year=year + 1).count() == 1
