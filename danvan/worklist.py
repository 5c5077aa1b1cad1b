"""Extension point of the home page's work list ("Việc cần làm"): a later app adds its
lines without the inbox importing it, as ``danvan.panels`` does for pages. The province
app, beside the inbox, adds the proposals waiting for a province's office:

    # province/apps.py, in ready()
    worklist.register(province_tasks)

A source is a function ``(*, user, organization, today) -> list[Task]``; like the inbox's
own, it runs a fixed number of queries whatever the number of rows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Task:
    """One line of the inbox. ``key`` names the kind of work (for tests and styling)."""

    key: str
    label: str
    url: str
    count: int = 0
    deadline: date | None = None
    progress: str = ""


Source = Callable[..., list[Task]]

_sources: list[Source] = []


def register(source: Source) -> Source:
    """Add ``source``'s lines to every user's work list; registering twice is a no-op."""
    if source not in _sources:
        _sources.append(source)
    return source


def from_apps(*, user, organization, today: date) -> list[Task]:
    """The lines of every registered source for ``user`` in ``organization``."""
    return [
        task
        for source in _sources
        for task in source(user=user, organization=organization, today=today)
    ]
