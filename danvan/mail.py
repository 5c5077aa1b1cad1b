"""E-mail from templates, in Vietnamese, with absolute links to the portal."""

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def send_templated_mail(
    *, to: Sequence[str], subject_template: str, body_template: str, context: dict
) -> int:
    """Render a plain-text e-mail and send it to each address separately (no address leaks)."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        full_context = {"site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(subject_template, full_context).split())
        body = render_to_string(body_template, full_context)
    sent = 0
    for address in recipients:
        sent += send_mail(subject, body, None, [address])
    return sent
