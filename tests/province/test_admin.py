"""Superusers say which communes are under which province, and when."""

from datetime import date

import pytest
from django.urls import reverse

from danvan.audit.models import AuditEvent
from province.models import CommuneMembership
from tests.factories import OrganizationFactory
from tests.province.conftest import attach

ADD = reverse("admin:province_communemembership_add")


def test_a_superuser_attaches_a_commune_and_it_is_audited(province, superuser, login):
    commune = OrganizationFactory()
    response = login(superuser).post(
        ADD,
        {"province": province.pk, "commune": commune.pk, "valid_from": "2025-07-01"},
    )
    assert response.status_code == 302
    membership = CommuneMembership.objects.get()
    assert (membership.province, membership.commune) == (province, commune)
    assert AuditEvent.objects.filter(action="province.membership", organization=province).exists()


def test_a_commune_cannot_be_under_two_provinces_at_once(
    province, other_province, superuser, login
):
    commune = OrganizationFactory()
    attach(province, commune, valid_from=date(2025, 7, 1))
    response = login(superuser).post(
        ADD,
        {"province": other_province.pk, "commune": commune.pk, "valid_from": "2026-01-01"},
    )
    assert response.status_code == 200
    assert "đã trực thuộc một cấp tỉnh" in response.content.decode()
    assert CommuneMembership.objects.count() == 1


def test_a_merge_closes_one_period_and_the_history_stays(province, superuser, login):
    old, new = OrganizationFactory(), OrganizationFactory()
    attach(province, new, valid_from=date(2020, 1, 1))
    merged = attach(province, old, valid_from=date(2020, 1, 1))
    client = login(superuser)
    response = client.post(
        reverse("admin:province_communemembership_change", args=[merged.pk]),
        {
            "province": province.pk,
            "commune": old.pk,
            "valid_from": "2020-01-01",
            "valid_to": "2025-06-30",
            "name_then": "Phường Phổ Thạnh",
            "merged_into": new.pk,
            "note": "Sáp nhập theo Nghị quyết của Ủy ban Thường vụ Quốc hội.",
        },
    )
    assert response.status_code == 302
    from province.selectors import commune_ids

    assert commune_ids(province, year=2024) == {old.pk, new.pk}
    assert commune_ids(province, year=2026) == {new.pk}


@pytest.mark.parametrize("role_fixture", ["office_user", "province_office", "superuser"])
def test_only_superusers_reach_the_communes_of_a_province(role_fixture, request, rf):
    from django.contrib import admin

    user = request.getfixturevalue(role_fixture)
    model_admin = admin.site._registry[CommuneMembership]
    get = rf.get("/admin/province/communemembership/")
    get.user = user
    allowed = role_fixture == "superuser"
    assert model_admin.has_module_permission(get) is allowed
    assert model_admin.has_view_permission(get) is allowed
    assert model_admin.has_add_permission(get) is allowed
    assert model_admin.has_delete_permission(get) is False
