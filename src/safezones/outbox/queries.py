from django.db.models import QuerySet

from safezones.outbox.models import OutgoingMessage


def undelivered_messages() -> QuerySet[OutgoingMessage]:
    return OutgoingMessage.objects.filter(status=OutgoingMessage.Status.FAILED).order_by("-created_at")[:100]
