from django.db import migrations

from models_registry.migrations._reference import ensure_fields


def add_fields(apps, schema_editor):
    ensure_fields(apps.get_model("models_registry", "Field"))


def add_trigram_index(apps, schema_editor):
    # Accent-insensitive search is a substring match on search_text; on PostgreSQL a
    # trigram index keeps it fast on large tables. SQLite scans, which is fine for one ward.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS registration_search_trgm "
        "ON models_registry_registration USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS registration_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("models_registry", "0001_initial")]

    operations = [
        migrations.RunPython(add_fields, migrations.RunPython.noop),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
