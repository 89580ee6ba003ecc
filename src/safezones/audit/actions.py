"""`record()`: the only way an audit event is written."""

from typing import TYPE_CHECKING

from django.db import models, transaction
from django.utils import timezone

from safezones.audit.chain import GENESIS, event_hash
from safezones.audit.models import AuditEvent, AuditHead

if TYPE_CHECKING:
    from safezones.accounts.models import User


def record(
    actor: "User | None",
    action: str,
    target: models.Model | None = None,
    *,
    role: str = "",
    school_code: str = "",
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Append one event. Call it inside the transaction of the change it records,
    so the event and the change commit or roll back together."""
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
    # No savepoint of its own: an event that fails takes the change down with it.
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        fields = {
            "seq": head.seq + 1,
            "at": timezone.now(),
            "actor_id": actor.pk if actor is not None else None,
            "actor": actor.email if actor is not None else "",
            "role": str(role),
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "school_code": school_code,
        }
        digest = event_hash(head.hash, fields)
        event = AuditEvent.objects.create(prev_hash=head.hash, hash=digest, **fields)
        head.seq, head.hash = event.seq, digest
        head.save(update_fields=["seq", "hash"])
    return event


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head, _ = AuditHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS})
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head
