from django.db import migrations


def seed(apps, schema_editor):
    from danvan.documents.migrations._citations import ensure_citations

    ensure_citations(apps.get_model("documents", "Citation"))


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_numbering_sequences_replacements_citations")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
