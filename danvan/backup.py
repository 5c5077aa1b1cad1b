"""One archive holds a whole installation: the database and every stored file.

``backup_write`` writes a gzipped tar with

- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3`` (a
  consistent copy made with SQLite's backup API);
- ``files/<name>`` for every file of the default storage (MEDIA_ROOT: uploaded evidence,
  nomination reports, issued documents);
- ``manifest.json``, written last: the number of rows of every table, counted in the very
  snapshot that was dumped, and the SHA-256 of the dump and of every file.

``restore_read`` brings an archive back into an empty installation (or, when forced, in
place of the present one) and then checks every count and checksum against the manifest.
The commands ``manage.py backup`` and ``manage.py restore`` call these; docs/deploy.md
says how to use them.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.executor import MigrationExecutor

FORMAT = "danvan-backup"
VERSION = 1
MANIFEST = "manifest.json"
FILES = "files/"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why, for the operator."""


@dataclass(frozen=True)
class Verified:
    tables: int
    rows: int
    files: int
    pending_migrations: int


def sha256_of(stream) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_counts(cursor, vendor: str) -> dict[str, int]:
    """Rows per table, for every table of the database (Django's or not)."""
    if vendor == "postgresql":
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    counts = {}
    for (table,) in sorted(cursor.fetchall()):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - a table name
        counts[table] = cursor.fetchone()[0]
    return counts


def _vendor() -> str:
    if connection.vendor not in DUMPS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    if connection.in_atomic_block:
        # pg_dump would not see the transaction's writes, and SQLite's backup API waits
        # for ever on a connection that is writing.
        raise BackupError("A backup or restore cannot run inside a database transaction.")
    return connection.vendor


def _pg_environment() -> dict[str, str]:
    _args, env = DatabaseClient.settings_to_cmd_args_env(connection.settings_dict, [])
    settings = connection.settings_dict
    env = {**os.environ, **(env or {})}
    for variable, value in (
        ("PGDATABASE", settings["NAME"]),
        ("PGUSER", settings.get("USER")),
        ("PGHOST", settings.get("HOST")),
        ("PGPORT", str(settings.get("PORT") or "")),
    ):
        if value:
            env[variable] = value
    return env


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found; install the PostgreSQL client programs.")
    return path


def _run(command: list[str]) -> None:
    result = subprocess.run(  # noqa: S603 - fixed programs, arguments from settings
        command, env=_pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def _dump_database(target: Path) -> dict[str, int]:
    """Write the database to ``target``; returns the row counts of that same state."""
    if _vendor() == "sqlite":
        # Through the portal's own connection: SQLite's backup API copies a consistent
        # state, restarting if another connection writes meanwhile.
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
            return table_counts(copy.cursor(), "sqlite")
        finally:
            copy.close()
    # Count in the snapshot that pg_dump dumps, on a connection of its own held open
    # meanwhile, so the manifest is exact even while the portal is in use.
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = table_counts(cursor, "postgresql")
        _run([_program("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={target}"])
        return counts
    finally:
        raw.close()


def _stored_files(storage=default_storage, directory: str = "") -> list[str]:
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return []
    names = [f"{directory}{name}" for name in sorted(files)]
    for sub in sorted(directories):
        names += _stored_files(storage, f"{directory}{sub}/")
    return names


class _Hashing:
    """A read-only stream that hashes what passes through it."""

    def __init__(self, stream):
        self.stream = stream
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.stream.read(size)
        self.digest.update(data)
        return data


def backup_write(target: Path) -> dict:
    """Write the archive to ``target`` (written beside it first, then renamed into place,
    so a failed backup never leaves a partial archive under the final name); returns the
    manifest."""
    vendor = _vendor()
    # The archive holds password hashes, personal data and second-factor secrets: only
    # the portal's own user reads it, and the folder made for it.
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DUMPS[vendor]
        counts = _dump_database(dump)
        with dump.open("rb") as stream:
            dump_sha = sha256_of(stream)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {
                "vendor": vendor,
                "file": DUMPS[vendor],
                "sha256": dump_sha,
                "tables": counts,
            },
            "files": {},
        }
        partial = target.with_name(target.name + ".partial")
        try:
            partial.unlink(missing_ok=True)
            partial.touch(mode=0o600)
            _write_archive(partial, dump, manifest)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(target)
    return manifest


def _write_archive(path: Path, dump: Path, manifest: dict) -> None:
    """The dump, then every stored file (hashed as it is copied), then the manifest."""
    now = int(datetime.now(UTC).timestamp())
    with tarfile.open(path, "w:gz") as archive:
        archive.add(dump, arcname=dump.name)
        for name in _stored_files():
            info = tarfile.TarInfo(FILES + name)
            info.size = default_storage.size(name)
            info.mtime = now
            info.mode = 0o640
            with default_storage.open(name, "rb") as stream:
                hashing = _Hashing(stream)
                archive.addfile(info, hashing)
            manifest["files"][name] = {"sha256": hashing.digest.hexdigest(), "size": info.size}
        content = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(content)
        info.mtime = now
        archive.addfile(info, io.BytesIO(content))


def installation_contents() -> dict[str, int]:
    """What an installation holds that a restore would replace: organisations, user
    accounts and stored files. A freshly migrated installation holds none of them (the
    reference data that migrations create does not count)."""
    tables = set(connection.introspection.table_names())
    contents = {"organisations": 0, "users": 0, "files": len(_stored_files())}
    with connection.cursor() as cursor:
        for key, table in (("organisations", "accounts_organization"), ("users", "accounts_user")):
            if table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608
                contents[key] = cursor.fetchone()[0]
    return contents


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, AttributeError, ValueError):
        raise BackupError("The archive has no readable manifest.json.") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError("The archive is not a backup of this portal (or of a newer version).")
    return manifest


def _drop_tables() -> None:
    """Drop every table of a PostgreSQL database (with what depends on them, such as
    their sequences), so that the dump comes back exactly as it was taken."""
    tables = connection.introspection.table_names()
    if tables:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE " + ", ".join(_quote(t) for t in tables) + " CASCADE")
    connection.close()


def _restore_database(dump: Path, vendor: str) -> None:
    if vendor == "postgresql":
        _drop_tables()
        _run(
            [
                _program("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(dump),
            ]
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)  # replaces the database, tables and all
        finally:
            source.close()
    connection.close()


def _restore_files(archive: tarfile.TarFile, manifest: dict) -> None:
    listed = manifest["files"]
    for member in archive.getmembers():
        if not member.name.startswith(FILES):
            continue
        name = member.name[len(FILES) :]
        if name not in listed or not member.isfile():
            raise BackupError(f"The archive holds {member.name!r}, which its manifest lacks.")
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, File(archive.extractfile(member), name=name))
        if saved != name:
            raise BackupError(f"{name!r} could not be stored under its own name ({saved!r}).")


def _verify(manifest: dict) -> Verified:
    """Compare the restored installation with the manifest; raise on any difference."""
    problems = []
    with connection.cursor() as cursor:
        counts = table_counts(cursor, connection.vendor)
    expected = manifest["database"]["tables"]
    for table in sorted(set(expected) | set(counts)):
        if expected.get(table) != counts.get(table):
            problems.append(
                f"table {table}: {counts.get(table)} rows, the manifest says {expected.get(table)}"
            )
    for name, listed in manifest["files"].items():
        if not default_storage.exists(name):
            problems.append(f"file {name}: missing")
            continue
        with default_storage.open(name, "rb") as stream:
            if sha256_of(stream) != listed["sha256"]:
                problems.append(f"file {name}: its SHA-256 differs from the manifest")
    if problems:
        raise BackupError("The restore does not match the manifest:\n- " + "\n- ".join(problems))
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return Verified(
        tables=len(counts),
        rows=sum(counts.values()),
        files=len(manifest["files"]),
        pending_migrations=len(pending),
    )


def restore_read(source: Path, *, force: bool = False) -> Verified:
    """Restore the archive at ``source`` and verify it against its manifest.

    Refuses an installation that holds data (see ``installation_contents``) unless
    ``force``; then its database is replaced and files of the same name overwritten.
    """
    vendor = _vendor()
    with tarfile.open(source, "r:gz") as archive:
        manifest = _read_manifest(archive)
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(
                f"The archive holds a {manifest['database']['vendor']} database; this "
                f"installation uses {vendor}."
            )
        contents = installation_contents()
        if any(contents.values()) and not force:
            raise BackupError(
                "This installation is not empty ({organisations} organisations, {users} "
                "users, {files} stored files). Restore into an empty one, or use --force "
                "to replace it.".format(**contents)
            )
        with tempfile.TemporaryDirectory() as work:
            dump = Path(work) / DUMPS[vendor]
            try:
                member = archive.extractfile(manifest["database"]["file"])
            except KeyError:
                member = None
            if member is None:
                raise BackupError("The archive has no database dump.")
            with dump.open("wb") as out:
                shutil.copyfileobj(member, out)
            with dump.open("rb") as stream:
                if sha256_of(stream) != manifest["database"]["sha256"]:
                    raise BackupError("The database dump's SHA-256 differs from the manifest.")
            _restore_database(dump, vendor)
        _restore_files(archive, manifest)
    return _verify(manifest)
