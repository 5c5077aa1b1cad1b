"""Tokens: stored hashed, revocable, rate-limited; errors in one JSON shape."""

import hashlib

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from api import services
from api.models import ApiToken
from danvan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_as_its_sha256_only(token_for, org):
    token, plain = token_for(org)
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert row["digest"] == hashlib.sha256(plain.encode()).hexdigest()
    assert plain.startswith("dvk_")
    assert len(plain) > 40
    assert all(plain not in str(value) for value in row.values())
    assert plain.startswith(row["hint"])
    assert len(row["hint"]) == 10


def test_issuing_a_token_is_audited_without_the_token(token_for, org):
    token, plain = token_for(org)
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.object_id == str(token.pk)
    assert plain not in str(event.changes)


def test_only_the_organisations_office_may_issue_a_token(org, unit_officer, outsider, chairman):
    from django.core.exceptions import PermissionDenied

    for actor in (unit_officer, outsider, chairman):
        with pytest.raises(PermissionDenied):
            services.token_issue(actor=actor, organization=org, name="x")
    assert not ApiToken.objects.exists()


def test_no_token_is_401_in_the_error_shape(world):
    response = Client().get(reverse("api:campaigns"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {
        "error": {
            "code": "not_authenticated",
            "message": "Thiếu mã truy cập: gửi tiêu đề “Authorization: Bearer <mã>”.",
        }
    }


def test_an_unknown_token_is_401(api_client, world):
    response = api_client("dvk_not-a-token").get(reverse("api:campaigns"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_invalid"


def test_a_revoked_token_is_401_from_the_next_request(token_for, api_client, org, office_user):
    token, plain = token_for(org)
    client = api_client(plain)
    assert client.get(reverse("api:campaigns")).status_code == 200
    services.token_revoke(actor=office_user, token=token)
    response = client.get(reverse("api:campaigns"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_revoked"
    assert AuditEvent.objects.filter(action="api_token.revoke", object_id=str(token.pk)).exists()


def test_a_token_is_revoked_once(token_for, org, office_user):
    from django.core.exceptions import ValidationError

    token, _plain = token_for(org)
    services.token_revoke(actor=office_user, token=token)
    with pytest.raises(ValidationError):
        services.token_revoke(actor=office_user, token=token)


def test_another_organisations_office_cannot_revoke_a_token(token_for, org, outsider):
    from django.core.exceptions import PermissionDenied

    token, _plain = token_for(org)
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=outsider, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_of_an_organisation_no_longer_active_is_401(token_for, api_client, org):
    _token, plain = token_for(org)
    org.is_active = False
    org.save(update_fields=["is_active"])
    assert api_client(plain).get(reverse("api:campaigns")).status_code == 401


def test_past_its_rate_a_token_gets_429_with_retry_after(token_for, api_client, org, other_org):
    cache.clear()
    _token, plain = token_for(org, rate=3)
    client = api_client(plain)
    responses = [client.get(reverse("api:campaigns")) for _ in range(4)]
    assert [r.status_code for r in responses[:3]] == [200, 200, 200]
    assert responses[0]["X-RateLimit-Limit"] == "3"
    assert responses[2]["X-RateLimit-Remaining"] == "0"
    limited = responses[3]
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 60
    # Another token has its own count.
    _other, other_plain = token_for(other_org, rate=3)
    assert api_client(other_plain).get(reverse("api:campaigns")).status_code == 200


def test_a_bad_filter_is_400_naming_the_parameter(token_for, api_client, org):
    _token, plain = token_for(org)
    client = api_client(plain)
    response = client.get(
        reverse("api:registrations"), {"campaign": "abc", "date_from": "2025-02-30"}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"campaign", "date_from"}
    assert client.get(reverse("api:registrations"), {"status": "draft"}).status_code == 400
    assert client.get(reverse("api:registrations"), {"page_size": "0"}).status_code == 400


def test_an_unknown_address_under_the_api_is_a_json_404(token_for, api_client, org):
    _token, plain = token_for(org)
    response = api_client(plain).get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert Client().get("/api/v1/campaigns/99999999999999999999/").status_code == 404


def test_a_write_is_405_in_the_error_shape(token_for, api_client, org):
    _token, plain = token_for(org)
    response = api_client(plain).post(reverse("api:campaigns"), {}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["error"] == {
        "code": "method_not_allowed",
        "message": "API chỉ đọc dữ liệu: chỉ nhận yêu cầu GET.",
    }


def test_options_is_405_like_any_other_method_but_get(token_for, api_client, org):
    _token, plain = token_for(org)
    response = api_client(plain).options(reverse("api:registrations"))
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    ("params", "named", "message"),
    [
        ({"format": "xml"}, "format", "Tham số không có trong API."),
        ({"format": "api"}, "format", "Tham số không có trong API."),
        ({"cursor": ""}, "cursor", "Con trỏ trang không được để trống."),
        ({"campaign": ["1", "2"]}, "campaign", "Mỗi tham số chỉ được ghi một lần."),
    ],
)
def test_a_format_an_empty_cursor_or_a_repeated_parameter_is_400_naming_it(
    token_for, api_client, org, params, named, message
):
    _token, plain = token_for(org)
    response = api_client(plain).get(reverse("api:registrations"), params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {named: [message]}


@pytest.mark.parametrize("cursor", ["bm9wZQ", "cD1hYmM=", "cD0xJTAw"])
def test_a_forged_cursor_is_404_invalid_cursor(cursor, token_for, api_client, org):
    # "nope", then "p=abc" and "p=1%00": well-formed cursors whose position is no id.
    _token, plain = token_for(org)
    response = api_client(plain).get(reverse("api:campaigns"), {"cursor": cursor})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "invalid_cursor"


def test_the_schema_and_the_docs_page_are_served_by_the_portal():
    from django.contrib.staticfiles import finders

    client = Client()
    schema = client.get(reverse("api:schema"), {"format": "json"})
    assert schema.status_code == 200
    assert "/api/v1/registrations/{id}/" in schema.json()["paths"]
    page = client.get(reverse("api:docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "//cdn" not in page
    assert "<style" not in page  # the portal's CSP refuses inline styles
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


@pytest.mark.parametrize("header", ["Bearer", "Bearer two words"])
def test_a_malformed_authorization_header_is_401(header, world):
    response = Client(headers={"Authorization": header}).get(reverse("api:campaigns"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_invalid"


def test_another_authorization_scheme_is_not_a_token(world):
    response = Client(headers={"Authorization": "Basic dXNlcjpwYXNz"}).get(reverse("api:campaigns"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
