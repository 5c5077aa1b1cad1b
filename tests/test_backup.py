"""manage.py backup and manage.py restore (danvan/backup.py)."""

import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import factory
import psycopg2
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from danvan.accounts.models import Organization, User
from danvan.backup import installation_contents, table_counts
from danvan.documents.models import IssuedDocument
from models_registry.models import Evidence
from tests.documents.factories import IssuedDocumentFactory
from tests.factories import CampaignFactory, RegistrationFactory

ROOT = Path(__file__).resolve().parent.parent


def issued_documents(org, count: int) -> list[IssuedDocument]:
    """Documents with distinct, incompressible files, as issued documents are."""
    return [
        IssuedDocumentFactory(
            organization=org,
            docx=factory.django.FileField(data=os.urandom(20_000), filename="van-ban.docx"),
            pdf=factory.django.FileField(data=os.urandom(30_000), filename="van-ban.pdf"),
        )
        for _ in range(count)
    ]


def some_evidence(org, unit, office_user) -> Evidence:
    registration = RegistrationFactory(campaign=CampaignFactory(organization=org), unit=unit)
    return Evidence.objects.create(
        registration=registration,
        original_name="ảnh hoạt động.png",
        content_type="image/png",
        size=4,
        uploaded_by=office_user,
        file=ContentFile(b"\x89PNG", name="anh.png"),
    )


def backup(tmp_path) -> Path:
    target = tmp_path / "sao-luu.tar.gz"
    out = io.StringIO()
    call_command("backup", "--output", str(target), stdout=out)
    assert out.getvalue().startswith(f"{target}: ")
    return target


@pytest.mark.django_db(transaction=True)
def test_a_folder_named_with_a_slash_is_made_and_the_archive_is_for_the_portal_alone(tmp_path):
    folder = tmp_path / "chua-co"
    out = io.StringIO()
    call_command("backup", "--output", f"{folder}/", stdout=out)
    (archive,) = folder.iterdir()
    assert archive.name.startswith("danvan-")
    assert archive.name.endswith(".tar.gz")
    assert out.getvalue().startswith(f"{archive}: ")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600


def counts_of(cursor) -> dict[str, int]:
    return table_counts(cursor, connection.vendor)


def stored_files() -> dict[str, bytes]:
    media = Path(settings.MEDIA_ROOT)
    return {
        str(path.relative_to(media)): path.read_bytes()
        for path in media.rglob("*")
        if path.is_file()
    }


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        return json.load(tar.extractfile("manifest.json"))


def rewritten(archive: Path, target: Path, change) -> Path:
    """A copy of ``archive`` whose members pass through ``change(name, data) -> data``."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


# PostgreSQL: back up, restore into a second database, compare ------------------------------


@pytest.fixture
def second_database():
    """A separately created, empty PostgreSQL database; dropped afterwards."""
    params = settings.DATABASES["default"]
    name = f"{params['NAME']}_restore"
    admin = psycopg2.connect(
        dbname="postgres",
        user=params["USER"],
        password=params["PASSWORD"],
        host=params["HOST"],
        port=params["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**params, "NAME": name}
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def manage(*args, database: dict, media: Path) -> subprocess.CompletedProcess:
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore")
@pytest.mark.django_db(transaction=True)
def test_a_restore_into_a_fresh_postgresql_database_gives_back_every_row_and_byte(
    tmp_path, org, unit, office_user, unit_officer, second_database
):
    documents = 3
    issued = issued_documents(org, documents)
    evidence = some_evidence(org, unit, office_user)
    archive = backup(tmp_path)
    with connection.cursor() as cursor:
        counts = counts_of(cursor)
    assert counts["documents_issueddocument"] == documents
    restored_media = tmp_path / "restored-media"

    result = manage("restore", str(archive), database=second_database, media=restored_media)

    assert result.returncode == 0, result.stderr
    assert "every count and SHA-256 matches the manifest" in result.stdout
    with (
        psycopg2.connect(
            dbname=second_database["NAME"],
            user=second_database["USER"],
            password=second_database["PASSWORD"],
            host=second_database["HOST"],
            port=second_database["PORT"] or 5432,
        ) as restored,
        restored.cursor() as cursor,
    ):
        assert counts_of(cursor) == counts
        cursor.execute("SELECT docx, pdf, docx_sha256 FROM documents_issueddocument")
        rows = cursor.fetchall()
    assert len(rows) == documents
    media = Path(settings.MEDIA_ROOT)
    for docx, pdf, _sha in rows:
        for name in (docx, pdf):
            assert (restored_media / name).read_bytes() == (media / name).read_bytes()
    assert {row[0] for row in rows} == {document.docx.name for document in issued}
    assert (restored_media / evidence.file.name).read_bytes() == b"\x89PNG"
    # A second restore into the now full installation is refused, and changes nothing.
    again = manage("restore", str(archive), database=second_database, media=restored_media)
    assert again.returncode != 0
    assert "This installation is not empty (1 organisations" in again.stderr


# Both databases: refusals before anything changes -----------------------------------------


@pytest.mark.django_db
def test_a_backup_inside_a_transaction_is_refused(tmp_path):
    with pytest.raises(CommandError, match="cannot run inside a database transaction"):
        call_command("backup", "--output", str(tmp_path), stdout=io.StringIO())
    assert not list(tmp_path.iterdir())


@pytest.mark.django_db(transaction=True)
def test_a_restore_over_data_is_refused_without_force_and_changes_nothing(
    tmp_path, org, office_user
):
    issued_documents(org, 1)
    archive = backup(tmp_path)
    before = (Organization.objects.count(), User.objects.count(), stored_files())
    with pytest.raises(CommandError, match=r"not empty \(1 organisations, 1 users, 2 stored"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert (Organization.objects.count(), User.objects.count(), stored_files()) == before


@pytest.mark.django_db(transaction=True)
def test_a_tampered_database_dump_is_refused_before_anything_changes(tmp_path, org):
    archive = backup(tmp_path)
    dump = manifest_of(archive)["database"]["file"]
    tampered = rewritten(
        archive,
        tmp_path / "sua.tar.gz",
        lambda name, data: data[:-1] + bytes([data[-1] ^ 1]) if name == dump else data,
    )
    with pytest.raises(CommandError, match="dump's SHA-256 differs from the manifest"):
        call_command("restore", str(tampered), "--force", stdout=io.StringIO())
    assert Organization.objects.get() == org


@pytest.mark.django_db(transaction=True)
def test_an_archive_that_is_not_a_backup_is_refused(tmp_path, org):
    other = tmp_path / "khac.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        data = json.dumps({"format": "something-else"}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match="not a backup of this portal"):
        call_command("restore", str(other), stdout=io.StringIO())
    with pytest.raises(CommandError, match="is not a file"):
        call_command("restore", str(tmp_path / "khong-co.tar.gz"), stdout=io.StringIO())
    assert Organization.objects.get() == org


@pytest.mark.django_db(transaction=True)
def test_an_archive_of_the_other_database_kind_is_refused(tmp_path, org):
    archive = backup(tmp_path)
    kind = connection.vendor
    other = "sqlite" if kind == "postgresql" else "postgresql"
    swapped = rewritten(
        archive,
        tmp_path / "khac-loai.tar.gz",
        lambda name, data: (
            data.replace(f'"vendor": "{kind}"'.encode(), f'"vendor": "{other}"'.encode())
            if name == "manifest.json"
            else data
        ),
    )
    with pytest.raises(CommandError, match=f"holds a {other} database; this installation uses"):
        call_command("restore", str(swapped), stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_the_backup_manifest_lists_every_table_and_file(tmp_path, org, office_user):
    documents = issued_documents(org, 2)
    archive = backup(tmp_path)
    manifest = manifest_of(archive)
    assert manifest["format"] == "danvan-backup"
    assert manifest["database"]["tables"]["accounts_organization"] == 1
    assert manifest["database"]["tables"]["documents_issueddocument"] == 2
    names = {d.docx.name for d in documents} | {d.pdf.name for d in documents}
    assert set(manifest["files"]) == names
    with tarfile.open(archive, "r:gz") as tar:
        for name in names:
            assert (
                tar.extractfile(f"files/{name}").read()
                == Path(settings.MEDIA_ROOT, name).read_bytes()
            )


# SQLite: the whole round trip in place ---------------------------------------------------


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL restores in a subprocess")
@pytest.mark.django_db(transaction=True)
def test_a_sqlite_installation_comes_back_whole_after_losing_everything(
    tmp_path, org, unit, office_user
):
    issued_documents(org, 2)
    some_evidence(org, unit, office_user)
    archive = backup(tmp_path)
    with connection.cursor() as cursor:
        counts = counts_of(cursor)
    files = stored_files()
    call_command("flush", "--noinput")
    shutil.rmtree(settings.MEDIA_ROOT)
    assert installation_contents() == {"organisations": 0, "users": 0, "files": 0}

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    assert f"({sum(counts.values())} rows) and 5 files" in out.getvalue()
    with connection.cursor() as cursor:
        assert counts_of(cursor) == counts
    assert stored_files() == files
    assert Organization.objects.get().pk == org.pk


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL restores in a subprocess")
@pytest.mark.django_db(transaction=True)
def test_a_restored_file_that_differs_from_the_manifest_fails_the_check(tmp_path, org):
    document = issued_documents(org, 1)[0]
    archive = backup(tmp_path)
    changed = rewritten(
        archive,
        tmp_path / "sua-tep.tar.gz",
        lambda name, data: b"changed" + data if name == f"files/{document.pdf.name}" else data,
    )
    with pytest.raises(CommandError, match=f"file {document.pdf.name}: its SHA-256 differs"):
        call_command("restore", str(changed), "--force", stdout=io.StringIO())


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore")
@pytest.mark.django_db(transaction=True)
def test_without_pg_dump_the_backup_says_so_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(CommandError, match="pg_dump was not found"):
        call_command("backup", "--output", str(tmp_path), stdout=io.StringIO())
    assert [path.name for path in tmp_path.iterdir()] == []
