import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_portal_speaks_vietnamese_by_default(login, unit_officer):
    content = login(unit_officer).get(reverse("home")).content.decode()
    assert 'lang="vi"' in content
    assert "Trang chủ" in content
    assert "Đăng xuất" in content


def test_the_language_switcher_turns_the_portal_to_english_and_back(login, unit_officer):
    client = login(unit_officer)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    content = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in content
    assert "Home" in content
    assert "Log out" in content
    assert "Unit officer" in content  # role labels are translated too
    client.post(reverse("set_language"), {"language": "vi", "next": reverse("home")})
    assert "Trang chủ" in client.get(reverse("home")).content.decode()


def test_the_language_switcher_works_on_the_login_page(client):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    content = client.get(reverse("accounts:login")).content.decode()
    assert "Log in" in content
    assert "Forgot your password?" in content


def test_dates_print_day_first(settings):
    from datetime import date

    from django.template import Context, Template

    rendered = Template("{{ day|date:'SHORT_DATE_FORMAT' }} {{ day|date }}").render(
        Context({"day": date(2024, 3, 9)})
    )
    assert rendered == "09/03/2024 09/03/2024"


def test_favicon_requests_are_sent_to_the_portals_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")


def test_the_owner_line_is_translated_on_the_page_and_stays_vietnamese_on_the_form(
    login, org, office_user, unit
):
    from tests.documents.text import docx_lines
    from tests.factories import CampaignFactory, RegistrationFactory

    registration = RegistrationFactory(
        campaign=CampaignFactory(organization=org, status="issued"),
        unit=unit,
        status="submitted",
        owner_kind="individual",
        owner_name="Phạm Thị Ngọc Ánh",
        owner_position="Chi hội trưởng",
    )
    client = login(office_user)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    page = client.get(reverse("models_registry:detail", args=[registration.pk])).content
    assert f"Individual: Phạm Thị Ngọc Ánh, Chi hội trưởng ({unit.name})" in page.decode()
    assert "Cá nhân:" not in page.decode()
    form = client.get(reverse("models_registry:document", args=[registration.pk, "docx"]))
    text = "\n".join(docx_lines(form.content))
    assert f"Cá nhân: Phạm Thị Ngọc Ánh, Chi hội trưởng ({unit.name})" in text
    assert "Individual:" not in text
