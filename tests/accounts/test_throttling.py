from django.test import RequestFactory

from danvan.accounts.throttling import client_ip


def test_client_ip_is_the_remote_address_without_a_proxy(settings):
    settings.BEHIND_PROXY = False
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert client_ip(request) == "203.0.113.5"


def test_client_ip_behind_a_proxy_is_the_address_the_proxy_appended(settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5"
    )
    # The first entry is whatever the client claimed; only the last one is trustworthy.
    assert client_ip(request) == "203.0.113.5"


def test_client_ip_falls_back_to_the_remote_address_when_the_header_is_missing(settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 2
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(request) == "127.0.0.1"
