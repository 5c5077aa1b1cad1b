"""Certificates made in the test itself (nothing committed): a CA the settings trust, the
organisation's seal, people's personal certificates, and signing a PDF as a person does
with their USB token's software (pyHanko)."""

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization

from danvan.documents import testca
from danvan.documents.signing import SIGNER_FIELD


@dataclass
class Pki:
    directory: Path
    ca: testca.Issued
    settings: object

    @property
    def keys_dir(self) -> Path:
        return self.directory / "keys"

    @property
    def ca_asn1(self):
        return asn1_x509.Certificate.load(
            self.ca.certificate.public_bytes(serialization.Encoding.DER)
        )

    def seal_for(self, organization, **validity) -> testca.Issued:
        """Configure ``organization``'s seal (``<code>.p12`` and its password)."""
        issued = testca.issue(
            self.ca, organization.name, organization=organization.name, **validity
        )
        path = self.keys_dir / f"{organization.code}.p12"
        testca.write_key(path, issued, self.ca)
        return issued

    def person(self, full_name: str, *, identity: str = "", **validity) -> testca.Issued:
        return testca.issue(self.ca, full_name, identity=identity, **validity)

    def signer(self, issued: testca.Issued):
        """pyHanko's signer for a person's key, as their token's software would use."""
        from pyhanko.sign import signers

        path = self.directory / f"person-{issued.certificate.serial_number}.p12"
        path.write_bytes(testca.pkcs12_bytes(issued, self.ca, "pin"))
        return signers.SimpleSigner.load_pkcs12(str(path), passphrase=b"pin")


def make_pki(tmp_path: Path, settings) -> Pki:
    directory = tmp_path / "pki"
    (directory / "trust").mkdir(parents=True)
    (directory / "keys").mkdir()
    ca = testca.new_ca("Test suite CA", organization="Test suite")
    (directory / "trust" / "ca.pem").write_bytes(testca.pem(ca.certificate))
    settings.SIGNING_KEYS_DIR = directory / "keys"
    settings.SIGNING_TRUST_DIR = directory / "trust"
    return Pki(directory=directory, ca=ca, settings=settings)


def sign_as(content: bytes, signer, *, field: str = SIGNER_FIELD, when: datetime | None = None):
    """``content`` signed (PAdES, incremental) with ``signer`` as a person's own software
    does: into the empty field the portal prepared, or a new one; ``when`` overrides the
    signing time it claims."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    from danvan.documents.signing import _timed_signer_class

    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    metadata = signers.PdfSignatureMetadata(
        field_name=field, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    if when is None:
        return signers.sign_pdf(writer, metadata, signer=signer).getvalue()
    pdf_signer = _timed_signer_class()(metadata, signer=signer, signing_time=when)
    return pdf_signer.sign_pdf(writer).getvalue()


def flip_byte(content: bytes, position: int) -> bytes:
    changed = bytearray(content)
    changed[position] ^= 0x01
    return bytes(changed)
