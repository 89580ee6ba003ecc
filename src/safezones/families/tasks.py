from django.tasks import task

from safezones.families import actions


@task()
def tell_offices(case_id: str) -> int:
    """Queue the notices of a case just filed; how many were queued."""
    return actions.tell_offices(case_id)
