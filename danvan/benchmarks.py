"""Measuring the portal's speed in benchmarks (never in tests): medians and 95th
percentiles over repeated runs, query counts, targets that fail the command when missed.

    class Command(BenchmarkCommand):
        def handle(self, *args, **options):
            self.time("seed plan: DOCX", lambda: render_docx(spec), target_ms=300)
            self.finish()  # prints the table, writes --json, exits non-zero on a miss
"""

import json
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Measurement:
    label: str
    timings_ms: list[float] = field(repr=False)
    queries: int
    target_ms: float | None = None

    @property
    def median_ms(self) -> float:
        return statistics.median(self.timings_ms)

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.timings_ms)
        return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def met(self) -> bool:
        return self.target_ms is None or self.median_ms <= self.target_ms

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("timings_ms")
        data.update(
            median_ms=round(self.median_ms, 1),
            p95_ms=round(self.p95_ms, 1),
            min_ms=round(min(self.timings_ms), 1),
            max_ms=round(max(self.timings_ms), 1),
            runs=len(self.timings_ms),
            met=self.met,
        )
        return data


def measure(
    label: str, work: Callable[[], object], *, runs: int, target_ms: float | None = None
) -> Measurement:
    """Run ``work`` once to warm caches, then ``runs`` times, timing each and counting
    the queries of the last run."""
    work()
    timings = []
    for index in range(runs):
        if index == runs - 1:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                work()
                timings.append((time.perf_counter() - started) * 1000)
            queries = len(captured)
        else:
            started = time.perf_counter()
            work()
            timings.append((time.perf_counter() - started) * 1000)
    return Measurement(label=label, timings_ms=timings, queries=queries, target_ms=target_ms)


class BenchmarkCommand(BaseCommand):
    """A benchmark command: ``--runs``, ``--json``; ``finish()`` fails it on a missed target."""

    default_runs = 7

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=self.default_runs)
        parser.add_argument("--json", type=Path, help="also write the results to this file")

    def execute(self, *args, **options):
        self.results: list[Measurement] = []
        self.runs = options["runs"]
        self.json_path = options.get("json")
        return super().execute(*args, **options)

    def time(self, label: str, work, *, target_ms: float | None = None) -> Measurement:
        result = measure(label, work, runs=self.runs, target_ms=target_ms)
        self.results.append(result)
        target = f"≤ {result.target_ms:g} ms" if result.target_ms is not None else ""
        verdict = "" if result.target_ms is None else ("ok" if result.met else "MISSED")
        self.stdout.write(
            f"  {label:60} median {result.median_ms:8.1f} ms  p95 {result.p95_ms:8.1f} ms  "
            f"{result.queries:4} queries  {target} {verdict}".rstrip()
        )
        return result

    def finish(self) -> None:
        if self.json_path:
            self.json_path.write_text(
                json.dumps([r.as_dict() for r in self.results], ensure_ascii=False, indent=2)
            )
        missed = [r for r in self.results if not r.met]
        if missed:
            raise CommandError(
                "Targets missed: "
                + "; ".join(f"{r.label} {r.median_ms:.0f} ms > {r.target_ms:g} ms" for r in missed)
            )
