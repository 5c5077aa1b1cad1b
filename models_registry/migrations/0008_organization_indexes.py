from django.db import migrations, models


def organization_trigram_index(apps, schema_editor):
    # Search within one organisation: a trigram index that leads with the organisation
    # (btree_gin lets a GIN index hold the integer column), so a common word in the
    # whole country's registrations costs no more than in one ward's. SQLite scans.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS registration_org_search_trgm ON models_registry_registration "
        "USING gin (organization_id, search_text gin_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS registration_search_trgm")


def whole_table_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS registration_search_trgm "
        "ON models_registry_registration USING gin (search_text gin_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS registration_org_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("models_registry", "0007_registration_form_ownership_and_level")]

    operations = [
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["organization", "-updated_at"], name="registration_org_updated"),
        ),
        migrations.RunPython(organization_trigram_index, whole_table_trigram_index),
    ]
