"""Tokens in the back office: issued by the organisation's office staff, shown once,
revoked with an action, never seen by another organisation."""

import hashlib
import re

import pytest
from django.urls import reverse

from api.models import ApiToken

pytestmark = pytest.mark.django_db

ADD = reverse("admin:api_apitoken_add")
CHANGELIST = reverse("admin:api_apitoken_changelist")


def issue_in_admin(client, org, name="Cổng dữ liệu tỉnh", rate=60):
    response = client.post(ADD, {"organization": org.pk, "name": name, "rate_per_minute": rate})
    assert response.status_code == 200, response.content[:500]
    plain = re.search(r"dvk_[A-Za-z0-9_-]+", response.content.decode()).group(0)
    return response, plain


def test_office_staff_issue_a_token_and_see_it_once(login, org, office_user):
    client = login(office_user)
    response, plain = issue_in_admin(client, org)
    token = ApiToken.objects.get()
    assert token.digest == hashlib.sha256(plain.encode()).hexdigest()
    assert token.organization == org
    assert token.rate_per_minute == 60
    assert token.created_by == office_user
    assert "Hãy chép mã này ngay" in response.content.decode()
    change = client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert change.status_code == 200
    assert plain not in change.content.decode()
    assert token.hint in change.content.decode()


def test_the_issued_token_reads_the_api(login, org, office_user, api_client):
    _response, plain = issue_in_admin(login(office_user), org)
    assert api_client(plain).get(reverse("api:organizations")).status_code == 200


def test_a_bad_rate_is_refused_and_the_form_keeps_the_name(login, org, office_user):
    response = login(office_user).post(
        ADD, {"organization": org.pk, "name": "Cổng dữ liệu tỉnh", "rate_per_minute": 0}
    )
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    assert "Cổng dữ liệu tỉnh" in response.content.decode()


def test_office_staff_revoke_a_token_with_the_action(login, org, office_user, api_client):
    client = login(office_user)
    _response, plain = issue_in_admin(client, org)
    token = ApiToken.objects.get()
    client.post(CHANGELIST, {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_by == office_user
    assert api_client(plain).get(reverse("api:organizations")).status_code == 401


def test_another_organisations_office_neither_sees_nor_revokes_a_token(
    login, org, office_user, outsider
):
    issue_in_admin(login(office_user), org)
    token = ApiToken.objects.get()
    client = login(outsider)
    assert token.name not in client.get(CHANGELIST).content.decode()
    assert client.get(reverse("admin:api_apitoken_change", args=[token.pk])).status_code == 404
    client.post(CHANGELIST, {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_chairman_and_unit_officers_manage_no_tokens(login, org, chairman, unit_officer):
    assert login(chairman).get(ADD).status_code == 403
    assert login(unit_officer).get(CHANGELIST).status_code == 403
    assert not ApiToken.objects.exists()


def test_the_token_list_takes_as_many_queries_for_three_tokens_as_for_one(
    login, org, office_user, token_for, queries_for
):
    client = login(office_user)
    token_for(org)
    one = queries_for(client, CHANGELIST)
    token_for(org)
    token_for(org)
    assert queries_for(client, CHANGELIST) == one


def test_the_issue_form_says_a_provinces_token_reads_its_communes(login, office_user):
    response = login(office_user).get(ADD)
    assert response.status_code == 200
    assert "Mã của một tỉnh đọc dữ liệu của tỉnh và của mọi xã" in response.content.decode()


def test_a_superuser_issues_a_provinces_token_that_reads_its_communes(
    login, org, superuser, api_client
):
    from tests.province.conftest import attach, make_province

    province = make_province()
    attach(province, org)
    response, plain = issue_in_admin(login(superuser), province)
    assert "thêm tham số organization" in response.content.decode()
    listed = api_client(plain).get(reverse("api:organizations")).json()["results"]
    assert {row["id"] for row in listed} == {province.pk, org.pk}


def test_the_page_of_a_communes_new_token_says_nothing_of_communes(login, org, office_user):
    response, _plain = issue_in_admin(login(office_user), org)
    assert "thêm tham số organization" not in response.content.decode()
