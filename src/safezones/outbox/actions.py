"""Queueing and delivering e-mail and webhooks through the outbox."""

import json
import smtplib
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from itertools import batched
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.tasks.base import DEFAULT_TASK_PRIORITY
from django.utils import timezone

from safezones.lib.crypto import sign_webhook
from safezones.outbox.models import OutgoingMessage

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_tasks_db.models import DBTaskResult

WEBHOOK_SETTINGS = {"alert": "ALERT_WEBHOOK_URL", "notice": "NOTICE_WEBHOOK_URL"}


class WebhookError(OSError):
    """The receiver did not answer 2xx."""


MAX_ATTEMPTS = 8
FIRST_DELAY_SECONDS = 30
# The worker takes higher priorities first. Alerts (agents at a campus) keep
# the default; notices to staff of family cases go behind them, so a spike
# of family submissions never delays an alert.
NOTICE_PRIORITY = -10
# Messages handed to the worker together (after an outage, by the safety
# net) go as tasks of this many each: a backlog of thousands is a few dozen
# task rows, not thousands.
BATCH_SIZE = 50
# A task this close to its message's time counts as on time: the clocks of
# workers on several machines differ a little, and a message brought forward
# by one must not look early to another.
EARLY_MARGIN = timedelta(seconds=5)


def queue_email(dedupe_key: str, recipient: str, subject: str, body: str) -> OutgoingMessage | None:
    """Write the message now (inside the caller's transaction); the worker
    sends it once that commits. The same dedupe key is queued only once."""
    queued = queue_emails([Email(dedupe_key, recipient, subject, body)])
    return queued[0] if queued else None


@dataclass(frozen=True)
class Email:
    dedupe_key: str
    recipient: str
    subject: str
    body: str


def queue_emails(
    emails: Iterable[Email], *, new: bool = False, priority: int = DEFAULT_TASK_PRIORITY
) -> list[OutgoingMessage]:
    """Like queue_email for the messages of one event (a notice to each member
    of several offices), handed to the worker as one task. The task is written
    in the caller's transaction beside the messages, so it commits or rolls
    back with them and costs no commit of its own. Returns those queued now.

    `new` says the caller knows none of the messages can be queued already
    (their event commits with them, and the caller holds it locked, as a new
    case's notices with the flag that says they were queued): they are
    written without looking for them first. `priority` is that of every
    task that delivers them, retries included (NOTICE_PRIORITY for notices
    that may wait behind alerts)."""
    wanted = {email.dedupe_key: email for email in emails}
    known = (
        set()
        if new or not wanted
        else set(OutgoingMessage.objects.filter(dedupe_key__in=wanted).values_list("dedupe_key", flat=True))
    )
    messages = [
        OutgoingMessage(
            dedupe_key=email.dedupe_key,
            recipient=email.recipient,
            subject=email.subject,
            body=email.body,
            priority=priority,
        )
        for key, email in wanted.items()
        if key not in known
    ]
    if not messages:
        return []
    if new:
        queued = OutgoingMessage.objects.bulk_create(messages)  # a clash here is a fault: it rolls the event back
    else:
        try:
            with transaction.atomic():
                queued = OutgoingMessage.objects.bulk_create(messages)
        except IntegrityError:  # one was queued by a parallel transaction a moment ago: one at a time
            queued = [message for message in messages if _insert_unless_queued(message)]
    if queued:
        from safezones.outbox.tasks import deliver

        deliver.using(priority=priority).enqueue(*(str(message.pk) for message in queued))
    return queued


def _insert_unless_queued(message: OutgoingMessage) -> bool:
    try:
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        return False
    return True


def queue_webhook(dedupe_key: str, target: str, event: str, payload: dict[str, Any]) -> OutgoingMessage | None:
    """Like queue_email, for a signed JSON post to the webhook named by target
    ("alert" or "notice"). Nothing is queued when that webhook is not set."""
    if not getattr(settings, WEBHOOK_SETTINGS[target]):
        return None
    body = json.dumps({"event": event, **payload}, ensure_ascii=False, sort_keys=True)
    try:
        with transaction.atomic():
            message = OutgoingMessage.objects.create(
                dedupe_key=dedupe_key,
                channel=OutgoingMessage.Channel.WEBHOOK,
                recipient=target,
                subject=event,
                body=body,
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _enqueue(message))
    return message


def _enqueue(message: OutgoingMessage, run_after: datetime | None = None) -> None:
    from safezones.outbox.tasks import deliver

    deliver.using(priority=message.priority, run_after=run_after).enqueue(str(message.pk))


def _enqueue_batches(messages: Iterable[tuple[Any, int]]) -> int:
    """Hand (id, priority) pairs to the worker as tasks of BATCH_SIZE
    messages, the highest priority first, written in one transaction.
    Returns how many messages."""
    from safezones.outbox.tasks import deliver

    by_priority: dict[int, list[str]] = {}
    for pk, priority in messages:
        by_priority.setdefault(priority, []).append(str(pk))
    with transaction.atomic():
        for priority in sorted(by_priority, reverse=True):
            for batch in batched(by_priority[priority], BATCH_SIZE):
                deliver.using(priority=priority).enqueue(*batch)
    return sum(len(ids) for ids in by_priority.values())


class Postman:
    """The way out for the messages of one task. One connection to the mail
    server, opened for the first e-mail and kept for the others, then
    closed: a new connection for each message cost the worker and the mail
    server more than the message itself. When the mail server cannot be
    reached, the task's other e-mails fail at once with the same error
    instead of each waiting out its own time-out, so that no task holds the
    worker (and the alerts queued behind it) for long."""

    def __init__(self) -> None:
        self._mailer: Any = None
        self._unreachable: OSError | None = None

    def __enter__(self) -> "Postman":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def send(self, email: EmailMessage) -> None:
        if self._unreachable is not None:
            raise self._unreachable.with_traceback(None)
        if self._mailer is None:
            mailer = mailers.default
            try:
                mailer.open()
            except OSError as error:  # smtplib's errors are OSErrors too
                self._unreachable = error
                raise
            self._mailer = mailer
        try:
            self._mailer.send_messages([email])
        except OSError:
            self.close()  # the next e-mail starts on a fresh connection
            raise

    def close(self) -> None:
        mailer, self._mailer = self._mailer, None
        if mailer is not None:
            with suppress(OSError):
                mailer.close()


def deliver_message(message_id: str, postman: Postman | None = None) -> str:
    """Send one message unless it was sent already; on failure, try again later
    with a growing delay, and after the last try mark it failed for the district
    office to see. Returns the message's status. `postman` is the task's way
    out, shared by its messages (a new one for this message alone if none).

    A task that comes before the message's time does nothing: a repeat, or
    one queued again while it waited, leaves it to the task scheduled for
    that time. Repeats therefore never add attempts or retries of their own,
    however many a backlog or a restart has queued."""
    with transaction.atomic():
        message = OutgoingMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != OutgoingMessage.Status.PENDING:
            return message.status if message else "missing"
        if message.next_attempt_at > timezone.now() + EARLY_MARGIN:
            return message.status
        message.attempts += 1
        try:
            if postman is None:
                with Postman() as own:
                    _send(message, own)
            else:
                _send(message, postman)
        except (smtplib.SMTPException, OSError) as error:
            return _failed_attempt(message, error)
        message.status, message.sent_at, message.last_error = OutgoingMessage.Status.SENT, timezone.now(), ""
        message.save(update_fields=["status", "sent_at", "attempts", "last_error"])
        _bring_forward_after(message)
        return message.status


def _bring_forward_after(message: OutgoingMessage) -> None:
    """A message has just gone through, so its way out (the mail server, or
    this webhook) works: every other message waiting on the same way after a
    failure goes now, in tasks of BATCH_SIZE over one connection each, instead
    of at its backoff time (many minutes away after a long outage, an alert
    among them) or one task and one connection at a time behind the retries
    that came due while the way was down. The tasks those messages were
    waiting for are dropped, as the batches cover them. Each message still
    goes once: delivery checks the status under a lock.

    A message counts as waiting after a failure while its last error is set;
    bringing it forward clears it, so the next message through finds only
    those that failed since. Should the worker stop between this commit and
    the queueing of the batches, the periodic net finds the messages due with
    no task and queues them."""
    waiting = OutgoingMessage.objects.filter(
        status=OutgoingMessage.Status.PENDING, channel=message.channel, last_error__gt=""
    ).exclude(pk=message.pk)
    if message.channel == OutgoingMessage.Channel.WEBHOOK:
        waiting = waiting.filter(recipient=message.recipient)
    found = list(waiting.values_list("pk", "priority"))
    if not found:
        return
    now = timezone.now()
    for chunk in batched([pk for pk, _ in found], 500):
        OutgoingMessage.objects.filter(pk__in=chunk).update(next_attempt_at=now, last_error="")
    _drop_tasks_covering({str(pk) for pk, _ in found})
    transaction.on_commit(partial(_enqueue_batches, found))


def _drop_tasks_covering(ids: set[str]) -> None:
    """Delete the delivery tasks still waiting whose messages are all among
    `ids`. A task a worker has claimed meanwhile is no longer waiting and is
    left alone (on PostgreSQL the delete waits for the claim's commit, then
    finds the task running)."""
    queued = _queued_deliveries()
    covered = [pk for pk, args_kwargs in queued.values_list("pk", "args_kwargs") if set(args_kwargs["args"]) <= ids]
    for chunk in batched(covered, 500):
        queued.filter(pk__in=chunk).delete()


def _send(message: OutgoingMessage, postman: Postman) -> None:
    if message.channel == OutgoingMessage.Channel.WEBHOOK:
        _post(message)
        return
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        # The same id on every attempt lets a mail server drop a repeat.
        headers={"Message-ID": f"<{message.pk}@safezones>"},
    )
    postman.send(email)


def _post(message: OutgoingMessage) -> None:
    url = getattr(settings, WEBHOOK_SETTINGS[message.recipient]) or ""
    if not url.startswith(("http://", "https://")):
        raise WebhookError("webhook not configured")
    body = message.body.encode("utf-8")
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-SafeZones-Timestamp": timestamp,
            "X-SafeZones-Signature": "sha256=" + sign_webhook(settings.WEBHOOK_SECRET, timestamp, body),
            "Idempotency-Key": str(message.pk),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        raise WebhookError(f"HTTP {error.code}") from None
    if not 200 <= status < 300:
        raise WebhookError(f"HTTP {status}")


def _failed_attempt(message: OutgoingMessage, error: Exception) -> str:
    message.last_error = (str(error) if isinstance(error, WebhookError) else type(error).__name__)[:200]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = OutgoingMessage.Status.FAILED
    else:
        delay = timedelta(seconds=FIRST_DELAY_SECONDS * 2 ** (message.attempts - 1))
        message.next_attempt_at = timezone.now() + delay
        transaction.on_commit(lambda: _enqueue(message, run_after=message.next_attempt_at))
    message.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
    return message.status


def retry_due() -> int:
    """Queue again the pending messages whose time has come and that no task
    is waiting to deliver (the task was lost: a worker stopped between a
    commit and the enqueue after it, or while it was running the task).
    Safe to run often: a message whose task is only waiting in a backlog is
    left to it, so the net never adds to a backlog it cannot shorten.
    Returns how many messages were queued."""
    due = OutgoingMessage.objects.filter(status=OutgoingMessage.Status.PENDING, next_attempt_at__lte=timezone.now())
    waiting = _waiting_for_a_task()
    return _enqueue_batches(
        (pk, priority) for pk, priority in due.values_list("pk", "priority") if str(pk) not in waiting
    )


def _waiting_for_a_task() -> set[str]:
    """The ids of the messages a queued delivery task will deliver (or try
    again) when it runs."""
    queued = _queued_deliveries().values_list("args_kwargs", flat=True)
    return {str(pk) for args_kwargs in queued for pk in args_kwargs["args"]}


def _queued_deliveries() -> "QuerySet[DBTaskResult[..., str]]":
    """The delivery tasks waiting for a worker (scheduled ones included)."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from safezones.outbox.tasks import deliver

    return DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=deliver.module_path)
