from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from danvan.documents.selectors import verify_upload


class Command(BaseCommand):
    help = (
        "Check a PDF as the verification page does: whether it is a document the portal "
        "issued, unchanged, and whose signatures it carries. Exits with status 1 when it is "
        "not an issued document byte for byte, or a signature in it is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument("pdf", type=Path)
        parser.add_argument("--code", default="", help="the verification code printed on it")
        parser.add_argument("--number", default="", help='its number and symbol, "46/KH-UBND"')
        parser.add_argument("--date", default="", help="its date, YYYY-MM-DD")

    def handle(self, *args, pdf: Path, code: str, number: str, date: str, **options):
        try:
            content = pdf.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {pdf}: {error}") from None
        dated = parse_date(date) if date else None
        if date and dated is None:
            raise CommandError("--date must be YYYY-MM-DD")
        superuser = _Everyone()
        result = verify_upload(
            user=superuser, content=content, code=code, number_symbol=number, dated=dated
        )
        write = self.stdout.write
        write(f"SHA-256: {result.sha256}")
        if not result.check.readable:
            raise CommandError("Not a readable PDF.")
        if result.is_original:
            document = result.document
            write(
                self.style.SUCCESS(
                    f"Issued document {document.number_symbol} of {document.organization.name}"
                    f" ({document.dated or ''}), unchanged: identical to the file issued."
                )
            )
        else:
            for reference in result.references:
                write(
                    self.style.ERROR(
                        f"NOT the file issued as {reference.number_symbol} of "
                        f"{reference.organization.name} ({reference.dated or ''}): it differs."
                    )
                )
            if not result.references:
                write(self.style.ERROR("Not a document the portal issued."))
        for signature in result.check.signatures:
            certificate = signature.certificate
            state = "intact" if signature.sound else "BROKEN"
            trust = "trusted" if signature.trusted else "not trusted"
            test = " TEST CERTIFICATE" if certificate and certificate.is_test else ""
            write(
                f"  Signature {signature.field}: {certificate.name if certificate else '?'}, "
                f"{signature.signed_at.isoformat() if signature.signed_at else '?'}"
                f"{' (timestamped)' if signature.timestamped else ''}: {state}, {trust}{test}"
            )
        if not result.check.signatures:
            write("  No digital signature.")
        if not result.is_original or result.broken:
            raise CommandError("Verification failed.", returncode=1)


class _Everyone:
    """The command runs on the server, for its operator: every organisation's documents."""

    is_authenticated = True
    is_superuser = True
