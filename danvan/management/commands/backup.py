import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from danvan.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Back up the installation into one .tar.gz archive: the database (PostgreSQL: "
        "pg_dump --format=custom; SQLite: a consistent copy), every stored file (uploaded "
        "evidence, issued documents) and a manifest with the rows of every table and the "
        "SHA-256 of every file. Restore it with `manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="archive to write, or a directory to write it in: an existing one, or any "
            "path ending in / (created) (default: $VAR_DIR/backups/danvan-<date>-<time>.tar.gz)",
        )

    def handle(self, *args, output=None, **options):
        name = f"danvan-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
        target = Path(output) if output else Path(settings.VAR_DIR) / "backups"
        if output is None or output.endswith(("/", os.sep)) or target.is_dir():
            target = target / name
        try:
            manifest = backup_write(target)
        except BackupError as error:
            raise CommandError(str(error)) from None
        tables = manifest["database"]["tables"]
        self.stdout.write(
            f"{target}: {target.stat().st_size / 1024 / 1024:.1f} MB, {len(tables)} tables, "
            f"{sum(tables.values())} rows, {len(manifest['files'])} files."
        )
