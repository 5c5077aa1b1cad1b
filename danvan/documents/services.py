"""Numbering and issuing official documents. Every write to this app goes through here.

A feature issues a document in one transaction of its own:

    with transaction.atomic():
        number = number_next(organization=org, year=2024, kind=DocumentKind.PLAN)
        issued = document_issue(actor=..., number=number, spec=..., source=campaign, ...)
        ... mark the campaign issued ...

If anything in it fails, the number, the row and the stored files all go away together.
"""

import hashlib
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
from danvan.documents.layout import OfficialDocument, normalized
from danvan.documents.models import (
    DocumentCounter,
    DocumentKind,
    DocumentSignature,
    IssuedDocument,
)
from danvan.documents.render import render_docx, render_html, render_pdf
from danvan.storage import FilesOfTransaction

SignatureEntry = tuple[str, str, User | None, datetime]


def _require_transaction(name: str) -> None:
    if not connection.in_atomic_block:
        raise TransactionManagementError(
            f"{name}() must run inside the caller's transaction.atomic() block, so that the "
            "number and the document it is used for are committed or rolled back together."
        )


def _check_kind(kind: str) -> None:
    if kind not in DocumentKind.values:
        raise ValueError(f"Unknown document kind {kind!r}")


def _locked_counter(*, organization: Organization, year: int, kind: str) -> DocumentCounter:
    """The counter row, locked until the caller's transaction ends; created if missing.

    Two transactions creating the same counter at once: one insert wins, the other fails
    inside its savepoint, waits for the winner's commit and then locks the row it made.
    """
    lookup = {"organization": organization, "year": year, "kind": kind}
    counter = DocumentCounter.objects.select_for_update().filter(**lookup).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():
            return DocumentCounter.objects.create(**lookup, last_number=0)
    except IntegrityError:
        return DocumentCounter.objects.select_for_update().get(**lookup)


def _number_taken(
    *, organization: Organization, year: int, kind: str, number: int
) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(
        organization=organization, year=year, kind=kind, number=number
    ).first()


def _number_taken_error(*, number: int, symbol: str, year: int) -> ValidationError:
    return ValidationError(
        {
            "number": ValidationError(
                _("Số %(number)s/%(symbol)s năm %(year)s đã được dùng cho văn bản khác."),
                code="number_taken",
                params={"number": number, "symbol": symbol, "year": year},
            )
        }
    )


def number_next(*, organization: Organization, year: int, kind: str) -> int:
    """The next number for ``kind`` documents of ``organization`` in ``year``, taken.

    Guarantees: numbers run 1, 2, 3 … per organisation, year and kind, restarting each
    year; concurrent callers queue on the counter's row lock and never get the same
    number; a caller whose transaction rolls back gives its number back, so there are no
    gaps. Must be called inside the caller's transaction, which should then issue the
    document with this number.
    """
    _require_transaction("number_next")
    _check_kind(kind)
    counter = _locked_counter(organization=organization, year=year, kind=kind)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def number_claim(*, organization: Organization, year: int, kind: str, number: int) -> int:
    """Take a number typed in by hand (a plan issued on paper keeps its 46/KH-UBND).

    Raises ``ValidationError`` on ``number`` if it is below 1 or an issued document of
    that kind and year already has it. Automatic numbering continues after the highest
    number taken. Must be called inside the caller's transaction; the counter stays
    locked until it ends, so two claims of one number cannot both pass the check.
    """
    _require_transaction("number_claim")
    _check_kind(kind)
    if number < 1:
        raise ValidationError({"number": _("Số văn bản phải từ 1 trở lên.")}, code="invalid_number")
    counter = _locked_counter(organization=organization, year=year, kind=kind)
    taken = _number_taken(organization=organization, year=year, kind=kind, number=number)
    if taken:
        raise _number_taken_error(number=number, symbol=taken.symbol, year=year)
    if number > counter.last_number:
        counter.last_number = number
        counter.save(update_fields=["last_number"])
    return number


def _file_name(organization: Organization, year: int, kind: str, number: int, ext: str) -> str:
    # ASCII names: "QĐ" would make awkward paths on some file systems and backups.
    kind_ascii = kind.replace("Đ", "D").replace("đ", "d")
    token = secrets.token_urlsafe(8)
    return f"documents/{organization.code}/{year}/{kind_ascii}-{number}-{token}.{ext}"


def document_issue(
    *,
    actor: User,
    organization: Organization,
    kind: str,
    year: int,
    number: int,
    spec: OfficialDocument,
    source: models.Model,
    signatures: list[SignatureEntry],
) -> IssuedDocument:
    """Freeze ``spec`` as the issued document ``number`` and record its signatures.

    Renders the DOCX, PDF and print view once (with the number set and no draft mark),
    stores the files with their SHA-256, creates the ``IssuedDocument`` linked to
    ``source`` and its ``DocumentSignature`` rows ((label, signer name, user or None,
    aware datetime) each), and writes a ``document.issue`` audit event.

    Guarantees: the stored bytes are what is served from then on and never change; a
    number already used raises ``ValidationError`` and leaves the caller's transaction
    usable; if the caller's transaction rolls back, neither the row nor the files remain.
    Must be called inside the caller's transaction, after ``number_next``/``number_claim``.
    """
    _require_transaction("document_issue")
    _check_kind(kind)
    spec = normalized(replace(spec, number=number, draft=False))
    if _number_taken(organization=organization, year=year, kind=kind, number=number):
        raise _number_taken_error(number=number, symbol=spec.symbol, year=year)
    docx_bytes = render_docx(spec)
    pdf_bytes = render_pdf(spec)
    html = render_html(spec)
    files = FilesOfTransaction(IssuedDocument._meta.get_field("docx").storage)
    try:
        docx_name = files.save(_file_name(organization, year, kind, number, "docx"), docx_bytes)
        pdf_name = files.save(_file_name(organization, year, kind, number, "pdf"), pdf_bytes)
        with transaction.atomic():
            issued = IssuedDocument.objects.create(
                organization=organization,
                kind=kind,
                year=year,
                number=number,
                symbol=spec.symbol,
                subject=spec.subject,
                issued_at=timezone.now(),
                issued_by=actor if getattr(actor, "is_authenticated", False) else None,
                docx=docx_name,
                pdf=pdf_name,
                html=html,
                docx_sha256=hashlib.sha256(docx_bytes).hexdigest(),
                pdf_sha256=hashlib.sha256(pdf_bytes).hexdigest(),
                content_type=ContentType.objects.get_for_model(source),
                object_id=source.pk,
            )
            DocumentSignature.objects.bulk_create(
                DocumentSignature(
                    document=issued,
                    label=label,
                    signer_name=signer_name,
                    signed_by=signed_by,
                    signed_at=signed_at,
                )
                for label, signer_name, signed_by, signed_at in signatures
            )
            audit_record(
                actor=actor,
                action="document.issue",
                obj=issued,
                organization=organization,
                note=_("Ban hành văn bản số %(number)s: %(subject)s")
                % {"number": issued.number_symbol, "subject": spec.subject},
            )
    except BaseException as error:
        files.discard()  # nothing refers to them
        # Taken meanwhile by a transaction that committed while this one rendered.
        taken = isinstance(error, IntegrityError) and _number_taken(
            organization=organization, year=year, kind=kind, number=number
        )
        if taken:
            raise _number_taken_error(number=number, symbol=spec.symbol, year=year) from error
        raise
    return issued
