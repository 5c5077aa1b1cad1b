from django.db import migrations

# The reference rows are seeded by 0004_reference_2025, once their fields exist.


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = []
