"""Digital signatures on issued PDFs, with pyHanko: the issuing body's seal applied as a
PAdES signature (B-B, or B-T with a timestamp server), and any PDF's signatures checked.

Keys and certificates never come from the database or the repository: each
organisation's seal is a PKCS#12 file ``<organisation code>.p12`` in ``SIGNING_KEYS_DIR``
(its password in ``<code>.password`` beside it, or ``SIGNING_KEYS_PASSWORD``; the seal's
image, if any, in ``<code>.png``). Trust anchors are the certificate files in
``SIGNING_TRUST_DIR``. See docs/signatures.md.
"""

import asyncio
import dataclasses
import io
import logging
import shutil
import subprocess
import textwrap
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from danvan.documents import geometry
from danvan.documents.layout import signature_time, signature_time_vi
from danvan.documents.pdf import SignSpace

logger = logging.getLogger(__name__)

# fontTools reports every table it does not subset (the appearance's font) at WARNING, and
# pyHanko logs each untrusted certificate with a traceback: the checks report them.
for _name in ("fontTools.subset", "pyhanko.sign.validation", "pyhanko_certvalidator"):
    if logging.getLogger(_name).level == logging.NOTSET:
        logging.getLogger(_name).setLevel(logging.ERROR)

# The organisation name of the throwaway CA that ``manage.py signing_test_keys`` makes
# for the local demo. Certificates it issued are test signatures, refused with DEBUG off.
TEST_CA_ORGANIZATION = "Dân vận khéo – CA thử nghiệm, không dùng cho văn bản thật"
SEAL_FIELD = "ChuKySoCoQuanBanHanh"
SIGNER_FIELD = "ChuKySoNguoiKy"
SEAL_RED = (0.8, 0.0, 0.0)
_MM_TO_PT = 72 / 25.4


class SigningConfigError(ImproperlyConfigured):
    """A configured key cannot be used (unreadable, wrong password, a test key in
    production): documents wait, with the error recorded, until it is fixed."""


# Certificates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateInfo:
    """What a page shows of a certificate."""

    name: str  # the subject's common name: a person or a body
    subject: str
    issuer: str
    serial: str  # hexadecimal, upper case
    not_before: datetime
    not_after: datetime
    is_test: bool
    identities: frozenset[str]  # the subject's serialNumber and UID values, normalised

    @classmethod
    def of(cls, certificate) -> "CertificateInfo":
        """From an ``asn1crypto.x509.Certificate``."""
        subject = certificate.subject.native
        identities = set()
        for attribute in certificate.subject.chosen:
            for entry in attribute:
                kind = entry["type"].native
                if kind in ("serial_number", "user_id", "0.9.2342.19200300.100.1.1"):
                    identities.add(normalized_identity(str(entry["value"].native)))
        issuer = certificate.issuer.native
        return cls(
            name=subject.get("common_name", "") or certificate.subject.human_friendly,
            subject=certificate.subject.human_friendly,
            issuer=certificate.issuer.human_friendly,
            serial=format(certificate.serial_number, "X"),
            not_before=certificate["tbs_certificate"]["validity"]["not_before"].native,
            not_after=certificate["tbs_certificate"]["validity"]["not_after"].native,
            is_test=TEST_CA_ORGANIZATION
            in (issuer.get("organization_name"), subject.get("organization_name")),
            identities=frozenset(identities),
        )

    def valid_at(self, moment: datetime) -> bool:
        return self.not_before <= moment <= self.not_after


def normalized_identity(value: str) -> str:
    """An identity or name as compared: NFC, case-folded, without spaces or colons'
    surrounding blanks ("CCCD: 051 …" and "cccd:051…" are the same)."""
    value = unicodedata.normalize("NFC", value).casefold()
    return "".join(value.split())


def certificate_is_for(info: CertificateInfo, *, full_name: str, identity: str) -> bool:
    """Whether a personal certificate is the person's: by their configured identity (the
    certificate's subject serialNumber or UID, or its own serial number) when they have
    one, otherwise by their full name against the subject's common name."""
    if identity.strip():
        wanted = normalized_identity(identity)
        serial = normalized_identity(info.serial)
        return wanted in info.identities or wanted.replace(":", "") == serial
    return bool(full_name.strip()) and normalized_identity(info.name) == normalized_identity(
        full_name
    )


# Keys and trust anchors -------------------------------------------------------------------


@dataclass(frozen=True)
class SealKey:
    """An organisation's seal: pyHanko's signer (key and certificate chain), what the
    certificate says, and the seal's image if one is configured."""

    signer: object
    certificate: CertificateInfo
    image: Path | None


def _keys_dir() -> Path | None:
    directory = getattr(settings, "SIGNING_KEYS_DIR", None)
    return Path(directory) if directory else None


def seal_key_for(organization) -> SealKey | None:
    """The organisation's configured seal, or ``None`` when it has none (its documents are
    issued unsigned). Raises ``SigningConfigError`` if the configured file is unusable."""
    directory = _keys_dir()
    if directory is None:
        return None
    path = directory / f"{organization.code}.p12"
    if not path.is_file():
        return None
    password_file = directory / f"{organization.code}.password"
    if password_file.is_file():
        password = password_file.read_text(encoding="utf-8").strip()
    else:
        password = getattr(settings, "SIGNING_KEYS_PASSWORD", "") or ""
    image = directory / f"{organization.code}.png"
    key = load_seal_key(path, password)
    if key.certificate.is_test and not settings.DEBUG:
        raise SigningConfigError(
            f"{path} was issued by the demo's test CA; it must never sign real documents."
        )
    return dataclasses.replace(key, image=image if image.is_file() else None)


def load_seal_key(path: Path, password: str) -> SealKey:
    """A seal from a PKCS#12 file (kept in memory until the file changes)."""
    return _load_key(str(path), path.stat().st_mtime_ns, password)


@lru_cache(maxsize=64)
def _load_key(path: str, _mtime: int, password: str) -> SealKey:
    from pyhanko.sign import signers

    try:
        signer = signers.SimpleSigner.load_pkcs12(path, passphrase=password.encode() or None)
    except Exception as error:  # pyHanko raises assorted errors for a bad file or password
        raise SigningConfigError(f"Cannot read the seal key {path}: {error}") from error
    if signer is None:
        raise SigningConfigError(f"Cannot read the seal key {path} (wrong password?)")
    return SealKey(signer=signer, certificate=CertificateInfo.of(signer.signing_cert), image=None)


def trust_roots() -> list:
    """The configured trust anchors: every certificate file in ``SIGNING_TRUST_DIR``."""
    directory = getattr(settings, "SIGNING_TRUST_DIR", None)
    if not directory or not Path(directory).is_dir():
        return []
    files = sorted(
        (str(path), path.stat().st_mtime_ns)
        for path in Path(directory).iterdir()
        if path.suffix.lower() in (".pem", ".crt", ".cer", ".der")
    )
    return list(_load_certificates(tuple(files)))


@lru_cache(maxsize=16)
def _load_certificates(files: tuple[tuple[str, int], ...]) -> tuple:
    from asn1crypto import pem, x509

    certificates = []
    for path, _mtime in files:
        data = Path(path).read_bytes()
        blobs = (
            [der for _kind, _headers, der in pem.unarmor(data, multiple=True)]
            if pem.detect(data)
            else [data]
        )
        for der in blobs:
            try:
                certificates.append(x509.Certificate.load(der))
            except ValueError:
                logger.warning("Not a certificate, skipped: %s", path)
    return tuple(certificates)


# The seal's appearance -------------------------------------------------------------------


def seal_place(sign_space: SignSpace | None) -> dict:
    """Where the seal's appearance goes: over the left third of the signer's signature,
    which is centred in the room between the title and the name (decree 30/2020,
    Appendix I; see docs/signatures.md). Within the signature column; in PDF points."""
    width, height = (size * _MM_TO_PT for size in geometry.SEAL_BOX_MM)
    if sign_space is None:  # not an official document's layout: bottom right of page 1
        return {"page": 0, "box": [400.0, 60.0, 400.0 + width, 60.0 + height]}
    left, bottom, right, top = sign_space.box
    image_width = geometry.SIGNER_IMAGE_WIDTH_MM * _MM_TO_PT
    image_left = (left + right) / 2 - image_width / 2
    seal_right = image_left + image_width / 3
    seal_left = max(left, seal_right - width)
    middle = (bottom + top) / 2
    box = [seal_left, middle - height / 2, seal_left + width, middle + height / 2]
    return {"page": sign_space.page, "box": [round(value, 2) for value in box]}


def signer_place(sign_space: SignSpace | None) -> dict:
    """Where the signer's own signature goes: centred between the title and the name
    (decree 30/2020, Appendix I), in PDF points."""
    if sign_space is None:
        return {"page": 0, "box": [300.0, 60.0, 420.0, 110.0]}
    left, bottom, right, top = sign_space.box
    half = geometry.SIGNER_IMAGE_WIDTH_MM * _MM_TO_PT / 2
    middle = (left + right) / 2
    box = [middle - half, bottom, middle + half, top]
    return {"page": sign_space.page, "box": [round(value, 2) for value in box]}


def add_signer_field(content: bytes, place: dict) -> bytes:
    """``content`` with an empty signature field where the signer signs, for their own
    software to sign into (and a form the portal's later checks compare against)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields

    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    fields.append_signature_field(
        writer,
        fields.SigFieldSpec(
            SIGNER_FIELD,
            on_page=place["page"],
            box=tuple(int(round(value)) for value in place["box"]),
        ),
    )
    # Signing sets these flags (signatures exist, append only): set them now, so that the
    # signer's software changes nothing in the form but the field it fills.
    from pyhanko.pdf_utils import generic

    writer.root["/AcroForm"]["/SigFlags"] = generic.NumberObject(3)
    writer.update_container(writer.root["/AcroForm"])
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def seal_text(*, body_name: str, signed_at: datetime, is_test: bool) -> str:
    """The seal's visible text: the body's name and the signing time, as a Vietnamese
    reader writes it and in ISO 8601 with the Vietnamese time zone."""
    lines = textwrap.wrap(body_name, width=36) or [""]
    lines += [f"Ký lúc {signature_time_vi(signed_at)}", signature_time(signed_at)]
    if is_test:
        lines.append("CHỮ KÝ THỬ NGHIỆM")
    return "\n".join(lines)


@cache
def _appearance_font_bytes() -> bytes:
    """The appearance's font, cut to the letters a seal shows and scaled to 1000 units
    per em: pyHanko writes glyph widths in the font's own units, which PDF reads as
    thousandths of an em."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(_appearance_font())
    # Latin and Vietnamese letters only: pyHanko subsets the font again at every seal,
    # which a whole font makes slow.
    options = subset.Options()
    options.notdef_outline = True
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(
        unicodes=[
            *range(0x20, 0x7F),
            *range(0xA0, 0x250),
            *range(0x300, 0x324),
            *range(0x1EA0, 0x1EFA),
            *range(0x2010, 0x2027),
        ]
    )
    subsetter.subset(font)
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    output = io.BytesIO()
    font.save(output)
    return output.getvalue()


def _font_factory(size: float):
    from pyhanko.pdf_utils.font.api import FontEngineFactory
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

    class ScaledFontFactory(FontEngineFactory):
        def create_font_engine(self, writer, obj_stream=None):
            if obj_stream is None and writer.stream_xrefs:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(
                writer=writer,
                font_handle=io.BytesIO(_appearance_font_bytes()),
                font_size=size,
                obj_stream=obj_stream,
            )

    return ScaledFontFactory()


@cache
def _appearance_font() -> str:
    configured = getattr(settings, "SIGNING_APPEARANCE_FONT", "")
    if configured:
        return configured
    fc_match = shutil.which("fc-match")
    if fc_match:
        found = subprocess.run(  # noqa: S603 - a fixed command, no user input
            [fc_match, "--format=%{file}", "Liberation Serif"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if found.lower().endswith((".ttf", ".otf")):
            return found
    raise SigningConfigError(
        "No font with Vietnamese letters for the seal's appearance: install fonts-liberation2 "
        "or set SIGNING_APPEARANCE_FONT."
    )


def _stamp_style(key: SealKey):
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    font = _font_factory(8)
    return TextStampStyle(
        stamp_text="%(text)s",
        text_box_style=TextBoxStyle(font=font, font_size=8, leading=10, text_color=SEAL_RED),
        border_width=1,
        border_color=SEAL_RED,
        background=PdfImage(str(key.image)) if key.image else None,
        background_opacity=1.0,
    )


# Sealing ----------------------------------------------------------------------------------


def _timed_signer_class():
    from pyhanko.sign.signers.pdf_signer import PdfSigner

    class TimedPdfSigner(PdfSigner):
        """pyHanko's signer with the signing time given, so the time in the signature
        (/M), its appearance, the printed line and the record are one and the same."""

        def __init__(self, *args, signing_time: datetime, **kwargs):
            super().__init__(*args, **kwargs)
            self.signing_time = signing_time

        def init_signing_session(self, pdf_out, existing_fields_only=False):
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = self.signing_time
            return session

    return TimedPdfSigner


def timestamper():
    """The timestamp server's client (PAdES B-T), if ``SIGNING_TIMESTAMP_URL`` is set."""
    url = getattr(settings, "SIGNING_TIMESTAMP_URL", "")
    if not url:
        return None
    from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=10)


def seal_pdf(
    content: bytes, key: SealKey, *, place: dict, body_name: str, signed_at: datetime
) -> bytes:
    """``content`` with the body's seal added as an incremental PAdES signature, visible
    at ``place`` (see ``seal_place``), made at ``signed_at``."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    existing = {name for name, _value, _ref in fields.enumerate_sig_fields(writer)}
    name, index = SEAL_FIELD, 1
    while name in existing:
        index += 1
        name = f"{SEAL_FIELD}{index}"
    metadata = signers.PdfSignatureMetadata(
        field_name=name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=key.certificate.name,
        location=None,
    )
    signer = _timed_signer_class()(
        metadata,
        signer=key.signer,
        timestamper=timestamper(),
        stamp_style=_stamp_style(key),
        new_field_spec=fields.SigFieldSpec(
            name, on_page=place["page"], box=tuple(int(round(v)) for v in place["box"])
        ),
        signing_time=signed_at,
    )
    text = seal_text(body_name=body_name, signed_at=signed_at, is_test=key.certificate.is_test)
    output = signer.sign_pdf(writer, appearance_text_params={"text": text})
    return output.getvalue()


# Checking ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of a PDF, as pyHanko's validator found it."""

    field: str
    certificate: CertificateInfo | None
    signed_at: datetime | None  # the timestamp's time if there is one, else the claimed
    timestamped: bool
    intact: bool  # the signed bytes are unchanged
    valid: bool  # and the signature over them is mathematically sound
    trusted: bool  # the certificate chains to a configured trust anchor
    whole_file: bool  # it covers the file to its end
    only_signatures_after: bool  # nothing but signatures was added after it
    signed_revision_end: int  # where the revision it signs ends in the file

    @property
    def sound(self) -> bool:
        return self.intact and self.valid

    @property
    def is_seal(self) -> bool:
        return self.field.startswith(SEAL_FIELD)


@dataclass(frozen=True)
class PdfCheck:
    readable: bool
    signatures: tuple[SignatureCheck, ...] = ()

    @property
    def all_sound(self) -> bool:
        return bool(self.signatures) and all(s.sound for s in self.signatures)


def validation_context(*, moment: datetime | None = None):
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=trust_roots(),
        moment=moment,
        allow_fetching=bool(getattr(settings, "SIGNING_FETCH_REVOCATION", False)),
        revocation_mode="soft-fail",
    )


def check_pdf(content: bytes, *, moment: datetime | None = None) -> PdfCheck:
    """Every signature of ``content``, checked with pyHanko's validator against the
    configured trust anchors (at ``moment``, default now). Never raises on a damaged
    or foreign file: that is what ``readable`` and the checks say."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:  # noqa: BLE001 - not a PDF, or broken beyond reading
        return PdfCheck(readable=False)
    return PdfCheck(
        readable=True,
        signatures=tuple(_check_signature(signature, moment) for signature in embedded),
    )


def _check_signature(embedded, moment) -> SignatureCheck:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        certificate = CertificateInfo.of(embedded.signer_cert)
    except Exception:  # noqa: BLE001 - a signature without a usable certificate
        certificate = None
    try:
        _start, _length, tail, tail_length = (int(value) for value in embedded.byte_range)
        revision_end = tail + tail_length
    except (TypeError, ValueError):
        revision_end = 0
    try:
        status = asyncio.run(
            async_validate_pdf_signature(
                embedded, signer_validation_context=validation_context(moment=moment)
            )
        )
    except Exception:  # noqa: BLE001 - a broken signature is reported as such
        logger.info("Signature %s could not be validated", embedded.field_name, exc_info=True)
        return SignatureCheck(
            field=embedded.field_name or "",
            certificate=certificate,
            signed_at=None,
            timestamped=False,
            intact=False,
            valid=False,
            trusted=False,
            whole_file=False,
            only_signatures_after=False,
            signed_revision_end=revision_end,
        )
    timestamp = status.timestamp_validity.timestamp if status.timestamp_validity else None
    level = status.modification_level
    return SignatureCheck(
        field=embedded.field_name or "",
        certificate=certificate,
        signed_at=timestamp or status.signer_reported_dt,
        timestamped=timestamp is not None,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        only_signatures_after=level is not None and level <= ModificationLevel.FORM_FILLING,
        signed_revision_end=revision_end,
    )


def only_signatures_since(content: bytes, *, revisions_before: int) -> bool:
    """Whether everything added to ``content`` after its first ``revisions_before``
    revisions is signatures and form filling (pyHanko's difference analysis): the page
    content the signer saw is the content signed."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel
    from pyhanko.sign.diff_analysis.policy_api import DiffResult

    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        result = DEFAULT_DIFF_POLICY.review_file(reader, revisions_before - 1)
    except Exception:  # noqa: BLE001 - unreadable revisions are not "only signatures"
        return False
    return isinstance(result, DiffResult) and result.modification_level <= (
        ModificationLevel.FORM_FILLING
    )


def revision_count(content: bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(io.BytesIO(content), strict=False).xrefs.total_revisions
