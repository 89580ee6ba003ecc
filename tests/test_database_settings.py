import copy

import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper


@pytest.mark.django_db
def test_the_embedded_database_is_durable(tmp_path):
    """SQLite as `make run` configures it: WAL, synchronous=FULL, writers queue."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the suite runs on PostgreSQL; the SQLite settings are checked in the SQLite run")
    config = copy.deepcopy(settings.DATABASES["default"])
    config["NAME"] = str(tmp_path / "durable.sqlite3")
    wrapper = DatabaseWrapper(dict(config), alias="durability-check")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 2  # FULL
            cursor.execute("PRAGMA secure_delete")
            assert cursor.fetchone()[0] == 1
        assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    finally:
        wrapper.close()


def test_postgresql_commits_synchronously(db):
    if connection.vendor != "postgresql":
        pytest.skip("checked in the PostgreSQL run")
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
