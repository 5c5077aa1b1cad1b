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


def _change_data(campaign, basis, **changes) -> dict:
    """What the admin's change page posts for a draft with one legal basis."""
    data = {
        "organization": campaign.organization_id,
        "year": campaign.year,
        "name": campaign.name,
        "form": campaign.form,
        "plan_subject": campaign.plan_subject,
        "recipients": campaign.recipients,
        "signing_mode": campaign.signing_mode,
        "row_version": campaign.version,
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
        "legal_bases-0-row_version": basis.version,
        "legal_bases-0-kind": basis.kind,
        "legal_bases-0-number": basis.number,
        "legal_bases-0-issued_on": basis.issued_on.isoformat(),
        "legal_bases-0-issuer": basis.issuer,
        "legal_bases-0-title": basis.title,
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_inline_edits_of_a_draft_go_through_the_plan_service(login, org, office_user):
    campaign = CampaignFactory(organization=org)
    basis = LegalBasisFactory(campaign=campaign)
    client = login(office_user)
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    response = client.post(
        url, _change_data(campaign, basis, **{"legal_bases-0-kind": "quyết định"})
    )
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else ""
    )
    basis.refresh_from_db()
    assert basis.kind == "quyết định"
    assert basis.version == 2
    event = AuditEvent.objects.get(action="plan.legalbasis.update")
    assert event.organization == org
    assert event.changes["kind"] == ["kế hoạch", "quyết định"]


def test_a_draft_changed_in_the_admin_goes_through_the_campaign_service(login, org, office_user):
    campaign = CampaignFactory(organization=org)
    basis = LegalBasisFactory(campaign=campaign)
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    response = login(office_user).post(url, _change_data(campaign, basis, name="Tên mới"))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "Tên mới"
    assert campaign.version == 2
    assert AuditEvent.objects.filter(action="campaign.update", object_id=str(campaign.pk)).exists()


def test_a_stale_admin_edit_is_refused_on_the_form_and_nothing_is_saved(login, org, office_user):
    campaign = CampaignFactory(organization=org)
    basis = LegalBasisFactory(campaign=campaign)
    stale = _change_data(campaign, basis, name="Tên của người đến sau")
    services.campaign_update(
        actor=office_user, campaign=campaign, data={"name": "Tên đã lưu"}, expected_version=1
    )
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    response = login(office_user).post(url, stale)
    assert response.status_code == 200
    content = response.content.decode()
    assert "vừa được người khác sửa" in content
    assert "Tên của người đến sau" in content  # what was typed is still in the form
    campaign.refresh_from_db()
    assert campaign.name == "Tên đã lưu"
    assert campaign.version == 2


def test_a_stale_plan_part_edit_in_the_admin_changes_nothing(login, org, office_user):
    campaign = CampaignFactory(organization=org)
    basis = LegalBasisFactory(campaign=campaign)
    stale = _change_data(campaign, basis, name="Tên mới", **{"legal_bases-0-title": "Cũ đè"})
    services.plan_part_save(
        actor=office_user, instance=basis, data={"title": "Đã sửa"}, expected_version=1
    )
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    response = login(office_user).post(url, stale)
    assert response.status_code == 200
    assert "vừa được người khác sửa" in response.content.decode()
    basis.refresh_from_db()
    campaign.refresh_from_db()
    assert basis.title == "Đã sửa"
    assert campaign.name != "Tên mới"  # the campaign's own change rolled back with it


def test_a_draft_deleted_in_the_admin_is_audited(login, org, office_user):
    campaign = CampaignFactory(organization=org)
    url = reverse("admin:campaigns_campaign_delete", args=[campaign.pk])
    response = login(office_user).post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Campaign.objects.filter(pk=campaign.pk).exists()
    assert AuditEvent.objects.filter(action="campaign.delete", object_id=str(campaign.pk)).exists()


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
