import re
import shutil

import pytest
from django.core.management import CommandError, call_command

from danvan.management.commands.catalogues import catalogue_path


def test_translation_catalogues_are_complete_compiled_and_up_to_date(capsys):
    if not shutil.which("xgettext") and __import__("os").environ.get("CI") == "true":
        pytest.fail("CI must check the catalogues against the code: install gettext")
    try:
        call_command("catalogues", "--check")
    except CommandError as error:
        pytest.fail(f"Translation catalogues need work (run `make messages`):\n{error}")
    assert "complete" in capsys.readouterr().out


@pytest.fixture
def project_copy(tmp_path, settings):
    """A copy of the project's code and catalogues, made the BASE_DIR the command works in."""
    if not shutil.which("xgettext"):
        pytest.skip("xgettext (gettext) is needed to extract strings")
    from danvan.management.commands.catalogues import IGNORE

    copy = tmp_path / "project"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(*IGNORE, ".*", "__pycache__"),
    )
    settings.BASE_DIR = copy
    return copy


def add_string(base, text):
    (base / "campaigns" / "new_wording.py").write_text(
        f"from django.utils.translation import gettext as _\n\nLABEL = _({text!r})\n",
        encoding="utf-8",
    )


def test_update_adds_a_new_string_filled_in_vietnamese_and_asked_for_in_english(
    project_copy, capsys
):
    import polib

    from danvan.management.commands.catalogues import translated

    add_string(project_copy, "Số mô hình đã kiểm tra")
    call_command("catalogues", "--update")
    out = capsys.readouterr().out
    assert re.search(r"^en: \d+ strings, 1 to translate$", out, re.MULTILINE)
    assert "  - Số mô hình đã kiểm tra" in out
    vi = polib.pofile(str(catalogue_path(project_copy, "vi")))
    assert vi.find("Số mô hình đã kiểm tra").msgstr == "Số mô hình đã kiểm tra"
    en = polib.pofile(str(catalogue_path(project_copy, "en")))
    # Empty, or guessed from a similar string and marked fuzzy: either way, still to do.
    assert not translated(en.find("Số mô hình đã kiểm tra"))
    assert not [entry for entry in en if entry.obsolete]
    compiled = polib.mofile(str(catalogue_path(project_copy, "vi", "mo")))
    assert compiled.find("Số mô hình đã kiểm tra").msgstr == "Số mô hình đã kiểm tra"

    with pytest.raises(CommandError, match="en: untranslated or fuzzy: 'Số mô hình đã kiểm tra'"):
        call_command("catalogues", "--check")


def test_check_names_a_string_the_catalogues_do_not_have_yet(project_copy):
    add_string(project_copy, "Chuỗi chưa có trong danh mục")
    with pytest.raises(CommandError) as refused:
        call_command("catalogues", "--check")
    assert "vi: not in the catalogue yet: 'Chuỗi chưa có trong danh mục'" in str(refused.value)
    assert "en: not in the catalogue yet: 'Chuỗi chưa có trong danh mục'" in str(refused.value)


def test_check_finds_a_stale_or_missing_compiled_catalogue(project_copy):
    import polib

    en = polib.pofile(str(catalogue_path(project_copy, "en")))
    entry = next(e for e in en if e.msgstr and not e.msgid_plural and not e.obsolete)
    entry.msgstr = entry.msgstr + " (changed)"
    en.save()
    catalogue_path(project_copy, "vi", "mo").unlink()
    with pytest.raises(CommandError) as refused:
        call_command("catalogues", "--check")
    assert "en: django.mo is stale; run `make messages`" in str(refused.value)
    assert f"vi: {catalogue_path(project_copy, 'vi', 'mo')} is missing" in str(refused.value)


def test_update_leaves_out_a_folder_it_is_told_to_ignore(project_copy, capsys):
    add_string(project_copy, "Chuỗi của việc đang làm dở")
    call_command("catalogues", "--update", "--ignore", "campaigns")
    assert "Chuỗi của việc đang làm dở" not in catalogue_path(project_copy, "vi").read_text()
