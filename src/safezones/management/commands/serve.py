"""Run the web server (gunicorn) and the task worker together, as `make run` does.

In production run them as separate services instead (see docs/deploy.md);
this command is the same two processes under one supervisor, which restarts
either one if it dies and stops both on Ctrl-C or SIGTERM.
"""

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections
from django.tasks import TaskResultStatus
from django.utils.crypto import get_random_string
from django_tasks_db.models import DBTaskResult

from safezones.demo import ACCOUNTS, DEMO_PASSWORD, holds_real_data

RESTART_DELAY = 1.0


class Command(BaseCommand):
    help = "Serve Safe Zones: gunicorn web server plus the background task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
        parser.add_argument("--no-worker", action="store_true", help="web server only")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEMO_MODE and holds_real_data():
            raise CommandError("Demo mode refuses to start: this database holds real data.")
        commands: dict[str, Callable[[], list[str]]] = {
            "web": lambda: self._gunicorn(options["bind"], options["workers"])
        }
        if not options["no_worker"]:
            commands["worker"] = self._worker
            commands["periodic"] = lambda: [sys.executable, "-m", "safezones.cli", "run_periodic", "--every", "60"]
        self._banner(options["bind"])
        self._supervise(commands)

    # Each worker this supervisor starts gets its own id, so that the tasks a
    # killed one had claimed can be told apart and queued again.
    worker_id = ""

    def _worker(self) -> list[str]:
        self.worker_id = f"serve-{os.getpid()}-{get_random_string(12)}"
        return [
            sys.executable,
            "-m",
            "safezones.cli",
            "db_worker",
            "--queue-name",
            "*",
            "--interval",
            "0.2",
            "--worker-id",
            self.worker_id,
        ]

    def _gunicorn(self, bind: str, workers: int) -> list[str]:
        # No access log: client addresses and user agents are never written.
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "safezones.wsgi",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--graceful-timeout",
            "20",
            "--no-control-socket",
        ]

    def _banner(self, bind: str) -> None:
        self.stdout.write(f"Safe Zones is starting on http://{bind}/")
        if settings.DEMO_MODE:
            self.stdout.write(f"Staff sign-in: http://{bind}/accounts/sign-in/ with the password {DEMO_PASSWORD}")
            self.stdout.write("and one of these demo accounts (the second-factor page shows the demo code):")
            for account in ACCOUNTS:
                where = account.school or account.area or "district"
                self.stdout.write(f"  {account.email:<34} {account.role} ({where})")
        self.stdout.write("Press Ctrl-C to stop.")

    def _supervise(self, commands: dict[str, Callable[[], list[str]]]) -> None:
        children = {name: _start(command()) for name, command in commands.items()}
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        # Workers that died with tasks claimed, until their tasks are queued again.
        dead_workers: list[str] = []
        while not stopping:
            time.sleep(0.5)
            for name, child in children.items():
                if child.poll() is not None and not stopping:
                    self.stderr.write(f"The {name} process stopped (exit {child.returncode}); restarting it.")
                    if name == "worker":
                        dead_workers.append(self.worker_id)
                    time.sleep(RESTART_DELAY)
                    children[name] = _start(commands[name]())
            if dead_workers:
                self._release(dead_workers)
        for child in children.values():
            child.terminate()
        for child in children.values():
            try:
                child.wait(timeout=25)
            except subprocess.TimeoutExpired:
                child.kill()

    def _release(self, dead_workers: list[str]) -> None:
        """Queue again what dead workers had claimed. A worker usually dies
        because the database went away; then this waits for it to return
        (the next turn tries again), and the supervisor itself never stops."""
        while dead_workers:
            try:
                released = release_tasks_of(dead_workers[0])
            except DatabaseError:
                close_connections()
                return
            dead_workers.pop(0)
            if released:
                self.stderr.write(f"{released} task(s) a stopped worker was running are queued again.")


def close_connections() -> None:
    """The supervisor holds no connection between deaths: a broken one is
    dropped here and a fresh one opened next time."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


def release_tasks_of(worker_id: str) -> int:
    """Put the tasks a dead worker had claimed back in the queue, so they run
    now rather than when a periodic safety net notices. Every task here may
    run twice: delivery checks under a lock whether its message went already,
    and escalation looks at what is due. Returns how many were released."""
    stranded = [
        result.pk
        for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("pk", "worker_ids")
        if result.worker_ids and result.worker_ids[-1] == worker_id
    ]
    if stranded:
        DBTaskResult.objects.filter(pk__in=stranded, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
    close_connections()
    return len(stranded)


def _start(command: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, preexec_fn=_stop_with_parent if sys.platform == "linux" else None)  # noqa: PLW1509


def _stop_with_parent() -> None:
    """Ask Linux to send SIGTERM to the child if this supervisor dies, even by
    SIGKILL, so no server or worker is left behind."""
    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
