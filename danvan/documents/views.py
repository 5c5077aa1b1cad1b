import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_GET, require_http_methods, require_POST

from danvan.accounts.models import Organization
from danvan.accounts.second_factor import otp_required_for_signing
from danvan.documents import render as documents_render
from danvan.documents import selectors, services, tasks
from danvan.documents.forms import SignedCopyForm, VerifyForm
from danvan.documents.models import IssuedDocument
from danvan.documents.render import document_css
from danvan.forms import show_service_error
from danvan.jobs import services as jobs
from danvan.text import thousands


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


def _next(request, default: str = "/") -> str:
    target = request.POST.get("next", "") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return default
    return target


@require_POST
def render_again(request, pk: int):
    """Make the files of a numbered document whose rendering failed, from its frozen
    content and with its number (office staff, chairman, vice-chairmen)."""
    document = get_object_or_404(IssuedDocument, pk=pk, organization=request.organization)
    if not request.user.has_perm("documents.render_document", document):
        raise Http404
    if not document.is_being_made:  # else the worker has it: twice would gain nothing
        document = services.document_render_after(document, request.user)
    if document.is_ready or document.is_awaiting_signature:
        messages.success(
            request, _("Đã tạo tệp văn bản số %(number)s.") % {"number": document.number_symbol}
        )
    elif not document.render_error:  # a long document, being made in the background
        messages.info(
            request,
            _("Văn bản số %(number)s đang được tạo; tải lại trang sau ít phút.")
            % {"number": document.number_symbol},
        )
    else:
        messages.error(request, _("Chưa tạo được tệp văn bản; hãy báo quản trị hệ thống."))
    return redirect(_next(request))


# The signer's own signature -------------------------------------------------------------


def _awaiting(request, pk: int, perm: str) -> IssuedDocument:
    document = get_object_or_404(
        IssuedDocument.objects.select_related("organization"),
        pk=pk,
        organization=request.organization,
    )
    if not request.user.has_perm(perm, document):
        raise Http404
    return document


@require_GET
def unsigned_pdf(request, pk: int):
    """The PDF awaiting the signer's signature, to sign with their own certificate."""
    document = _awaiting(request, pk, "documents.download_unsigned")
    if not document.is_awaiting_signature:
        raise Http404
    filename = f"{document.number_symbol.replace('/', '-')} - chờ ký số.pdf"
    return selectors.issued_file_response(
        document, "pdf", filename=filename, awaiting_signature=True
    )


@otp_required_for_signing
@require_http_methods(["GET", "POST"])
def sign(request, pk: int):
    """The signer downloads the PDF, signs it with their USB token, and uploads the
    signed copy; the portal checks it, seals it and issues the document."""
    document = _awaiting(request, pk, "documents.sign_document")
    # Without a page to return to: the page of what the document is about, never this
    # page itself.
    back = _next(request, default="") or selectors.source_page(document)
    if not document.is_awaiting_signature:
        messages.info(request, _("Văn bản này đã được ký số và ban hành."))
        return redirect(back)
    form = SignedCopyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_sign(
                actor=request.user, document=document, content=form.cleaned_data["pdf"]
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request,
                _("Đã nhận chữ ký số và ban hành văn bản số %(number)s.")
                % {"number": document.number_symbol},
            )
            return redirect(back)
    return render(
        request,
        "documents/sign.html",
        {"document": document, "form": form, "next": back},
    )


# Verification for anyone ----------------------------------------------------------------


def _anyone_may_verify() -> bool:
    return Organization.objects.filter(is_active=True, public_verification=True).exists()


@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """Check a PDF: is it a document the portal issued, unchanged, who signed it, when."""
    if not request.user.is_authenticated and not _anyone_may_verify():
        return redirect_to_login(request.get_full_path())
    return _verify_page(request, document=None)


@login_not_required
@require_http_methods(["GET", "POST"])
def verify_code(request, code: str):
    """The page a document's printed code (and QR code) leads to: what the portal issued
    under it, and a check of a file against it."""
    document = selectors.document_for_code(code)
    if document is None or not document.is_ready:
        raise Http404
    if not selectors.may_verify(request.user, document):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    return _verify_page(request, document=document)


def _verify_page(request, *, document):
    form = VerifyForm(request.POST or None, request.FILES or None, with_reference=document is None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = selectors.verify_upload(
            user=request.user,
            content=data["pdf"],
            code=document.verification_code if document else "",
            number_symbol=data.get("number", ""),
            dated=data.get("dated"),
        )
    return render(
        request,
        "documents/verify.html",
        {"document": document, "form": form, "result": result},
    )


# Long documents of a feature's pages (a council meeting's minutes, at the commune and at
# the province): a file too long to make while its reader waits is made by a job.


def document_file(request, spec, fmt: str, *, filename: str, back: str) -> HttpResponse:
    """The ``fmt`` file of ``spec`` at once or, for a long one (``is_long_as``), back to
    ``back`` with a note saying where it is made (a bookmarked address)."""
    if spec.is_long_as(fmt):
        messages.info(
            request,
            _(
                "Văn bản dài %(lines)s dòng nên tệp %(format)s được tạo trong nền: bấm "
                "“tạo trong nền” rồi tải tệp ở trang Công việc chạy nền khi xong."
            )
            % {"lines": thousands(spec.table_lines), "format": fmt.upper()},
        )
        return redirect(back)
    content = (
        documents_render.render_docx(spec) if fmt == "docx" else documents_render.render_pdf(spec)
    )
    return selectors.file_response(content, fmt, filename=f"{filename}.{fmt}")


def document_job(request, *, organization, name: str, fmt: str, builder: str, arguments):
    """Start making the ``fmt`` file of a registered builder's document for the user (in
    ``danvan.documents.tasks``) and send them to their jobs."""
    jobs.job_start(
        actor=request.user,
        organization=organization,
        kind="document",
        title=f"{name} ({fmt.upper()})",
        task=tasks.render_document,
        builder=builder,
        fmt=fmt,
        arguments=arguments,
    )
    messages.success(request, _("Đang tạo %(name)s; tải tệp ở đây khi xong.") % {"name": name})
    return redirect("jobs:list")
