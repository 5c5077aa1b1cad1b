from django.db import migrations, models

INDEX = models.Index(
    fields=["organization", "status", "-updated_at"], name="registration_org_status"
)


def build(apps, schema_editor):
    """On PostgreSQL the index is built CONCURRENTLY: a national table of registrations
    keeps taking writes while it is built. Elsewhere, the ordinary way."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS registration_org_status "
            'ON models_registry_registration ("organization_id", "status", "updated_at" DESC)'
        )
    else:
        schema_editor.add_index(apps.get_model("models_registry", "Registration"), INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS registration_org_status")
    else:
        schema_editor.remove_index(apps.get_model("models_registry", "Registration"), INDEX)


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("models_registry", "0010_late_requests")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="registration", index=INDEX)],
            database_operations=[migrations.RunPython(build, drop)],
        )
    ]
