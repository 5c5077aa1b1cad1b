"""Reading issued documents, and the HTTP responses that hand document files out."""

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Literal
from urllib.parse import quote

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from danvan.documents import signing
from danvan.documents.models import Citation, DocumentSignature, IssuedDocument

Format = Literal["docx", "pdf"]
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def issued_document_for(*, source: models.Model) -> IssuedDocument | None:
    """The latest document issued from ``source`` (a campaign, minutes, …), if any."""
    return (
        IssuedDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(source), object_id=source.pk
        )
        .select_related("organization", "issued_by")
        .order_by("-issued_at", "-id")
        .first()
    )


def citations_in_force(*, organization, document_kind: str, day) -> list[Citation]:
    """What a document of ``document_kind`` dated ``day`` cites: the national texts and the
    organisation's own, in force on that day, in order (one query)."""
    return list(
        Citation.objects.filter(
            Q(organization__isnull=True) | Q(organization=organization),
            document_kind=document_kind,
            valid_from__lte=day,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("position", "valid_from", "pk")
    )


def lapsed_citations(*, organization, numbers, day) -> dict[str, Citation]:
    """Of the texts numbered ``numbers``, those that had lapsed by ``day`` and are not in
    force on it again: {number in lower case: the citation that ended last} (one query).
    A plan that still cites one of them must be corrected before it is issued."""
    wanted = {number.strip().lower() for number in numbers if number and number.strip()}
    if not wanted:
        return {}
    by_number: dict[str, list[Citation]] = {}
    for citation in Citation.objects.filter(
        Q(organization__isnull=True) | Q(organization=organization),
        number__iregex=r"^(" + "|".join(re.escape(number) for number in sorted(wanted)) + r")$",
    ):
        by_number.setdefault(citation.number.strip().lower(), []).append(citation)
    lapsed = {}
    for number, citations in by_number.items():
        if any(citation.in_force_on(day) for citation in citations):
            continue
        ended = [c for c in citations if c.valid_to is not None and c.valid_to < day]
        if ended:
            lapsed[number] = max(ended, key=lambda c: c.valid_to)
    return lapsed


def issued_html_fragment(document: IssuedDocument) -> SafeString:
    """The frozen print view's ``<article>``, to embed in a portal page with
    ``document_css()``; ``document.html`` is the whole standalone page."""
    html = document.html
    start, end = html.find("<article"), html.rfind("</article>")
    return mark_safe(html[start : end + len("</article>")])  # noqa: S308 - rendered by us


def _ascii_filename(filename: str) -> str:
    """A plain-ASCII stand-in for old clients: "Kế hoạch 46.pdf" -> "Ke hoach 46.pdf"."""
    folded = unicodedata.normalize("NFKD", filename.replace("đ", "d").replace("Đ", "D"))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = re.sub(r"[^A-Za-z0-9 ._()-]+", "_", folded).strip(" .") or "document"
    return folded


def _with_extension(filename: str, fmt: Format) -> str:
    filename = unicodedata.normalize("NFC", filename).replace("/", "-").replace("\\", "-")
    return filename if filename.lower().endswith(f".{fmt}") else f"{filename}.{fmt}"


def _headers(response: HttpResponse, fmt: Format, *, filename: str, sha256: str):
    filename = _with_extension(filename, fmt)
    response["Content-Type"] = CONTENT_TYPES[fmt]
    response["Content-Disposition"] = (
        f'attachment; filename="{_ascii_filename(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["ETag"] = f'"{sha256}"'
    # Private documents: a shared cache must not keep them.
    response["Cache-Control"] = "private, no-cache"
    return response


def _check_format(fmt: str) -> None:
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"Unknown document format {fmt!r}")


def issued_file_response(
    document: IssuedDocument, fmt: Format, *, filename: str, awaiting_signature: bool = False
) -> HttpResponse:
    """The stored file, byte for byte as issued, as an attachment named ``filename``
    (non-ASCII kept in the RFC 5987 ``filename*``), with the file's SHA-256 as ETag.

    The one way a stored document file is read: it is checked against the SHA-256
    recorded when it was stored, and a file that no longer matches is never served (the
    alarm is raised, see ``services.document_integrity_alarm``; the reader gets a 503).
    ``awaiting_signature`` serves the PDF of a document awaiting the signer's signature,
    for the caller who checked that the user may sign or prepare it.
    """
    from danvan.documents import services

    _check_format(fmt)
    waiting = awaiting_signature and fmt == "pdf" and document.is_awaiting_signature
    if not (document.is_ready or waiting):
        raise Http404("The document's files are not made yet.")
    sha256 = document.docx_sha256 if fmt == "docx" else document.pdf_sha256
    try:
        content = services.stored_file(document, fmt)
    except services.FileTampered:
        return HttpResponse(
            render_to_string("documents/file_unavailable.html", {"document": document}),
            status=503,
        )
    response = FileResponse(io.BytesIO(content))
    return _headers(response, fmt, filename=filename, sha256=sha256)


def file_response(content: bytes, fmt: Format, *, filename: str) -> HttpResponse:
    """``content`` built on the fly (a draft) as an attachment, like
    ``issued_file_response``."""
    _check_format(fmt)
    response = HttpResponse(content)
    return _headers(response, fmt, filename=filename, sha256=hashlib.sha256(content).hexdigest())


# Verification ------------------------------------------------------------------------------

_NUMBER_SYMBOL = re.compile(r"^\s*(?:số[:\s]*)?0*(\d{1,6})\s*/\s*(\S+)\s*$", re.IGNORECASE)


def parse_number_symbol(text: str) -> tuple[int, str] | None:
    """ "46/KH-UBND" (or "Số: 46/KH-UBND") -> (46, "KH-UBND"); else ``None``."""
    found = _NUMBER_SYMBOL.match(unicodedata.normalize("NFC", text or ""))
    if not found:
        return None
    return int(found.group(1)), found.group(2).upper()


def verifiable_documents(user):
    """The issued documents ``user`` may check: those of the organisations that let anyone
    check their documents, and, signed in, those of the organisations they belong to
    (superusers: all)."""
    documents = IssuedDocument.objects.filter(status=IssuedDocument.Status.ISSUED)
    if getattr(user, "is_superuser", False):
        return documents
    visible = Q(organization__public_verification=True)
    if getattr(user, "is_authenticated", False):
        from danvan.accounts.selectors import organizations_for

        visible |= Q(organization_id__in=[o.pk for o in organizations_for(user)])
    return documents.filter(visible)


def _with_details(queryset):
    return queryset.select_related("organization").prefetch_related(
        Prefetch("signatures", queryset=DocumentSignature.objects.select_related("signed_by"))
    )


def document_for_code(code: str) -> IssuedDocument | None:
    """The document a printed verification code names ("K7QP-3MXA-9DTW", any case)."""
    code = re.sub(r"[^0-9A-Za-z]", "", code or "").upper()
    if not code:
        return None
    return _with_details(IssuedDocument.objects.filter(verification_code=code)).first()


def may_verify(user, document: IssuedDocument) -> bool:
    """Whether ``user`` may see what the portal knows of ``document`` when checking it."""
    return verifiable_documents(user).filter(pk=document.pk).exists()


@dataclass
class Verification:
    """What checking an uploaded PDF found."""

    sha256: str
    check: signing.PdfCheck
    document: IssuedDocument | None = None  # the issued document the file is, byte for byte
    references: list[IssuedDocument] = field(default_factory=list)  # what it claims to be

    @property
    def is_original(self) -> bool:
        return self.document is not None

    @property
    def broken(self) -> bool:
        return any(not signature.sound for signature in self.check.signatures)


def verify_upload(
    *,
    user,
    content: bytes,
    code: str = "",
    number_symbol: str = "",
    dated: date | None = None,
) -> Verification:
    """Check ``content`` against the documents ``user`` may check: by its SHA-256 first,
    then, if it is not one of them byte for byte, find what it claims to be by the
    verification code, or by number and date; and check its signatures with pyHanko."""
    sha256 = hashlib.sha256(content).hexdigest()
    visible = verifiable_documents(user)
    result = Verification(sha256=sha256, check=signing.check_pdf(content))
    result.document = _with_details(visible.filter(pdf_sha256=sha256)).first()
    if result.document is not None:
        return result
    references = IssuedDocument.objects.none()
    if code:
        wanted = re.sub(r"[^0-9A-Za-z]", "", code).upper()
        references = visible.filter(verification_code=wanted)
    elif number_symbol:
        parsed = parse_number_symbol(number_symbol)
        if parsed is not None:
            number, symbol = parsed
            references = visible.filter(number=number, symbol__iexact=symbol)
            if dated is not None:
                references = references.filter(dated=dated)
    result.references = list(_with_details(references).order_by("-issued_at")[:10])
    return result


def source_page(document: IssuedDocument) -> str:
    """The portal page of what ``document`` is about (its source's ``get_absolute_url``:
    the plan's campaign, the review report), else the home page."""
    source = document.source
    if hasattr(source, "get_absolute_url"):
        return source.get_absolute_url()
    return reverse("home")
