"""Messages waiting to leave, written in the same transaction as the event
that causes them, so a message is never lost and never sent for an event that
did not happen. They carry a notice and a link, never case content."""

import uuid

from django.db import models
from django.tasks.base import DEFAULT_TASK_PRIORITY
from django.utils import timezone


class OutgoingMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        SENT = "sent"
        FAILED = "failed"

    class Channel(models.TextChoices):
        EMAIL = "email"
        # A JSON POST, signed, to the district's text or voice provider or its
        # mass-notification system; `recipient` is the address named in the body.
        WEBHOOK = "webhook"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    dedupe_key = models.CharField(max_length=200, unique=True)
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=200, blank=True)
    # The priority of every task that delivers it, the first and each retry:
    # alerts keep the default, notices of family cases go behind them.
    priority = models.SmallIntegerField(default=DEFAULT_TASK_PRIORITY)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            # The messages waiting on a way out after a failure, found each
            # time a message goes through (outbox/actions.py).
            models.Index(fields=["status", "channel", "last_error"], name="outbox_waiting_after_failure"),
        ]

    def __str__(self) -> str:
        return f"{self.status} message {self.id}"
