"""What a document's page says of its digital signatures."""

from django import template

register = template.Library()


@register.filter
def in_pdf(signatures) -> list:
    """The signatures the stored PDF carries (not only recorded by the portal)."""
    return [signature for signature in signatures if signature.in_pdf]


@register.filter
def test_signed(signatures) -> bool:
    """Whether any signature of the PDF was made with the demo's test CA."""
    return any(signature.in_pdf and signature.test_certificate for signature in signatures)
