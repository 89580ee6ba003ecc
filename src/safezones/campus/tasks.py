from django.tasks import task

from safezones.campus.alerts import escalate_due


@task()
def check_escalation(incident_id: str) -> int:
    return escalate_due(incident_id=incident_id)
