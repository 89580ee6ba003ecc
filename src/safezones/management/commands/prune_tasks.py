"""Delete the worker's records of background tasks a week after they
finished. The worker keeps a row for every task it runs (several for each
family case and incident); without this the table would only grow."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

KEEP_FINISHED = timedelta(days=7)


class Command(BaseCommand):
    help = "Delete the records of background tasks that finished more than 7 days ago."

    def handle(self, *args: Any, **options: Any) -> None:
        finished = DBTaskResult.objects.filter(
            status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
            finished_at__lt=timezone.now() - KEEP_FINISHED,
        )
        deleted, _ = finished.delete()
        self.stdout.write(f"{deleted} finished task record(s) deleted.")
