import pytest
from django.urls import reverse

from danvan.accounts.models import Membership, Unit, User
from danvan.audit.models import AuditEvent
from danvan.audit.services import audit_record
from tests.factories import PASSWORD, MembershipFactory, UnitFactory, member

pytestmark = pytest.mark.django_db
Role = Membership.Role


def test_the_admin_is_titled_with_the_portals_name_in_vietnamese(login, office_user):
    content = login(office_user).get(reverse("admin:index")).content.decode()
    assert "Dân vận khéo – Quản trị" in content
    assert "Đơn vị" in content


def test_roles_without_back_office_are_refused_the_admin(login, unit_officer, viewer):
    for user in (unit_officer, viewer):
        assert login(user).get(reverse("admin:index")).status_code == 403


def test_anonymous_visitors_of_the_admin_go_to_the_portal_login_and_come_back(client, office_user):
    response = client.get(reverse("admin:index"), follow=True)
    final_url = response.redirect_chain[-1][0]
    assert final_url == reverse("accounts:login") + "?next=/admin/"
    response = client.post(
        final_url, {"username": office_user.username, "password": PASSWORD, "next": "/admin/"}
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_office_staff_see_only_their_own_organisations_units(login, office_user, unit, other_org):
    foreign = UnitFactory(organization=other_org, name="Đơn vị phường bên cạnh")
    content = login(office_user).get(reverse("admin:accounts_unit_changelist")).content.decode()
    assert unit.name in content
    assert foreign.name not in content


def test_another_organisations_records_are_404_in_the_admin(
    login, office_user, other_org, outsider
):
    foreign_unit = UnitFactory(organization=other_org)
    membership = Membership.objects.get(user=outsider)
    event = audit_record(actor=outsider, action="unit.update", obj=foreign_unit)
    client = login(office_user)
    for url in (
        reverse("admin:accounts_unit_change", args=[foreign_unit.pk]),
        reverse("admin:accounts_organization_change", args=[other_org.pk]),
        reverse("admin:accounts_user_change", args=[outsider.pk]),
        reverse("admin:accounts_membership_change", args=[membership.pk]),
        reverse("admin:audit_auditevent_change", args=[event.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_superusers_see_every_organisation(login, superuser, unit, other_org):
    foreign = UnitFactory(organization=other_org, name="Đơn vị phường bên cạnh")
    content = login(superuser).get(reverse("admin:accounts_unit_changelist")).content.decode()
    assert unit.name in content
    assert foreign.name in content


def test_office_staff_add_a_unit_to_their_organisation_and_it_is_audited(login, office_user, org):
    response = login(office_user).post(
        reverse("admin:accounts_unit_add"),
        {
            "organization": org.pk,
            "name": "Hội Người cao tuổi phường",
            "short_name": "HNCT",
            "kind": "front",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Unit.objects.get(short_name="HNCT")
    assert unit.organization == org
    event = AuditEvent.objects.get(action="unit.create")
    assert event.organization == org
    assert event.actor == office_user
    assert event.changes["name"] == [None, "Hội Người cao tuổi phường"]


def test_a_duplicate_unit_name_is_refused_in_vietnamese(login, office_user, org, unit):
    response = login(office_user).post(
        reverse("admin:accounts_unit_add"),
        {"organization": org.pk, "name": unit.name, "short_name": "KHAC", "kind": "front"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tổ chức đã có đơn vị trùng tên." in page
    assert "Hãy sửa các lỗi bên dưới." in page
    assert "Please correct" not in page


def test_office_staff_cannot_put_a_unit_into_another_organisation(login, office_user, other_org):
    response = login(office_user).post(
        reverse("admin:accounts_unit_add"),
        {"organization": other_org.pk, "name": "Đơn vị lạ", "short_name": "LA", "kind": "front"},
    )
    assert response.status_code == 200
    assert not Unit.objects.filter(short_name="LA").exists()


def test_the_deactivate_action_goes_through_the_service_and_is_audited(login, office_user, unit):
    response = login(office_user).post(
        reverse("admin:accounts_unit_changelist"),
        {"action": "deactivate_units", "_selected_action": [unit.pk]},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert not unit.is_active
    assert AuditEvent.objects.filter(action="unit.deactivate", object_id=str(unit.pk)).exists()


def _user_add_data(org, **extra):
    data = {
        "username": "nguoimoi",
        "full_name": "Người Mới",
        "email": "moi@example.vn",
        "phone": "",
        "position_title": "Cán bộ",
        "usable_password": "false",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "1",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-organization": org.pk,
        "memberships-0-role": "evaluator",
        "memberships-0-unit": "",
    }
    data.update(extra)
    return data


def test_office_staff_create_a_person_with_a_role_in_their_organisation(login, office_user, org):
    response = login(office_user).post(reverse("admin:accounts_user_add"), _user_add_data(org))
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="nguoimoi")
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, organization=org, role="evaluator").exists()
    assert AuditEvent.objects.filter(action="membership.create").exists()
    assert "password" not in str(AuditEvent.objects.get(action="user.create").changes)


def _form_as_posted(page) -> dict:
    """The admin change form's fields as the page filled them, ready to post back."""
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or name == "password":
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value
    return data


def memberships_as_posted(*memberships, role=None) -> dict:
    """The person page's roles as posted: each membership as stored (``role`` changes
    the first one's role)."""
    data = {
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, membership in enumerate(memberships):
        data.update(
            {
                f"memberships-{index}-id": membership.pk,
                f"memberships-{index}-user": membership.user_id,
                f"memberships-{index}-organization": membership.organization_id,
                f"memberships-{index}-role": (role if index == 0 and role else membership.role),
                f"memberships-{index}-unit": membership.unit_id or "",
            }
        )
    return data


def _account_someone_else_set_up(org):
    """A viewer's account whose password, and phone, whoever made it knows."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    person = member(org, Role.VIEWER, username="chutich.moi", email="office@example.vn")
    TOTPDevice.objects.create(user=person, name="Điện thoại văn phòng", confirmed=True)
    return person


def test_an_account_given_the_chairmans_role_is_closed_to_whoever_set_it_up(
    client, login, superuser, org
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    person = _account_someone_else_set_up(org)
    client.force_login(person)
    assert client.get(reverse("home")).status_code == 200
    response = login(superuser).post(
        reverse("admin:accounts_membership_add"),
        {"user": person.pk, "organization": org.pk, "role": "chairman", "unit": ""},
        follow=True,
    )
    assert "vừa nhận vai trò Chủ tịch, Phó Chủ tịch" in response.content.decode()
    person.refresh_from_db()
    assert not person.has_usable_password()
    assert person.email == ""  # the office's mailbox no longer receives its reset links
    assert not TOTPDevice.objects.filter(user=person).exists()
    # The session opened with the old password has ended.
    assert client.get(reverse("home")).status_code == 302
    event = AuditEvent.objects.get(action="user.signer_secure")
    assert event.organization_id == org.pk


def test_a_role_changed_to_vice_chairman_on_the_persons_page_closes_the_account_too(
    login, superuser, org
):
    person = _account_someone_else_set_up(org)
    membership = Membership.objects.get(user=person)
    page = login(superuser).get(reverse("admin:accounts_user_change", args=[person.pk]))
    data = {**_form_as_posted(page), **memberships_as_posted(membership, role="vice_chairman")}
    response = login(superuser).post(reverse("admin:accounts_user_change", args=[person.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    person.refresh_from_db()
    assert Membership.objects.get(user=person).role == "vice_chairman"
    assert not person.has_usable_password()


def test_a_superuser_giving_themself_a_signers_role_keeps_their_own_account(login, superuser, org):
    response = login(superuser).post(
        reverse("admin:accounts_membership_add"),
        {"user": superuser.pk, "organization": org.pk, "role": "chairman", "unit": ""},
    )
    assert response.status_code == 302
    superuser.refresh_from_db()
    assert superuser.has_usable_password()
    assert not AuditEvent.objects.filter(action="user.signer_secure").exists()


def test_a_superuser_adding_a_new_chairman_keeps_the_password_typed(login, superuser, org):
    data = _user_add_data(
        org,
        **{
            "memberships-0-role": "chairman",
            "usable_password": "true",
            "password1": "Chutich@2025-moi",
            "password2": "Chutich@2025-moi",
        },
    )
    response = login(superuser).post(reverse("admin:accounts_user_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.get(username="nguoimoi").check_password("Chutich@2025-moi")
    assert not AuditEvent.objects.filter(action="user.signer_secure").exists()


def _office_sets_a_password_and_adds_someone(client, org, unit):
    """Two things an office does to its people in the back office; returns the client."""
    person = member(org, Role.UNIT_OFFICER, unit=unit)
    client.post(
        reverse("admin:auth_user_password_change", args=[person.pk]),
        {"usable_password": "true", "password1": "Matkhau@2025x", "password2": "Matkhau@2025x"},
    )
    client.post(reverse("admin:accounts_user_add"), _user_add_data(org))
    return client


def test_what_an_office_does_to_its_people_is_in_its_own_audit_trail(login, office_user, org, unit):
    client = _office_sets_a_password_and_adds_someone(login(office_user), org, unit)
    events = AuditEvent.objects.filter(action__in=["user.password_change", "user.create"])
    assert sorted(events.values_list("action", "organization_id")) == [
        ("user.create", org.pk),
        ("user.password_change", org.pk),
    ]
    listed = client.get(reverse("admin:audit_auditevent_changelist")).content.decode()
    assert "user.password_change" in listed


def test_office_staff_cannot_grant_the_chairmans_role(login, office_user, org):
    response = login(office_user).post(
        reverse("admin:accounts_user_add"),
        _user_add_data(org, **{"memberships-0-role": "chairman"}),
    )
    assert response.status_code == 200
    assert "Chỉ quản trị hệ thống mới gán hoặc bỏ vai trò Chủ tịch" in response.content.decode()
    assert not User.objects.filter(username="nguoimoi").exists()


def test_office_staff_cannot_edit_a_person_who_also_works_for_another_organisation(
    login, office_user, org, other_org
):
    shared = member(org, Role.EVALUATOR)
    MembershipFactory(user=shared, organization=other_org, role=Role.VIEWER)
    client = login(office_user)
    url = reverse("admin:accounts_user_change", args=[shared.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="full_name"' not in response.content.decode()  # read-only
    response = client.post(url, {"username": shared.username, "full_name": "Đổi tên"})
    assert response.status_code == 403


def test_the_audit_trail_is_read_only_even_for_superusers(login, superuser, office_user, org):
    event = audit_record(actor=office_user, action="unit.create", obj=org)
    client = login(superuser)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    assert (
        client.post(
            reverse("admin:audit_auditevent_change", args=[event.pk]), {"action": "x"}
        ).status_code
        == 403
    )
    event.refresh_from_db()
    assert event.action == "unit.create"


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:accounts_unit_changelist",
        "admin:accounts_user_changelist",
        "admin:accounts_membership_changelist",
        "admin:audit_auditevent_changelist",
        "admin:accounts_organization_changelist",
    ],
)
def test_admin_lists_take_as_many_queries_for_three_rows_as_for_one(
    login, office_user, org, queries_for, url_name
):
    def add_row():
        unit = UnitFactory(organization=org)
        user = member(org, Role.UNIT_OFFICER, unit=unit)
        audit_record(actor=user, action="unit.update", obj=unit)

    client = login(office_user)
    add_row()
    one = queries_for(client, reverse(url_name))
    add_row()
    add_row()
    assert queries_for(client, reverse(url_name)) == one


def test_renaming_a_person_to_a_capitalised_copy_of_a_taken_username_is_refused(
    login, office_user, org
):
    member(org, Role.VIEWER, username="phominh.xem")
    person = member(org, Role.VIEWER, username="phominh.khac", full_name="Người Khác")
    client = login(office_user)
    page = client.get(reverse("admin:accounts_user_change", args=[person.pk]))
    data = {**_form_as_posted(page), **memberships_as_posted(), "username": "Phominh.Xem"}
    response = client.post(reverse("admin:accounts_user_change", args=[person.pk]), data)
    assert response.status_code == 200
    assert "Tên đăng nhập này đã có người dùng." in response.content.decode()
    assert 'value="Phominh.Xem"' in response.content.decode()
    person.refresh_from_db()
    assert person.username == "phominh.khac"


def test_a_password_too_short_is_refused_in_vietnamese(login, viewer):
    response = login(viewer).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    content = response.content.decode()
    assert "Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất" in content
    assert "too short" not in content


def test_the_office_is_told_that_removing_a_password_does_not_keep_a_person_out(
    login, office_user, org
):
    person = member(org, Role.VIEWER)
    page = login(office_user).get(reverse("admin:auth_user_password_change", args=[person.pk]))
    content = page.content.decode()
    assert "hãy bỏ chọn “Đang hoạt động” của họ" in content
    assert "LDAP" not in content


def test_a_commune_office_is_offered_and_may_give_only_a_communes_roles(login, office_user, org):
    client = login(office_user)
    page = client.get(reverse("admin:accounts_user_add")).content.decode()
    assert "Văn phòng cấp tỉnh" not in page
    assert "Thành viên đoàn kiểm tra" in page
    response = client.post(
        reverse("admin:accounts_user_add"),
        _user_add_data(org, **{"memberships-0-role": "province_office"}),
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="nguoimoi").exists()


def test_an_import_refuses_a_province_role_in_a_commune(office_user, org):
    from danvan.accounts import services
    from danvan.excel import Row

    row = Row(
        3,
        {
            "username": "tinh.gia",
            "full_name": "Người Giả",
            "email": "",
            "phone": "",
            "position_title": "",
            "role": "Văn phòng cấp tỉnh (thi đua – khen thưởng)",
            "unit": "",
            "is_active": "có",
        },
    )
    report = services.users_import(
        actor=office_user, organization=org, rows=[row], dry_run=False, send_invitations=False
    )
    assert report.errors
    assert "không có" in report.errors[0][1]
    assert not User.objects.filter(username="tinh.gia").exists()


def test_the_back_office_lists_and_history_say_nothing_in_english(
    login, office_user, superuser, org, unit
):
    person = member(org, Role.VIEWER)
    client = login(office_user)
    units = client.get(reverse("admin:accounts_unit_changelist")).content.decode()
    assert "Phân trang danh sách" in units
    assert "Pagination" not in units
    history = client.get(reverse("admin:accounts_user_history", args=[person.pk])).content.decode()
    assert "Pagination" not in history
    assert "entries" not in history
    assert "entry" not in history
    index = login(superuser).get(reverse("admin:index")).content.decode()
    assert "Đăng nhập sai, tạm khóa" in index
    assert "Việc chạy nền" in index
    for english in ("Axes", "Access attempts", "Tasks Database Backend", "Task Results"):
        assert english not in index


def test_a_superuser_finds_one_communes_people_by_its_filter(login, superuser, org, other_org):
    ours = member(org, Role.VIEWER, full_name="Người Phổ Minh")
    theirs = member(other_org, Role.VIEWER, full_name="Người Xã Khác")
    page = login(superuser).get(
        reverse("admin:accounts_user_changelist"),
        {"memberships__organization__id__exact": org.pk},
    )
    content = page.content.decode()
    assert ours.full_name in content
    assert theirs.full_name not in content


def test_office_staff_cannot_lock_themselves_out(login, office_user, org):
    client = login(office_user)
    page = client.get(reverse("admin:accounts_user_change", args=[office_user.pk]))
    data = {
        **_form_as_posted(page),
        **memberships_as_posted(Membership.objects.get(user=office_user)),
    }
    del data["is_active"]  # unticked
    response = client.post(reverse("admin:accounts_user_change", args=[office_user.pk]), data)
    assert response.status_code == 200
    assert "Bạn không tự ngừng hoạt động tài khoản của mình được" in response.content.decode()
    office_user.refresh_from_db()
    assert office_user.is_active


def test_the_audit_trail_names_actions_and_changes_in_words(login, office_user, org, unit):
    client = _office_sets_a_password_and_adds_someone(login(office_user), org, unit)
    listed = client.get(reverse("admin:audit_auditevent_changelist")).content.decode()
    assert "Người dùng: đổi mật khẩu" in listed
    assert ">user.password_change<" not in listed
    event = AuditEvent.objects.get(action="user.create")
    page = client.get(reverse("admin:audit_auditevent_change", args=[event.pk])).content.decode()
    assert "Người dùng: thêm" in page
    assert "<div>họ và tên: → Người Mới</div>" in page


def test_two_office_staff_editing_one_person_never_lose_a_change_silently(login, office_user, org):
    person = member(org, Role.VIEWER, phone="0905 111 222", position_title="Cán bộ")
    url = reverse("admin:accounts_user_change", args=[person.pk])
    first, second = login(office_user), login(office_user)
    page_a, page_b = first.get(url), second.get(url)
    inline = memberships_as_posted()
    saved = first.post(url, {**_form_as_posted(page_a), **inline, "phone": "0912 333 444"})
    assert saved.status_code == 302
    stale = second.post(url, {**_form_as_posted(page_b), **inline, "position_title": "Chuyên viên"})
    assert stale.status_code == 200
    content = stale.content.decode()
    assert "vừa được người khác sửa" in content
    assert 'value="Chuyên viên"' in content
    person.refresh_from_db()
    assert person.phone == "0912 333 444"
    assert person.position_title == "Cán bộ"


def test_two_office_staff_editing_one_unit_never_lose_a_change_silently(login, office_user, unit):
    url = reverse("admin:accounts_unit_change", args=[unit.pk])
    first, second = login(office_user), login(office_user)
    page_a, page_b = first.get(url), second.get(url)
    assert first.post(url, {**_form_as_posted(page_a), "short_name": "ĐVM"}).status_code == 302
    stale = second.post(url, {**_form_as_posted(page_b), "name": "Tên sửa đồng thời"})
    assert "vừa được người khác sửa" in stale.content.decode()
    unit.refresh_from_db()
    assert unit.short_name == "ĐVM"
    assert unit.name != "Tên sửa đồng thời"
