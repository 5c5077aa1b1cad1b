import statistics
import time

from django.core.management.base import BaseCommand

from campaigns.demo import seed_plan_document
from danvan.documents import render


class Command(BaseCommand):
    help = (
        "Build the seed plan 46/KH-UBND as DOCX and PDF several times and report the median "
        "build time of each (targets: DOCX ≤ 0.3 s, PDF ≤ 1.5 s)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=15)

    def handle(self, *args, runs, **options):
        spec = seed_plan_document()
        results = {}
        for name, build in (("DOCX", render.render_docx), ("PDF", render.render_pdf)):
            build(spec)  # warm-up: imports, fonts, caches
            timings = []
            for _run in range(runs):
                started = time.perf_counter()
                content = build(spec)
                timings.append(time.perf_counter() - started)
            results[name] = (statistics.median(timings), min(timings), max(timings), len(content))
        self.stdout.write(f"Seed plan 46/KH-UBND, {runs} runs each (after one warm-up):")
        for name, (median, fastest, slowest, size) in results.items():
            self.stdout.write(
                f"  {name:4}  median {median * 1000:7.1f} ms  (min {fastest * 1000:.1f}, max {slowest * 1000:.1f})  {size:,} bytes"
            )
