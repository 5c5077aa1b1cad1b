"""Benchmarks report medians, 95th percentiles and queries, and fail when a target is missed."""

import json
import time

import pytest
from django.db import connection

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


def _url(name: str) -> str:
    from django.db import connection

    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or 'localhost'}:"
        f"{settings['PORT'] or 5432}/{name}"
    )


on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a second PostgreSQL connection by its URL"
)


@pytest.fixture
def other_database():
    from django.db import connection

    name = f"{connection.settings_dict['NAME']}_other"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db(transaction=True)
def test_two_databases_switch_the_default_connection_and_back(other_database):
    from django.db import connection

    from danvan.benchmarks import HERE, THERE, two_databases

    here = connection.settings_dict["NAME"]

    def current() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            return cursor.fetchone()[0]

    with two_databases(_url(other_database)) as use:
        use(THERE)
        assert current() == other_database
        use(HERE)
        assert current() == here
        use(THERE)
    assert current() == here  # back at the end, whatever side was in use


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db(transaction=True)
def test_pages_timed_in_alternation_are_held_to_their_medians_on_the_other_database(tmp_path):
    import contextlib
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import connection

    from tests.test_seed_scale import seed

    seed(organizations=1, per_org=20)
    path = tmp_path / "pair.json"
    with contextlib.suppress(CommandError):  # timings of two runs on a busy machine
        call_command(
            "benchmark",
            runs=2,
            against=_url(connection.settings_dict["NAME"]),
            json=path,
            stdout=io.StringIO(),
        )
    data = json.loads(path.read_text())
    here, there = data["parts"], data["against"]
    assert [part["label"] for part in here] == [part["label"] for part in there]
    assert "round page" in [part["label"] for part in here]
    for mine, other in zip(here, there, strict=True):
        assert mine["runs"] == other["runs"] == 2
        assert mine["expected_queries"] == other["queries"] == mine["queries"]
        assert "alternating with" in mine["note"]
    assert data["memory"] == []  # no export in alternation
