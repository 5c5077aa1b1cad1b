"""Extension points: a later app adds a panel to an earlier app's page without the
earlier app importing it. The domain apps depend one way only (campaigns ←
models_registry ← evaluations ← awards), so a registration's page cannot ask the
evaluations app for its results; evaluations offers them instead:

    # evaluations/apps.py, in ready()
    panels.register("registration_detail", registration_results_panel)

    # models_registry/views.py
    context["panels"] = panels.render("registration_detail", request, registration)

A panel is a function ``(request, obj) -> str`` returning safe HTML, or "" to show
nothing. Panels render in the order they were registered.
"""

from collections import defaultdict
from collections.abc import Callable

from django.utils.safestring import SafeString

Panel = Callable[..., str]

_panels: dict[str, list[Panel]] = defaultdict(list)


def register(slot: str, panel: Panel) -> Panel:
    """Add ``panel`` to the pages that render ``slot``; registering twice is a no-op."""
    if panel not in _panels[slot]:
        _panels[slot].append(panel)
    return panel


def render(slot: str, request, obj) -> list[SafeString]:
    """The HTML of every panel of ``slot`` for ``obj``, leaving out the empty ones."""
    rendered = (panel(request, obj) for panel in _panels[slot])
    return [html for html in rendered if html]
