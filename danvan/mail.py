"""E-mail from templates, in Vietnamese, with absolute links to the portal."""

import logging
import smtplib
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def send_templated_mail(
    *, to: Sequence[str], subject_template: str, body_template: str, context: dict
) -> int:
    """Render a plain-text e-mail and send it to each address separately (no address leaks).

    Mail goes out after the change it reports is committed: a mail server that is down or
    refuses an address is logged and the next address tried; it never undoes the change
    or fails the page. Returns the number of messages sent."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        full_context = {"site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(subject_template, full_context).split())
        body = render_to_string(body_template, full_context)
    sent = 0
    for address in recipients:
        try:
            sent += send_mail(subject, body, None, [address])
        except (smtplib.SMTPException, OSError):
            logger.exception("E-mail “%s” to %s could not be sent", subject, address)
    return sent
