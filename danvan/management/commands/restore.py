from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from danvan.backup import BackupError, restore_read


class Command(BaseCommand):
    help = (
        "Restore an archive made by `manage.py backup` into an empty installation (no "
        "organisation, user or stored file; create the database, do not migrate it), then "
        "check every table's rows and every file's SHA-256 against the archive's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the .tar.gz written by `backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore even though the installation holds data: its database is "
            "replaced and stored files of the same name are overwritten",
        )

    def handle(self, *args, archive, force=False, **options):
        if not archive.is_file():
            raise CommandError(f"{archive} is not a file.")
        try:
            verified = restore_read(archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {verified.tables} tables ({verified.rows} rows) and {verified.files} "
            "files; every count and SHA-256 matches the manifest."
        )
        if verified.pending_migrations:
            self.stdout.write(
                f"The code has {verified.pending_migrations} migrations the backup lacks: "
                "run `manage.py migrate`."
            )
