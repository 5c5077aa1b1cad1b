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
failed), sealing the PDF with the issuing body's certificate where one is configured.
``document_issue`` does both inside one transaction, for short documents. Where the
signer signs with their own certificate, the rendered PDF waits for their signed copy
(``document_sign``), which is sealed on top and issued. See docs/signatures.md.
"""

import hashlib
import logging
import secrets
from dataclasses import replace
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.transaction import TransactionManagementError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.models import Organization, User
from danvan.accounts.rules import is_superuser, require
from danvan.audit.services import audit_record
from danvan.documents import signing
from danvan.documents.layout import (
    OfficialDocument,
    Verification,
    from_json,
    normalized,
    signature_time_vi,
    to_json,
    with_seal_time,
    without_signatures,
)
from danvan.documents.models import (
    DocumentCounter,
    DocumentKind,
    DocumentSignature,
    IssuedDocument,
    sequence_of,
)
from danvan.documents.parts import BODY_SEAL
from danvan.documents.pdf import render_pdf_laid_out
from danvan.documents.render import render_docx, render_html
from danvan.documents.rules import is_expected_signer
from danvan.mail import absolute_url, send_templated_mail
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


# Short codes printed on issued documents: no 0/O, 1/I/L to misread.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_CODE_LENGTH = 12


def verification_url(code: str) -> str:
    """The address printed (and QR-coded) on a document, where anyone checks it."""
    return absolute_url(reverse("documents:verify_code", args=[code]))


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
    seal_time_fixed: bool = False,
) -> IssuedDocument:
    """Number ``spec`` and record it, with its signatures, as a document to render.

    ``number`` is a number typed in by hand (from the văn thư's register); without it
    the document takes the next number of the organisation's sequence for ``kind``. The
    content is frozen with the number (``IssuedDocument.content``) and a verification
    code, printed with the address where anyone checks the document; ``document_render``
    then makes the files from it, once the caller's transaction has committed, so the
    sequence stays locked only for this short step, never while a long document renders.

    The issuing body's seal is made when the PDF is sealed (``document_render``), unless
    ``seal_time_fixed`` (a document signed elsewhere, entered with its times). Where the
    organisation has its signers sign the PDF themselves, no signature is printed and
    the signatures are recorded as to be made (``document_sign``).

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
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    # A body other than the People's Committee signs on paper: no signer uploads its PDF.
    signer_signs = organization.signer_signs_pdf and body is None
    verification = Verification(code=code, url=verification_url(code))
    spec = replace(spec, number=number, draft=False, verification=verification)
    if signer_signs:
        spec = without_signatures(spec)
    spec = normalized(spec)
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
        dated=spec.date,
        status=IssuedDocument.Status.PENDING,
        content=to_json(spec),
        issued_at=timezone.now(),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        content_type=ContentType.objects.get_for_model(source),
        object_id=source.pk,
        replaces=replaces,
        verification_code=code,
        signer_signs=signer_signs,
    )
    rows = []
    for label, signer_name, signed_by, signed_at in signatures:
        role = DocumentSignature.Role.SEAL if label == BODY_SEAL else DocumentSignature.Role.SIGNER
        to_be_made = signer_signs or (role == DocumentSignature.Role.SEAL and not seal_time_fixed)
        rows.append(
            DocumentSignature(
                document=document,
                role=role,
                label=label,
                signer_name=signer_name,
                signed_by=signed_by,
                signed_at=None if to_be_made else signed_at,
            )
        )
    DocumentSignature.objects.bulk_create(rows)
    return document


def _now_to_the_second():
    return timezone.now().replace(microsecond=0)


def _certificate_fields(info: signing.CertificateInfo) -> dict:
    return {
        "in_pdf": True,
        "certificate_subject": info.subject[:500],
        "certificate_issuer": info.issuer[:500],
        "certificate_serial": info.serial[:100],
        "test_certificate": info.is_test,
    }


def _seal_row(document: IssuedDocument) -> DocumentSignature | None:
    return document.signatures.filter(role=DocumentSignature.Role.SEAL).first()


def _record_render_error(document: IssuedDocument, error: Exception) -> None:
    IssuedDocument.objects.filter(pk=document.pk, status=IssuedDocument.Status.PENDING).update(
        render_error=f"{type(error).__name__}: {error}"[:2000]
    )
    logger.exception("Could not render document %s", document.pk)


def document_render(*, document: IssuedDocument, actor: User | None = None) -> IssuedDocument:
    """Make a reserved document's DOCX, PDF and print view from its frozen content and
    issue it: the PDF is sealed with the organisation's certificate if it has one
    (``danvan.documents.signing``), the files stored with their SHA-256 (the sealed PDF's),
    the row marked issued, and a ``document.issue`` audit event written. The seal's time
    is printed, put in the signature and recorded alike. Where the signer signs the PDF
    themselves, the document waits for them instead (status *awaiting signature*).

    Runs with no lock held. Rendering the same document twice at once issues it once
    (the other's files are discarded). If rendering or sealing fails (an unusable key
    included), the error is recorded on the document, which keeps its number and
    content: run this again to issue it.
    """
    document = IssuedDocument.objects.select_related("organization").get(pk=document.pk)
    if document.status != IssuedDocument.Status.PENDING:
        return document
    organization = document.organization
    spec = from_json(document.content)
    seal_row = None if document.signer_signs else _seal_row(document)
    sealed_at = (seal_row.signed_at or _now_to_the_second()) if seal_row else None
    try:
        # The People's Committee's seal: never on a Party or Front document (signed on paper).
        sealed_by_body = document.signer_signs or document.issuing_body_id is not None
        seal = None if sealed_by_body else signing.seal_key_for(organization)
        if sealed_at is not None:
            spec = with_seal_time(spec, sealed_at)
        docx_bytes, laid_out, html = render_docx(spec), render_pdf_laid_out(spec), render_html(spec)
        place = signing.seal_place(laid_out.sign_space)
        pdf_bytes = laid_out.content
        if document.signer_signs:
            pdf_bytes = signing.add_signer_field(
                pdf_bytes, signing.signer_place(laid_out.sign_space)
            )
        if seal is not None:
            pdf_bytes = signing.seal_pdf(
                pdf_bytes,
                seal,
                place=place,
                body_name=seal_row.signer_name if seal_row else organization.name,
                signed_at=sealed_at or _now_to_the_second(),
            )
    except Exception as error:
        _record_render_error(document, error)
        raise
    year, kind, number = document.year, document.kind, document.number
    awaiting = document.signer_signs
    with transaction.atomic():
        files = FilesOfTransaction(IssuedDocument._meta.get_field("docx").storage)
        docx_name = files.save(_file_name(organization, year, kind, number, "docx"), docx_bytes)
        pdf_name = files.save(_file_name(organization, year, kind, number, "pdf"), pdf_bytes)
        issued = IssuedDocument.objects.filter(
            pk=document.pk, status=IssuedDocument.Status.PENDING
        ).update(
            status=IssuedDocument.Status.AWAITING_SIGNATURE
            if awaiting
            else IssuedDocument.Status.ISSUED,
            docx=docx_name,
            pdf=pdf_name,
            html=html,
            docx_sha256=hashlib.sha256(docx_bytes).hexdigest(),
            pdf_sha256=hashlib.sha256(pdf_bytes).hexdigest(),
            render_error="",
            content=to_json(spec),
            seal_place=place,
        )
        if not issued:  # rendered meanwhile by someone else: theirs stands
            files.discard()
            return IssuedDocument.objects.get(pk=document.pk)
        if seal_row is not None:
            DocumentSignature.objects.filter(pk=seal_row.pk).update(
                signed_at=sealed_at, **(_certificate_fields(seal.certificate) if seal else {})
            )
        document.refresh_from_db()
        audit_record(
            actor=actor or document.issued_by,
            action="document.render" if awaiting else "document.issue",
            obj=document,
            organization=organization,
            note=(
                _("Văn bản số %(number)s chờ người ký ký số: %(subject)s")
                if awaiting
                else _("Ban hành văn bản số %(number)s: %(subject)s")
            )
            % {"number": document.number_symbol, "subject": document.subject},
        )
    return document


def document_render_after(document: IssuedDocument, actor: User | None = None) -> IssuedDocument:
    """``document_render`` for a domain service whose own change has committed: a failed
    rendering is recorded on the document (and logged), not raised, since the decision
    or plan it belongs to stands; its page offers to render it again.

    A long document (``OfficialDocument.is_long``: a decision of thousands of awardees)
    is rendered by the worker instead (``tasks.render_issued``), once the caller's
    transaction commits; it stays pending, its page saying it is being made."""
    if from_json(document.content).is_long:
        from danvan.documents.tasks import render_issued  # the task renders with this module

        actor_id = actor.pk if actor else None
        # Being made again: an earlier failure no longer stands for what the page says.
        IssuedDocument.objects.filter(pk=document.pk, status=IssuedDocument.Status.PENDING).update(
            render_error="", render_queued_at=timezone.now()
        )
        transaction.on_commit(lambda: render_issued.enqueue(document.pk, actor_id))
        return IssuedDocument.objects.get(pk=document.pk)
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


# The signer's own signature ------------------------------------------------------------

# How far the time a signature claims may lie before the document was numbered or after
# the upload (clocks differ a little).
SIGNING_CLOCK_SKEW = timedelta(minutes=10)


def _refusal(message: str, code: str) -> ValidationError:
    return ValidationError({"pdf": ValidationError(message, code=code)})


def stored_file(document: IssuedDocument, fmt: str) -> bytes:
    """The stored DOCX or PDF of ``document``, byte for byte, once checked against the
    SHA-256 recorded when it was stored. A file that no longer matches is never returned:
    the alarm is raised (``document_integrity_alarm``) and ``FileTampered`` raised."""
    field = document.docx if fmt == "docx" else document.pdf
    expected = document.docx_sha256 if fmt == "docx" else document.pdf_sha256
    try:
        with field.storage.open(field.name, "rb") as handle:
            content = handle.read()
    except OSError as error:
        document_integrity_alarm(document=document, fmt=fmt, found=f"{type(error).__name__}")
        raise FileTampered(document, fmt) from error
    found = hashlib.sha256(content).hexdigest()
    if found != expected:
        document_integrity_alarm(document=document, fmt=fmt, found=found)
        raise FileTampered(document, fmt)
    return content


class FileTampered(Exception):
    """A stored file of an issued document no longer matches its recorded SHA-256."""

    def __init__(self, document: IssuedDocument, fmt: str):
        super().__init__(f"{fmt} of document {document.pk} does not match its SHA-256")
        self.document = document
        self.fmt = fmt


def _check_signers_copy(
    *, document: IssuedDocument, unsigned: bytes, content: bytes, signer: User
) -> signing.SignatureCheck:
    """The signer's signature on ``content`` if it is the issued document, unchanged,
    soundly signed with the signer's own certificate, valid and trusted when it signed;
    else ``ValidationError`` on ``pdf`` saying which of these it is not."""
    checked = signing.check_pdf(content)
    if not checked.readable:
        raise _refusal(_("Tệp tải lên không đọc được như một tệp PDF."), "unreadable")
    if not content.startswith(unsigned):
        raise _refusal(
            _(
                "Nội dung đã ký khác văn bản số %(number)s: hãy ký đúng tệp PDF tải về từ "
                "trang này, không sửa hay lưu lại tệp trước khi ký."
            )
            % {"number": document.number_symbol},
            "other_content",
        )
    new = [s for s in checked.signatures if s.signed_revision_end > len(unsigned)]
    if not new:
        raise _refusal(_("Tệp tải lên chưa có chữ ký số nào."), "unsigned")
    if not all(signature.sound for signature in new) or new[-1].signed_at is None:
        raise _refusal(
            _(
                "Chữ ký số trong tệp bị hỏng: tệp đã bị sửa sau khi ký, hoặc chữ ký không "
                "khớp với nội dung."
            ),
            "broken",
        )
    revisions = signing.revision_count(unsigned)
    if not new[-1].whole_file or not signing.only_signatures_since(
        content, revisions_before=revisions
    ):
        raise _refusal(
            _(
                "Tệp đã ký có thêm nội dung ngoài chữ ký số (chú thích, trang, chữ…): nội "
                "dung đã ký khác văn bản số %(number)s."
            )
            % {"number": document.number_symbol},
            "other_content",
        )
    signature = new[0]
    certificate = signature.certificate
    if certificate is None or not signing.certificate_is_for(
        certificate, full_name=signer.full_name, identity=signer.certificate_identity
    ):
        raise _refusal(
            _(
                "Chứng thư số dùng để ký là của “%(holder)s”, không phải của %(signer)s. Hãy "
                "ký bằng chứng thư số cá nhân của chính người ký."
            )
            % {"holder": certificate.name if certificate else "?", "signer": signer.full_name},
            "not_signer",
        )
    signed_at = signature.signed_at
    if not certificate.valid_at(signed_at):
        raise _refusal(
            _(
                "Chứng thư số đã hết hạn hoặc chưa có hiệu lực vào lúc ký (%(when)s): chứng "
                "thư có hiệu lực từ %(start)s đến %(end)s."
            )
            % {
                "when": signature_time_vi(signed_at),
                "start": signature_time_vi(certificate.not_before),
                "end": signature_time_vi(certificate.not_after),
            },
            "expired",
        )
    if not (
        document.issued_at - SIGNING_CLOCK_SKEW <= signed_at <= timezone.now() + SIGNING_CLOCK_SKEW
    ):
        raise _refusal(
            _(
                "Thời điểm ký ghi trong chữ ký (%(when)s) không hợp lệ: trước khi văn bản được "
                "cấp số hoặc sau thời điểm hiện tại. Hãy kiểm tra đồng hồ của máy ký."
            )
            % {"when": signature_time_vi(signed_at)},
            "bad_time",
        )
    if not signature.trusted:
        at_signing = signing.check_pdf(content, moment=signed_at)
        trusted = [s for s in at_signing.signatures if s.field == signature.field]
        if not (trusted and trusted[0].trusted):
            raise _refusal(
                _(
                    "Chứng thư số không do tổ chức chứng thực chữ ký số mà cổng tin cậy cấp; "
                    "hãy báo quản trị hệ thống nếu đây là chứng thư hợp lệ."
                ),
                "untrusted",
            )
    return signature


def document_sign(*, actor: User, document: IssuedDocument, content: bytes) -> IssuedDocument:
    """Accept the signer's own signed copy of a document awaiting their signature, seal it
    on top as the second signature (where the organisation has a seal certificate) and
    issue it.

    Only the person recorded as the document's signer (``PermissionDenied`` otherwise).
    The copy must be the PDF the portal made, with nothing added but signatures, signed
    soundly with the signer's own certificate (by their configured identity, else their
    name), valid and trusted when it signed; otherwise ``ValidationError`` on ``pdf``
    says why and nothing changes. The checks and the seal run with no lock held; of two
    uploads at once, one issues the document and the other is told it already is.
    """
    document = IssuedDocument.objects.select_related("organization").get(pk=document.pk)
    require(is_expected_signer, actor, document)
    if not document.is_awaiting_signature:
        raise ValidationError(_("Văn bản này đã được ký số và ban hành."), code="conflict")
    try:
        unsigned = stored_file(document, "pdf")
    except FileTampered:
        raise ValidationError(
            _("Tệp PDF chờ ký của văn bản đã bị thay đổi; quản trị hệ thống đã được báo."),
            code="tampered",
        ) from None
    signature = _check_signers_copy(
        document=document, unsigned=unsigned, content=content, signer=actor
    )
    organization = document.organization
    seal = signing.seal_key_for(organization)
    seal_row = _seal_row(document)
    sealed_at = _now_to_the_second()
    final = content
    if seal is not None:
        final = signing.seal_pdf(
            content,
            seal,
            place=document.seal_place or signing.seal_place(None),
            body_name=seal_row.signer_name if seal_row else organization.name,
            signed_at=sealed_at,
        )
    old_pdf = document.pdf.name
    storage = IssuedDocument._meta.get_field("pdf").storage
    with transaction.atomic():
        files = FilesOfTransaction(storage)
        name = files.save(
            _file_name(organization, document.year, document.kind, document.number, "pdf"), final
        )
        issued = IssuedDocument.objects.filter(
            pk=document.pk, status=IssuedDocument.Status.AWAITING_SIGNATURE
        ).update(
            status=IssuedDocument.Status.ISSUED,
            pdf=name,
            pdf_sha256=hashlib.sha256(final).hexdigest(),
        )
        if not issued:
            files.discard()
            raise ValidationError(_("Văn bản này đã được ký số và ban hành."), code="conflict")
        document.signatures.filter(role=DocumentSignature.Role.SIGNER, signed_by=actor).update(
            signed_at=signature.signed_at, **_certificate_fields(signature.certificate)
        )
        if seal_row is not None and seal is not None:
            DocumentSignature.objects.filter(pk=seal_row.pk).update(
                signed_at=sealed_at, **_certificate_fields(seal.certificate)
            )
        elif seal_row is not None:  # no seal certificate: the body's signature was not made
            seal_row.delete()
        document.refresh_from_db()
        audit_record(
            actor=actor,
            action="document.issue",
            obj=document,
            organization=organization,
            note=_("Người ký ký số và ban hành văn bản số %(number)s: %(subject)s")
            % {"number": document.number_symbol, "subject": document.subject},
        )
        transaction.on_commit(lambda: _delete_quietly(storage, old_pdf))
    return document


def _delete_quietly(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:  # pragma: no cover - logged, the new file stands
        logger.exception("Could not delete the unsigned copy %s", name)


# Immutability -----------------------------------------------------------------------------


def document_integrity_alarm(*, document: IssuedDocument, fmt: str, found: str) -> bool:
    """Record that a stored file of ``document`` no longer matches the SHA-256 recorded
    when it was stored (it is then never served), and tell the superusers and ADMINS by
    mail once. Returns whether this call raised the alarm (a second finding adds to
    the record but sends nothing)."""
    moment = timezone.now()
    line = f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S} {fmt}: SHA-256 {found}"
    with transaction.atomic():
        raised = IssuedDocument.objects.filter(
            pk=document.pk, integrity_alarm_at__isnull=True
        ).update(integrity_alarm_at=moment, integrity_alarm=line)
        if not raised:
            current = IssuedDocument.objects.get(pk=document.pk).integrity_alarm
            if line not in current:
                IssuedDocument.objects.filter(pk=document.pk).update(
                    integrity_alarm=f"{current}\n{line}"[-5000:]
                )
            return False
        audit_record(
            actor=None,
            action="document.tampered",
            obj=document,
            organization=document.organization,
            note=_("Tệp %(format)s của văn bản số %(number)s không còn khớp SHA-256 đã ghi.")
            % {"format": fmt.upper(), "number": document.number_symbol},
        )
        logger.error("Stored %s of document %s does not match its SHA-256", fmt, document.pk)
        recipients = [address for _name, address in settings.ADMINS] + list(
            User.objects.filter(is_superuser=True, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        context = {
            "document": document,
            "format": fmt.upper(),
            "expected": document.docx_sha256 if fmt == "docx" else document.pdf_sha256,
            "found": found,
            "admin_url": absolute_url(
                reverse("admin:documents_issueddocument_change", args=[document.pk])
            ),
        }
        transaction.on_commit(
            lambda: send_templated_mail(
                to=recipients,
                subject_template="documents/mail/tampered_subject.txt",
                body_template="documents/mail/tampered_body.txt",
                context=context,
            )
        )
    return True


def document_integrity_clear(*, actor: User, document: IssuedDocument, note: str) -> None:
    """Clear the alarm once the file is restored from a backup that matches its SHA-256
    (superusers, from the back office); checked again before it is cleared."""
    require(is_superuser, actor, document)
    document = IssuedDocument.objects.get(pk=document.pk)
    for fmt in ("docx", "pdf"):
        field = document.docx if fmt == "docx" else document.pdf
        expected = document.docx_sha256 if fmt == "docx" else document.pdf_sha256
        with field.storage.open(field.name, "rb") as handle:
            if hashlib.sha256(handle.read()).hexdigest() != expected:
                raise ValidationError(
                    _("Tệp %(format)s vẫn chưa khớp SHA-256 đã ghi; hãy khôi phục từ bản sao lưu.")
                    % {"format": fmt.upper()}
                )
    with transaction.atomic():
        IssuedDocument.objects.filter(pk=document.pk).update(
            integrity_alarm_at=None, integrity_alarm=""
        )
        audit_record(
            actor=actor,
            action="document.restored",
            obj=document,
            organization=document.organization,
            note=note,
        )
