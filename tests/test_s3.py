"""Uploads, downloads, issued documents and job files through S3-compatible object storage:
a local S3 server (moto's server mode) on the loopback, the portal configured by
STORAGE_URL as for several app servers."""

import socket

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from danvan.settings import storage_from_url

BUCKET = "danvan-test"


def test_a_storage_url_names_bucket_prefix_keys_and_endpoint():
    storage = storage_from_url(
        "s3://AK%2F1:secret@files/danvan?endpoint_url=http://127.0.0.1:9000&region_name=hn"
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"] == {
        "bucket_name": "files",
        "location": "danvan",
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
        "access_key": "AK/1",
        "secret_key": "secret",
        "endpoint_url": "http://127.0.0.1:9000",
        "region_name": "hn",
    }
    assert storage_from_url("")["BACKEND"].endswith("FileSystemStorage")


@pytest.mark.parametrize("url", ["ftp://files/x", "s3://", "s3://b/?acl=public-read"])
def test_a_storage_url_that_makes_no_sense_is_refused(url):
    with pytest.raises(ImproperlyConfigured):
        storage_from_url(url)


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",  # noqa: S106
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


@pytest.fixture
def s3(settings, s3_server):
    endpoint, client = s3_server
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_url(
            f"s3://test:test@{BUCKET}/portal?endpoint_url={endpoint}&region_name=us-east-1"
        ),
    }
    return client


def _keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


pytestmark = [pytest.mark.s3]


@pytest.mark.django_db
def test_evidence_goes_to_the_bucket_and_comes_back_through_the_portal(
    s3, login, unit_officer, unit
):
    from models_registry.models import Evidence
    from tests.factories import CampaignFactory, RegistrationFactory

    registration = RegistrationFactory(
        campaign=CampaignFactory(organization=unit.organization, status="issued"), unit=unit
    )
    photo = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
        b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    client = login(unit_officer)
    response = client.post(
        reverse("models_registry:evidence_upload", args=[registration.pk]),
        {"files": [SimpleUploadedFile("ảnh hiện trường.png", photo, "image/png")]},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert f"portal/{evidence.file.name}" in _keys(s3)
    download = client.get(reverse("models_registry:evidence", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == photo


@pytest.mark.django_db
def test_an_issued_document_is_stored_in_the_bucket_byte_for_byte(s3, org, office_user):
    import hashlib

    from campaigns.demo import seed_plan_document
    from danvan.documents import services
    from danvan.documents.models import DocumentKind
    from tests.factories import CampaignFactory

    campaign = CampaignFactory(organization=org)
    with transaction.atomic():
        number = services.number_next(organization=org, year=2025, kind=DocumentKind.PLAN)
        issued = services.document_issue(
            actor=office_user,
            organization=org,
            kind=DocumentKind.PLAN,
            year=2025,
            number=number,
            spec=seed_plan_document(),
            source=campaign,
            signatures=[],
        )
    keys = _keys(s3)
    assert f"portal/{issued.pdf.name}" in keys
    stored = s3.get_object(Bucket=BUCKET, Key=f"portal/{issued.pdf.name}")["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == issued.pdf_sha256


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_issue_leaves_nothing_in_the_bucket(s3, org, office_user):
    from campaigns.demo import seed_plan_document
    from danvan.documents import services
    from danvan.documents.models import DocumentKind
    from tests.factories import CampaignFactory

    campaign = CampaignFactory(organization=org)
    before = _keys(s3)

    def issue_then_fail():
        with transaction.atomic():
            services.document_issue(
                actor=office_user,
                organization=org,
                kind=DocumentKind.PLAN,
                year=2025,
                number=services.number_next(organization=org, year=2025, kind=DocumentKind.PLAN),
                spec=seed_plan_document(),
                source=campaign,
                signatures=[],
            )
            raise RuntimeError("after the files were stored")

    with pytest.raises(RuntimeError):
        issue_then_fail()
    assert _keys(s3) == before


@pytest.mark.django_db
def test_a_jobs_file_is_kept_in_the_bucket_and_downloaded_by_its_owner(
    s3, login, office_user, org, django_capture_on_commit_callbacks
):
    from danvan.jobs.models import Job

    client = login(office_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("models_registry:export_job"), {"query": ""})
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.error
    assert f"portal/{job.result.name}" in _keys(s3)
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert b"".join(response.streaming_content)[:2] == b"PK"
