"""A deletion the back office refuses is answered from the rows that point at what would be
deleted (``danvan.admin_deletion``), and answers as Django's own collection would."""

import pytest
from django.contrib.admin import site
from django.contrib.admin.utils import get_deleted_objects
from django.test import RequestFactory
from django.urls import reverse

from api.models import ApiToken
from api.services import token_issue
from danvan.accounts.models import Organization, Unit, User
from danvan.admin_deletion import DELETION_NAMED, deletion_refusal
from danvan.admin_site import OrganizationScopedAdmin
from models_registry.models import Registration
from tests.factories import RegistrationFactory, UnitFactory
from tests.permissions.world import ROLES, seed_world

pytestmark = pytest.mark.django_db


def _delete_url(unit):
    return reverse("admin:accounts_unit_delete", args=[unit.pk])


def test_a_unit_with_models_is_refused_naming_its_first_models_and_counting_the_rest(
    login, office_user, org
):
    unit = UnitFactory(organization=org, name="Chi hội Cựu chiến binh")
    for index in range(DELETION_NAMED + 2):
        RegistrationFactory(organization=org, unit=unit, name=f"Mô hình số {index:02d}")
    client = login(office_user)
    content = client.get(_delete_url(unit)).content.decode()
    assert "Không xóa được đơn vị “Chi hội Cựu chiến binh”." in content
    assert "Mô hình số 00" in content
    assert "Mô hình số 11" not in content
    assert "… và 2 mô hình đăng ký khác" in content
    assert "bỏ chọn “đang hoạt động” thay vì xóa" in content
    assert 'name="post"' not in content  # nothing to confirm
    client.post(_delete_url(unit), {"post": "yes"})
    assert Unit.objects.filter(pk=unit.pk).exists()
    assert Registration.objects.filter(unit=unit).count() == DELETION_NAMED + 2


def test_units_chosen_in_the_list_with_models_are_refused_and_none_is_deleted(
    login, office_user, org
):
    busy, idle = UnitFactory(organization=org), UnitFactory(organization=org)
    RegistrationFactory(organization=org, unit=busy)
    client = login(office_user)
    data = {"action": "delete_selected", "_selected_action": [busy.pk, idle.pk]}
    content = client.post(reverse("admin:accounts_unit_changelist"), data).content.decode()
    assert "Không xóa được các đơn vị đã chọn." in content
    client.post(reverse("admin:accounts_unit_changelist"), {**data, "post": "yes"})
    assert Unit.objects.filter(pk__in=[busy.pk, idle.pk]).count() == 2


def test_a_unit_nothing_points_at_is_deleted_after_the_usual_confirmation(login, office_user, org):
    unit = UnitFactory(organization=org)
    client = login(office_user)
    page = client.get(_delete_url(unit)).content.decode()
    assert "Không xóa được" not in page
    assert 'name="post"' in page
    client.post(_delete_url(unit), {"post": "yes"})
    assert not Unit.objects.filter(pk=unit.pk).exists()


def test_an_organisation_whose_rows_nobody_may_delete_is_refused_with_their_count(
    login, superuser, office_user, org
):
    token_issue(actor=office_user, organization=org, name="Cổng dữ liệu tỉnh")
    url = reverse("admin:accounts_organization_delete", args=[org.pk])
    client = login(superuser)
    content = client.get(url).content.decode()
    assert "Xóa sẽ xóa theo những dữ liệu sau, mà tài khoản của bạn không được xóa:" in content
    assert f"{ApiToken._meta.verbose_name_plural} (1)" in content
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Organization.objects.filter(pk=org.pk).exists()


def test_a_refused_deletion_takes_as_many_queries_for_three_models_as_for_one(
    login, queries_for, office_user, org
):
    unit = UnitFactory(organization=org)
    RegistrationFactory(organization=org, unit=unit)
    client = login(office_user)
    one = queries_for(client, _delete_url(unit))
    for _index in range(2):
        RegistrationFactory(organization=org, unit=unit)
    assert queries_for(client, _delete_url(unit)) == one


def test_every_refusal_from_the_pointing_rows_is_one_djangos_collection_makes_too():
    """On the demo ward, for the first rows of every back-office list, as office staff
    and as a superuser: wherever the rows pointing at a row refuse its deletion, Django,
    collecting every row the deletion would reach, refuses it too."""
    seed_world()
    organization = Organization.objects.get(code="pho-minh")
    refused = 0
    for user in (
        User.objects.get(username=ROLES["office"]),
        User.objects.filter(is_superuser=True).first(),
    ):
        request = RequestFactory().get("/")
        request.user, request.organization = user, organization
        for model_admin in site._registry.values():
            if not isinstance(model_admin, OrganizationScopedAdmin):
                continue
            for obj in model_admin.get_queryset(request).order_by("pk")[:3]:
                if deletion_refusal([obj], request, site) is None:
                    continue
                refused += 1
                _objects, _counts, perms_needed, protected = get_deleted_objects(
                    [obj], request, site
                )
                assert perms_needed or protected, f"{type(obj).__name__} {obj.pk}"
    assert refused > 10  # the check above ran on real refusals
