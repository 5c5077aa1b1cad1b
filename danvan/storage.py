"""Files written during a database transaction that must not outlive its rollback."""

import logging
import weakref

from django.core.files.base import ContentFile, File
from django.db import transaction

logger = logging.getLogger(__name__)


class FilesOfTransaction:
    """Files saved for a transaction, deleted again unless that transaction commits.

    Django has no rollback hook, but it drops the on-commit callbacks of a transaction
    (or savepoint) that rolls back. Registered with ``on_commit`` (``keep_on_commit``),
    this object is called on commit and the files stay; on rollback it is dropped
    uncalled and its finalizer deletes the files. Dropped before registration (an error),
    the same happens.
    """

    def __init__(self, storage):
        self.storage = storage
        self.names: list[str] = []
        self.state = {"committed": False}
        weakref.finalize(self, _delete_unless_committed, storage, self.names, self.state)

    def save(self, name: str, content: bytes | File) -> str:
        """Store ``content`` under (a free variant of) ``name``; returns the stored name."""
        saved = self.storage.save(
            name, content if isinstance(content, File) else ContentFile(content)
        )
        self.names.append(saved)
        return saved

    def keep_on_commit(self) -> None:
        """Keep the files if, and only if, the current transaction commits."""
        transaction.on_commit(self)

    def __call__(self) -> None:
        self.state["committed"] = True


def _delete_unless_committed(storage, names: list[str], state: dict) -> None:
    if state["committed"]:
        return
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # pragma: no cover - logged, nothing else to do
            logger.exception("Could not delete %s after a rollback", name)
