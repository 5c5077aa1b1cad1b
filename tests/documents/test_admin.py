import pytest
from django.urls import reverse

from tests.documents.factories import DocumentSignatureFactory, IssuedDocumentFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:documents_issueddocument_changelist"
CHANGE = "admin:documents_issueddocument_change"


def test_office_staff_see_their_organisations_issued_documents(login, office_user, org, other_org):
    own = IssuedDocumentFactory(organization=org, number=46, subject="Về việc phát động thi đua")
    foreign = IssuedDocumentFactory(organization=other_org, subject="Văn bản của phường bên cạnh")
    content = login(office_user).get(reverse(CHANGELIST)).content.decode()
    assert "46/KH-UBND" in content
    assert own.subject in content
    assert foreign.subject not in content


def test_another_organisations_document_is_404(login, office_user, outsider, org):
    document = IssuedDocumentFactory(organization=org)
    assert login(outsider).get(reverse(CHANGE, args=[document.pk])).status_code == 404
    assert login(office_user).get(reverse(CHANGE, args=[document.pk])).status_code == 200


def test_issued_documents_are_read_only_even_for_superusers(login, superuser, office_user, org):
    document = IssuedDocumentFactory(organization=org, subject="Về việc giữ nguyên")
    DocumentSignatureFactory(document=document, signer_name="Lê Duy Bảo")
    for user in (superuser, office_user):
        client = login(user)
        page = client.get(reverse(CHANGE, args=[document.pk]))
        assert page.status_code == 200
        content = page.content.decode()
        assert "Lê Duy Bảo" in content  # the signatures inline
        assert 'name="_save"' not in content
        assert client.get(reverse("admin:documents_issueddocument_add")).status_code == 403
        response = client.post(reverse(CHANGE, args=[document.pk]), {"subject": "Đã sửa"})
        assert response.status_code == 403
        delete = reverse("admin:documents_issueddocument_delete", args=[document.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
    document.refresh_from_db()
    assert document.subject == "Về việc giữ nguyên"


def test_the_files_are_not_linked_from_the_admin(login, office_user, org):
    document = IssuedDocumentFactory(organization=org)
    content = login(office_user).get(reverse(CHANGE, args=[document.pk])).content.decode()
    assert document.pdf.name not in content
    assert document.pdf_sha256 in content


def test_issued_documents_list_takes_as_many_queries_for_three_as_for_one(
    login, office_user, chairman, org, queries_for
):
    client = login(office_user)
    IssuedDocumentFactory(organization=org, issued_by=chairman)
    one = queries_for(client, reverse(CHANGELIST))
    for _ in range(2):
        IssuedDocumentFactory(organization=org, issued_by=office_user)
    assert queries_for(client, reverse(CHANGELIST)) == one
