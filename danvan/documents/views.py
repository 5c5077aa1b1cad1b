import hashlib

from django.http import HttpResponse
from django.views.decorators.http import condition, require_GET

from danvan.documents.render import document_css


def _css_etag(request) -> str:
    return hashlib.sha256(document_css().encode()).hexdigest()[:32]


@require_GET
@condition(etag_func=_css_etag)
def stylesheet(request):
    """The official document's stylesheet, for portal pages that embed a document preview
    (the site's CSP refuses inline styles)."""
    response = HttpResponse(document_css(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    return response
