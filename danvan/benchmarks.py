"""Measuring the portal's speed in benchmarks (never in tests): medians and 95th
percentiles over repeated runs, query counts, targets that fail the command when missed.

    class Command(BenchmarkCommand):
        def handle(self, *args, **options):
            self.time("seed plan: DOCX", lambda: render_docx(spec), target_ms=300)
            self.finish()  # prints the table, writes --json, exits non-zero on a miss

``--compare earlier.json`` sets each part's target from the same part of an earlier run
(``compare_ratio`` × its median, and the same number of queries): the scale check, where
one organisation's pages are measured with and without thousands of others around it.
"""

import json
import math
import os
import resource
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
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
    expected_queries: int | None = None
    note: str = ""

    @property
    def median_ms(self) -> float:
        return statistics.median(self.timings_ms)

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.timings_ms)
        return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def met(self) -> bool:
        fast = self.target_ms is None or self.median_ms <= self.target_ms
        return fast and (self.expected_queries is None or self.queries == self.expected_queries)

    def miss(self) -> str:
        reasons = []
        if self.target_ms is not None and self.median_ms > self.target_ms:
            reasons.append(f"{self.median_ms:.0f} ms > {self.target_ms:g} ms")
        if self.expected_queries is not None and self.queries != self.expected_queries:
            reasons.append(f"{self.queries} queries ≠ {self.expected_queries}")
        return f"{self.label} " + ", ".join(reasons)

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


HERE, THERE = "here", "there"


@contextmanager
def two_databases(url: str):
    """Yield ``use(HERE)`` / ``use(THERE)``: make this database or the one at ``url``
    (a DATABASE_URL of the same engine) the default connection. Both stay open across
    switches, each with its own content-type cache (their identifiers may differ)."""
    import dj_database_url
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    here = connections["default"]
    found = dj_database_url.parse(url)
    settings = {
        **here.settings_dict,
        **{key: found[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT") if key in found},
    }
    wrappers = {HERE: here, THERE: type(here)(settings, alias="default")}
    content_types = {HERE: ContentType.objects._cache, THERE: {}}

    def use(side: str) -> None:
        connections._connections.default = wrappers[side]
        ContentType.objects._cache = content_types[side]

    try:
        yield use
    finally:
        use(HERE)
        wrappers[THERE].close()


def measure_pair(
    label: str,
    here: Callable[[], object],
    there: Callable[[], object],
    *,
    use: Callable[[str], None],
    runs: int,
) -> tuple[Measurement, Measurement]:
    """``measure`` of one part on two databases (``use`` switches), run by run in
    alternation: a machine that slows down or speeds up during the runs weighs on both
    sides alike, which two runs one after the other cannot promise."""
    sides = {HERE: here, THERE: there}
    timings: dict[str, list[float]] = {HERE: [], THERE: []}
    queries: dict[str, int] = {}
    for side, work in sides.items():
        use(side)
        work()
    for index in range(runs):
        for side, work in sides.items():
            use(side)
            with (
                CaptureQueriesContext(connection)
                if index == runs - 1
                else nullcontext() as captured
            ):
                started = time.perf_counter()
                work()
                timings[side].append((time.perf_counter() - started) * 1000)
            if captured is not None:
                queries[side] = len(captured)
    use(HERE)
    return tuple(
        Measurement(label=label, timings_ms=timings[side], queries=queries[side])
        for side in (HERE, THERE)
    )


def _resident_kib() -> int:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * (os.sysconf("SC_PAGE_SIZE") // 1024)


def peak_memory(work: Callable[[], object]) -> tuple[float, float]:
    """Run ``work`` once; how far it raised the process's peak resident memory above
    what the process held before, in MiB, and the time it took in ms. Run it before
    anything else big in the process, whose peak would hide this one's (Linux)."""
    before = _resident_kib()
    started = time.perf_counter()
    work()
    elapsed = (time.perf_counter() - started) * 1000
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return max(0, peak - before) / 1024, elapsed


class BenchmarkCommand(BaseCommand):
    """A benchmark command: ``--runs``, ``--json``, ``--compare``; ``finish()`` prints the
    table and fails the command on a missed target."""

    default_runs = 7
    compare_ratio = 1.2

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=self.default_runs)
        parser.add_argument("--json", type=Path, help="also write the results to this file")
        parser.add_argument(
            "--compare",
            type=Path,
            help=f"an earlier --json: each part must stay within {self.compare_ratio}× its "
            "median there, with the same number of queries",
        )

    def execute(self, *args, **options):
        self.results: list[Measurement] = []
        self.others: list[Measurement] = []  # the other database's, with time_pair
        self.memory: list[dict] = []
        self.runs = options["runs"]
        self.json_path = options.get("json")
        self.earlier = {}
        if options.get("compare"):
            try:
                data = json.loads(options["compare"].read_text())
            except (OSError, ValueError) as error:
                raise CommandError(f"Cannot read {options['compare']}: {error}") from None
            self.earlier = {row["label"]: row for row in data.get("parts", data)}
        return super().execute(*args, **options)

    def time(
        self, label: str, work, *, target_ms: float | None = None, note: str = ""
    ) -> Measurement:
        result = measure(label, work, runs=self.runs, target_ms=target_ms)
        return self._record(result, self.earlier.get(label), target_ms, note, "the earlier")

    def time_pair(
        self, label: str, here, there, *, use, target_ms: float | None = None, note: str = ""
    ) -> Measurement:
        """Time ``here`` and ``there`` in alternation (``measure_pair``); ``here`` must
        stay within ``compare_ratio``× the median there, with the same queries."""
        result, other = measure_pair(label, here, there, use=use, runs=self.runs)
        self.others.append(other)
        reference = {"median_ms": other.median_ms, "queries": other.queries}
        return self._record(result, reference, target_ms, note, "alternating with")

    def _record(self, result, reference, target_ms, note, against) -> Measurement:
        result.target_ms = target_ms
        result.note = note
        if reference is not None:
            scale_target = round(reference["median_ms"] * self.compare_ratio, 1)
            result.target_ms = scale_target if target_ms is None else min(target_ms, scale_target)
            result.expected_queries = reference["queries"]
            result.note = (
                f"{result.median_ms / reference['median_ms']:.2f}× {against} "
                f"{reference['median_ms']:.1f} ms ({reference['queries']} queries)"
            )
        self.results.append(result)
        target = f"≤ {result.target_ms:g} ms" if result.target_ms is not None else ""
        verdict = "" if result.target_ms is None else ("ok" if result.met else "MISSED")
        self.stdout.write(
            f"  {result.label:60} median {result.median_ms:8.1f} ms  p95 {result.p95_ms:8.1f} ms  "
            f"{result.queries:4} queries  {target} {verdict}".rstrip()
        )
        return result

    def record_memory(self, label: str, peak_mib: float, elapsed_ms: float, **extra) -> None:
        self.memory.append(
            {"label": label, "peak_mib": round(peak_mib, 1), "ms": round(elapsed_ms), **extra}
        )
        self.stdout.write(f"  {label:60} peak {peak_mib:8.1f} MiB  in {elapsed_ms / 1000:.1f} s")

    def table(self) -> str:
        """The results as a Markdown table (for docs/performance.md)."""
        lines = [
            "| Part | Median | p95 | Queries | Target | |",
            "|---|---|---|---|---|---|",
        ]
        for r in self.results:
            target = f"≤ {r.target_ms:g} ms" if r.target_ms is not None else ""
            verdict = (
                ""
                if r.target_ms is None and r.expected_queries is None
                else ("ok" if r.met else "MISSED")
            )
            note = f" ({r.note})" if r.note else ""
            lines.append(
                f"| {r.label} | {r.median_ms:.1f} ms | {r.p95_ms:.1f} ms | {r.queries} | "
                f"{target} | {verdict}{note} |"
            )
        for m in self.memory:
            lines.append(
                f"| {m['label']} | peak {m['peak_mib']} MiB | | | | {m['ms'] / 1000:.1f} s |"
            )
        return "\n".join(lines)

    def finish(self) -> None:
        self.stdout.write("")
        self.stdout.write(self.table())
        if self.json_path:
            self.json_path.write_text(
                json.dumps(
                    {
                        "parts": [r.as_dict() for r in self.results],
                        "against": [r.as_dict() for r in self.others],
                        "memory": self.memory,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        missed = [r for r in self.results if not r.met]
        if missed:
            raise CommandError("Targets missed: " + "; ".join(r.miss() for r in missed))
