"""Missed deadlines move a case up by itself: the first missed deadline
brings in the next office, the second the one after. Each step is recorded
and the offices that may now open the case are told (without content)."""

from datetime import date

from django.db import transaction

from safezones.audit.actions import record
from safezones.families.models import CaseKey, FamilyCase, Status
from safezones.families.notices import notify_escalation
from safezones.schools import access

DONE = (Status.RESOLVED, Status.CLOSED)
TOP_LEVEL = 2


def missed_deadlines(case: FamilyCase, today: date) -> int:
    missed = 0
    if case.status == Status.RECEIVED and case.acknowledge_by and case.acknowledge_by < today:
        missed += 1
    if case.resolve_by and case.resolve_by < today:
        missed += 1
    return missed


def escalate_overdue(today: date) -> int:
    escalated = 0
    open_cases = FamilyCase.objects.exclude(status__in=DONE).filter(content_destroyed_on__isnull=True)
    for case in open_cases.select_related("school").iterator():
        level = min(TOP_LEVEL, max(missed_deadlines(case, today), case.escalation_level))
        if level > case.escalation_level:
            _escalate(case, level)
            escalated += 1
    return escalated


def _escalate(case: FamilyCase, level: int) -> None:
    with transaction.atomic():
        case.escalation_level = level
        case.save(update_fields=["escalation_level"])
        record(None, f"family_case.escalated.{level}", case, role="system", school_code=case.school.code)
        keys = CaseKey.objects.filter(case=case).select_related("office", "office__school", "office__area")
        offices = [key.office for key in keys if access.may_open_case(key.office, case)]
        notify_escalation(case, offices, level)
