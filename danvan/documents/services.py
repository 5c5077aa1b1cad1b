"""Numbering and issuing official documents. Every write to this app goes through here.

A feature issues a document inside a transaction of its own:

    with transaction.atomic():
        issued = document_issue(actor=..., organization=org, kind=DocumentKind.PLAN, year=2024,
                                spec=..., source=campaign, signatures=[...])
        ... mark the campaign issued with issued.number ...

``document_issue`` renders the document first, then takes its number in the
organisation's sequence (its kind's own, or one for every kind) under the counter's row
lock, so one long rendering never keeps other documents of the organisation waiting. If
anything fails, the number, the row and the stored files all go away together.
"""

import hashlib
import secrets
from dataclasses import dataclass, replace
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
    sequence_of,
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


def number_next(*, organization: Organization, year: int, kind: str) -> int:
    """The next number for a ``kind`` document of ``organization`` in ``year``, taken.

    Guarantees: numbers run 1, 2, 3 … in the organisation's sequence for the kind (the
    kind's own, or one for every kind, see ``Organization.numbering``), restarting each
    year; concurrent callers queue on the counter's row lock and never get the same
    number; a caller whose transaction rolls back gives its number back, so there are no
    gaps. Must be called inside the caller's transaction, which should then issue the
    document with this number.
    """
    _require_transaction("number_next")
    _check_kind(kind)
    counter = _locked_counter(
        organization=organization, year=year, sequence=sequence_of(organization, kind)
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def register_number_required() -> str:
    return _("Hãy nhập số văn bản lấy từ sổ đăng ký của văn thư.")


def number_check(*, organization: Organization, year: int, kind: str, number: int) -> None:
    """Refuse a number typed in by hand before any work is done: below 1, or already used
    in the sequence that year (``ValidationError`` on ``number``). ``number_claim`` checks
    again under the lock."""
    _check_kind(kind)
    if number is None or number < 1:
        raise ValidationError({"number": _("Số văn bản phải từ 1 trở lên.")}, code="invalid_number")
    taken = _number_taken(
        organization=organization,
        year=year,
        sequence=sequence_of(organization, kind),
        number=number,
    )
    if taken:
        raise _number_taken_error(taken=taken)


def number_claim(*, organization: Organization, year: int, kind: str, number: int) -> int:
    """Take a number typed in by hand (from the văn thư's register, or a plan issued on
    paper that keeps its 46/KH-UBND).

    Raises ``ValidationError`` on ``number`` if it is below 1 or a document issued in the
    same sequence and year already has it. Automatic numbering continues after the
    highest number taken. Must be called inside the caller's transaction; the counter
    stays locked until it ends, so two claims of one number cannot both pass the check.
    """
    _require_transaction("number_claim")
    number_check(organization=organization, year=year, kind=kind, number=number)
    sequence = sequence_of(organization, kind)
    counter = _locked_counter(organization=organization, year=year, sequence=sequence)
    taken = _number_taken(organization=organization, year=year, sequence=sequence, number=number)
    if taken:
        raise _number_taken_error(taken=taken)
    if number > counter.last_number:
        counter.last_number = number
        counter.save(update_fields=["last_number"])
    return number


def _peek_next(*, organization: Organization, year: int, sequence: str) -> int:
    """The number the next document would take, read without a lock (a guess to render
    with; ``document_issue`` checks it under the lock)."""
    last = (
        DocumentCounter.objects.filter(organization=organization, year=year, sequence=sequence)
        .values_list("last_number", flat=True)
        .first()
    )
    return (last or 0) + 1


def _file_name(organization: Organization, year: int, kind: str, number: int, ext: str) -> str:
    # ASCII names: "QĐ" would make awkward paths on some file systems and backups.
    kind_ascii = kind.replace("Đ", "D").replace("đ", "d")
    token = secrets.token_urlsafe(8)
    return f"documents/{organization.code}/{year}/{kind_ascii}-{number}-{token}.{ext}"


@dataclass(frozen=True)
class _Rendered:
    number: int
    spec: OfficialDocument
    docx: bytes
    pdf: bytes
    html: str


def _render(spec: OfficialDocument, number: int) -> _Rendered:
    spec = normalized(replace(spec, number=number, draft=False))
    return _Rendered(number, spec, render_docx(spec), render_pdf(spec), render_html(spec))


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
) -> IssuedDocument:
    """Number ``spec`` and freeze it as an issued document, with its signatures.

    ``number`` is a number typed in by hand (from the văn thư's register); without it the
    document takes the next number of the organisation's sequence for ``kind``. The
    document is rendered first (DOCX, PDF and print view, no draft mark) with the number
    it is expected to get; only then is the sequence locked and the number taken, so a
    long rendering holds no lock. If a document issued meanwhile took that number, it is
    rendered again with the next one. The files are stored with their SHA-256, the
    ``IssuedDocument`` is linked to ``source`` (and to the document it ``replaces``), its
    ``DocumentSignature`` rows ((label, signer name, user or None, aware datetime) each)
    are recorded, and a ``document.issue`` audit event is written.

    Guarantees: two documents never share a number in a sequence and year; a rendering
    that fails takes no number; a typed number already used raises ``ValidationError`` on
    ``number`` before anything is rendered (and again if it was taken meanwhile), leaving
    the caller's transaction usable; the stored bytes never change afterwards; if the
    caller's transaction rolls back, neither the row nor the files remain. Must be called
    inside the caller's transaction.
    """
    _require_transaction("document_issue")
    _check_kind(kind)
    sequence = sequence_of(organization, kind)
    if number is not None:
        number_check(organization=organization, year=year, kind=kind, number=number)
        rendered = _render(spec, number)
    else:
        rendered = _render(
            spec, _peek_next(organization=organization, year=year, sequence=sequence)
        )
    # From here on the sequence is locked until the caller's transaction ends: keep it short.
    if number is not None:
        number_claim(organization=organization, year=year, kind=kind, number=number)
    else:
        counter = _locked_counter(organization=organization, year=year, sequence=sequence)
        taken = counter.last_number + 1
        if taken != rendered.number:  # another document took the expected number meanwhile
            rendered = _render(spec, taken)
        counter.last_number = taken
        counter.save(update_fields=["last_number"])
    return _store(
        actor=actor,
        organization=organization,
        kind=kind,
        year=year,
        sequence=sequence,
        rendered=rendered,
        source=source,
        signatures=signatures,
        replaces=replaces,
    )


def _store(
    *, actor, organization, kind, year, sequence, rendered: _Rendered, source, signatures, replaces
) -> IssuedDocument:
    spec, number = rendered.spec, rendered.number
    files = FilesOfTransaction(IssuedDocument._meta.get_field("docx").storage)
    try:
        docx_name = files.save(_file_name(organization, year, kind, number, "docx"), rendered.docx)
        pdf_name = files.save(_file_name(organization, year, kind, number, "pdf"), rendered.pdf)
        with transaction.atomic():
            issued = IssuedDocument.objects.create(
                organization=organization,
                kind=kind,
                year=year,
                sequence=sequence,
                number=number,
                symbol=spec.symbol,
                subject=spec.subject,
                issued_at=timezone.now(),
                issued_by=actor if getattr(actor, "is_authenticated", False) else None,
                docx=docx_name,
                pdf=pdf_name,
                html=rendered.html,
                docx_sha256=hashlib.sha256(rendered.docx).hexdigest(),
                pdf_sha256=hashlib.sha256(rendered.pdf).hexdigest(),
                content_type=ContentType.objects.get_for_model(source),
                object_id=source.pk,
                replaces=replaces,
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
            organization=organization, year=year, sequence=sequence, number=number
        )
        if taken:
            raise _number_taken_error(taken=taken) from error
        raise
    return issued
