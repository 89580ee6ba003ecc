from django.tasks import task

from safezones.outbox.actions import deliver_message


@task()
def deliver(message_id: str, *more_ids: str) -> str:
    """Send one message, or the messages of one event in turn; each is sent
    once and retried on its own. Their statuses, comma-separated."""
    return ",".join(deliver_message(pk) for pk in (message_id, *more_ids))
