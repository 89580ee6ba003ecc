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
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

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
        commands = {"web": self._gunicorn(options["bind"], options["workers"])}
        if not options["no_worker"]:
            commands["worker"] = [sys.executable, "-m", "safezones.cli", "db_worker", "--queue-name", "*"]
            commands["periodic"] = [sys.executable, "-m", "safezones.cli", "run_periodic", "--every", "900"]
        self._banner(options["bind"])
        self._supervise(commands)

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

    def _supervise(self, commands: dict[str, list[str]]) -> None:
        children = {name: _start(command) for name, command in commands.items()}
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping:
            time.sleep(0.5)
            for name, child in children.items():
                if child.poll() is not None and not stopping:
                    self.stderr.write(f"The {name} process stopped (exit {child.returncode}); restarting it.")
                    time.sleep(RESTART_DELAY)
                    children[name] = _start(commands[name])
        for child in children.values():
            child.terminate()
        for child in children.values():
            try:
                child.wait(timeout=25)
            except subprocess.TimeoutExpired:
                child.kill()


def _start(command: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, preexec_fn=_stop_with_parent if sys.platform == "linux" else None)  # noqa: PLW1509


def _stop_with_parent() -> None:
    """Ask Linux to send SIGTERM to the child if this supervisor dies, even by
    SIGKILL, so no server or worker is left behind."""
    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
