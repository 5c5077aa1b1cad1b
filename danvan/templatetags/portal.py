from django import template

from danvan.text import thousands as thousands_text
from danvan.text import vnd as vnd_text

register = template.Library()


@register.filter
def vnd(value) -> str:
    """1234000 -> "1.234.000 đ" (Vietnamese thousands separators)."""
    if value in (None, ""):
        return "—"
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return str(value)
    return vnd_text(amount, "đ")


@register.filter
def thousands(value) -> str:
    """12000 -> "12.000"."""
    try:
        return thousands_text(int(value))
    except (TypeError, ValueError):
        return str(value)


@register.simple_tag
def django_message(singular: str, plural: str = "", count=None, **values) -> str:
    """A message of Django's own catalogue, translated when the page is rendered.

    For the admin templates the portal overrides: written this way rather than with
    ``{% translate %}``, the message stays out of the portal's catalogue (where it would
    be filled in with its English text for Vietnamese) and Django's translation is used."""
    from django.utils.translation import gettext, ngettext

    text = ngettext(singular, plural, count) if plural else gettext(singular)
    return text % values if values else text
