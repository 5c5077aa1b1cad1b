from django.db import migrations, models

INDEXES = [
    (
        "registration",
        models.Index(
            fields=["organization", "unit", "status", "campaign", "id"], name="registration_org_unit_status"
        ),
        'ON models_registry_registration ("organization_id", "unit_id", "status", "campaign_id", "id")',
    ),
    (
        "milestone",
        models.Index(fields=["registration", "due_on"], name="milestone_registration_due"),
        'ON models_registry_milestone ("registration_id", "due_on")',
    ),
]


def build(apps, schema_editor):
    """On PostgreSQL the indexes are built CONCURRENTLY, as in 0011: a national table
    keeps taking writes while they are built. Elsewhere, the ordinary way."""
    for model_name, index, columns in INDEXES:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {index.name} {columns}")
        else:
            schema_editor.add_index(apps.get_model("models_registry", model_name), index)


def drop(apps, schema_editor):
    for model_name, index, _columns in INDEXES:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {index.name}")
        else:
            schema_editor.remove_index(apps.get_model("models_registry", model_name), index)


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("models_registry", "0011_status_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(model_name=model_name, index=index)
                for model_name, index, _columns in INDEXES
            ],
            database_operations=[migrations.RunPython(build, drop)],
        )
    ]
