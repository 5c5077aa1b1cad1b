"""PostgreSQL with rollback hooks (danvan.db.rollback)."""

from django.db.backends.postgresql import base

from danvan.db.rollback import RollbackHooks


class DatabaseWrapper(RollbackHooks, base.DatabaseWrapper):
    pass
