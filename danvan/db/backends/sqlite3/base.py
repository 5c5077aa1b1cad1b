"""SQLite with rollback hooks (danvan.db.rollback)."""

from django.db.backends.sqlite3 import base

from danvan.db.rollback import RollbackHooks


class DatabaseWrapper(RollbackHooks, base.DatabaseWrapper):
    pass
