"""Run queued tasks inside the test, as the database worker would.

The real `db_worker` process is exercised in tests/deploy; here tasks run in
the test's own transaction (the worker command would close the test's
database connection on PostgreSQL)."""

from collections.abc import Collection
from importlib import import_module

from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def run_ready_tasks(only: Collection[str] = ()) -> list[str]:
    """Run every task whose time has come (of the paths in `only`, when given),
    once; returns their paths."""
    ran = []
    ready = DBTaskResult.objects.ready().order_by("enqueued_at")
    for result in ready.filter(task_path__in=only) if only else ready:
        module, name = result.task_path.rsplit(".", 1)
        task = getattr(import_module(module), name)
        task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        DBTaskResult.objects.filter(pk=result.pk).update(status=TaskResultStatus.SUCCESSFUL)
        ran.append(result.task_path)
    return ran


TELL_OFFICES = "safezones.families.tasks.tell_offices"


def tell_offices() -> int:
    """What the worker does first after a family case is filed: queue the
    notices to its offices. How many cases it told."""
    return len(run_ready_tasks([TELL_OFFICES]))


def deliver_when_due(message_id: str) -> str:
    """Deliver a message as the retry scheduled for it does once its time has
    come: its next attempt is moved to now instead of being waited for."""
    from django.utils import timezone

    from safezones.outbox.actions import deliver_message
    from safezones.outbox.models import OutgoingMessage

    OutgoingMessage.objects.filter(pk=message_id).update(next_attempt_at=timezone.now())
    return deliver_message(message_id)
