"""Queueing and delivering e-mail through the outbox."""

import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from safezones.outbox.models import OutgoingMessage

MAX_ATTEMPTS = 8
FIRST_DELAY_SECONDS = 30


def queue_email(dedupe_key: str, recipient: str, subject: str, body: str) -> OutgoingMessage | None:
    """Write the message now (inside the caller's transaction); the worker
    sends it after commit. The same dedupe key is queued only once."""
    try:
        with transaction.atomic():
            message = OutgoingMessage.objects.create(
                dedupe_key=dedupe_key, recipient=recipient, subject=subject, body=body
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _enqueue(message))
    return message


def _enqueue(message: OutgoingMessage, delay: timedelta | None = None) -> None:
    from safezones.outbox.tasks import deliver

    task = deliver.using(run_after=timezone.now() + delay) if delay else deliver
    task.enqueue(str(message.pk))


def deliver_message(message_id: str) -> str:
    """Send one message unless it was sent already; on failure, try again later
    with a growing delay, and after the last try mark it failed for the district
    office to see. Returns the message's status."""
    with transaction.atomic():
        message = OutgoingMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != OutgoingMessage.Status.PENDING:
            return message.status if message else "missing"
        message.attempts += 1
        try:
            _send(message)
        except (smtplib.SMTPException, OSError) as error:
            return _failed_attempt(message, error)
        message.status, message.sent_at, message.last_error = OutgoingMessage.Status.SENT, timezone.now(), ""
        message.save(update_fields=["status", "sent_at", "attempts", "last_error"])
        return message.status


def _send(message: OutgoingMessage) -> None:
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        # The same id on every attempt lets a mail server drop a repeat.
        headers={"Message-ID": f"<{message.pk}@safezones>"},
    )
    email.send(fail_silently=False)


def _failed_attempt(message: OutgoingMessage, error: Exception) -> str:
    message.last_error = type(error).__name__[:200]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = OutgoingMessage.Status.FAILED
    else:
        delay = timedelta(seconds=FIRST_DELAY_SECONDS * 2 ** (message.attempts - 1))
        message.next_attempt_at = timezone.now() + delay
        transaction.on_commit(lambda: _enqueue(message, delay))
    message.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
    return message.status


def retry_due() -> int:
    """Re-enqueue pending messages whose time has come (after a worker restart
    or a lost task); safe to run often."""
    due = OutgoingMessage.objects.filter(status=OutgoingMessage.Status.PENDING, next_attempt_at__lte=timezone.now())
    count = 0
    for message in due.iterator():
        _enqueue(message)
        count += 1
    return count
