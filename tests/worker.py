"""Run queued tasks inside the test, as the database worker would.

The real `db_worker` process is exercised in tests/deploy; here tasks run in
the test's own transaction (the worker command would close the test's
database connection on PostgreSQL)."""

from importlib import import_module

from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def run_ready_tasks() -> list[str]:
    """Run every task whose time has come, once; returns their paths."""
    ran = []
    for result in DBTaskResult.objects.ready().order_by("enqueued_at"):
        module, name = result.task_path.rsplit(".", 1)
        task = getattr(import_module(module), name)
        task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        DBTaskResult.objects.filter(pk=result.pk).update(status=TaskResultStatus.SUCCESSFUL)
        ran.append(result.task_path)
    return ran
