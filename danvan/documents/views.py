import hashlib

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_GET, require_POST

from danvan.documents import services
from danvan.documents.models import IssuedDocument
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


@require_POST
def render_again(request, pk: int):
    """Make the files of a numbered document whose rendering failed, from its frozen
    content and with its number (office staff, chairman, vice-chairmen)."""
    document = get_object_or_404(IssuedDocument, pk=pk, organization=request.organization)
    if not request.user.has_perm("documents.render_document", document):
        raise Http404
    document = services.document_render_after(document, request.user)
    if document.is_ready:
        messages.success(
            request, _("Đã tạo tệp văn bản số %(number)s.") % {"number": document.number_symbol}
        )
    else:
        messages.error(request, _("Chưa tạo được tệp văn bản; hãy báo quản trị hệ thống."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
