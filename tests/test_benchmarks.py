"""Benchmarks report medians, 95th percentiles and queries, and fail when a target is missed."""

import json
import time

import pytest

from danvan.accounts.models import Organization
from danvan.benchmarks import BenchmarkCommand, measure


class Demo(BenchmarkCommand):
    target_ms = 10_000.0

    def handle(self, *args, **options):
        self.time(
            "organisations", lambda: list(Organization.objects.all()), target_ms=self.target_ms
        )
        self.finish()


@pytest.mark.django_db
def test_a_measurement_counts_the_queries_of_one_run():
    result = measure(
        "two queries", lambda: (Organization.objects.count(), Organization.objects.first()), runs=3
    )
    assert result.queries == 2
    assert len(result.timings_ms) == 3
    assert result.met  # no target


@pytest.mark.django_db
def test_the_95th_percentile_is_the_slow_end_of_the_runs():
    timings = iter([0.0] * 19 + [0.05])
    result = measure("sleepy", lambda: time.sleep(next(timings, 0.0)), runs=20)
    assert result.p95_ms < 50 <= max(result.timings_ms)


@pytest.mark.django_db
def test_a_benchmark_that_meets_its_targets_writes_json_and_succeeds(tmp_path, capsys):
    path = tmp_path / "result.json"
    Demo().run_from_argv(["manage.py", "demo", "--runs", "2", "--json", str(path)])
    [row] = json.loads(path.read_text())["parts"]
    assert row["label"] == "organisations"
    assert row["met"] is True
    assert row["runs"] == 2
    assert row["queries"] == 1
    assert "organisations" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_missed_target_makes_the_command_exit_non_zero(capsys):
    command = Demo()
    command.target_ms = 0.0
    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(["manage.py", "demo", "--runs", "1"])
    assert exited.value.code == 1
    assert "Targets missed: organisations" in capsys.readouterr().err


@pytest.mark.django_db
def test_compared_with_an_earlier_run_a_part_must_stay_within_the_ratio(tmp_path, capsys):
    earlier = tmp_path / "earlier.json"
    earlier.write_text(
        json.dumps({"parts": [{"label": "organisations", "median_ms": 0.0001, "queries": 1}]})
    )
    with pytest.raises(SystemExit) as exited:
        Demo().run_from_argv(["manage.py", "demo", "--runs", "2", "--compare", str(earlier)])
    assert exited.value.code == 1
    assert "× the earlier" in capsys.readouterr().out


@pytest.mark.django_db
def test_compared_with_an_earlier_run_the_query_count_must_be_the_same(tmp_path, capsys):
    earlier = tmp_path / "earlier.json"
    earlier.write_text(
        json.dumps({"parts": [{"label": "organisations", "median_ms": 100_000, "queries": 2}]})
    )
    with pytest.raises(SystemExit):
        Demo().run_from_argv(["manage.py", "demo", "--runs", "2", "--compare", str(earlier)])
    assert "1 queries ≠ 2" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_comparison_within_the_ratio_and_queries_passes(tmp_path, capsys):
    earlier = tmp_path / "earlier.json"
    earlier.write_text(
        json.dumps({"parts": [{"label": "organisations", "median_ms": 100_000, "queries": 1}]})
    )
    Demo().run_from_argv(["manage.py", "demo", "--runs", "2", "--compare", str(earlier)])
    assert "| organisations |" in capsys.readouterr().out


def test_peak_memory_sees_a_large_allocation():
    from danvan.benchmarks import peak_memory

    peak, _ms = peak_memory(lambda: b"x" * (200 * 1024 * 1024))
    assert peak >= 150
