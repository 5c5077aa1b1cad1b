"""A unit with no account of its own: the office registers, edits and submits for it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from models_registry import services
from models_registry.models import Registration
from tests.factories import UnitFactory, member
from tests.models_registry.test_views import registration_post

pytestmark = pytest.mark.django_db
Status = Registration.Status


@pytest.fixture
def area(org):
    """A residential area that sends its papers by hand: no officer of its own."""
    return UnitFactory(organization=org, name="Khu dân cư Tân Lộc", kind="residential")


def create(client, campaign, unit, **extra):
    return client.post(
        reverse("models_registry:create") + f"?campaign={campaign.pk}",
        {**registration_post(campaign, **extra), "unit": unit.pk},
    )


def test_the_office_registers_and_submits_for_a_unit_with_no_account(
    login, campaign, area, office_user, during_registration
):
    client = login(office_user)
    listing = client.get(reverse("models_registry:list")).content.decode()
    assert "Nhập mô hình thay đơn vị (2025)" in listing
    response = create(client, campaign, area)
    registration = Registration.objects.get()
    assert response["Location"] == reverse("models_registry:detail", args=[registration.pk])
    assert (registration.unit, registration.on_behalf, registration.created_by) == (
        area,
        True,
        office_user,
    )
    detail = client.get(response["Location"]).content.decode()
    assert "Văn phòng nhập thay đơn vị" in detail
    assert office_user.full_name in detail
    client.post(reverse("models_registry:transition", args=[registration.pk, "submitted"]))
    registration.refresh_from_db()
    assert registration.status == Status.SUBMITTED


def test_the_office_cannot_enter_for_a_unit_that_has_its_own_officer(
    login, campaign, area, unit, unit_officer, office_user, during_registration
):
    response = create(login(office_user), campaign, unit)
    assert response.status_code == 404
    assert not Registration.objects.exists()


def test_a_unit_officer_cannot_enter_for_a_unit_with_no_account(
    login, campaign, area, unit_officer, during_registration
):
    assert create(login(unit_officer), campaign, area).status_code == 404
    assert not Registration.objects.exists()


def test_the_office_edits_the_draft_it_entered_and_others_do_not_see_it(
    login, campaign, area, office_user, viewer, unit_officer, during_registration
):
    create(login(office_user), campaign, area)
    registration = Registration.objects.get()
    edit = reverse("models_registry:edit", args=[registration.pk])
    response = login(office_user).post(
        edit, {**registration_post(campaign, name="Tên đã sửa"), "version": registration.version}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.name == "Tên đã sửa"
    for reader in (viewer, unit_officer):
        detail = reverse("models_registry:detail", args=[registration.pk])
        assert login(reader).get(detail).status_code == 404
        assert (
            registration.name
            not in login(reader).get(reverse("models_registry:list")).content.decode()
        )


def test_once_the_unit_has_an_officer_the_office_no_longer_edits_its_draft(
    campaign, area, office_user, during_registration
):
    from tests.models_registry.test_services import registration_data

    registration = services.registration_create(
        actor=office_user, campaign=campaign, unit=area, data=registration_data(campaign)
    )
    officer = member(area.organization, "unit_officer", unit=area)
    with pytest.raises(PermissionDenied):
        services.registration_update(
            actor=office_user,
            registration=Registration.objects.get(pk=registration.pk),
            data={"name": "Văn phòng sửa"},
            expected_version=registration.version,
        )
    updated = services.registration_update(
        actor=officer,
        registration=Registration.objects.get(pk=registration.pk),
        data={"name": "Đơn vị tự sửa"},
        expected_version=registration.version,
    )
    assert updated.name == "Đơn vị tự sửa"


def test_office_staff_of_another_ward_cannot_enter_for_the_unit(
    campaign, area, outsider, during_registration
):
    from tests.models_registry.test_services import registration_data

    with pytest.raises(PermissionDenied):
        services.registration_create(
            actor=outsider, campaign=campaign, unit=area, data=registration_data(campaign)
        )
    assert not Registration.objects.exists()
