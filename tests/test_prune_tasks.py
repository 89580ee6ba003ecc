"""The worker's records of finished tasks are deleted a week on; tasks not
yet run, running, or finished lately stay."""

from datetime import timedelta

from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from safezones.management.commands.run_periodic import JOBS
from safezones.outbox.tasks import deliver


def _task(status: str, finished_days_ago: float | None) -> str:
    result = deliver.enqueue("00000000-0000-0000-0000-000000000000")
    finished = None if finished_days_ago is None else timezone.now() - timedelta(days=finished_days_ago)
    DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=finished)
    return str(result.id)


def test_finished_task_records_go_after_a_week_and_the_rest_stay(db, capsys):
    gone = [_task(TaskResultStatus.SUCCESSFUL, 8), _task(TaskResultStatus.FAILED, 30)]
    kept = [
        _task(TaskResultStatus.SUCCESSFUL, 6),
        _task(TaskResultStatus.FAILED, 1),
        _task(TaskResultStatus.READY, None),
        _task(TaskResultStatus.RUNNING, None),
    ]
    call_command("prune_tasks")
    assert "2 finished task record(s) deleted." in capsys.readouterr().out
    assert sorted(str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)) == sorted(kept)
    assert not DBTaskResult.objects.filter(pk__in=gone).exists()
    assert "prune_tasks" in JOBS
