"""The back office offers only the current organisation's rows in every filter, facet,
autocomplete and choice list, and its pages cost the same whatever other organisations hold."""

import json

import pytest
from django.urls import reverse

from danvan.accounts.models import Membership, Unit
from models_registry.models import Registration
from tests.factories import (
    CampaignFactory,
    NominationFactory,
    OrganizationFactory,
    RegistrationFactory,
    UnitFactory,
    member,
)

pytestmark = pytest.mark.django_db
Status = Registration.Status
REGISTRATIONS = reverse("admin:models_registry_registration_changelist")
NOMINATIONS = reverse("admin:awards_nomination_changelist")


@pytest.fixture
def own(org, unit):
    campaign = CampaignFactory(organization=org, status="issued", name="Phong trào của phường")
    # A filter with a single choice is not shown: a second campaign and unit of its own.
    CampaignFactory(organization=org, status="issued", name="Phong trào năm sau")
    UnitFactory(organization=org, name="Đoàn Thanh niên phường", short_name="ĐTN")
    return RegistrationFactory(campaign=campaign, unit=unit, status=Status.SUBMITTED)


@pytest.fixture
def foreign(other_org):
    unit = UnitFactory(organization=other_org, name="Đơn vị của xã khác", short_name="XK")
    campaign = CampaignFactory(
        organization=other_org, status="issued", name="Phong trào của xã khác"
    )
    return RegistrationFactory(campaign=campaign, unit=unit, status=Status.SUBMITTED)


def test_registration_filters_list_only_the_organisations_units_and_campaigns(
    login, office_user, own, foreign
):
    content = login(office_user).get(REGISTRATIONS).content.decode()
    assert own.unit.name in content  # positive control: the filter is there
    assert own.campaign.name in content
    assert foreign.unit.name not in content
    assert foreign.campaign.name not in content


def test_nomination_filters_list_only_the_organisations_campaigns(login, chairman, org, other_org):
    own = NominationFactory(campaign=CampaignFactory(organization=org, status="issued"))
    CampaignFactory(organization=org, status="issued", name="Phong trào năm sau")
    foreign = NominationFactory(
        campaign=CampaignFactory(organization=other_org, status="issued", name="Chiến dịch lạ")
    )
    content = login(chairman).get(NOMINATIONS).content.decode()
    assert own.campaign.name in content
    assert foreign.campaign.name not in content


def test_membership_unit_filter_lists_only_the_organisations_units(
    login, office_user, unit, other_org
):
    UnitFactory(organization=other_org, name="Đơn vị của xã khác", short_name="XK")
    content = login(office_user).get(reverse("admin:accounts_membership_changelist"))
    content = content.content.decode()
    assert unit.name in content
    assert "Đơn vị của xã khác" not in content


def test_the_registration_list_answers_with_thousands_of_units_elsewhere(
    login, office_user, own, other_org
):
    """Django's facets count every choice in one query, one column each; PostgreSQL
    refuses more than 1,664 (SQLite 2,000). Other organisations' units are not choices here."""
    Unit.objects.bulk_create(
        Unit(organization=other_org, name=f"Đơn vị {n}", short_name=f"U{n}", kind="other")
        for n in range(2100)
    )
    response = login(office_user).get(REGISTRATIONS, {"_facets": "True"})
    assert response.status_code == 200
    assert own.name in response.content.decode()


def test_a_superusers_filters_follow_the_chosen_organisation(login, superuser, own, foreign):
    client = login(superuser)
    chosen = client.get(
        REGISTRATIONS, {"organization__id__exact": foreign.organization_id}
    ).content.decode()
    assert foreign.unit.name in chosen
    assert own.unit.name not in chosen


def test_the_organisation_choice_of_superusers_has_no_counts(login, superuser, own, foreign):
    content = login(superuser).get(REGISTRATIONS, {"_facets": "True"}).content.decode()
    assert f"{own.organization.name} (" not in content
    assert own.organization.name in content
    assert f"{own.unit.name} (1)" in content  # the other filters keep their counts


def test_unit_autocomplete_offers_only_the_organisations_units(login, office_user, unit, other_org):
    UnitFactory(organization=other_org, name="Đơn vị của xã khác", short_name="XK")
    response = login(office_user).get(
        reverse("admin:autocomplete"),
        {
            "app_label": "accounts",
            "model_name": "membership",
            "field_name": "unit",
            "term": "Đơn vị",
        },
    )
    assert response.status_code == 200
    names = [row["text"] for row in json.loads(response.content)["results"]]
    assert "Đơn vị của xã khác" not in names
    assert unit.name in login(office_user).get(
        reverse("admin:autocomplete"),
        {"app_label": "accounts", "model_name": "membership", "field_name": "unit", "term": ""},
    ).content.decode("unicode_escape")


def test_admin_search_is_accent_insensitive(login, office_user, org, unit):
    campaign = CampaignFactory(organization=org, status="issued")
    wanted = RegistrationFactory(
        campaign=campaign, unit=unit, status=Status.SUBMITTED, name="Dịch vụ công trực tuyến"
    )
    other = RegistrationFactory(
        campaign=campaign, unit=unit, status=Status.SUBMITTED, name="Đường hoa nông thôn"
    )
    content = login(office_user).get(REGISTRATIONS, {"q": "dich vu cong"}).content.decode()
    assert wanted.name in content
    assert other.name not in content


def _other_organisation_with_data():
    organization = OrganizationFactory()
    units = [UnitFactory(organization=organization) for _ in range(3)]
    campaign = CampaignFactory(organization=organization, status="issued")
    for unit in units:
        RegistrationFactory(campaign=campaign, unit=unit, status=Status.SUBMITTED)
        NominationFactory(campaign=campaign, unit=unit)
        member(organization, Membership.Role.UNIT_OFFICER, unit=unit)
    return organization


@pytest.mark.parametrize(
    "url",
    [
        REGISTRATIONS,
        REGISTRATIONS + "?_facets=True",
        NOMINATIONS,
        NOMINATIONS + "?_facets=True",
        reverse("admin:accounts_membership_changelist"),
        reverse("admin:accounts_unit_changelist"),
    ],
)
def test_admin_lists_cost_the_same_queries_whatever_other_organisations_hold(
    login, chairman, office_user, own, queries_for, url
):
    NominationFactory(campaign=own.campaign, unit=own.unit)
    client = login(chairman if url == NOMINATIONS else office_user)
    alone = queries_for(client, url)
    _other_organisation_with_data()
    _other_organisation_with_data()
    assert queries_for(client, url) == alone
