"""Numbering and issuing official documents. Every write to this app goes through here.

A feature issues a document in two steps, so that the organisation's numbering sequence
is locked only for a moment, never while a long document renders:

    with transaction.atomic():
        document = document_reserve(actor=..., organization=org, kind=DocumentKind.PLAN,
                                    year=2024, spec=..., source=campaign, signatures=[...])
        ... mark the campaign issued with document ...
    document_render(document=document)

``document_reserve`` takes the number and freezes the content; ``document_render`` makes
the files from it afterwards (and again, from the same content and number, if a rendering
failed). ``document_issue`` does both inside one transaction, for short documents.
"""

import hashlib
import logging
import secrets
from dataclasses import replace
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.models import Organization, User
from danvan.audit.services import audit_record
from danvan.documents.layout import OfficialDocument, from_json, normalized, to_json
from danvan.documents.models import (
    DocumentCounter,
    DocumentKind,
    DocumentSignature,
    IssuedDocument,
    sequence_of,
)
from danvan.documents.render import render_docx, render_html, render_pdf
from danvan.storage import FilesOfTransaction

SignatureEntry = tuple[str, str, User | None, datetime]
logger = logging.getLogger(__name__)


def _require_transaction(name: str) -> None:
    if not connection.in_atomic_block:
        raise TransactionManagementError(
            f"{name}() must run inside the caller's transaction.atomic() block, so that the "
            "number and the document it is used for are committed or rolled back together."
        )


def _check_kind(kind: str) -> None:
    if kind not in DocumentKind.values:
        raise ValueError(f"Unknown document kind {kind!r}")


def _locked_counter(*, organization: Organization, year: int, sequence: str) -> DocumentCounter:
    """The counter row, locked until the caller's transaction ends; created if missing.

    Two transactions creating the same counter at once: one insert wins, the other fails
    inside its savepoint, waits for the winner's commit and then locks the row it made.
    """
    lookup = {"organization": organization, "year": year, "sequence": sequence}
    counter = DocumentCounter.objects.select_for_update().filter(**lookup).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():
            return DocumentCounter.objects.create(**lookup, last_number=0)
    except IntegrityError:
        return DocumentCounter.objects.select_for_update().get(**lookup)


def _number_taken(
    *, organization: Organization, year: int, sequence: str, number: int
) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(
        organization=organization, year=year, sequence=sequence, number=number
    ).first()


def _number_taken_error(*, taken: IssuedDocument) -> ValidationError:
    return ValidationError(
        {
            "number": ValidationError(
                _("Số %(number)s năm %(year)s đã được dùng cho văn bản khác."),
                code="number_taken",
                params={"number": taken.number_symbol, "year": taken.year},
            )
        }
    )


def number_next(*, organization: Organization, year: int, kind: str, body=None) -> int:
    """The next number for a ``kind`` document of ``organization`` in ``year``, taken.

    Guarantees: numbers run 1, 2, 3 … in the organisation's sequence for the kind (the
    kind's own, or one for every kind, see ``Organization.numbering``), restarting each
    year; concurrent callers queue on the counter's row lock and never get the same
    number; a caller whose transaction rolls back gives its number back, so there are no
    gaps. Must be called inside the caller's transaction, which should then issue the
    document with this number. A ``body`` other than the People's Committee numbers in
    its own register (``sequence_of``).
    """
    _require_transaction("number_next")
    _check_kind(kind)
    counter = _locked_counter(
        organization=organization, year=year, sequence=sequence_of(organization, kind, body)
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def register_number_required() -> str:
    return _("Hãy nhập số văn bản lấy từ sổ đăng ký của văn thư.")


def number_check(
    *, organization: Organization, year: int, kind: str, number: int, body=None
) -> None:
    """Refuse a number typed in by hand before any work is done: below 1, or already used
    in the sequence that year (``ValidationError`` on ``number``). ``number_claim`` checks
    again under the lock."""
    _check_kind(kind)
    if number is None or number < 1:
        raise ValidationError({"number": _("Số văn bản phải từ 1 trở lên.")}, code="invalid_number")
    taken = _number_taken(
        organization=organization,
        year=year,
        sequence=sequence_of(organization, kind, body),
        number=number,
    )
    if taken:
        raise _number_taken_error(taken=taken)


def number_claim(
    *, organization: Organization, year: int, kind: str, number: int, body=None
) -> int:
    """Take a number typed in by hand (from the văn thư's register, or a plan issued on
    paper that keeps its 46/KH-UBND).

    Raises ``ValidationError`` on ``number`` if it is below 1 or a document issued in the
    same sequence and year already has it. Automatic numbering continues after the
    highest number taken. Must be called inside the caller's transaction; the counter
    stays locked until it ends, so two claims of one number cannot both pass the check.
    """
    _require_transaction("number_claim")
    number_check(organization=organization, year=year, kind=kind, number=number, body=body)
    sequence = sequence_of(organization, kind, body)
    counter = _locked_counter(organization=organization, year=year, sequence=sequence)
    taken = _number_taken(organization=organization, year=year, sequence=sequence, number=number)
    if taken:
        raise _number_taken_error(taken=taken)
    if number > counter.last_number:
        counter.last_number = number
        counter.save(update_fields=["last_number"])
    return number


def _file_name(organization: Organization, year: int, kind: str, number: int, ext: str) -> str:
    # ASCII names: "QĐ" would make awkward paths on some file systems and backups.
    kind_ascii = kind.replace("Đ", "D").replace("đ", "d")
    token = secrets.token_urlsafe(8)
    return f"documents/{organization.code}/{year}/{kind_ascii}-{number}-{token}.{ext}"


def document_reserve(
    *,
    actor: User,
    organization: Organization,
    kind: str,
    year: int,
    spec: OfficialDocument,
    source: models.Model,
    signatures: list[SignatureEntry],
    number: int | None = None,
    replaces: IssuedDocument | None = None,
    body=None,
) -> IssuedDocument:
    """Number ``spec`` and record it, with its signatures, as a document to render.

    ``number`` is a number typed in by hand (from the văn thư's register); without it
    the document takes the next number of the organisation's sequence for ``kind``. The
    content is frozen with the number (``IssuedDocument.content``); ``document_render``
    then makes the files from it, once the caller's transaction has committed, so the
    sequence stays locked only for this short step, never while a long document renders.

    Guarantees: two documents never share a number in a sequence and year; a typed
    number already used raises ``ValidationError`` on ``number`` and leaves the caller's
    transaction usable; if the caller's transaction rolls back, the number is given back
    and nothing remains. Must be called inside the caller's transaction.

    ``body`` is the issuing body other than the People's Committee (a Party or Front
    committee): its own register, and for a body numbering through its term, the term's
    first year as ``year`` (``IssuingBody.register_year``).
    """
    _require_transaction("document_reserve")
    _check_kind(kind)
    if body is not None:
        year = body.register_year(year)
    if number is not None:
        number = number_claim(
            organization=organization, year=year, kind=kind, number=number, body=body
        )
    else:
        number = number_next(organization=organization, year=year, kind=kind, body=body)
    spec = normalized(replace(spec, number=number, draft=False))
    document = IssuedDocument.objects.create(
        organization=organization,
        kind=kind,
        year=year,
        sequence=sequence_of(organization, kind, body),
        issuing_body=body,
        layout=spec.layout,
        number=number,
        symbol=spec.symbol,
        subject=spec.subject,
        status=IssuedDocument.Status.PENDING,
        content=to_json(spec),
        issued_at=timezone.now(),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        content_type=ContentType.objects.get_for_model(source),
        object_id=source.pk,
        replaces=replaces,
    )
    DocumentSignature.objects.bulk_create(
        DocumentSignature(
            document=document,
            label=label,
            signer_name=signer_name,
            signed_by=signed_by,
            signed_at=signed_at,
        )
        for label, signer_name, signed_by, signed_at in signatures
    )
    return document


def document_render(*, document: IssuedDocument, actor: User | None = None) -> IssuedDocument:
    """Make a reserved document's DOCX, PDF and print view from its frozen content and
    issue it: the files are stored with their SHA-256, the row marked issued, and a
    ``document.issue`` audit event written.

    Runs with no lock held. Rendering the same document twice at once issues it once
    (the other's files are discarded). If rendering fails, the error is recorded on the
    document, which keeps its number and content: run this again to issue it.
    """
    document = IssuedDocument.objects.select_related("organization").get(pk=document.pk)
    if document.is_ready:
        return document
    spec = from_json(document.content)
    try:
        docx_bytes, pdf_bytes, html = render_docx(spec), render_pdf(spec), render_html(spec)
    except Exception as error:
        IssuedDocument.objects.filter(pk=document.pk, status=IssuedDocument.Status.PENDING).update(
            render_error=f"{type(error).__name__}: {error}"[:2000]
        )
        logger.exception("Could not render document %s", document.pk)
        raise
    organization, year, kind, number = (
        document.organization,
        document.year,
        document.kind,
        document.number,
    )
    with transaction.atomic():
        files = FilesOfTransaction(IssuedDocument._meta.get_field("docx").storage)
        docx_name = files.save(_file_name(organization, year, kind, number, "docx"), docx_bytes)
        pdf_name = files.save(_file_name(organization, year, kind, number, "pdf"), pdf_bytes)
        issued = IssuedDocument.objects.filter(
            pk=document.pk, status=IssuedDocument.Status.PENDING
        ).update(
            status=IssuedDocument.Status.ISSUED,
            docx=docx_name,
            pdf=pdf_name,
            html=html,
            docx_sha256=hashlib.sha256(docx_bytes).hexdigest(),
            pdf_sha256=hashlib.sha256(pdf_bytes).hexdigest(),
            render_error="",
        )
        if not issued:  # rendered meanwhile by someone else: theirs stands
            files.discard()
            return IssuedDocument.objects.get(pk=document.pk)
        document.refresh_from_db()
        audit_record(
            actor=actor or document.issued_by,
            action="document.issue",
            obj=document,
            organization=organization,
            note=_("Ban hành văn bản số %(number)s: %(subject)s")
            % {"number": document.number_symbol, "subject": document.subject},
        )
    return document


def document_render_after(document: IssuedDocument, actor: User | None = None) -> IssuedDocument:
    """``document_render`` for a domain service whose own change has committed: a failed
    rendering is recorded on the document (and logged), not raised, since the decision
    or plan it belongs to stands; its page offers to render it again."""
    try:
        return document_render(document=document, actor=actor)
    except Exception:  # noqa: BLE001 - recorded by document_render
        return IssuedDocument.objects.get(pk=document.pk)


def document_issue(
    *,
    actor: User,
    organization: Organization,
    kind: str,
    year: int,
    spec: OfficialDocument,
    source: models.Model,
    signatures: list[SignatureEntry],
    number: int | None = None,
    replaces: IssuedDocument | None = None,
    body=None,
) -> IssuedDocument:
    """Reserve and render at once, inside the caller's transaction: for a short document,
    or a caller that holds no lock worth releasing. The domain services that issue long
    documents reserve in their transaction and render after it (``document_reserve``,
    ``document_render``). The guarantees of both apply; if the caller's transaction rolls
    back, neither the row nor the files remain."""
    _require_transaction("document_issue")
    document = document_reserve(
        actor=actor,
        organization=organization,
        kind=kind,
        year=year,
        spec=spec,
        source=source,
        signatures=signatures,
        number=number,
        replaces=replaces,
        body=body,
    )
    return document_render(document=document, actor=actor)
