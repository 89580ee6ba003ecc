from django.tasks import task

from safezones.families import actions
from safezones.outbox.actions import NOTICE_PRIORITY


@task(priority=NOTICE_PRIORITY)
def tell_offices(case_id: str) -> int:
    """Queue the notices of a case just filed; how many were queued."""
    return actions.tell_offices(case_id)
