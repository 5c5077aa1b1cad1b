"""Files written inside a transaction go when it rolls back: explicitly, through the
database's rollback hook, not when the garbage collector gets round to it."""

import gc

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import transaction

from danvan.storage import FilesOfTransaction


@pytest.fixture
def storage(tmp_path):
    return FileSystemStorage(location=tmp_path / "files")


@pytest.fixture
def no_gc():
    gc.disable()
    yield
    gc.enable()


class Failure(Exception):
    pass


def _fail_after_writing(storage, name: str, kept: list) -> None:
    with transaction.atomic():
        files = FilesOfTransaction(storage)
        kept.append(files)  # still referenced: only the rollback can remove the file
        files.save(name, b"minh chung")
        assert storage.exists(name)
        raise Failure


@pytest.mark.django_db(transaction=True)
def test_a_transaction_that_fails_after_the_file_is_written_removes_it(storage, no_gc):
    kept = []
    with pytest.raises(Failure):
        _fail_after_writing(storage, "evidence/a.jpg", kept)
    assert kept  # the object is alive…
    assert not storage.exists("evidence/a.jpg")  # …and the file is gone


@pytest.mark.django_db(transaction=True)
def test_a_committed_transaction_keeps_its_files(storage, no_gc):
    with transaction.atomic():
        name = FilesOfTransaction(storage).save("evidence/b.jpg", b"x")
    assert storage.exists(name)


@pytest.mark.django_db
def test_a_rolled_back_savepoint_removes_only_its_own_files(storage, no_gc):
    files = FilesOfTransaction(storage)
    outer = files.save("evidence/outer.jpg", b"x")
    inner = []

    def save_then_fail():
        with transaction.atomic():
            inner.append(files.save("evidence/inner.jpg", b"y"))
            raise Failure

    with pytest.raises(Failure):
        save_then_fail()
    assert not storage.exists(inner[0])
    assert storage.exists(outer)


@pytest.mark.django_db(transaction=True)
def test_a_file_saved_outside_a_transaction_stays(storage):
    name = FilesOfTransaction(storage).save("evidence/c.jpg", b"z")
    assert storage.exists(name)


@pytest.mark.django_db(transaction=True)
def test_evidence_of_a_failed_upload_leaves_no_file(
    settings, no_gc, org, unit, unit_officer, tmp_path
):
    """The real path: the evidence service stores the file, then its transaction fails."""
    from models_registry import services
    from models_registry.models import Evidence
    from tests.factories import CampaignFactory, RegistrationFactory
    from tests.models_registry.test_views import png

    campaign = CampaignFactory(organization=org, status="issued")
    registration = RegistrationFactory(campaign=campaign, unit=unit)
    media = settings.MEDIA_ROOT
    written = []

    def upload_then_fail():
        with transaction.atomic():
            services.evidence_add(actor=unit_officer, registration=registration, files=[png()])
            written.extend(p for p in media.rglob("*") if p.is_file())
            raise Failure

    with pytest.raises(Failure):
        upload_then_fail()
    assert len(written) == 1
    assert not Evidence.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []
