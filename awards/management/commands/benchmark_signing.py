import tempfile
from datetime import UTC, datetime
from pathlib import Path

from awards.management.commands.benchmark_award_decision import decision_with
from campaigns.demo import seed_plan_document
from danvan.benchmarks import BenchmarkCommand
from danvan.documents import signing, testca
from danvan.documents.pdf import render_pdf_laid_out


class Command(BenchmarkCommand):
    help = (
        "The time sealing adds to issuing a document: the issuing body's PAdES signature "
        "(pyHanko, visible, with a throwaway key) on the seed plan's PDF and on a 300-awardee "
        "decision's PDF, and checking a sealed PDF; fails if a target is missed (plan ≤ 0.3 s)."
    )
    default_runs = 15

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--awardees", type=int, default=300)

    def handle(self, *args, awardees, **options):
        with tempfile.TemporaryDirectory() as directory:
            ca = testca.new_ca(organization="Benchmark CA")
            path = Path(directory) / "seal.p12"
            path.write_bytes(
                testca.pkcs12_bytes(
                    testca.issue(ca, "Ủy ban nhân dân phường Phổ Minh"), ca, "benchmark"
                )
            )
            key = signing.load_seal_key(path, "benchmark")
        signed_at = datetime.now(UTC).replace(microsecond=0)
        self.stdout.write(
            f"Sealing issued PDFs, {self.runs} runs each (after one warm-up); the PDFs are "
            "rendered once beforehand, so the figures are the time sealing adds:"
        )
        for label, spec, target in (
            ("seed plan 46/KH-UBND", seed_plan_document(), 300),
            (f"award decision, {awardees} awardees", decision_with(awardees), 600),
        ):
            laid_out = render_pdf_laid_out(spec)
            place = signing.seal_place(laid_out.sign_space)

            def seal(laid_out=laid_out, place=place):
                return signing.seal_pdf(
                    laid_out.content,
                    key,
                    place=place,
                    body_name="Ủy ban nhân dân phường Phổ Minh",
                    signed_at=signed_at,
                )

            self.time(f"{label}: seal the PDF", seal, target_ms=target)
            sealed = seal()
            self.time(f"{label}: check the sealed PDF", lambda s=sealed: signing.check_pdf(s))
        self.finish()
