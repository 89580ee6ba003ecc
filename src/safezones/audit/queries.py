from collections.abc import Iterator
from typing import Any

from safezones.audit.chain import FIELDS, GENESIS, Break, find_break
from safezones.audit.models import AuditEvent, AuditHead


def verify_chain() -> tuple[int, Break | None]:
    """How many events there are, and the first break in the chain if any."""
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    return head_seq, find_break(_events(), head_seq, head_hash)


def _events() -> Iterator[dict[str, Any]]:
    columns = (*FIELDS, "prev_hash", "hash")
    for row in AuditEvent.objects.order_by("seq").values_list(*columns).iterator(chunk_size=2000):
        yield dict(zip(columns, row, strict=True))
