"""Units as wards have them: kinds named the ward's way, and groups of units."""

from io import BytesIO

import pytest
from django.urls import reverse

from danvan.accounts import services
from danvan.accounts.models import Unit, UnitGroup
from danvan.accounts.tables import UNIT_COLUMNS
from danvan.excel import read_table
from tests.accounts.test_excel_import import upload, xlsx
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

HEADER = ["Tên đơn vị", "Tên viết tắt", "Loại đơn vị", "Nhóm", "Đang hoạt động"]


def rows(*lines):
    return read_table(BytesIO(xlsx([HEADER, *lines])), UNIT_COLUMNS)


def test_the_import_takes_kinds_by_the_names_wards_use_and_creates_groups(office_user, org):
    report = services.units_import(
        actor=office_user,
        organization=org,
        rows=rows(
            ["Khu dân cư Đông Hải", "KDC-DH", "Khu dân cư", "Phường Phổ Thạnh cũ", ""],
            ["Thôn Tân Lộc", "TL", "thôn", "Phường Phổ Thạnh cũ", ""],
            ["Chi bộ khu phố 2", "CB2", "Chi bộ", "", ""],
            ["Trường Tiểu học Phổ Minh", "THPM", "Trường học", "", ""],
            ["Hợp tác xã Minh Thành", "HTX", "Hợp tác xã", "", ""],
            ["Tổ dân phố số 5", "TDP5", "Tổ dân phố", "Phường Phổ Vinh cũ", ""],
        ),
        dry_run=False,
    )
    assert report.ok, report.errors
    kinds = dict(Unit.objects.filter(organization=org).values_list("short_name", "kind"))
    assert kinds == {
        "KDC-DH": "residential",
        "TL": "residential",
        "CB2": "party_cell",
        "THPM": "school",
        "HTX": "enterprise",
        "TDP5": "residential",
    }
    groups = {
        unit.short_name: unit.group.name if unit.group else ""
        for unit in Unit.objects.filter(organization=org).select_related("group")
    }
    assert groups["KDC-DH"] == groups["TL"] == "Phường Phổ Thạnh cũ"
    assert groups["TDP5"] == "Phường Phổ Vinh cũ"
    assert groups["CB2"] == ""
    assert report.groups_created == ["Phường Phổ Thạnh cũ", "Phường Phổ Vinh cũ"]
    assert UnitGroup.objects.filter(organization=org).count() == 2


def test_a_dry_run_creates_no_group(office_user, org):
    report = services.units_import(
        actor=office_user,
        organization=org,
        rows=rows(["Khu dân cư số 1", "KDC1", "Khu dân cư", "Nhóm mới", ""]),
        dry_run=True,
    )
    assert report.ok
    assert report.groups_created == ["Nhóm mới"]
    assert not UnitGroup.objects.exists()
    assert not Unit.objects.filter(organization=org).exists()


def test_the_import_reuses_an_existing_group_whatever_its_accents_and_case(office_user, org):
    group = UnitGroup.objects.create(organization=org, name="Phường Phổ Thạnh cũ")
    report = services.units_import(
        actor=office_user,
        organization=org,
        rows=rows(["Khu dân cư số 1", "KDC1", "Khu dân cư", "phuong pho thanh cu", ""]),
        dry_run=False,
    )
    assert report.ok
    assert report.groups_created == []
    assert Unit.objects.get(short_name="KDC1").group == group


def test_another_wards_group_of_the_same_name_is_not_used(office_user, org, other_org):
    theirs = UnitGroup.objects.create(organization=other_org, name="Nhóm A")
    services.units_import(
        actor=office_user,
        organization=org,
        rows=rows(["Khu dân cư số 1", "KDC1", "Khu dân cư", "Nhóm A", ""]),
        dry_run=False,
    )
    group = Unit.objects.get(short_name="KDC1").group
    assert group.organization == org
    assert group != theirs


def test_an_unknown_kind_lists_the_kinds_in_vietnamese(office_user, org):
    report = services.units_import(
        actor=office_user,
        organization=org,
        rows=rows(["Đơn vị lạ", "DVL", "Loại không có", "", ""]),
        dry_run=False,
    )
    assert len(report.errors) == 1
    message = report.errors[0][1]
    assert "Khu dân cư, thôn, tổ dân phố" in message
    assert "Chi bộ" in message


def test_the_units_export_carries_the_group_and_imports_back_unchanged(login, office_user, org):
    group = UnitGroup.objects.create(organization=org, name="Phường Phổ Vinh cũ")
    UnitFactory(organization=org, name="Tổ dân phố số 7", short_name="TDP7", group=group)
    client = login(office_user)
    exported = client.get(reverse("admin:accounts_unit_export"))
    content = b"".join(exported.streaming_content) if exported.streaming else exported.content
    table = read_table(BytesIO(content), UNIT_COLUMNS)
    assert table[0]["group"] == "Phường Phổ Vinh cũ"
    response = client.post(
        reverse("admin:accounts_unit_import"), {"step": "preview", "file": upload(content)}
    )
    report = response.context["report"]
    assert report.unchanged == ["TDP7"]
    assert not report.updated
    assert not report.created


def test_office_staff_group_units_only_with_their_own_groups(login, office_user, org, other_org):
    ours = UnitGroup.objects.create(organization=org, name="Nhóm của phường")
    theirs = UnitGroup.objects.create(organization=other_org, name="Nhóm phường khác")
    unit = UnitFactory(organization=org)
    client = login(office_user)
    url = reverse("admin:accounts_unit_change", args=[unit.pk])
    queryset = client.get(url).context["adminform"].form.fields["group"].queryset
    assert ours in queryset
    assert theirs not in queryset
    data = {
        "organization": org.pk,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": "residential",
        "group": theirs.pk,
    }
    assert client.post(url, data).status_code == 200  # refused on the form
    unit.refresh_from_db()
    assert unit.group is None
    data["group"] = ours.pk
    assert client.post(url, data).status_code == 302
    unit.refresh_from_db()
    assert unit.group == ours


def test_the_group_changelist_counts_units_with_as_many_queries_for_three_groups_as_one(
    login, office_user, org, queries_for
):
    url = reverse("admin:accounts_unitgroup_changelist")
    client = login(office_user)

    def add(name):
        group = UnitGroup.objects.create(organization=org, name=name)
        UnitFactory(organization=org, group=group)

    add("Nhóm 1")
    one = queries_for(client, url)
    add("Nhóm 2")
    add("Nhóm 3")
    assert queries_for(client, url) == one
    assert client.get(url).context["cl"].result_list[0].unit_total == 1
