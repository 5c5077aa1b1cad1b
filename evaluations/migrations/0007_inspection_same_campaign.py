"""A round inspects only its own campaign's models, enforced by the database.

An inspection's round and registration each belong to a campaign, and the two must be
the same one. A foreign key cannot say so (the campaign is not a column of the
inspection), so triggers refuse an inspection whose registration is of another campaign
than its round, and a change of a round's or a registration's campaign that would leave
one behind. The refusal is an integrity error (SQLSTATE 23514 on PostgreSQL, a constraint
failure on SQLite), whatever wrote the row: the services, the back office, a bulk insert.
"""

from django.db import migrations

NAME = "inspection_same_campaign"
MESSAGE = f"{NAME}: an inspection and its round must be of one campaign"

# Rows that break the rule (a query both databases run).
BROKEN = """
SELECT COUNT(*) FROM evaluations_inspection i
JOIN evaluations_round r ON r.id = i.round_id
JOIN models_registry_registration g ON g.id = i.registration_id
WHERE g.campaign_id <> r.campaign_id
"""

# For an inspection row NEW: is its registration of another campaign than its round?
MISMATCH = """
EXISTS (
    SELECT 1 FROM evaluations_round r, models_registry_registration g
    WHERE r.id = NEW.round_id AND g.id = NEW.registration_id
      AND g.campaign_id <> r.campaign_id
)
"""
# For a round or registration row NEW whose campaign changed: an inspection left behind?
ROUND_LEAVES = """
EXISTS (
    SELECT 1 FROM evaluations_inspection i
    JOIN models_registry_registration g ON g.id = i.registration_id
    WHERE i.round_id = NEW.id AND g.campaign_id <> NEW.campaign_id
)
"""
REGISTRATION_LEAVES = """
EXISTS (
    SELECT 1 FROM evaluations_inspection i
    JOIN evaluations_round r ON r.id = i.round_id
    WHERE i.registration_id = NEW.id AND r.campaign_id <> NEW.campaign_id
)
"""

# (table, the columns whose change is checked, the test)
CHECKS = (
    ("evaluations_inspection", ("round_id", "registration_id"), MISMATCH),
    ("evaluations_round", ("campaign_id",), ROUND_LEAVES),
    ("models_registry_registration", ("campaign_id",), REGISTRATION_LEAVES),
)


def _postgresql(table, columns, test):
    function = f"{table}_{NAME}"
    return [
        f"""
        CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF {test} THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$
        """,
        f"""
        CREATE TRIGGER {function} BEFORE INSERT OR UPDATE OF {", ".join(columns)}
        ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()
        """,
    ]


def _sqlite(table, columns, test):
    trigger = f"{table}_{NAME}"
    body = f"WHEN {test} BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {NAME}'); END"
    return [
        f"CREATE TRIGGER {trigger}_insert BEFORE INSERT ON {table} FOR EACH ROW {body}",
        f"CREATE TRIGGER {trigger}_update BEFORE UPDATE OF {', '.join(columns)} "
        f"ON {table} FOR EACH ROW {body}",
    ]


def create(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(BROKEN)
        (broken,) = cursor.fetchone()
    if broken:
        raise RuntimeError(
            f"{broken} inspections have a registration of another campaign than their "
            "round; correct or remove them before this migration."
        )
    build = _postgresql if connection.vendor == "postgresql" else _sqlite
    for check in CHECKS:
        for statement in build(*check):
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for table, _columns, _test in CHECKS:
        name = f"{table}_{NAME}"
        if postgresql:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_insert")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_update")


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0006_inspection_self_draft"),
        ("models_registry", "0013_phone_numbers"),
    ]

    operations = [migrations.RunPython(create, drop)]
