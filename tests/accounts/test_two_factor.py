"""Two-factor sign-in: enrolment, codes, backup codes, throttling, enforcement."""

import re
from datetime import date
from io import StringIO
from urllib.parse import quote

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from awards import services as awards_services
from awards.models import AwardDecision
from campaigns.models import Campaign
from danvan.accounts import services
from danvan.accounts.models import Membership, User
from danvan.audit.models import AuditEvent
from tests.factories import (
    PASSWORD,
    TOTP_SECRET,
    CampaignFactory,
    NominationFactory,
    complete_plan,
    totp_code,
    totp_device,
)
from tests.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db
Role = Membership.Role

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:otp_verify")
ENROL = reverse("accounts:otp_enrol")
ADMIN = reverse("admin:index")
HOME = reverse("home")


def sign_in(client, user, next_url=""):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def secret_on(page) -> str:
    match = re.search(r'data-testid="otp-secret">([A-Z2-7 ]+)<', page.content.decode())
    return match.group(1).replace(" ", "")


def is_verified(client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


# When it is required ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["chairman", "vice_chairman", "office_user", "superuser"])
def test_signers_office_staff_and_superusers_enrol_at_their_first_sign_in(
    client, require_2fa, who, request
):
    user = request.getfixturevalue(who)
    response = sign_in(client, user)
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL)
    # Until they enrol, the portal keeps them on that page.
    assert client.get(HOME)["Location"].startswith(ENROL)
    assert client.get(ADMIN)["Location"].startswith(ENROL)


@pytest.mark.parametrize("who", ["unit_officer", "evaluator", "viewer"])
def test_other_roles_sign_in_with_the_password_alone(client, require_2fa, who, request):
    user = request.getfixturevalue(who)
    response = sign_in(client, user)
    assert response["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_with_2fa_not_required_a_signer_without_an_app_signs_in_with_the_password(
    client, chairman, settings
):
    settings.REQUIRE_2FA = False
    response = sign_in(client, chairman)
    assert response["Location"] == HOME
    assert client.get(ADMIN).status_code == 200


def test_with_2fa_not_required_someone_who_enrolled_is_still_asked_for_a_code(
    client, chairman, settings
):
    settings.REQUIRE_2FA = False
    totp_device(chairman)
    response = sign_in(client, chairman, next_url="/awards/")
    assert response["Location"] == f"{VERIFY}?next=%2Fawards%2F"
    # Ordinary pages open, but the back office waits for the code.
    assert client.get(HOME).status_code == 200
    assert client.get(ADMIN)["Location"].startswith(VERIFY)


def test_pages_open_to_everyone_stay_open_before_the_code(client, chairman, require_2fa):
    sign_in(client, chairman)
    assert client.get(reverse("health")).status_code == 200
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.post(reverse("accounts:logout"))["Location"] == LOGIN


def test_the_setting_defaults_to_on_in_production_and_off_in_development():
    def value(**env) -> str:
        command = "from django.conf import settings; print(settings.REQUIRE_2FA)"
        return manage("shell", "--no-imports", "-c", command, **env).stdout.strip()

    assert value(**PRODUCTION) == "True"
    assert value(DEBUG="1") == "False"
    assert value(**PRODUCTION, REQUIRE_2FA="0") == "False"
    assert value(DEBUG="1", REQUIRE_2FA="1") == "True"


# Enrolment -----------------------------------------------------------------------------------


def test_the_enrolment_page_shows_a_qr_code_drawn_here_and_the_secret_and_saves_nothing(
    login, chairman, require_2fa
):
    client = login(chairman)
    page = client.get(ENROL)
    content = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in content
    assert "<img" not in content  # no image from elsewhere
    assert len(secret_on(page)) == 32
    assert secret_on(client.get(ENROL)) == secret_on(page)  # the same secret on reload
    assert not TOTPDevice.objects.exists()


def test_enrolling_confirms_the_app_gives_ten_backup_codes_and_verifies_the_session(
    client, chairman, require_2fa
):
    sign_in(client, chairman, next_url="/awards/")
    page = client.get(f"{ENROL}?next=/awards/")
    secret = secret_on(page)
    response = client.post(ENROL, {"token": totp_code(secret), "next": "/awards/"})
    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z2-7]{8})</code>", response.content.decode())
    assert len(set(codes)) == 10
    assert 'href="/awards/"' in response.content.decode()
    device = TOTPDevice.objects.get(user=chairman)
    assert device.confirmed
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(codes)
    assert is_verified(client)
    assert client.get(ADMIN).status_code == 200
    assert AuditEvent.objects.filter(action="user.otp_enrol", actor=chairman).exists()


def test_a_wrong_enrolment_code_is_refused_in_vietnamese_and_nothing_is_saved(
    login, chairman, require_2fa
):
    client = login(chairman)
    secret = secret_on(client.get(ENROL))
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
    response = client.post(ENROL, {"token": wrong})
    assert response.status_code == 200
    assert "Mã không đúng" in response.content.decode()
    assert secret_on(response) == secret  # the same secret, so the app need not be set up again
    assert not TOTPDevice.objects.exists()
    assert not is_verified(client)


def test_the_code_used_to_enrol_cannot_sign_in_again(client, chairman, require_2fa):
    sign_in(client, chairman)
    secret = secret_on(client.get(ENROL))
    code = totp_code(secret)
    client.post(ENROL, {"token": code})
    again = Client()
    sign_in(again, chairman)
    response = again.post(VERIFY, {"token": code})
    assert response.status_code == 200
    assert not is_verified(again)


def test_replacing_the_app_needs_a_verified_session_first(login, chairman, require_2fa):
    totp_device(chairman)
    client = login(chairman)
    response = client.get(ENROL)
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.count() == 1


def test_a_user_enrols_from_the_profile_page_when_it_is_not_required(login, unit_officer):
    client = login(unit_officer)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Chưa bật" in profile
    assert f"{ENROL}?next=/accounts/profile/" in profile
    secret = secret_on(client.get(f"{ENROL}?next=/accounts/profile/"))
    client.post(ENROL, {"token": totp_code(secret), "next": "/accounts/profile/"})
    assert "Còn 10 mã dự phòng" in client.get(reverse("accounts:profile")).content.decode()


# Signing in with a code ---------------------------------------------------------------


def test_signing_in_with_the_apps_code_goes_on_to_the_page_asked_for(client, chairman, require_2fa):
    totp_device(chairman)
    response = sign_in(client, chairman, next_url="/admin/")
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    page = client.get(response["Location"])
    assert "Nhập mã xác thực" in page.content.decode()
    response = client.post(VERIFY, {"token": totp_code(), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get(ADMIN).status_code == 200


def test_the_code_page_never_sends_the_user_to_another_site(client, chairman, require_2fa):
    totp_device(chairman)
    sign_in(client, chairman)
    response = client.post(VERIFY, {"token": totp_code(), "next": "https://example.com/"})
    assert response["Location"] == HOME


def test_a_wrong_code_is_refused_counted_and_audited(client, chairman, require_2fa):
    device = totp_device(chairman)
    sign_in(client, chairman)
    wrong = f"{(int(totp_code()) + 500_000) % 1_000_000:06d}"
    response = client.post(VERIFY, {"token": wrong})
    assert response.status_code == 200
    assert "Mã xác thực không đúng" in response.content.decode()
    assert not is_verified(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    event = AuditEvent.objects.get(action="user.otp_failure")
    assert (event.actor, event.object_id) == (chairman, str(chairman.pk))


def test_after_wrong_codes_even_the_right_one_waits(client, chairman, require_2fa):
    totp_device(chairman)
    sign_in(client, chairman)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _attempt in range(3):
            client.post(VERIFY, {"token": "000000" if totp_code() != "000000" else "111111"})
        response = client.post(VERIFY, {"token": totp_code()})
        assert "Hãy chờ" in response.content.decode()
        assert not is_verified(client)
    assert AuditEvent.objects.filter(action="user.otp_failure").count() == 4
    with time_machine.travel(start.timestamp() + 5, tick=False):
        response = client.post(VERIFY, {"token": totp_code()})
    assert response.status_code == 302
    assert is_verified(client)


def test_a_backup_code_works_once(client, chairman, require_2fa):
    totp_device(chairman)
    codes = services.backup_codes_regenerate(user=chairman)
    sign_in(client, chairman)
    response = client.post(VERIFY, {"token": codes[0].upper()}, follow=True)
    assert is_verified(client)
    assert "còn 9 mã" in response.content.decode()
    again = Client()
    sign_in(again, chairman)
    response = again.post(VERIFY, {"token": codes[0]})
    assert response.status_code == 200
    assert not is_verified(again)
    assert StaticToken.objects.count() == 9


def test_new_backup_codes_replace_the_old_ones_and_need_a_verified_session(
    login, verified_login, chairman
):
    verified = verified_login(chairman)
    old = services.backup_codes_regenerate(user=chairman)
    response = login(chairman).post(reverse("accounts:otp_backup_codes"))
    assert response["Location"].startswith(VERIFY)
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(old)
    response = verified.post(reverse("accounts:otp_backup_codes"))
    new = re.findall(r"<code>([a-z2-7]{8})</code>", response.content.decode())
    assert len(new) == 10
    assert not set(new) & set(old)
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(new)


# Sensitive work needs a verified session ---------------------------------------------------


def test_the_back_office_refuses_an_unverified_session_and_sends_it_to_the_code(
    login, verified_login, office_user, require_2fa
):
    totp_device(office_user)
    response = login(office_user).get(reverse("admin:accounts_unit_changelist"))
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2Faccounts%2Funit%2F"
    assert (
        verified_login(office_user).get(reverse("admin:accounts_unit_changelist")).status_code
        == 200
    )


def test_a_verified_session_of_another_user_does_not_count(login, chairman, office_user):
    device = totp_device(office_user)
    totp_device(chairman)
    client = login(chairman)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get(ADMIN)["Location"].startswith(VERIFY)


# Recovery ------------------------------------------------------------------------------------


def test_a_superuser_resets_a_lost_phone_and_the_user_enrols_again(
    verified_login, superuser, chairman, client, require_2fa
):
    totp_device(chairman)
    services.backup_codes_regenerate(user=chairman)
    client_su = verified_login(superuser)
    asked = client_su.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [chairman.pk]},
    )
    # First a page naming whom it concerns; nothing is removed yet.
    assert asked.status_code == 200
    assert chairman.full_name in asked.content.decode()
    assert TOTPDevice.objects.filter(user=chairman).exists()
    response = client_su.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [chairman.pk], "confirm": "yes"},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=chairman).exists()
    assert not StaticToken.objects.exists()
    event = AuditEvent.objects.get(action="user.otp_reset")
    assert (event.actor, event.object_id) == (superuser, str(chairman.pk))
    assert sign_in(client, chairman)["Location"].startswith(ENROL)


def test_office_staff_cannot_reset_a_second_factor(verified_login, office_user, evaluator):
    totp_device(evaluator)
    client = verified_login(office_user)
    changelist = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "reset_second_factor" not in changelist
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [evaluator.pk], "confirm": "yes"},
    )
    assert TOTPDevice.objects.filter(user=evaluator).exists()
    assert not AuditEvent.objects.filter(action="user.otp_reset").exists()


def test_the_command_line_resets_a_superusers_second_factor(superuser):
    totp_device(superuser)
    out = StringIO()
    call_command("reset_second_factor", superuser.username, stdout=out)
    assert "Removed 1" in out.getvalue()
    assert not TOTPDevice.objects.exists()
    assert AuditEvent.objects.get(action="user.otp_reset").actor is None
    with pytest.raises(CommandError, match="No user"):
        call_command("reset_second_factor", "khong-co-ai")


def test_the_user_list_shows_who_has_a_second_factor(verified_login, superuser, chairman, viewer):
    totp_device(chairman)
    response = verified_login(superuser).get(reverse("admin:accounts_user_changelist"))
    shown = {user.username: user.has_second_factor for user in response.context["cl"].result_list}
    assert shown == {superuser.username: True, chairman.username: True, viewer.username: False}


# Demo data ---------------------------------------------------------------------------------


def test_seed_demo_gives_the_accounts_that_need_it_an_app_with_the_given_secret(require_2fa):
    out = StringIO()
    call_command("seed_demo", "--otp-secret", TOTP_SECRET, stdout=out)
    enrolled = set(TOTPDevice.objects.values_list("user__username", flat=True))
    assert {"phominh.chutich", "phominh.phochutich", "phominh.vanphong", "quantri"} <= enrolled
    assert "phominh.mttq" not in enrolled
    assert "phominh.kiemtra" not in enrolled
    client = Client()
    response = client.post(LOGIN, {"username": "phominh.chutich", "password": "demo@2024"})
    assert response["Location"].startswith(VERIFY)
    client.post(VERIFY, {"token": totp_code(TOTP_SECRET)})
    assert is_verified(client)
    assert TOTP_SECRET in out.getvalue()


def test_seed_demo_refuses_a_secret_that_is_not_base32():
    with pytest.raises(CommandError, match="otp-secret"):
        call_command("seed_demo", "--otp-secret", "không-phải-base32!", stdout=StringIO())
    assert not User.objects.exists()


# Query counts ------------------------------------------------------------------------------


def test_the_code_and_profile_pages_take_as_many_queries_with_three_backup_codes_as_with_one(
    login, chairman, queries_for
):
    totp_device(chairman)
    services.backup_codes_regenerate(user=chairman)
    tokens = list(StaticToken.objects.all())
    client = login(chairman)

    def keep(count):
        StaticToken.objects.exclude(pk__in=[t.pk for t in tokens[:count]]).delete()

    keep(3)
    three = (queries_for(client, VERIFY), queries_for(client, reverse("accounts:profile")))
    keep(1)
    one = (queries_for(client, VERIFY), queries_for(client, reverse("accounts:profile")))
    assert one == three


# Signing, approving and issuing need a verified session ------------------------------------


@pytest.fixture(params=["required", "enrolled"])
def unverified_signer(request, chairman, settings):
    """A chairman who typed only the password: with 2FA required (not yet enrolled), or
    with it optional but enrolled. Returns where such a session is sent."""
    if request.param == "required":
        settings.REQUIRE_2FA = True
        return chairman, ENROL
    settings.REQUIRE_2FA = False
    totp_device(chairman)
    return chairman, VERIFY


@pytest.fixture
def draft_plan(org):
    return complete_plan(
        CampaignFactory(organization=org, year=2024, plan_issue_date=date(2024, 3, 19))
    )


@pytest.fixture
def passed_nominations(org, unit, other_unit):
    campaign = CampaignFactory(organization=org, year=2024, status=Campaign.Status.ISSUED)
    return [
        NominationFactory(campaign=campaign, unit=unit, status="passed"),
        NominationFactory(
            campaign=campaign,
            unit=other_unit,
            kind="individual",
            person_name="Nguyễn Thị Hồng",
            status="passed",
        ),
    ]


def test_signing_a_plan_needs_a_verified_session(
    login, verified_login, unverified_signer, draft_plan
):
    chairman, sent_to = unverified_signer
    url = reverse("campaigns:issue", args=[draft_plan.pk])
    client = login(chairman)
    assert client.get(url)["Location"] == f"{sent_to}?next={quote(url, safe='')}"
    response = client.post(url, headers={"referer": f"http://testserver{url}"})
    assert response["Location"].startswith(sent_to)
    draft_plan.refresh_from_db()
    assert draft_plan.is_draft
    assert verified_login(chairman).post(url).status_code == 302
    draft_plan.refresh_from_db()
    assert not draft_plan.is_draft


def test_approving_nominations_in_the_back_office_needs_a_verified_session(
    login, verified_login, unverified_signer, passed_nominations
):
    chairman, sent_to = unverified_signer
    changelist = reverse("admin:awards_nomination_changelist")
    data = {
        "action": "approve_nominations",
        "_selected_action": [n.pk for n in passed_nominations],
        "post": "yes",
        "decided_on": "2024-12-20",
    }
    response = login(chairman).post(changelist, data)
    assert response["Location"].startswith(sent_to)
    assert not AwardDecision.objects.exists()
    assert not LogEntry.objects.exists()
    verified_login(chairman).post(changelist, data)
    assert AwardDecision.objects.get().awards.count() == 2


def test_revoking_an_award_needs_a_verified_session(
    login, verified_login, unverified_signer, passed_nominations
):
    chairman, sent_to = unverified_signer
    decision = awards_services.decision_issue(
        actor=chairman, nominations=passed_nominations, decided_on=date(2024, 12, 20)
    )
    award = decision.awards.first()
    url = reverse("awards:revoke", args=[award.pk])
    response = login(chairman).post(url, {"reason": "Vi phạm quy định."})
    assert response["Location"].startswith(sent_to)
    award.refresh_from_db()
    assert not award.is_revoked
    verified_login(chairman).post(url, {"reason": "Vi phạm quy định."})
    award.refresh_from_db()
    assert award.is_revoked
