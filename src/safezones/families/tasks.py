from django.tasks import task

from safezones.families import actions
from safezones.outbox.actions import NOTICE_PRIORITY

# Above the notices' own deliveries: the worker takes tasks of one priority in
# order of their time, and a task queued to run now sorts after every scheduled
# one that has come due. Telling a case's offices costs a few milliseconds and
# writes their notices; at the notices' priority it waited behind each due
# retry of the notices already waiting (thousands after a mail outage).
TELL_PRIORITY = NOTICE_PRIORITY + 1


@task(priority=TELL_PRIORITY)
def tell_offices(case_id: str) -> int:
    """Queue the notices of a case just filed; how many were queued."""
    return actions.tell_offices(case_id)
