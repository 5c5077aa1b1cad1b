"""Reading issued documents, and the HTTP responses that hand document files out."""

import hashlib
import re
import unicodedata
from typing import Literal
from urllib.parse import quote

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.http import FileResponse, HttpResponse
from django.utils.safestring import SafeString, mark_safe

from danvan.documents.models import Citation, IssuedDocument

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


def issued_file_response(document: IssuedDocument, fmt: Format, *, filename: str) -> FileResponse:
    """The stored file, byte for byte as issued, as an attachment named ``filename``
    (non-ASCII kept in the RFC 5987 ``filename*``), with the file's SHA-256 as ETag."""
    _check_format(fmt)
    field = document.docx if fmt == "docx" else document.pdf
    sha256 = document.docx_sha256 if fmt == "docx" else document.pdf_sha256
    response = FileResponse(field.storage.open(field.name, "rb"))
    return _headers(response, fmt, filename=filename, sha256=sha256)


def file_response(content: bytes, fmt: Format, *, filename: str) -> HttpResponse:
    """``content`` built on the fly (a draft) as an attachment, like
    ``issued_file_response``."""
    _check_format(fmt)
    response = HttpResponse(content)
    return _headers(response, fmt, filename=filename, sha256=hashlib.sha256(content).hexdigest())
