import threading

import pytest
from django.db import connection, connections

from safezones.audit.actions import record
from safezones.audit.models import AuditEvent
from safezones.audit.queries import verify_chain

WRITERS, EVENTS_EACH = 4, 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers by its file lock; the row lock matters on PostgreSQL")
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(EVENTS_EACH):
                record(None, "test.concurrent", object_id=f"{n}-{i}")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert AuditEvent.objects.count() == WRITERS * EVENTS_EACH
    assert verify_chain() == (WRITERS * EVENTS_EACH, None)
