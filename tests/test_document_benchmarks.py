"""`make bench`'s document benchmarks measure what they name: the seed plan and a decision
of the given size rendered as DOCX and PDF, and the seal added to both, with no query."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run_benchmark(name, tmp_path, *args):
    """The command's JSON after one run of each part. A slow machine may miss a time
    target: the command then fails after writing its figures, which are checked here."""
    path = tmp_path / f"{name}.json"
    out = io.StringIO()
    try:
        call_command(name, *args, "--runs", "1", "--json", str(path), stdout=out)
    except CommandError as error:
        failure = str(error)
    else:
        failure = ""
    assert not failure or failure.startswith("Targets missed: ")
    return json.loads(path.read_text())["parts"], out.getvalue()


def test_the_plan_benchmark_renders_the_seed_plan_in_both_formats(tmp_path):
    parts, out = run_benchmark("benchmark_plan_documents", tmp_path)
    assert [(p["label"], p["target_ms"], p["queries"], p["runs"]) for p in parts] == [
        ("seed plan 46/KH-UBND: DOCX", 300, 0, 1),
        ("seed plan 46/KH-UBND: PDF", 1500, 0, 1),
    ]
    assert all(p["median_ms"] > 0 for p in parts)
    assert "| seed plan 46/KH-UBND: PDF |" in out


def test_the_decision_benchmark_builds_a_decision_of_the_size_asked(tmp_path):
    parts, out = run_benchmark("benchmark_award_decision", tmp_path, "--awardees", "4")
    assert [(p["label"], p["target_ms"], p["queries"]) for p in parts] == [
        ("award decision, 4 awardees: DOCX", 1000, 0),
        ("award decision, 4 awardees: PDF", 3000, 0),
    ]
    assert "Award decision with 4 awardees, 1 runs each" in out


def test_the_decision_built_for_the_benchmark_lists_every_awardee_and_its_amount():
    from awards.management.commands.benchmark_award_decision import decision_with
    from danvan.documents import render
    from tests.documents.text import docx_text

    text = docx_text(render.render_docx(decision_with(3)))
    assert "Nguyễn Văn Thành Viên 1" in text
    assert "Nguyễn Văn Thành Viên 2" in text
    assert "Tổ dân phố số 3" in text
    assert "Nguyễn Văn Thành Viên 3" not in text  # every third awardee is a collective
    assert "Nghị định số 73/2024/NĐ-CP" in text


def test_the_signing_benchmark_seals_and_checks_both_documents(tmp_path):
    parts, _out = run_benchmark("benchmark_signing", tmp_path, "--awardees", "3")
    assert [(p["label"], p["target_ms"]) for p in parts] == [
        ("seed plan 46/KH-UBND: seal the PDF", 300),
        ("seed plan 46/KH-UBND: check the sealed PDF", None),
        ("award decision, 3 awardees: seal the PDF", 600),
        ("award decision, 3 awardees: check the sealed PDF", None),
    ]
    assert {p["queries"] for p in parts} == {0}


def test_the_concurrent_decisions_benchmark_says_it_needs_postgresql():
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL the benchmark runs for real (make bench)")
    out = io.StringIO()
    call_command("benchmark_concurrent_decisions", stdout=out)
    assert "Skipped: this benchmark needs PostgreSQL" in out.getvalue()
