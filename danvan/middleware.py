from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from danvan.views import health


class PortalLocaleMiddleware:
    """Vietnamese unless the user chose another language with the switcher.

    Unlike Django's LocaleMiddleware the browser's Accept-Language is ignored: a
    ward office's English-language browser must still show the portal in Vietnamese.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class HealthCheckMiddleware:
    """``GET /healthz`` answered first, whatever the Host header and the scheme: a load
    balancer probes each app server by its address, over plain HTTP, so the check must
    not meet the host validation (400) nor the redirect to HTTPS (301) that every other
    request meets. It tells nothing but "ok" (or an error when the database is down)."""

    PATH = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == self.PATH and request.method in {"GET", "HEAD"}:
            return health(request)
        return self.get_response(request)
