"""Keep the translation catalogues whole: extract, fill, compile and check them.

The portal's own strings are written in Vietnamese, so the Vietnamese catalogue maps
each of them to itself and the English catalogue carries the translations. Django's
own English strings that its Vietnamese catalogue lacks are listed in
``danvan/django_strings.py`` and translated in ours. The strings the admin's JavaScript
shows (its calendar, its selectors) that Django's Vietnamese ``djangojs`` catalogue lacks
are translated by hand in ``locale/vi/LC_MESSAGES/djangojs.po``, which is compiled and
checked here too.

    manage.py catalogues --update   extract new strings (xgettext), fill vi, compile .mo
    manage.py catalogues --check    fail if a string is untranslated, a .mo is stale, or
                                    (when xgettext is installed) the code has new strings
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

LANGUAGES = ("vi", "en")
OVERRIDES_FILE = "danvan/django_strings.py"
IGNORE = [".venv", "var", "tests", "docs", "node_modules", "htmlcov", "scripts"]


# The admin's JavaScript strings: hand-written, Vietnamese only (English is their msgid).
SCRIPT_CATALOGUES = (("vi", "djangojs"),)


def catalogue_path(base: Path, language: str, suffix: str = "po", domain: str = "django") -> Path:
    return base / "locale" / language / "LC_MESSAGES" / f"{domain}.{suffix}"


def is_override(entry: polib.POEntry) -> bool:
    return bool(entry.occurrences) and all(
        path == OVERRIDES_FILE for path, _line in entry.occurrences
    )


def translated(entry: polib.POEntry) -> bool:
    if entry.fuzzy:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def fill_vietnamese(po: polib.POFile) -> int:
    """Portal strings are Vietnamese already: each translates to itself."""
    filled = 0
    for entry in po:
        if entry.obsolete or is_override(entry):
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        if entry.msgid_plural:
            if entry.msgstr_plural.get(0) != entry.msgid:
                entry.msgstr_plural = {0: entry.msgid}
                filled += 1
        elif entry.msgstr != entry.msgid:
            entry.msgstr = entry.msgid
            filled += 1
    return filled


def extract(base: Path, ignore: tuple[str, ...] = ()) -> None:
    """Run makemessages for both languages inside ``base``."""
    command = [sys.executable, "manage.py", "makemessages", "--add-location=file", "--no-wrap"]
    command += [f"--ignore={pattern}/*" for pattern in (*IGNORE, *ignore)]
    command += ["--ignore=manage.py"]
    for language in LANGUAGES:
        command += ["-l", language]
    subprocess.run(command, cwd=base, check=True, capture_output=True)  # noqa: S603


class Command(BaseCommand):
    help = "Update, compile or check the vi and en translation catalogues."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--update", action="store_true")
        group.add_argument("--check", action="store_true")
        parser.add_argument(
            "--ignore",
            action="append",
            default=[],
            metavar="FOLDER",
            help="leave a folder out of the extraction (work in progress elsewhere)",
        )

    def handle(self, *args, update, check, ignore, **options):
        base = Path(settings.BASE_DIR)
        if update:
            self.update(base, tuple(ignore))
        else:
            problems = self.check_catalogues(base)
            if problems:
                raise CommandError("\n".join(problems))
            self.stdout.write("Catalogues are complete and compiled.")

    def update(self, base: Path, ignore: tuple[str, ...] = ()) -> None:
        if not shutil.which("xgettext"):
            raise CommandError("xgettext is needed to extract strings (apt install gettext).")
        extract(base, ignore)
        for language in LANGUAGES:
            po = polib.pofile(str(catalogue_path(base, language)), wrapwidth=0)
            for entry in list(po.obsolete_entries()):
                po.remove(entry)
            if language == "vi":
                fill_vietnamese(po)
            po.header = "Translations of the Dân vận khéo portal."
            po.metadata_is_fuzzy = False
            po.metadata = {
                "Project-Id-Version": "danvan",
                "Language": language,
                "MIME-Version": "1.0",
                "Content-Type": "text/plain; charset=UTF-8",
                "Content-Transfer-Encoding": "8bit",
                "Plural-Forms": po.metadata.get("Plural-Forms", "nplurals=2; plural=(n != 1);"),
            }
            po.save()
            po.save_as_mofile(str(catalogue_path(base, language, "mo")))
            missing = [e.msgid for e in po if not translated(e)]
            self.stdout.write(f"{language}: {len(po)} strings, {len(missing)} to translate")
            for msgid in missing:
                self.stdout.write(f"  - {msgid}")
        for language, domain in SCRIPT_CATALOGUES:
            po = polib.pofile(str(catalogue_path(base, language, domain=domain)), wrapwidth=0)
            po.save_as_mofile(str(catalogue_path(base, language, "mo", domain)))

    def check_catalogues(self, base: Path) -> list[str]:
        problems = []
        catalogues = [(language, "django") for language in LANGUAGES] + list(SCRIPT_CATALOGUES)
        for language, domain in catalogues:
            po_path = catalogue_path(base, language, domain=domain)
            mo_path = catalogue_path(base, language, "mo", domain)
            po = polib.pofile(str(po_path))
            for entry in po:
                if entry.obsolete:
                    continue
                if not translated(entry):
                    problems.append(f"{language}: untranslated or fuzzy: {entry.msgid!r}")
                elif (
                    language == "vi"
                    and (is_override(entry) or domain != "django")
                    and entry.msgstr == entry.msgid
                ):
                    problems.append(f"vi: Django string left in English: {entry.msgid!r}")
            if not mo_path.exists():
                problems.append(f"{language}: {mo_path} is missing; run `make messages`")
                continue
            compiled = {
                (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
                for e in polib.mofile(str(mo_path))
            }
            expected = {
                (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
                for e in po
                if not e.obsolete and translated(e)
            }
            if compiled != expected:
                problems.append(f"{language}: {mo_path.name} is stale; run `make messages`")
        if shutil.which("xgettext"):
            problems += self._new_strings(base)
        return problems

    def _new_strings(self, base: Path) -> list[str]:
        """Strings in the code that the committed catalogues do not have yet."""
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / "src"
            shutil.copytree(
                base,
                copy,
                # Hidden entries (.git, caches, coverage data) hold no strings, and another
                # process (a second test run) may be writing them while they are copied.
                ignore=shutil.ignore_patterns(*IGNORE, ".*", "*.mo", "__pycache__"),
            )
            extract(copy)
            problems = []
            for language in LANGUAGES:
                fresh = {
                    (e.msgctxt, e.msgid) for e in polib.pofile(str(catalogue_path(copy, language)))
                }
                committed = {
                    (e.msgctxt, e.msgid)
                    for e in polib.pofile(str(catalogue_path(base, language)))
                    if not e.obsolete
                }
                for _context, msgid in sorted(fresh - committed, key=str):
                    problems.append(f"{language}: not in the catalogue yet: {msgid!r}")
            return problems
