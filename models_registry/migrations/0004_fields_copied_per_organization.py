"""Every organisation gets its own copy of the installation-wide fields, and its
registrations point at its copies; the shared rows then go."""

from django.db import migrations


def copy_per_organization(apps, schema_editor):
    Field = apps.get_model("models_registry", "Field")
    Organization = apps.get_model("accounts", "Organization")
    Registration = apps.get_model("models_registry", "Registration")
    shared = list(Field.objects.filter(organization__isnull=True))
    for organization in Organization.objects.all():
        for old in shared:
            new = Field.objects.create(
                organization=organization,
                code=old.code,
                name=old.name,
                name_en=old.name_en,
                position=old.position,
                is_active=old.is_active,
            )
            Registration.objects.filter(organization=organization, field_id=old.pk).update(
                field_id=new.pk
            )
    Field.objects.filter(organization__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_organization_numbering_and_offices"),
        ("models_registry", "0003_field_organization"),
    ]

    operations = [migrations.RunPython(copy_per_organization, migrations.RunPython.noop)]
