"""Files written during a database transaction that must not outlive its rollback."""

import logging

from django.core.files.base import ContentFile, File

from danvan.db.rollback import on_rollback

logger = logging.getLogger(__name__)


class FilesOfTransaction:
    """Files stored for the current transaction, deleted again if it rolls back.

    Each file is registered with the database's rollback hook when it is saved
    (``danvan.db.rollback``): if the transaction, or the savepoint it was saved in, rolls
    back, the file is deleted there and then. Outside a transaction nothing can roll
    back and the file simply stays. ``discard`` deletes the files at once, for a caller
    that gives up before anything refers to them.
    """

    def __init__(self, storage):
        self.storage = storage
        self.names: list[str] = []

    def save(self, name: str, content: bytes | File) -> str:
        """Store ``content`` under (a free variant of) ``name``; returns the stored name."""
        saved = self.storage.save(
            name, content if isinstance(content, File) else ContentFile(content)
        )
        self.names.append(saved)
        on_rollback(lambda: self._delete(saved))
        return saved

    def discard(self) -> None:
        """Delete every file stored so far."""
        for name in self.names:
            self._delete(name)

    def _delete(self, name: str) -> None:
        try:
            self.storage.delete(name)
        except OSError:  # pragma: no cover - logged, nothing else to do
            logger.exception("Could not delete %s after a rollback", name)
