"""Campus response in the demo district: the default protocol, each school's
call-down list, a drill and a past incident with its notices, and a records
request waiting for the legal office. Every name is invented, and the demo
sends no mail for this made-up history."""

from datetime import timedelta

from django.utils import timezone

from safezones.accounts.models import User
from safezones.campus import actions, alerts, notices, records
from safezones.campus.calldown import ensure_call_down
from safezones.campus.models import Incident
from safezones.outbox.models import OutgoingMessage
from safezones.schools.models import District, School

WARRANT = (
    "DEPARTMENT OF HOMELAND SECURITY\nU.S. Immigration and Customs Enforcement\n"
    "WARRANT FOR ARREST OF ALIEN\nForm I-200\nTo any immigration officer: arrest Demo Person.\n"
    "Signed: Supervisory Deportation Officer (invented)"
)


def load_demo_campus(district: District) -> None:
    started = timezone.now()
    actions.current_protocol(district)
    for school in School.objects.filter(area__district=district):
        ensure_call_down(school)
    staff = User.objects.get(email="staff@demo.safezones.test")
    principal = User.objects.get(email="principal@demo.safezones.test")
    district_office = User.objects.get(email="district@demo.safezones.test")
    school = School.objects.get(code="N101")
    _drill(staff, principal, school)
    _past_incident(staff, principal, district_office, school)
    records.log_request(
        staff,
        "site_staff",
        school,
        {"how": "phone", "requester": "Caller who said they were from ICE", "sought": "whereabouts"},
    )
    OutgoingMessage.objects.filter(created_at__gte=started).delete()


def _drill(staff: User, principal: User, school: School) -> None:
    drill, _ = actions.start_incident(staff, "site_staff", school, "on_campus", drill=True)
    actions.add_entry(staff, "site_staff", drill, "checked", data={"step": "greet", "item": "asked-to-wait"})
    alerts.acknowledge(principal, "site_admin", drill)
    actions.set_status(principal, "site_admin", drill, "closed", "no_access")
    Incident.objects.filter(pk=drill.pk).update(started_at=timezone.now() - timedelta(days=21))


def _past_incident(staff: User, principal: User, district_office: User, school: School) -> None:
    from safezones.campus.doccheck import check_text

    incident, _ = actions.start_incident(staff, "site_staff", school, "on_campus")
    alerts.acknowledge(principal, "site_admin", incident)
    actions.record_agent(
        staff, "site_staff", incident, {"name": "Agent A. Example", "badge": "0000", "agency": "ICE (invented)"}
    )
    actions.record_document(staff, "site_staff", incident, WARRANT, check_text(WARRANT, "en").to_json())
    for kind in ("agents_present", "agents_departed"):
        notice = notices.request_notice(principal, "site_admin", incident, kind)
        notices.approve_notice(district_office, "district_office", notice)
    actions.set_status(principal, "site_admin", incident, "closed", "no_access")
    Incident.objects.filter(pk=incident.pk).update(started_at=timezone.now() - timedelta(days=7))
