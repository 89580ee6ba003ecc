"""Filing a family case, and what a family sees with its receipt.

A case is filed in one transaction with its keys; the receipt is shown once
and never stored. With a retry token (the idempotency key), a repeat of the
same submission gets the same receipt back and creates nothing new.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from safezones.accounts.offices import offices_of_school
from safezones.audit.actions import record
from safezones.families.attachments import CleanFile, discard_file
from safezones.families.attachments import store as store_attachment
from safezones.families.models import Attachment, CaseKey, FamilyCase, ReceiptSalt, Resource, Status
from safezones.families.notices import new_case_notices
from safezones.families.sealing import open_content, open_message, seal_content, write_message
from safezones.lib import crypto, ratelimit, receipts
from safezones.lib.dates import add_school_days
from safezones.outbox.actions import NOTICE_PRIORITY, queue_emails
from safezones.schools import access
from safezones.schools.models import School

if TYPE_CHECKING:
    from safezones.accounts.models import User

ROLE = "family"


class RetryExpiredError(Exception):
    """A repeat of a submission whose retry window has closed."""


@dataclass(frozen=True)
class Filed:
    case: FamilyCase
    receipt: str
    created: bool


@dataclass(frozen=True)
class CaseMessageView:
    author: str
    sent_on: date
    text: str


@dataclass(frozen=True)
class FamilyView:
    kind: str
    status: str
    received_on: date
    updated_on: date
    content: dict[str, Any]
    messages: list[CaseMessageView] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(dict(Status.choices).get(self.status, self.status))


@dataclass(frozen=True)
class Submission:
    kind: str
    school: School
    language: str
    content: dict[str, Any]  # everything the family wrote; encrypted
    needs: list[str] = field(default_factory=list)
    report_kind: str = ""
    contact: str = "none"
    idempotency_key: str | None = None
    attachments: tuple[CleanFile, ...] = ()
    counted: ratelimit.Window | None = None  # the client's submission limit, counted as the case is filed


def submission_window(client: str) -> ratelimit.Window:
    """A client's count of filed requests and reports this hour."""
    return ratelimit.window("family-submit", client, settings.FAMILY_SUBMISSIONS_PER_HOUR, 3600)


def file_case(submission: Submission) -> Filed:
    """File the case, or hand back the receipt of the same submission filed
    before. Raises TooManyAttemptsError, with nothing written or counted, when
    the client's window (`submission.counted`) is already full."""
    token, salt = submission.idempotency_key, _installation_salt()
    if token is not None and (repeat := _repeat(token, salt)) is not None:
        return repeat
    receipt = receipts.new_receipt()
    try:
        case = _create(submission, receipt, salt)
    except IntegrityError:
        if token is not None and (repeat := _repeat(token, salt)) is not None:
            return repeat  # the same submission, committed a moment ago by a parallel retry
        raise
    return Filed(case=case, receipt=receipt, created=True)


def _create(submission: Submission, receipt: str, salt: bytes) -> FamilyCase:
    """Everything is read, sealed and written out first; the transaction then
    only inserts, so on SQLite the write lock is held as briefly as it can be."""
    today = timezone.localdate()
    data_key, token = crypto.new_key(), submission.idempotency_key
    district = submission.school.area.district
    acknowledge_days, resolve_days = district.acknowledge_school_days, district.resolve_school_days
    case = FamilyCase(
        kind=submission.kind,
        school=submission.school,
        language=submission.language,
        needs=submission.needs,
        report_kind=submission.report_kind,
        contact=submission.contact,
        received_on=today,
        updated_on=today,
        receipt_digest=crypto.digest(receipts.normalize(receipt) or receipt, salt, "receipt"),
        idempotency_digest=crypto.digest(token, salt, "idempotency") if token else None,
        salt=crypto.new_salt(),
        acknowledge_by=add_school_days(today, acknowledge_days),
        resolve_by=add_school_days(today, resolve_days),
    )
    case.family_sealed_key = crypto.encrypt(_family_key(receipt, case), data_key, f"case:{case.id}:family-key")
    case.content = seal_content(data_key, case, submission.content)
    if token:
        case.retry_receipt = crypto.encrypt(_retry_key(token, case), receipt.encode(), f"case:{case.id}:retry")
    offices = _path(case)
    keys = [
        CaseKey(case=case, office=office, sealed_key=crypto.seal(bytes(office.public_key), data_key))
        for office in offices
    ]
    written: list[Attachment] = []
    counted: ratelimit.Window | None = None
    try:
        with transaction.atomic():
            case.save(force_insert=True)
            CaseKey.objects.bulk_create(keys)
            # The offices are told by the worker once this commits (a task written
            # here commits with the case), so the family does not wait while each
            # member is looked up and an e-mail written for them.
            from safezones.families.tasks import tell_offices as tell_offices_task

            tell_offices_task.enqueue(str(case.pk))
            # Last, so that the rows they lock (the client's count and the head of
            # the audit chain) are held only until the commit that follows.
            if submission.counted is not None:
                over = submission.counted.add() > submission.counted.limit
                counted = submission.counted  # counted: to be taken back should the case not commit
                if over:
                    raise ratelimit.TooManyAttemptsError  # rolls the case and the count back
            for clean in submission.attachments:
                written.append(store_attachment(case, data_key, clean))
            record(None, f"family_case.{case.kind}", case, role=ROLE, school_code=case.school.code)
    except BaseException:
        # The rows went with the transaction; the files written in it, and a
        # count kept outside it, go too.
        for attachment in written:
            discard_file(attachment)
        if counted is not None:
            counted.take_back()
        raise
    return case


def tell_offices(case_id: str) -> int:
    """Queue the notices of a new case to the members of the offices that may
    open it, once: a second run (a task run twice, or the periodic job beside
    the task) finds the case told and queues nothing. Returns how many were queued."""
    with transaction.atomic():
        case = (
            FamilyCase.objects.select_for_update(of=("self",))
            .select_related("school__area")
            .filter(pk=case_id, offices_told=False)
            .first()
        )
        if case is None:
            return 0
        offices = [office for office in _path(case) if access.may_open_case(office, case)]
        # The flag commits with the notices, so none is queued while it is unset.
        queued = queue_emails(new_case_notices(case, offices), new=True, priority=NOTICE_PRIORITY)
        case.offices_told = True
        case.save(update_fields=["offices_told"])
    return len(queued)


def tell_untold_offices() -> int:
    """Tell the offices of every case whose task was lost (a worker stopped
    in the middle of it); safe to run often. Returns how many cases were untold."""
    untold = list(FamilyCase.objects.filter(offices_told=False).values_list("pk", flat=True))
    for case_id in untold:
        tell_offices(str(case_id))
    return len(untold)


def _path(case: FamilyCase) -> list[Any]:
    """The offices that may read the case. A report about a school never
    reaches that school; a request starts there."""
    if case.kind == FamilyCase.Kind.REPORT:
        return offices_of_school(case.school, ["area", "district"])
    return offices_of_school(case.school, ["school", "area", "district"])


def family_view(receipt_text: str) -> FamilyView | None:
    """What the holder of a receipt may see; None for anything else, the same
    way every time."""
    opened = _open_by_receipt(receipt_text)
    if opened is None:
        return None
    case, data_key = opened
    messages = [
        CaseMessageView(message.author, message.sent_on, open_message(data_key, case, message))
        for message in case.messages.filter(internal=False)
    ]
    return FamilyView(case.kind, case.status, case.received_on, case.updated_on, open_content(data_key, case), messages)


def add_family_message(receipt_text: str, text: str) -> bool:
    """More information from the family, through its receipt. False when the
    receipt matches nothing (the caller answers the same generic way)."""
    opened = _open_by_receipt(receipt_text)
    if opened is None:
        return False
    case, data_key = opened
    with transaction.atomic():
        write_message(data_key, case, author="family", text=text)
        record(None, "family_case.family_message", case, role=ROLE, school_code=case.school.code)
    return True


def _open_by_receipt(receipt_text: str) -> tuple[FamilyCase, bytes] | None:
    """The case a receipt belongs to and its key, or None."""
    digits = receipts.normalize(receipt_text)
    digest = crypto.digest(digits or "not a receipt", _installation_salt(), "receipt")
    case = FamilyCase.objects.filter(receipt_digest=digest).first()
    if case is None or digits is None:
        _spend_like_a_lookup()
        return None
    sealed = bytes(case.family_sealed_key)
    return case, crypto.decrypt(_family_key(digits, case), sealed, f"case:{case.id}:family-key")


def _spend_like_a_lookup() -> None:
    # A wrong receipt costs about what a right one does, so timing tells nothing.
    key = crypto.new_key()
    crypto.decrypt(key, crypto.encrypt(key, b"x" * 256, "balance"), "balance")


def _repeat(idempotency_key: str, salt: bytes) -> Filed | None:
    case = FamilyCase.objects.filter(idempotency_digest=crypto.digest(idempotency_key, salt, "idempotency")).first()
    if case is None:
        return None
    return Filed(case=case, receipt=_receipt_for_retry(case, idempotency_key), created=False)


def _receipt_for_retry(case: FamilyCase, idempotency_key: str) -> str:
    if case.retry_receipt is None:
        raise RetryExpiredError
    receipt = crypto.decrypt(_retry_key(idempotency_key, case), bytes(case.retry_receipt), f"case:{case.id}:retry")
    return receipt.decode()


def _retry_key(idempotency_key: str, case: FamilyCase) -> bytes:
    return crypto.derive_key(idempotency_key, bytes(case.salt), "retry")


def _family_key(receipt: str, case: FamilyCase) -> bytes:
    digits = receipts.normalize(receipt) or receipt
    return crypto.derive_key(digits, bytes(case.salt), "family")


def _installation_salt() -> bytes:
    """The key of receipt and retry-token digests. It never changes once
    written, so a process reads it once."""
    if (kept := _KEPT.get("salt")) is not None:
        return kept
    row = ReceiptSalt.objects.first()
    if row is None:  # not kept yet: the transaction that writes it might still roll back
        row, _ = ReceiptSalt.objects.get_or_create(pk=1, defaults={"salt": crypto.new_salt()})
        return bytes(row.salt)
    _KEPT["salt"] = bytes(row.salt)
    return _KEPT["salt"]


_KEPT: dict[str, bytes] = {}


def forget_kept_salt() -> None:
    _KEPT.clear()


# --- The resource directory, managed by the district office -------------------------------


def add_resource(user: "User | None", role: str, values: dict[str, Any]) -> Resource:
    """A new entry in the directory; `values` are the model's fields, with
    `areas` as a list of areas (empty: every area)."""
    fields = dict(values)
    areas = fields.pop("areas", [])
    with transaction.atomic():
        resource = Resource.objects.create(**fields)
        resource.areas.set(areas)
        record(user, "resource.add", resource, role=role)
    return resource


def change_resource(user: "User | None", role: str, resource: Resource, values: dict[str, Any]) -> Resource:
    fields = dict(values)
    areas = fields.pop("areas", None)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(resource, name, value)
        resource.save()
        if areas is not None:
            resource.areas.set(areas)
        record(user, "resource.change", resource, role=role)
    return resource


def verify_resource(user: "User | None", role: str, resource: Resource, today: date) -> None:
    """Someone at the district checked the entry today (a phone call, its website)."""
    with transaction.atomic():
        resource.last_verified = today
        resource.save(update_fields=["last_verified"])
        record(user, "resource.verify", resource, role=role)


def remove_resource(user: "User | None", role: str, resource: Resource) -> None:
    with transaction.atomic():
        record(user, "resource.remove", resource, role=role)
        resource.delete()


def import_resources(user: "User | None", role: str, rows: list[dict[str, Any]]) -> tuple[int, int]:
    """Add or update entries by kind and name from checked rows, all in one
    transaction; (created, updated)."""
    created = updated = 0
    with transaction.atomic():
        for values in rows:
            fields = dict(values)
            areas = fields.pop("areas")
            resource, was_created = Resource.objects.update_or_create(
                kind=fields["kind"], name=fields["name"], defaults=fields
            )
            resource.areas.set(areas)
            created, updated = created + was_created, updated + (not was_created)
        record(user, "resources.import", object_type="families.resource", object_id=f"{len(rows)} rows", role=role)
    return created, updated
