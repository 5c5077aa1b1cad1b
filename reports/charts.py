"""Bar charts drawn on the server as SVG (templates/reports/_bar_chart.html).

Each bar carries its label and its figure as text, so nothing is said by colour alone;
the chart is an image with a title and a description for screen readers, and the page
prints the same figures in a table under it. Several series (the years of a stage) are
drawn as one bar per year under each label, each bar naming its year.
"""

from dataclasses import dataclass

WIDTH = 640
LABEL_HEIGHT = 18
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_GAP = 12
VALUE_ROOM = 150  # room on the right for the figure written after the longest bar
# Fills with a contrast of at least 3:1 against white (WCAG 1.4.11), one per series.
FILLS = ("#1f5fa8", "#b3541e", "#2e7d32", "#6a1b9a", "#37474f", "#8d6e00")


@dataclass(frozen=True)
class Bar:
    y: int
    width: int
    fill: str
    text: str
    text_x: int


@dataclass(frozen=True)
class Group:
    label: str
    label_y: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    groups: tuple[Group, ...]
    height: int
    width: int = WIDTH


def bar_chart(
    *,
    id: str,
    title: str,
    items: list[tuple[str, list[int]]],
    series: list[str] | None = None,
    formatter=str,
) -> BarChart | None:
    """A horizontal bar chart of ``items`` (label, one figure per series); None when
    every figure is zero (the page says so instead of drawing empty bars)."""
    peak = max((value for _label, values in items for value in values), default=0)
    if not peak:
        return None
    series = series or [""]
    room = WIDTH - VALUE_ROOM
    groups = []
    y = 0
    for label, values in items:
        label_y = y + LABEL_HEIGHT - 4
        y += LABEL_HEIGHT
        bars = []
        for index, value in enumerate(values):
            width = max(round(room * value / peak), 2 if value else 0)
            name = series[index]
            text = f"{name}: {formatter(value)}" if name else formatter(value)
            bars.append(Bar(y, width, FILLS[index % len(FILLS)], text, width + 6))
            y += BAR_HEIGHT + BAR_GAP
        groups.append(Group(label, label_y, tuple(bars)))
        y += GROUP_GAP
    parts = [
        f"{label}: " + ", ".join(bar.text for bar in group.bars)
        for (label, _values), group in zip(items, groups, strict=True)
    ]
    return BarChart(
        id=id,
        title=title,
        description="; ".join(parts) + ".",
        groups=tuple(groups),
        height=y,
    )
