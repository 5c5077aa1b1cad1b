"""``seed_demo --api-token`` prints tokens that work against the API, and running it
again revokes them instead of piling up new ones."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from api.demo import DEMO_TOKEN_NAME
from api.models import ApiToken
from danvan.accounts.models import Organization

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"Read-API token of (.+): (dvk_\S+)")


def seed_tokens() -> tuple[dict[str, str], str]:
    """Run the seed with ``--api-token``; returns the printed tokens by organisation's
    short name, and the whole output."""
    out = StringIO()
    call_command("seed_demo", "--api-token", stdout=out)
    output = out.getvalue()
    return dict(TOKEN.findall(output)), output


def test_seed_demo_api_token_prints_tokens_that_read_pho_minh_and_the_province(api_client):
    tokens, output = seed_tokens()
    pho_minh = Organization.objects.get(code="pho-minh")
    province = Organization.objects.get(code="quang-ngai")
    assert set(tokens) == {pho_minh.short_name, province.short_name}
    plain = tokens[pho_minh.short_name]
    assert (
        f'curl -H "Authorization: Bearer {plain}" "http://127.0.0.1:8000/api/v1/registrations/"'
        in output
    )
    response = api_client(plain).get(reverse("api:registrations"))
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert rows
    assert {row["organization"] for row in rows} == {pho_minh.pk}

    province_plain = tokens[province.short_name]
    example = f"/api/v1/registrations/?organization={pho_minh.pk}"
    assert f'Bearer {province_plain}" "http://127.0.0.1:8000{example}"' in output
    response = api_client(province_plain).get(example)
    assert response.status_code == 200, response.content
    assert {row["organization"] for row in response.json()["results"]} == {pho_minh.pk}
    organizations = api_client(province_plain).get(reverse("api:organizations")).json()
    assert {row["id"] for row in organizations["results"]} == set(
        Organization.objects.filter(
            code__in=["quang-ngai", "pho-minh", "nguyen-nghiem"]
        ).values_list("pk", flat=True)
    )


def test_seed_demo_without_api_token_issues_none():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert not ApiToken.objects.exists()
    assert "dvk_" not in out.getvalue()


def test_running_seed_demo_api_token_again_revokes_the_previous_demo_tokens(api_client):
    first, _output = seed_tokens()
    second, _output = seed_tokens()
    assert set(first) == set(second)
    for name, plain in first.items():
        assert plain != second[name]
        response = api_client(plain).get(reverse("api:campaigns"))
        assert response.status_code == 401, name
        assert response.json()["error"]["code"] == "token_revoked"
        assert api_client(second[name]).get(reverse("api:campaigns")).status_code == 200
    demo_tokens = ApiToken.objects.filter(name=DEMO_TOKEN_NAME)
    assert demo_tokens.count() == 4
    assert demo_tokens.filter(revoked_at__isnull=True).count() == 2
