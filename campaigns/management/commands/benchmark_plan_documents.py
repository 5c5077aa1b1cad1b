from campaigns.demo import seed_plan_document
from danvan.benchmarks import BenchmarkCommand
from danvan.documents import render


class Command(BenchmarkCommand):
    help = (
        "Build the seed plan 46/KH-UBND as DOCX and PDF several times and report the median "
        "build time of each; fails if a target is missed (DOCX ≤ 0.3 s, PDF ≤ 1.5 s)."
    )
    default_runs = 15

    def handle(self, *args, **options):
        spec = seed_plan_document()
        self.stdout.write(f"Seed plan 46/KH-UBND, {self.runs} runs each (after one warm-up):")
        self.time("seed plan 46/KH-UBND: DOCX", lambda: render.render_docx(spec), target_ms=300)
        self.time("seed plan 46/KH-UBND: PDF", lambda: render.render_pdf(spec), target_ms=1500)
        self.finish()
