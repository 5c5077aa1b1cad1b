"""Five-year stages: a plan of their own with mid-stage and final reviews, yearly campaigns
inside them, and models that continue from one year to the next."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign
from models_registry import services as registrations
from models_registry.models import Registration
from tests.factories import CampaignFactory, RegistrationFactory, complete_plan

pytestmark = pytest.mark.django_db
Status = Registration.Status


def stage_post(**changes):
    data = {
        "year": "2026",
        "end_year": "2030",
        "name": "Phong trào thi đua “Dân vận khéo” giai đoạn 2026–2030",
        "form": "regular",
        "document_kind": "KH",
        "mid_year_review_starts": "2028-06-01",
        "mid_year_review_ends": "2028-06-30",
        "year_end_review_starts": "2030-11-01",
        "year_end_review_ends": "2030-12-15",
        "nomination_deadline": "2030-11-30",
        "plan_subject": "Về việc thực hiện phong trào thi đua “Dân vận khéo” giai đoạn 2026–2030",
        "recipients": "Lưu: VT.",
        "signing_mode": "direct",
    }
    data.update(changes)
    return data


@pytest.fixture
def stage(org, chairman):
    stage = complete_plan(
        CampaignFactory(
            organization=org,
            kind=Campaign.Kind.STAGE,
            year=2026,
            end_year=2030,
            name="Giai đoạn 2026–2030",
            registration_opens=date(2026, 1, 1),
            registration_deadline=date(2026, 1, 1),
            mid_year_review_starts=date(2028, 6, 1),
            mid_year_review_ends=date(2028, 6, 30),
            year_end_review_starts=date(2030, 11, 1),
            year_end_review_ends=date(2030, 12, 15),
            nomination_deadline=date(2030, 11, 30),
            plan_issue_date=date(2026, 2, 10),
        )
    )
    services.campaign_issue(actor=chairman, campaign=stage)
    stage.refresh_from_db()
    return stage


def yearly(stage, year, **extra):
    return CampaignFactory(
        organization=stage.organization, year=year, stage=stage, status="issued", **extra
    )


def test_the_office_creates_a_stage_with_its_reviews_and_no_registration_window(
    login, org, office_user, chairman
):
    client = login(office_user)
    page = client.get(reverse("campaigns:create") + "?kind=stage")
    form = page.context["form"]
    assert "registration_opens" not in form.fields
    assert str(form.fields["mid_year_review_starts"].label) == "Sơ kết giữa giai đoạn: từ ngày"
    response = client.post(reverse("campaigns:create") + "?kind=stage", stage_post())
    stage = Campaign.objects.get()
    assert response.status_code == 302
    assert (stage.kind, stage.year, stage.end_year) == ("stage", 2026, 2030)
    assert stage.registration_opens == stage.registration_deadline == date(2026, 1, 1)
    assert stage.registration_days_left(date(2026, 1, 1)) is None
    stage.sections.all().delete()  # the four usual sections, still empty
    complete_plan(stage)
    services.campaign_issue(actor=chairman, campaign=stage)
    stage.refresh_from_db()
    assert stage.issued_document.number_symbol.endswith("/KH-UBND")
    assert stage.phase(date(2028, 6, 10)) == Campaign.Phase.MID_YEAR_REVIEW
    detail = client.get(reverse("campaigns:detail", args=[stage.pk])).content.decode()
    assert "Sơ kết giữa giai đoạn" in detail
    assert "2026–2030" in detail


def test_a_stage_longer_than_ten_years_or_backwards_is_refused(login, org, office_user):
    client = login(office_user)
    for end in ("2025", "2040"):
        response = client.post(
            reverse("campaigns:create") + "?kind=stage", stage_post(end_year=end)
        )
        assert response.status_code == 200
        assert response.context["form"].errors["end_year"]
    assert not Campaign.objects.exists()


def test_a_yearly_campaign_joins_a_stage_only_within_its_years(stage, office_user):
    campaign = CampaignFactory(organization=stage.organization, year=2027)
    updated = services.campaign_update(
        actor=office_user,
        campaign=campaign,
        data={"stage": stage},
        expected_version=campaign.version,
    )
    assert updated.stage == stage
    outside = CampaignFactory(organization=stage.organization, year=2025)
    with pytest.raises(ValidationError) as refused:
        services.campaign_update(
            actor=office_user,
            campaign=outside,
            data={"stage": stage},
            expected_version=outside.version,
        )
    assert "Năm 2025 không nằm trong giai đoạn 2026–2030." in refused.value.message_dict["stage"]


def test_models_are_registered_in_a_year_not_in_the_stage(stage, unit, unit_officer):
    from tests.models_registry.test_services import registration_data

    with pytest.raises(ValidationError):
        registrations.registration_create(
            actor=unit_officer, campaign=stage, unit=unit, data=registration_data(stage)
        )
    assert not Registration.objects.exists()


@pytest.fixture
def last_year(stage, unit):
    campaign = yearly(stage, 2026)
    model = RegistrationFactory(
        campaign=campaign,
        unit=unit,
        status=Status.RECOGNISED,
        recognition_level="ward",
        name="Dân vận khéo giữ gìn vệ sinh khu phố",
        launched_on=date(2026, 4, 2),
        answers={"cau-hoi-1": "Quỹ khu phố"},
    )
    model.partners.create(outside_name="Hội Người cao tuổi", role="", part="cooperate")
    return model


def test_the_office_continues_last_years_model_without_registering_it_again(
    login, stage, last_year, office_user, unit_officer
):
    this_year = yearly(stage, 2027)
    client = login(office_user)
    url = reverse("models_registry:continue", args=[this_year.pk])
    page = client.get(url)
    assert [r.pk for r in page.context["candidates"]] == [last_year.pk]
    response = client.post(url, {"registration": [last_year.pk]}, follow=True)
    assert "Đã tiếp tục 1 mô hình sang năm 2027." in response.content.decode()
    continued = Registration.objects.get(campaign=this_year)
    assert continued.continues == last_year
    assert continued.status == Status.ACCEPTED
    assert continued.code == "DVK-2027-001"
    assert (continued.name, continued.answers, continued.launched_on) == (
        last_year.name,
        {"cau-hoi-1": "Quỹ khu phố"},
        date(2026, 4, 2),
    )
    assert continued.recognition_level == ""  # recognised again, or not, this year
    assert [(p.outside_name, p.part) for p in continued.partners.all()] == [
        ("Hội Người cao tuổi", "cooperate")
    ]
    detail = login(unit_officer).get(reverse("models_registry:detail", args=[continued.pk]))
    assert [r.campaign.year for r in detail.context["history"]] == [2026, 2027]
    # Once only.
    again = client.post(url, {"registration": [last_year.pk]}, follow=True)
    assert "Chưa chọn mô hình nào." in again.content.decode()
    assert Registration.objects.filter(campaign=this_year).count() == 1


def test_a_model_continues_only_forward_within_its_stage(stage, last_year, office_user, org):
    other_stage = CampaignFactory(
        organization=org,
        kind=Campaign.Kind.STAGE,
        year=2031,
        end_year=2035,
        registration_opens=date(2031, 1, 1),
        registration_deadline=date(2031, 1, 1),
        mid_year_review_starts=date(2033, 6, 1),
        mid_year_review_ends=date(2033, 6, 30),
        year_end_review_starts=date(2035, 11, 1),
        year_end_review_ends=date(2035, 12, 15),
        nomination_deadline=date(2035, 11, 30),
    )
    for into in (
        CampaignFactory(organization=org, year=2031, stage=other_stage, status="issued"),
        CampaignFactory(organization=org, year=2027, status="issued"),  # no stage
        yearly(stage, 2026, name="Cùng năm"),
    ):
        with pytest.raises(ValidationError):
            registrations.registration_continue(
                actor=office_user, registration=last_year, into=into
            )
    assert not Registration.objects.filter(continues=last_year).exists()


def test_only_the_wards_office_continues_models(login, stage, last_year, unit_officer, outsider):
    this_year = yearly(stage, 2027)
    url = reverse("models_registry:continue", args=[this_year.pk])
    for user in (unit_officer, outsider):
        assert login(user).get(url).status_code == 404
        assert login(user).post(url, {"registration": [last_year.pk]}).status_code == 404
    assert not Registration.objects.filter(campaign=this_year).exists()


def test_the_stage_counts_its_models_year_by_year(login, stage, last_year, office_user, unit):
    this_year = yearly(stage, 2027)
    registrations.registration_continue(actor=office_user, registration=last_year, into=this_year)
    RegistrationFactory(campaign=this_year, unit=unit, status=Status.SUBMITTED)
    from models_registry.selectors import campaign_model_counts

    counts = campaign_model_counts(stage)
    assert (counts["registered"], counts["accepted"], counts["continued"]) == (3, 2, 1)
    assert [(row["campaign__year"], row["registered"]) for row in counts["years"]] == [
        (2026, 1),
        (2027, 2),
    ]
    page = login(office_user).get(reverse("campaigns:detail", args=[stage.pk]))
    html = page.content.decode()
    assert 'data-testid="stage-years-counts"' in html
    assert 'data-testid="stage-years"' in html


def test_the_continue_page_takes_as_many_queries_for_three_models_as_for_one(
    login, stage, last_year, office_user, unit, queries_for
):
    this_year = yearly(stage, 2027)
    url = reverse("models_registry:continue", args=[this_year.pk])
    client = login(office_user)
    one = queries_for(client, url)
    RegistrationFactory.create_batch(2, campaign=last_year.campaign, unit=unit, status="accepted")
    assert queries_for(client, url) == one


def test_the_stage_page_takes_as_many_queries_for_three_years_as_for_one(
    login, stage, office_user, queries_for
):
    yearly(stage, 2026)
    client = login(office_user)
    url = reverse("campaigns:detail", args=[stage.pk])
    one = queries_for(client, url)
    yearly(stage, 2027)
    yearly(stage, 2028)
    assert queries_for(client, url) == one


def test_a_yearly_campaign_of_a_stage_links_the_office_to_the_models_that_continue(
    login, stage, last_year, office_user, unit_officer
):
    this_year = yearly(stage, 2027)
    link = reverse("models_registry:continue", args=[this_year.pk])
    page = login(office_user).get(reverse("campaigns:detail", args=[this_year.pk]))
    assert f'href="{link}"' in page.content.decode()
    page = login(unit_officer).get(reverse("campaigns:detail", args=[this_year.pk]))
    assert link not in page.content.decode()
