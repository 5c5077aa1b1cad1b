"""A throwaway certificate authority for the local demo, and the certificates it issues.

``manage.py signing_test_keys`` (run by ``seed_demo`` when DEBUG is on) keeps under
``SIGNING_TEST_DIR``: ``trust/test-ca.pem`` (the CA, trusted by the demo), ``ca/`` (its
key), ``seals/<organisation code>.p12`` (each demo organisation's seal) and
``people/<username>.p12`` (each demo signer's personal certificate), every key with its
``.password`` file. Certificates of this CA say so in their issuer's name
(``signing.TEST_CA_ORGANIZATION``): pages mark their signatures as test signatures, and
with DEBUG off the portal refuses to seal with them. Never use it for real documents.
"""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from danvan.documents.signing import TEST_CA_ORGANIZATION


@dataclass(frozen=True)
class Issued:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey


def _name(common_name: str, *, organization: str = "", identity: str = "") -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organization:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    if identity:
        attributes.append(x509.NameAttribute(NameOID.USER_ID, identity))
    return x509.Name(attributes)


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def new_ca(
    common_name: str = "Dân vận khéo Test CA",
    *,
    organization: str = TEST_CA_ORGANIZATION,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> Issued:
    """A self-signed root certificate and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(common_name, organization=organization)
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or datetime(2020, 1, 1, tzinfo=UTC))
        .not_valid_after(not_after or now + timedelta(days=10 * 365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(certificate, key)


def issue(
    ca: Issued,
    common_name: str,
    *,
    organization: str = "",
    identity: str = "",
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> Issued:
    """A signing certificate (a seal's or a person's) issued by ``ca``. The validity starts
    in 2020 by default, so that documents entered with their past signing times verify."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organization=organization, identity=identity))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or datetime(2020, 1, 1, tzinfo=UTC))
        .not_valid_after(not_after or now + timedelta(days=5 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(ca=False), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),
            critical=False,
        )
        .sign(ca.key, hashes.SHA256())
    )
    return Issued(certificate, key)


def pkcs12_bytes(issued: Issued, ca: Issued, password: str, *, name: str = "key") -> bytes:
    """The key with its certificate and the CA's, as a PKCS#12 file."""
    return pkcs12.serialize_key_and_certificates(
        name.encode(),
        issued.key,
        issued.certificate,
        [ca.certificate],
        serialization.BestAvailableEncryption(password.encode()),
    )


def pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def write_key(path: Path, issued: Issued, ca: Issued) -> None:
    """``path`` (a .p12) and its ``.password`` file, readable by the owner only."""
    password = secrets.token_urlsafe(16)
    path.parent.mkdir(parents=True, exist_ok=True)
    password_path = path.with_suffix(".password")
    password_path.write_text(password + "\n", encoding="utf-8")
    path.write_bytes(pkcs12_bytes(issued, ca, password, name=path.stem))
    for written in (path, password_path):
        written.chmod(0o600)


def load_or_create_ca(directory: Path) -> tuple[Issued, bool]:
    """The test CA kept in ``directory`` (made if absent), and whether it was made now."""
    key_path = directory / "ca" / "test-ca.key.pem"
    certificate_path = directory / "trust" / "test-ca.pem"
    if key_path.is_file() and certificate_path.is_file():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        certificate = x509.load_pem_x509_certificate(certificate_path.read_bytes())
        return Issued(certificate, key), False
    ca = new_ca()
    key_path.parent.mkdir(parents=True, exist_ok=True)
    certificate_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.write_bytes(
        ca.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    certificate_path.write_bytes(pem(ca.certificate))
    return ca, True


def ensure_test_keys(
    directory: Path, *, organizations: list[tuple[str, str]], people: list[tuple[str, str]]
) -> list[Path]:
    """The CA, a seal for each ``(code, name)`` of ``organizations`` and a personal
    certificate for each ``(username, full name)`` of ``people``, those missing made;
    returns the files made."""
    ca, _made = load_or_create_ca(directory)
    made = []
    for code, name in organizations:
        path = directory / "seals" / f"{code}.p12"
        if not path.is_file():
            write_key(path, issue(ca, name, organization=name), ca)
            made.append(path)
    for username, full_name in people:
        path = directory / "people" / f"{username}.p12"
        if not path.is_file():
            write_key(path, issue(ca, full_name, identity=f"DEMO:{username}"), ca)
            made.append(path)
    return made
