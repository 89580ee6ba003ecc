from django.tasks import task

from safezones.outbox.actions import deliver_message


@task()
def deliver(message_id: str) -> str:
    return deliver_message(message_id)
