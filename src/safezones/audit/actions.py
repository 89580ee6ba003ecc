"""`record()`: the only way an audit event is written.

Every change in the system writes an event, so this is on the hot path of
everything (a family's report among it). The event is written in plain SQL:
two statements on PostgreSQL and three on SQLite, against a select, an
insert and an update built by the ORM each time, which cost more to build
than to run.
"""

from functools import cache
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils import timezone

from safezones.audit.chain import FIELDS, GENESIS, event_hash
from safezones.audit.models import AuditEvent, AuditHead

if TYPE_CHECKING:
    from safezones.accounts.models import User

COLUMNS = (*FIELDS, "prev_hash", "hash")


def record(
    actor: "User | None",
    action: str,
    target: models.Model | None = None,
    *,
    role: str = "",
    school_code: str = "",
    object_type: str = "",
    object_id: str = "",
) -> None:
    """Append one event. Call it inside the transaction of the change it records,
    so the event and the change commit or roll back together."""
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
    # No savepoint of its own: an event that fails takes the change down with it.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        seq, prev_hash = _take_next(cursor)
        fields = {
            "seq": seq,
            "at": timezone.now(),
            "actor_id": actor.pk if actor is not None else None,
            "actor": actor.email if actor is not None else "",
            "role": str(role),
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "school_code": school_code,
        }
        digest = event_hash(prev_hash, fields)
        values = [
            field.get_db_prep_save(value, connection)
            for field, value in zip(_fields(), [*(fields[name] for name in FIELDS), prev_hash, digest], strict=True)
        ]
        statements = _statements(connection.vendor)
        if statements.append_and_move:  # one round trip: the event and the head's new hash
            cursor.execute(statements.append_and_move, [*values, digest])
        else:
            cursor.execute(statements.append, values)
            cursor.execute(statements.move, [digest])


def _take_next(cursor: Any) -> tuple[int, str]:
    """The next sequence number and the hash of the event before it. The head's
    row stays locked until the commit, so writers queue and the chain never forks."""
    take = _statements(connection.vendor).take
    cursor.execute(take)
    row = cursor.fetchone()
    if row is None:  # the first event ever
        AuditHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS})
        cursor.execute(take)
        row = cursor.fetchone()
    return int(row[0]), str(row[1])


class _Statements:
    def __init__(self, vendor: str) -> None:
        quote = connection.ops.quote_name
        event, head = quote(AuditEvent._meta.db_table), quote(AuditHead._meta.db_table)
        seq, hash_, id_ = quote("seq"), quote("hash"), quote("id")
        columns = ", ".join(quote(name) for name in COLUMNS)
        placeholders = ", ".join(["%s"] * len(COLUMNS))
        # RETURNING gives the row after the update: the new seq, and the hash
        # not yet changed, which is the hash of the event before.
        self.take = f"UPDATE {head} SET {seq} = {seq} + 1 WHERE {id_} = 1 RETURNING {seq}, {hash_}"  # noqa: S608
        self.append = f"INSERT INTO {event} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names, no values
        self.move = f"UPDATE {head} SET {hash_} = %s WHERE {id_} = 1"  # noqa: S608 - names, no values
        self.append_and_move = f"WITH appended AS ({self.append}) {self.move}" if vendor == "postgresql" else ""


@cache
def _statements(vendor: str) -> _Statements:
    return _Statements(vendor)


@cache
def _fields() -> list[models.Field[Any, Any]]:
    return [AuditEvent._meta.get_field(name) for name in COLUMNS]  # type: ignore[misc]
