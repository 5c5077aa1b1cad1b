"""Rollback hooks: what Django's ``transaction.on_commit`` is for a commit, ``on_rollback``
is for a rollback. The portal's database backends (danvan.db.backends.*) add them, so that
files written during a transaction are removed as soon as it rolls back, explicitly.

A hook registered inside a savepoint runs when that savepoint (or any transaction around
it) rolls back; it is dropped when the outermost transaction commits. Outside a
transaction nothing can roll back, and the hook is not kept.
"""

import logging
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)


class RollbackHooks:
    """Mixed into a DatabaseWrapper."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.run_on_rollback: list[tuple[set, Callable[[], None]]] = []

    def on_rollback(self, func: Callable[[], None]) -> None:
        if self.in_atomic_block:
            self.run_on_rollback.append((set(self.savepoint_ids), func))

    def _run_rollback_hooks(self, hooks) -> None:
        for _sids, func in hooks:
            try:
                func()
            except Exception:  # pragma: no cover - a hook must not hide the rollback
                logger.exception("A rollback hook failed")

    def rollback(self):
        hooks, self.run_on_rollback = self.run_on_rollback, []
        super().rollback()
        self._run_rollback_hooks(hooks)

    def savepoint_rollback(self, sid):
        super().savepoint_rollback(sid)
        undone = [hook for hook in self.run_on_rollback if sid in hook[0]]
        self.run_on_rollback = [hook for hook in self.run_on_rollback if sid not in hook[0]]
        self._run_rollback_hooks(undone)

    def commit(self):
        super().commit()
        self.run_on_rollback = []


def on_rollback(func: Callable[[], None], using: str = DEFAULT_DB_ALIAS) -> None:
    """Run ``func`` if the current transaction (or savepoint) rolls back."""
    connection = connections[using]
    if not hasattr(connection, "on_rollback"):
        raise RuntimeError(
            "The database ENGINE must be one of danvan.db.backends (see settings.py)."
        )
    connection.on_rollback(func)
