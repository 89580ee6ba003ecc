from django.tasks import task

from safezones.outbox.actions import Postman, deliver_message


@task()
def deliver(message_id: str, *more_ids: str) -> str:
    """Send one message, or several in turn over one connection to the mail
    server; each is sent once and retried on its own. Their statuses,
    comma-separated."""
    with Postman() as postman:
        return ",".join(deliver_message(pk, postman) for pk in (message_id, *more_ids))
