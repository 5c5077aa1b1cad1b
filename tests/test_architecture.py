"""The app boundaries of pyproject.toml's import contracts (import-linter), and proof that
the check catches a new import against them."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "danvan",
    "campaigns",
    "models_registry",
    "evaluations",
    "awards",
    "notifications",
    "inbox",
    "api",
    "reports",
    "province",
)
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own tool on our own tree
        [str(LINT_IMPORTS), "--no-cache", "--config", "pyproject.toml"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def tree_copy(tmp_path) -> Path:
    """The project's Python packages and pyproject.toml, copied to edit freely."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_import_contracts_hold_for_the_code_as_it_is(tree_copy):
    result = _lint_imports(tree_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_registrations_importing_evaluations_breaks_the_contract(tree_copy):
    views = tree_copy / "models_registry" / "views.py"
    views.write_text(views.read_text() + "\nfrom evaluations import selectors  # noqa\n")
    result = _lint_imports(tree_copy)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "models_registry.views -> evaluations.selectors" in result.stdout


def test_the_document_builder_importing_a_domain_app_breaks_the_contract(tree_copy):
    layout = tree_copy / "danvan" / "documents" / "layout.py"
    layout.write_text(layout.read_text() + "\nimport awards.models  # noqa\n")
    result = _lint_imports(tree_copy)
    assert result.returncode != 0
    assert "danvan.documents.layout -> awards.models" in result.stdout


def test_awards_importing_the_api_breaks_the_contract(tree_copy):
    views = tree_copy / "awards" / "views.py"
    views.write_text(views.read_text() + "\nfrom api import selectors  # noqa\n")
    result = _lint_imports(tree_copy)
    assert result.returncode != 0
    assert "awards.views -> api.selectors" in result.stdout


def test_the_province_importing_the_api_breaks_the_contract(tree_copy):
    # The API reads the province (a province's token reads its communes), not the reverse.
    views = tree_copy / "province" / "views.py"
    views.write_text(views.read_text() + "\nfrom api import selectors  # noqa\n")
    result = _lint_imports(tree_copy)
    assert result.returncode != 0
    assert "province.views -> api.selectors" in result.stdout
