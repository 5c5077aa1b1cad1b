from django import template

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
    return f"{amount:,}".replace(",", ".") + " đ"
