import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign
from danvan.audit.models import AuditEvent
from tests.factories import CampaignFactory, LegalBasisFactory, complete_plan

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:campaigns_campaign_changelist")


def test_the_chairman_issues_a_plan_with_the_admin_action(login, org, chairman):
    campaign = complete_plan(CampaignFactory(organization=org))
    response = login(chairman).post(
        CHANGELIST, {"action": "issue_campaigns", "_selected_action": [campaign.pk]}
    )
    assert response.status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.ISSUED


def test_the_issue_action_refuses_office_staff_with_a_message(login, org, office_user):
    campaign = complete_plan(CampaignFactory(organization=org))
    response = login(office_user).post(
        CHANGELIST, {"action": "issue_campaigns", "_selected_action": [campaign.pk]}, follow=True
    )
    assert "Bạn không có quyền." in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.DRAFT


def test_status_is_read_only_and_an_issued_campaign_is_frozen_in_the_admin(
    login, org, chairman, office_user
):
    campaign = complete_plan(CampaignFactory(organization=org))
    services.campaign_issue(actor=chairman, campaign=campaign)
    content = (
        login(office_user)
        .get(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))
        .content.decode()
    )
    assert 'name="status"' not in content
    assert 'name="name"' not in content  # every field read-only once issued
    assert 'name="legal_bases-TOTAL_FORMS"' not in content


def test_inline_edits_of_a_draft_are_audited(login, org, office_user):
    campaign = CampaignFactory(organization=org)
    basis = LegalBasisFactory(campaign=campaign)
    client = login(office_user)
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "organization": org.pk,
            "registration_opens": campaign.registration_opens.isoformat(),
            "registration_deadline": campaign.registration_deadline.isoformat(),
            "mid_year_review_starts": campaign.mid_year_review_starts.isoformat(),
            "mid_year_review_ends": campaign.mid_year_review_ends.isoformat(),
            "year_end_review_starts": campaign.year_end_review_starts.isoformat(),
            "year_end_review_ends": campaign.year_end_review_ends.isoformat(),
            "nomination_deadline": campaign.nomination_deadline.isoformat(),
            "plan_issue_date": "",
            "plan_number": "",
            "legal_bases-TOTAL_FORMS": "1",
            "legal_bases-INITIAL_FORMS": "1",
            "legal_bases-0-id": basis.pk,
            "legal_bases-0-campaign": campaign.pk,
            "legal_bases-0-position": "1",
            "legal_bases-0-kind": "quyết định",
            "legal_bases-0-number": basis.number,
            "legal_bases-0-issued_on": basis.issued_on.isoformat(),
            "legal_bases-0-issuer": basis.issuer,
            "legal_bases-0-title": basis.title,
            "sections-TOTAL_FORMS": "0",
            "sections-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else ""
    )
    basis.refresh_from_db()
    assert basis.kind == "quyết định"
    event = AuditEvent.objects.get(action="legalbasis.update")
    assert event.organization == org
    assert event.changes["kind"] == ["kế hoạch", "quyết định"]


def test_another_organisations_campaign_is_404_in_the_admin(login, outsider, org):
    campaign = CampaignFactory(organization=org)
    response = login(outsider).get(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))
    assert response.status_code == 404


def test_the_campaign_changelist_takes_as_many_queries_for_three_as_for_one(
    login, org, office_user, queries_for
):
    client = login(office_user)
    CampaignFactory(organization=org)
    one = queries_for(client, CHANGELIST)
    CampaignFactory.create_batch(2, organization=org)
    assert queries_for(client, CHANGELIST) == one
