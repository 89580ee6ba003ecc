"""Published protocol versions and incident timelines cannot be changed in the
database itself: PostgreSQL refuses UPDATE and DELETE of their rows, SQLite
refuses UPDATE (as for the audit log)."""

from django.db import migrations

TABLES = ("campus_protocolversion", "campus_timelineentry")


def _postgres(table: str) -> list[str]:
    return [
        f"""
        CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION '{table} rows are never changed';
        END;
        $$ LANGUAGE plpgsql;
        """,
        f"""
        CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
        """,
    ]


def _sqlite(table: str) -> list[str]:
    return [
        f"""
        CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, '{table} rows are never changed'); END;
        """
    ]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    make = {"postgresql": _postgres, "sqlite": _sqlite}.get(schema_editor.connection.vendor)
    for table in TABLES if make else ():
        for statement in make(table):  # type: ignore[misc]
            schema_editor.execute(statement)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for table in TABLES:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_append_only();")
        elif schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")


class Migration(migrations.Migration):
    dependencies = [("campus", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
