import pytest
from django.urls import reverse

from danvan.accounts.models import Membership
from tests.factories import OrganizationFactory, UnitFactory, UserFactory, member

pytestmark = pytest.mark.django_db
Role = Membership.Role


def test_home_shows_the_organisation_and_role(login, unit_officer):
    content = login(unit_officer).get(reverse("home")).content.decode()
    assert unit_officer.memberships.get().organization.name in content
    assert "Cán bộ đơn vị" in content  # the user's role


def test_the_directory_lists_the_units_and_people(
    login, unit_officer, unit, other_unit, office_user
):
    response = login(unit_officer).get(reverse("inbox:directory"))
    content = response.content.decode()
    assert unit.name in content
    assert other_unit.name in content
    assert office_user.full_name in content
    assert unit_officer.full_name in content


def test_the_directory_no_longer_names_someone_who_has_left_under_their_unit(
    login, org, unit, unit_officer, office_user
):
    leaver = member(org, Role.UNIT_OFFICER, unit=unit, full_name="Lê Thị Đã Nghỉ")
    leaver.is_active = False
    leaver.save()
    content = login(office_user).get(reverse("inbox:directory")).content.decode()
    assert unit_officer.full_name in content
    assert "Lê Thị Đã Nghỉ" not in content


def test_the_directory_never_shows_another_organisations_units_or_people(
    login, unit_officer, outsider, other_org
):
    foreign_unit = UnitFactory(organization=other_org, name="Đơn vị của phường khác")
    content = login(unit_officer).get(reverse("inbox:directory")).content.decode()
    assert foreign_unit.name not in content
    assert outsider.full_name not in content
    # Positive control: the other organisation's own people see them.
    theirs = login(outsider).get(reverse("inbox:directory")).content.decode()
    assert foreign_unit.name in theirs
    assert outsider.full_name in theirs


def test_home_tells_a_user_without_any_organisation_whom_to_ask(login):
    response = login(UserFactory()).get(reverse("home"))
    assert response.status_code == 200
    assert "chưa được gán vào tổ chức nào" in response.content.decode()


def test_the_directory_takes_as_many_queries_for_three_units_and_people_as_for_one(
    login, org, queries_for
):
    viewer = member(org, Role.VIEWER)
    client = login(viewer)

    def add_unit_with_officer():
        member(org, Role.UNIT_OFFICER, unit=UnitFactory(organization=org))

    add_unit_with_officer()
    one = queries_for(client, reverse("inbox:directory"))
    add_unit_with_officer()
    add_unit_with_officer()
    assert queries_for(client, reverse("inbox:directory")) == one


def test_switching_organisation_changes_what_the_home_page_shows(login, org):
    second = OrganizationFactory(name="Ủy ban nhân dân xã Thứ Hai")
    user = member(org, Role.OFFICE)
    Membership.objects.create(user=user, organization=second, role=Role.VIEWER)
    client = login(user)
    assert org.name in client.get(reverse("home")).content.decode()
    response = client.post(reverse("accounts:organization_switch"), {"organization": second.pk})
    assert response.status_code == 302
    content = client.get(reverse("home")).content.decode()
    assert "Người xem" in content
    assert "Ủy ban nhân dân xã Thứ Hai" in content.split("</h1>")[0]


def test_switching_to_an_organisation_one_does_not_belong_to_is_404(login, unit_officer, other_org):
    client = login(unit_officer)
    response = client.post(reverse("accounts:organization_switch"), {"organization": other_org.pk})
    assert response.status_code == 404
    response = client.post(reverse("accounts:organization_switch"), {"organization": "abc"})
    assert response.status_code == 404


def test_the_switcher_lists_only_the_users_own_organisations(login, org, other_org):
    second = OrganizationFactory(name="Ủy ban nhân dân xã Thứ Hai")
    user = member(org, Role.OFFICE)
    Membership.objects.create(user=user, organization=second, role=Role.VIEWER)
    content = login(user).get(reverse("home")).content.decode()
    assert "Đổi tổ chức" in content
    assert other_org.name not in content


def test_navigation_shows_the_back_office_only_to_roles_that_run_it(
    login, office_user, unit_officer, chairman
):
    admin_url = reverse("admin:index")
    assert admin_url in login(office_user).get(reverse("home")).content.decode()
    assert admin_url in login(chairman).get(reverse("home")).content.decode()
    assert admin_url not in login(unit_officer).get(reverse("home")).content.decode()
