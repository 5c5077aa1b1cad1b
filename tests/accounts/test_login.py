import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("accounts:login")


def test_pages_require_login_and_redirect_to_the_login_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_login_page_is_in_vietnamese_even_for_an_english_browser(client):
    response = client.get(LOGIN_URL, headers={"accept-language": "en-US,en;q=0.9"})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'lang="vi"' in content
    assert "Đăng nhập" in content
    assert "Quên mật khẩu?" in content


def test_login_with_right_password_opens_the_home_page(client, unit_officer):
    response = client.post(LOGIN_URL, {"username": unit_officer.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_login_with_wrong_password_explains_in_vietnamese_and_keeps_the_username(
    client, unit_officer
):
    response = client.post(LOGIN_URL, {"username": unit_officer.username, "password": "sai"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in content
    assert f'value="{unit_officer.username}"' in content


def test_repeated_failed_logins_are_throttled_with_a_vietnamese_message(
    client, unit_officer, settings
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN_URL, {"username": unit_officer.username, "password": "sai"})
    response = client.post(LOGIN_URL, {"username": unit_officer.username, "password": PASSWORD})
    assert response.status_code == 429
    content = response.content.decode()
    assert "Bạn đã nhập sai mật khẩu quá nhiều lần" in content
    assert "15 phút" in content
    assert client.get(reverse("home")).status_code == 302  # still not logged in


def test_throttling_one_username_leaves_other_users_free(
    client, unit_officer, office_user, settings
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN_URL, {"username": unit_officer.username, "password": "sai"})
    response = client.post(LOGIN_URL, {"username": office_user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_logout_needs_a_post_and_returns_to_login(login, unit_officer):
    client = login(unit_officer)
    # An address followed does not sign out: it leads home, still signed in.
    assert client.get(reverse("accounts:logout"))["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert client.get(reverse("home")).status_code == 302


def test_signing_out_from_a_page_whose_session_had_ended_leads_to_the_sign_in_page(
    client, unit_officer
):
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == LOGIN_URL
    # Signing in from a sign-in page that remembered the sign-out goes home, not blank.
    response = client.post(
        f"{LOGIN_URL}?next={reverse('accounts:logout')}",
        {"username": unit_officer.username, "password": PASSWORD},
    )
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_password_change_requires_the_old_password(login, unit_officer):
    client = login(unit_officer)
    url = reverse("accounts:password_change")
    response = client.post(
        url,
        {
            "old_password": "sai",
            "new_password1": "Mới-2025-an-toàn",
            "new_password2": "Mới-2025-an-toàn",
        },
    )
    assert response.status_code == 200
    assert "Mật khẩu cũ" in response.content.decode()
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Mới-2025-an-toàn",
            "new_password2": "Mới-2025-an-toàn",
        },
    )
    assert response.status_code == 302
    unit_officer.refresh_from_db()
    assert unit_officer.check_password("Mới-2025-an-toàn")


def test_password_reset_mails_a_vietnamese_link_that_sets_a_new_password(client, unit_officer):
    response = client.post(reverse("accounts:password_reset"), {"email": unit_officer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [unit_officer.email]
    assert "Đặt lại mật khẩu" in message.subject
    assert unit_officer.username in message.body
    link = next(line for line in message.body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("testserver", 1)[1].strip()
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Mật-khẩu-mới-2025", "new_password2": "Mật-khẩu-mới-2025"}
    )
    assert response.status_code == 302
    unit_officer.refresh_from_db()
    assert unit_officer.check_password("Mật-khẩu-mới-2025")


def test_password_reset_reaches_accounts_that_have_no_password_yet(client):
    user = UserFactory(email="moi@example.vn", password=None)
    assert not user.has_usable_password()
    client.post(reverse("accounts:password_reset"), {"email": "moi@example.vn"})
    assert len(mail.outbox) == 1


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "khongco@example.vn"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_health_check_answers_without_login(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_health_check_answers_a_load_balancer_probing_by_address_over_http(client, settings):
    settings.ALLOWED_HOSTS = ["danvan.example.gov.vn"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.0.0.5:8001")
    assert (response.status_code, response.content) == (200, b"ok")
    # Every other address still meets the host check.
    assert client.get(reverse("accounts:login"), HTTP_HOST="10.0.0.5:8001").status_code == 400
