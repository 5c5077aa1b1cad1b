"""Signers protected: only a superuser changes the account of a chairman, a vice-chairman,
a superuser or someone who also belongs to another organisation, on every path that can
change one. Office staff still manage everyone else of their organisation."""

from io import BytesIO

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from danvan.accounts import services
from danvan.accounts.models import Membership, User
from danvan.accounts.rules import may_manage_account
from danvan.accounts.tables import USER_COLUMNS
from danvan.audit.models import AuditEvent
from danvan.excel import read_table
from tests.accounts.test_admin import memberships_as_posted
from tests.accounts.test_excel_import import USER_HEADER, upload, xlsx
from tests.factories import PASSWORD, MembershipFactory, member

pytestmark = pytest.mark.django_db
Role = Membership.Role
NEW_PASSWORD = "Mật-khẩu-mới-2026!"
USER_IMPORT = reverse("admin:accounts_user_import")


@pytest.fixture(params=["chairman", "vice_chairman", "shared", "superuser_target"])
def protected(request, org, other_org):
    """Someone office staff may not manage: a signer, a person who also belongs to
    another organisation, or a superuser who also has a role here."""
    if request.param == "chairman":
        return member(org, Role.CHAIRMAN, full_name="Lê Duy Bảo")
    if request.param == "vice_chairman":
        return member(org, Role.VICE_CHAIRMAN, full_name="Võ Thị Hoa")
    if request.param == "shared":
        person = member(org, Role.EVALUATOR, full_name="Người Hai Phường")
        MembershipFactory(user=person, organization=other_org, role=Role.VIEWER)
        return person
    return member(org, Role.VIEWER, full_name="Quản Trị Tỉnh", is_superuser=True)


@pytest.fixture
def signer(org):
    """A chairman, for the paths tested once rather than per kind of protected person."""
    return member(org, Role.CHAIRMAN, full_name="Lê Duy Bảo")


def account(user: User) -> tuple:
    """Everything about an account that office staff must not be able to change."""
    user = User.objects.get(pk=user.pk)
    memberships = sorted(
        Membership.objects.filter(user=user).values_list("organization_id", "role", "unit_id")
    )
    return (user.password, user.email, user.full_name, user.is_active, memberships)


def nothing_logged() -> bool:
    return not LogEntry.objects.exists() and not AuditEvent.objects.exists()


def change_form_data(user: User, org, **changes) -> dict:
    memberships = list(Membership.objects.filter(user=user, organization=org))
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "position_title": user.position_title,
        "is_active": "on",
        **memberships_as_posted(*memberships),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# The rule itself ---------------------------------------------------------------------


def test_office_staff_may_manage_the_other_people_of_their_organisation(
    office_user, unit_officer, evaluator, viewer, org
):
    other_office = member(org, Role.OFFICE)
    for person in (unit_officer, evaluator, viewer, other_office, office_user):
        assert may_manage_account(office_user, person), person


def test_office_staff_may_not_manage_a_protected_account(office_user, protected):
    assert not may_manage_account(office_user, protected)


def test_a_signer_of_a_suspended_organisation_stays_protected(office_user, other_org, org):
    person = member(org, Role.VIEWER)
    MembershipFactory(user=person, organization=other_org, role=Role.CHAIRMAN)
    other_org.is_active = False
    other_org.save()
    assert not may_manage_account(office_user, person)


def test_office_staff_of_both_organisations_manage_someone_of_both(office_user, org, other_org):
    MembershipFactory(user=office_user, organization=other_org, role=Role.OFFICE)
    person = member(org, Role.EVALUATOR)
    MembershipFactory(user=person, organization=other_org, role=Role.VIEWER)
    assert may_manage_account(office_user, person)


def test_only_office_staff_and_superusers_manage_accounts(
    chairman, vice_chairman, unit_officer, evaluator, viewer, superuser, protected
):
    for actor in (chairman, vice_chairman, unit_officer, viewer):
        assert not may_manage_account(actor, evaluator), actor
    assert may_manage_account(superuser, protected)
    superuser.is_active = False
    assert not may_manage_account(superuser, protected)


# The admin change form ---------------------------------------------------------------


def test_office_staff_are_refused_the_change_form_of_a_protected_account(
    login, office_user, protected, org
):
    before = account(protected)
    client = login(office_user)
    url = reverse("admin:accounts_user_change", args=[protected.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="email"' not in page.content.decode()  # read-only
    response = client.post(
        url,
        change_form_data(
            protected, org, email="ke-gian@example.vn", full_name="Đổi Tên", is_active=None
        ),
    )
    assert response.status_code == 403
    assert account(protected) == before
    assert nothing_logged()


def test_office_staff_cannot_take_a_role_away_from_a_signer_in_the_change_form(
    login, office_user, signer, org
):
    before = account(signer)
    data = change_form_data(signer, org, **{"memberships-0-DELETE": "on"})
    response = login(office_user).post(
        reverse("admin:accounts_user_change", args=[signer.pk]), data
    )
    assert response.status_code == 403
    assert account(signer) == before
    assert nothing_logged()


def test_a_superuser_changes_a_signers_account_in_the_change_form(
    login, superuser, signer, org, unit
):
    data = change_form_data(
        signer,
        org,
        email="chutich.moi@example.vn",
        full_name="Lê Duy Bảo Mới",
        **{
            "memberships-TOTAL_FORMS": "2",
            "memberships-1-organization": org.pk,
            "memberships-1-role": Role.EVALUATOR,
            "memberships-1-unit": unit.pk,
        },
    )
    response = login(superuser).post(reverse("admin:accounts_user_change", args=[signer.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    signer.refresh_from_db()
    assert (signer.email, signer.full_name) == ("chutich.moi@example.vn", "Lê Duy Bảo Mới")
    assert set(signer.memberships.values_list("role", flat=True)) == {
        Role.CHAIRMAN,
        Role.EVALUATOR,
    }
    assert AuditEvent.objects.filter(action="user.update", object_id=str(signer.pk)).exists()


def test_office_staff_still_edit_everyone_else_of_their_organisation(
    login, office_user, evaluator, org
):
    response = login(office_user).post(
        reverse("admin:accounts_user_change", args=[evaluator.pk]),
        change_form_data(evaluator, org, email="mai.moi@example.vn"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    evaluator.refresh_from_db()
    assert evaluator.email == "mai.moi@example.vn"


# The admin password form ---------------------------------------------------------------


def password_data() -> dict:
    return {
        "set_usable_password": "true",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }


def test_office_staff_are_refused_the_password_form_of_a_protected_account(
    login, office_user, protected
):
    before = account(protected)
    client = login(office_user)
    url = reverse("admin:auth_user_password_change", args=[protected.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, password_data()).status_code == 403
    assert (
        client.post(url, {"set_usable_password": "false", "unset-password": "1"}).status_code == 403
    )
    assert account(protected) == before
    assert User.objects.get(pk=protected.pk).check_password(PASSWORD)
    assert nothing_logged()


def test_a_superuser_sets_a_signers_password_and_it_is_audited(login, superuser, signer):
    url = reverse("admin:auth_user_password_change", args=[signer.pk])
    response = login(superuser).post(url, password_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    signer.refresh_from_db()
    assert signer.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="user.password_change")
    assert (event.actor, event.object_id) == (superuser, str(signer.pk))
    assert NEW_PASSWORD not in str(event.changes) + event.note


def test_office_staff_set_the_password_of_someone_else_and_it_is_audited(
    login, office_user, evaluator
):
    url = reverse("admin:auth_user_password_change", args=[evaluator.pk])
    response = login(office_user).post(url, password_data())
    assert response.status_code == 302
    evaluator.refresh_from_db()
    assert evaluator.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="user.password_change")
    assert event.actor == office_user


def test_a_password_is_never_set_for_someone_the_actor_may_not_manage(office_user, signer):
    signer.set_password(NEW_PASSWORD)
    with pytest.raises(PermissionDenied):
        services.user_password_save(actor=office_user, user=signer)
    assert User.objects.get(pk=signer.pk).check_password(PASSWORD)
    assert not AuditEvent.objects.exists()


# Bulk actions and deletion ---------------------------------------------------------------


def test_office_staff_cannot_delete_a_protected_account_in_bulk(login, office_user, protected):
    before = account(protected)
    response = login(office_user).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [protected.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert account(protected) == before
    assert nothing_logged()


def test_office_staff_cannot_delete_a_protected_persons_role_in_bulk(
    login, office_user, protected, org
):
    membership = Membership.objects.get(user=protected, organization=org)
    before = account(protected)
    client = login(office_user)
    changelist = reverse("admin:accounts_membership_changelist")
    data = {"action": "delete_selected", "_selected_action": [membership.pk]}
    confirm = client.post(changelist, data)
    assert confirm.context["perms_lacking"]  # the page says deleting it is not allowed
    response = client.post(changelist, {**data, "post": "yes"})
    assert response.status_code == 403
    assert account(protected) == before
    assert nothing_logged()


def test_a_refused_bulk_delete_among_allowed_rows_deletes_and_logs_nothing(
    login, office_user, signer, evaluator, org
):
    rows = Membership.objects.filter(user__in=[signer, evaluator], organization=org)
    response = login(office_user).post(
        reverse("admin:accounts_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [m.pk for m in rows], "post": "yes"},
    )
    assert response.status_code == 403
    assert Membership.objects.filter(user__in=[signer, evaluator]).count() == 2
    assert nothing_logged()


def test_office_staff_cannot_delete_a_signers_role_one_by_one(login, office_user, signer, org):
    membership = Membership.objects.get(user=signer, organization=org)
    response = login(office_user).post(
        reverse("admin:accounts_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert nothing_logged()


def test_office_staff_still_delete_the_role_of_someone_else_and_it_is_logged(
    login, office_user, evaluator, org
):
    membership = Membership.objects.get(user=evaluator, organization=org)
    response = login(office_user).post(
        reverse("admin:accounts_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert LogEntry.objects.filter(object_id=str(membership.pk)).count() == 1
    assert AuditEvent.objects.filter(action="membership.delete").count() == 1


def test_a_superuser_deletes_a_signers_role_and_it_is_logged_once(login, superuser, signer, org):
    membership = Membership.objects.get(user=signer, organization=org)
    response = login(superuser).post(
        reverse("admin:accounts_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert LogEntry.objects.filter(object_id=str(membership.pk)).count() == 1


def test_a_superuser_deletes_a_signers_account_in_bulk(login, superuser, signer):
    response = login(superuser).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [signer.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=signer.pk).exists()
    assert LogEntry.objects.filter(object_id=str(signer.pk)).count() == 1
    assert AuditEvent.objects.filter(action="user.delete").count() == 1


# The membership admin -----------------------------------------------------------------


def test_office_staff_cannot_change_a_protected_persons_role(
    login, office_user, protected, org, unit
):
    membership = Membership.objects.get(user=protected, organization=org)
    before = account(protected)
    response = login(office_user).post(
        reverse("admin:accounts_membership_change", args=[membership.pk]),
        {
            "user": protected.pk,
            "organization": org.pk,
            "role": Role.UNIT_OFFICER,
            "unit": unit.pk,
        },
    )
    assert response.status_code == 403
    assert account(protected) == before
    assert nothing_logged()


def test_office_staff_cannot_give_a_protected_person_another_role(
    login, office_user, protected, org, unit
):
    before = account(protected)
    response = login(office_user).post(
        reverse("admin:accounts_membership_add"),
        {"user": protected.pk, "organization": org.pk, "role": Role.EVALUATOR, "unit": unit.pk},
    )
    assert response.status_code == 200
    assert "Chỉ quản trị hệ thống mới thay đổi được tài khoản" in response.content.decode()
    assert account(protected) == before
    assert nothing_logged()


def test_office_staff_cannot_move_a_role_onto_a_signer(
    login, office_user, signer, evaluator, org, other_unit
):
    membership = Membership.objects.get(user=evaluator, organization=org)
    before = account(signer)
    response = login(office_user).post(
        reverse("admin:accounts_membership_change", args=[membership.pk]),
        {"user": signer.pk, "organization": org.pk, "role": Role.EVALUATOR, "unit": other_unit.pk},
    )
    assert response.status_code == 200
    assert "Chỉ quản trị hệ thống mới thay đổi được tài khoản" in response.content.decode()
    assert account(signer) == before
    assert Membership.objects.get(pk=membership.pk).user == evaluator


def test_a_superuser_gives_a_signer_another_role(login, superuser, signer, org, unit):
    response = login(superuser).post(
        reverse("admin:accounts_membership_add"),
        {"user": signer.pk, "organization": org.pk, "role": Role.EVALUATOR, "unit": unit.pk},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Membership.objects.filter(user=signer, role=Role.EVALUATOR).exists()


def test_the_services_refuse_roles_for_someone_the_actor_may_not_manage(
    office_user, signer, org, unit
):
    membership = Membership.objects.get(user=signer, organization=org)
    with pytest.raises(PermissionDenied):
        services.membership_grant(
            actor=office_user, user=signer, organization=org, role=Role.VIEWER
        )
    with pytest.raises(PermissionDenied):
        services.membership_change_unit(actor=office_user, membership=membership, unit=unit)
    assert account(signer)[4] == [(org.pk, Role.CHAIRMAN, None)]


# The Excel import of people -------------------------------------------------------------


def person_row(user: User, **changes) -> list:
    membership = Membership.objects.filter(user=user).select_related("unit").first()
    values = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "position_title": user.position_title,
        "role": membership.get_role_display(),
        "unit": membership.unit.short_name if membership.unit else "",
    }
    values.update(changes)
    return list(values.values())


def import_rows(rows, header=USER_HEADER):
    return read_table(BytesIO(xlsx([header, *rows])), USER_COLUMNS)


@pytest.mark.parametrize(
    "change",
    [
        {"email": "ke-gian@example.vn"},
        {"full_name": "Tên Khác"},
        {"phone": "0900 000 000"},
        {"role": "Người xem"},
    ],
)
def test_the_import_of_people_cannot_change_a_signers_account(office_user, signer, org, change):
    before = account(signer)
    report = services.users_import(
        actor=office_user,
        organization=org,
        rows=import_rows([person_row(signer, **change)]),
        dry_run=False,
    )
    assert not report.applied
    assert "chỉ quản trị hệ thống mới thay đổi được tài khoản" in report.errors[0][1]
    assert account(signer) == before
    assert not AuditEvent.objects.exists()


def test_the_import_of_people_cannot_deactivate_a_signer(office_user, signer, org):
    before = account(signer)
    rows = import_rows([[*person_row(signer), "không"]], header=[*USER_HEADER, "Đang hoạt động"])
    report = services.users_import(actor=office_user, organization=org, rows=rows, dry_run=False)
    assert not report.applied
    assert "chỉ quản trị hệ thống mới thay đổi được tài khoản" in report.errors[0][1]
    assert account(signer) == before


def test_a_file_exported_with_the_signers_in_it_imports_back_unchanged(
    login, office_user, org, chairman, vice_chairman, unit_officer
):
    response = login(office_user).get(reverse("admin:accounts_user_export"))
    rows = read_table(BytesIO(response.content), USER_COLUMNS)
    assert chairman.username in {row["username"] for row in rows}
    report = services.users_import(actor=office_user, organization=org, rows=rows, dry_run=False)
    assert report.ok, report.errors
    assert chairman.username in report.unchanged
    assert vice_chairman.username in report.unchanged


def test_the_import_page_refuses_a_signers_new_email_and_saves_nothing(
    login, office_user, signer, org
):
    before = account(signer)
    content = xlsx([USER_HEADER, person_row(signer, email="ke-gian@example.vn")])
    response = login(office_user).post(USER_IMPORT, {"step": "preview", "file": upload(content)})
    assert not response.context["report"].ok
    assert "chỉ quản trị hệ thống mới thay đổi được tài khoản" in response.content.decode()
    assert not response.context["token"]
    assert account(signer) == before
    assert nothing_logged()


def test_a_superuser_imports_a_signers_new_email(superuser, signer, org):
    report = services.users_import(
        actor=superuser,
        organization=org,
        rows=import_rows([person_row(signer, email="chutich.moi@example.vn")]),
        dry_run=False,
    )
    assert report.applied, report.errors
    assert User.objects.get(pk=signer.pk).email == "chutich.moi@example.vn"


def test_the_import_still_updates_everyone_else(office_user, evaluator, org):
    report = services.users_import(
        actor=office_user,
        organization=org,
        rows=import_rows([person_row(evaluator, email="mai.moi@example.vn")]),
        dry_run=False,
    )
    assert report.applied, report.errors
    assert User.objects.get(pk=evaluator.pk).email == "mai.moi@example.vn"


# Profile editing -----------------------------------------------------------------------


def test_a_signer_edits_their_own_profile(login, signer):
    response = login(signer).post(
        reverse("accounts:profile"),
        {
            "full_name": signer.full_name,
            "email": "bao@example.vn",
            "phone": "",
            "position_title": "",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(pk=signer.pk).email == "bao@example.vn"


def test_the_profile_service_refuses_someone_elses_protected_account(office_user, signer):
    before = account(signer)
    with pytest.raises(PermissionDenied):
        services.user_update_profile(
            actor=office_user, user=signer, data={"email": "ke-gian@example.vn"}
        )
    assert account(signer) == before


# Own password changes and resets are audited ---------------------------------------------


def test_changing_ones_own_password_is_audited(login, signer):
    response = login(signer).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.password_change")
    assert (event.actor, event.object_id) == (signer, str(signer.pk))


def test_a_completed_password_reset_is_audited(client, signer):
    path = services.password_reset_path(signer)
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    assert not AuditEvent.objects.exists()
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(pk=signer.pk).check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="user.password_reset")
    assert (event.actor, event.object_id) == (signer, str(signer.pk))


def test_changing_ones_password_in_the_back_office_is_audited(login, office_user):
    response = login(office_user).post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="user.password_change", actor=office_user).exists()
