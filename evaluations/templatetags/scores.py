from django import template

from evaluations.scoring import as_points, points_text

register = template.Library()


@register.filter
def points(value) -> str:
    """Decimal points as Vietnamese write them: "7,5", "87,25", "10"; "—" when none."""
    if value in (None, ""):
        return "—"
    return points_text(value)


@register.filter
def hundredths(value) -> str:
    """A total kept in hundredths (8725) as points: "87,25"; "—" when none."""
    if value in (None, ""):
        return "—"
    return points_text(as_points(int(value)))
