"""Who may act on issued documents (their pages belong to the features that issue them)."""

import rules

from danvan.accounts.rules import is_back_office, is_member


@rules.predicate
def is_expected_signer(user, document) -> bool:
    """The person recorded as the document's signer: signing with one's own certificate
    is a personal act (a superuser does not count, nor does anyone else of the office)."""
    if document is None or not getattr(user, "is_authenticated", False):
        return False
    from danvan.documents.models import DocumentSignature

    return DocumentSignature.objects.filter(
        document=document, role=DocumentSignature.Role.SIGNER, signed_by=user
    ).exists()


# Make again the files of a numbered document whose rendering failed.
rules.add_perm("documents.render_document", is_back_office)
# Download the PDF awaiting the signer's signature, and upload the signed copy.
rules.add_perm("documents.download_unsigned", is_expected_signer | is_back_office)
rules.add_perm("documents.sign_document", is_expected_signer)
# Check an uploaded file against the organisation's issued documents, signed in.
rules.add_perm("documents.verify_document", is_member)
