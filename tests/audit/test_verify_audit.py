import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from safezones.audit.actions import record
from safezones.audit.models import AppendOnlyError, AuditEvent


@pytest.fixture
def chain(db):
    for n in range(5):
        record(None, f"test.action_{n}", object_type="test.thing", object_id=str(n))
    return list(AuditEvent.objects.order_by("seq"))


def _raw(sql, params=()):
    """Change the table the way an intruder with database access would:
    switch off the append-only guard, then write directly."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
            cursor.execute(sql, params)


def _verify():
    call_command("verify_audit")


def test_an_intact_chain_verifies(chain, capsys):
    _verify()
    assert "Audit log intact: 5 events." in capsys.readouterr().out


def test_it_catches_an_edited_event(chain):
    _raw("UPDATE audit_auditevent SET action = %s WHERE seq = 3", ["test.innocent"])
    with pytest.raises(CommandError, match=r"#3: changed"):
        _verify()


def test_it_catches_an_edited_actor(chain):
    _raw("UPDATE audit_auditevent SET actor = %s WHERE seq = 2", ["someone.else@example.org"])
    with pytest.raises(CommandError, match=r"#2: changed"):
        _verify()


def test_it_catches_a_removed_event(chain):
    _raw("DELETE FROM audit_auditevent WHERE seq = 2")
    with pytest.raises(CommandError, match=r"#2: missing"):
        _verify()


def test_it_catches_events_cut_from_the_end(chain):
    _raw("DELETE FROM audit_auditevent WHERE seq >= 4")
    with pytest.raises(CommandError, match=r"#4: missing"):
        _verify()


def test_it_catches_reordered_events(chain):
    # Swap the sequence numbers of events 2 and 3 (through a free number).
    _raw("UPDATE audit_auditevent SET seq = 1000 WHERE seq = 2")
    _raw("UPDATE audit_auditevent SET seq = 2 WHERE seq = 3")
    _raw("UPDATE audit_auditevent SET seq = 3 WHERE seq = 1000")
    with pytest.raises(CommandError, match=r"#2: removed or reordered"):
        _verify()


def test_it_catches_a_renumbered_event_even_with_a_recomputed_hash(chain):
    # Changing a field and its own hash still breaks the link to the next event.
    from safezones.audit.chain import event_hash

    event = AuditEvent.objects.values().get(seq=3)
    event["action"] = "test.innocent"
    forged = event_hash(event["prev_hash"], event)
    _raw("UPDATE audit_auditevent SET action = %s, hash = %s WHERE seq = 3", ["test.innocent", forged])
    with pytest.raises(CommandError, match=r"#4: removed or reordered"):
        _verify()


def test_events_cannot_be_changed_or_deleted_through_the_application(chain):
    event = chain[0]
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(seq=1).update(action="changed")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_a_direct_update(chain):
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE seq = 1")


def _record_then_fail():
    with transaction.atomic():
        record(None, "test.doomed")
        raise RuntimeError


def test_an_event_rolls_back_with_its_transaction(db):
    with pytest.raises(RuntimeError):
        _record_then_fail()
    assert not AuditEvent.objects.filter(action="test.doomed").exists()
    record(None, "test.kept")
    _verify()
