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
