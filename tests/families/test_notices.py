"""Who is told of a new family case: each active member of each office on
its path, once, whatever offices they are in."""

import json
from io import StringIO

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from safezones.accounts.actions import grant_role, set_active
from safezones.accounts.offices import offices_of_school
from safezones.families.actions import tell_offices as tell_offices_now
from safezones.families.actions import tell_untold_offices
from safezones.families.models import FamilyCase
from safezones.management.commands.run_periodic import JOBS
from safezones.outbox.models import OutgoingMessage
from safezones.schools import access
from safezones.schools.models import Role
from tests.conftest import make_user
from tests.worker import TELL_OFFICES, tell_offices

REPORT = {"school": "SA", "language": "es", "kind": "not_posted", "description": "canary-notice-7730"}


def test_a_report_tells_each_member_of_its_offices_once(cast):
    grant_role(None, "test", cast.area_1_office, Role.DISTRICT_OFFICE)  # in both offices on the path
    make_user("dora@district.test", Role.DISTRICT_OFFICE)
    gone = make_user("gil@district.test", Role.DISTRICT_OFFICE)
    set_active(None, "test", gone, False)
    make_user("cy@area2.test", Role.AREA_OFFICE, area=cast.area_2_office.memberships.get().area)

    response = Client().post("/api/v1/family/reports", json.dumps(REPORT), content_type="application/json")
    assert response.status_code == 201
    assert not OutgoingMessage.objects.exists()  # the worker tells them, once the case has committed
    assert tell_offices() == 1

    told = sorted(OutgoingMessage.objects.values_list("recipient", flat=True))
    assert told == ["carla@area1.test", "dana@district.test", "dora@district.test"]
    carla = OutgoingMessage.objects.get(recipient="carla@area1.test")
    assert "Area office" in carla.body  # named after the first office on the path she is in
    assert "canary-notice-7730" not in "".join(OutgoingMessage.objects.values_list("body", flat=True))


def test_the_members_of_several_offices_are_read_in_one_query(cast):
    offices = offices_of_school(cast.school_a, ["school", "area", "district"])
    assert [office.kind for office in offices] == ["school", "area", "district"]
    with CaptureQueriesContext(connection) as queries:
        pairs = access.members_of_offices(offices)
        names = [str(office) for office, _member in pairs]
    assert len(queries) == 1
    assert [(office.kind, member.email) for office, member in pairs] == [
        ("school", "ana@a.test"),
        ("area", "carla@area1.test"),
        ("district", "dana@district.test"),
    ]
    for office in offices:  # the same people office_members names, office by office
        members = access.office_members(office.kind, office.school, office.area)
        assert {member.email for o, member in pairs if o == office} == {member.email for member in members}
    assert names == [str(office) for office in offices]  # school and area names came with the offices


def test_the_notices_of_a_case_are_one_task_that_commits_with_them(cast):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from safezones.outbox.actions import Email, queue_emails

    response = Client().post("/api/v1/family/reports", json.dumps(REPORT), content_type="application/json")
    assert response.status_code == 201
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [TELL_OFFICES]
    assert tell_offices() == 1
    task = DBTaskResult.objects.exclude(task_path=TELL_OFFICES).get()
    assert task.task_path == "safezones.outbox.tasks.deliver"
    assert sorted(task.args_kwargs["args"]) == sorted(
        str(pk) for pk in OutgoingMessage.objects.values_list("pk", flat=True)
    )

    class UndoneError(Exception):
        pass

    try:
        with transaction.atomic():
            queue_emails([Email("test:undone:1", "x@a.test", "s", "b"), Email("test:undone:2", "y@a.test", "s", "b")])
            raise UndoneError
    except UndoneError:
        pass
    assert DBTaskResult.objects.count() == 2
    assert not OutgoingMessage.objects.filter(dedupe_key__startswith="test:undone:").exists()


def test_a_case_is_told_once_however_often_its_task_runs(cast):
    response = Client().post("/api/v1/family/reports", json.dumps(REPORT), content_type="application/json")
    assert response.status_code == 201
    case = FamilyCase.objects.get()
    assert not case.offices_told
    assert tell_offices_now(str(case.pk)) == 2  # carla (area) and dana (district)
    assert tell_offices_now(str(case.pk)) == 0  # the same task again, run by a second worker
    assert tell_untold_offices() == 0
    case.refresh_from_db()
    assert case.offices_told
    assert OutgoingMessage.objects.count() == 2


def test_the_periodic_job_tells_the_offices_of_a_case_whose_task_was_lost(cast):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    response = Client().post("/api/v1/family/reports", json.dumps(REPORT), content_type="application/json")
    assert response.status_code == 201
    DBTaskResult.objects.all().delete()  # a worker stopped in the middle of it

    assert "tell_offices" in JOBS  # one of the periodic jobs
    out = StringIO()
    call_command("tell_offices", stdout=out)
    assert "1 case(s) whose offices were not told yet." in out.getvalue()
    assert sorted(OutgoingMessage.objects.values_list("recipient", flat=True)) == [
        "carla@area1.test",
        "dana@district.test",
    ]
    assert FamilyCase.objects.get().offices_told
    call_command("tell_offices", stdout=StringIO())
    assert OutgoingMessage.objects.count() == 2  # told once


def test_an_alert_goes_before_the_notices_of_family_cases_filed_ahead_of_it(cast, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from safezones.campus.actions import start_incident

    for _ in range(3):
        response = Client().post("/api/v1/family/reports", json.dumps(REPORT), content_type="application/json")
        assert response.status_code == 201
    assert tell_offices() == 3  # the notices wait for delivery, queued before the alert
    with django_capture_on_commit_callbacks(execute=True):
        start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    alerts = OutgoingMessage.objects.filter(dedupe_key__startswith="alert:")
    alert_ids = {str(pk) for pk in alerts.values_list("pk", flat=True)}
    assert alert_ids
    # The order in which the worker takes ready tasks: the alert first, however
    # many family notices were queued before it.
    first = DBTaskResult.objects.ready().first()
    assert first is not None
    assert first.task_path == "safezones.outbox.tasks.deliver"
    assert set(first.args_kwargs["args"]) <= alert_ids


def test_a_new_case_is_told_before_the_due_retries_of_notices_waiting_in_a_backlog(cast):
    from datetime import timedelta

    from django.tasks.base import DEFAULT_TASK_PRIORITY
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from safezones.outbox.actions import NOTICE_PRIORITY
    from safezones.outbox.tasks import deliver

    # A retry scheduled during a mail outage, whose time has come.
    deliver.using(priority=NOTICE_PRIORITY, run_after=timezone.now() - timedelta(minutes=1)).enqueue("retry")
    response = Client().post("/api/v1/family/reports", json.dumps(REPORT), content_type="application/json")
    assert response.status_code == 201
    # The worker takes ready tasks in this order: the new case's offices are
    # told (which queues their notices) before the retry runs.
    first = DBTaskResult.objects.ready().first()
    assert first is not None
    assert first.task_path == TELL_OFFICES
    # An alert (at the default priority) still goes before both.
    assert NOTICE_PRIORITY < first.priority < DEFAULT_TASK_PRIORITY
