import shutil

import pytest
from django.core.management import CommandError, call_command


def test_translation_catalogues_are_complete_compiled_and_up_to_date(capsys):
    if not shutil.which("xgettext") and __import__("os").environ.get("CI") == "true":
        pytest.fail("CI must check the catalogues against the code: install gettext")
    try:
        call_command("catalogues", "--check")
    except CommandError as error:
        pytest.fail(f"Translation catalogues need work (run `make messages`):\n{error}")
    assert "complete" in capsys.readouterr().out
