"""Factories for the documents app: issued documents with small stand-in files."""

import hashlib

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from factory.django import DjangoModelFactory

from danvan.documents.models import DocumentKind, DocumentSignature, IssuedDocument
from tests.factories import OrganizationFactory

DOCX_BYTES = b"PK stand-in docx"
PDF_BYTES = b"%PDF-1.7 stand-in"


class IssuedDocumentFactory(DjangoModelFactory):
    """An issued row without rendering (fast); ``document_issue`` is tested on its own."""

    class Meta:
        model = IssuedDocument

    organization = factory.SubFactory(OrganizationFactory)
    kind = DocumentKind.PLAN
    sequence = factory.LazyAttribute(lambda o: o.kind)
    year = 2024
    number = factory.Sequence(lambda n: n + 1)
    symbol = "KH-UBND"
    subject = factory.Sequence(lambda n: f"Về việc phát động phong trào thi đua số {n}")
    issued_at = factory.LazyFunction(timezone.now)
    docx = factory.django.FileField(data=DOCX_BYTES, filename="van-ban.docx")
    pdf = factory.django.FileField(data=PDF_BYTES, filename="van-ban.pdf")
    html = '<!DOCTYPE html><html lang="vi"><body><article class="official-document"></article></body></html>'
    docx_sha256 = hashlib.sha256(DOCX_BYTES).hexdigest()
    pdf_sha256 = hashlib.sha256(PDF_BYTES).hexdigest()
    content_type = factory.LazyAttribute(
        lambda o: ContentType.objects.get_for_model(o.organization)
    )
    object_id = factory.LazyAttribute(lambda o: o.organization.pk)


class DocumentSignatureFactory(DjangoModelFactory):
    class Meta:
        model = DocumentSignature

    document = factory.SubFactory(IssuedDocumentFactory)
    label = "Ký số"
    signer_name = "Lê Duy Bảo"
    signed_at = factory.LazyFunction(timezone.now)
