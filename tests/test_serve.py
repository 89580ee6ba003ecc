import os
import signal
import socket
import subprocess
import sys
import time

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False)
    return [int(line) for line in out.stdout.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(sys.platform != "linux", reason="the parent-death signal is a Linux feature")
def test_killing_the_supervisor_leaves_no_server_or_worker_behind(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safezones.settings",
        "SAFEZONES_DATA_DIR": str(tmp_path),
        "SAFEZONES_HTTPS": "false",
        "SECRET_KEY": "x" * 64,
    }
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "safezones.cli", "prepare"], env=env, check=True, timeout=120)
    port = _free_port()
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "safezones.cli", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        children: list[int] = []
        while time.monotonic() < deadline and len(children) < 3:
            time.sleep(0.2)
            children = _children(supervisor.pid)
        assert len(children) == 3, "the web server, the worker and the periodic jobs should all start"
        supervisor.send_signal(signal.SIGKILL)
        supervisor.wait(timeout=10)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(pid) for pid in children):
            time.sleep(0.2)
        assert not any(_alive(pid) for pid in children)
    finally:
        for pid in [supervisor.pid, *_children(supervisor.pid)]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.django_db
def test_the_tasks_a_killed_worker_had_claimed_are_queued_again_and_no_others():
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from safezones.management.commands.serve import release_tasks_of
    from safezones.outbox.tasks import deliver

    claimed = {}
    for worker in ("serve-1-dead", "serve-1-alive"):
        result = DBTaskResult.objects.get(id=deliver.enqueue("00000000-0000-0000-0000-000000000000").id)
        result.claim(worker)
        claimed[worker] = result.pk
    finished = DBTaskResult.objects.get(id=deliver.enqueue("00000000-0000-0000-0000-000000000001").id)
    finished.claim("serve-1-dead")
    DBTaskResult.objects.filter(pk=finished.pk).update(status=TaskResultStatus.SUCCESSFUL)

    assert release_tasks_of("serve-1-dead") == 1
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[claimed["serve-1-dead"]] == TaskResultStatus.READY
    assert statuses[claimed["serve-1-alive"]] == TaskResultStatus.RUNNING
    assert statuses[finished.pk] == TaskResultStatus.SUCCESSFUL
    assert DBTaskResult.objects.ready().filter(pk=claimed["serve-1-dead"]).exists()
    assert release_tasks_of("serve-1-dead") == 0


def test_a_lost_database_leaves_the_dead_workers_tasks_for_the_next_turn(monkeypatch):
    """The worker dies because the database went away; the supervisor must
    not die with it, and releases the tasks once the database answers."""
    from io import StringIO

    from django.db import OperationalError

    from safezones.management.commands import serve

    answers: list[int | Exception] = [OperationalError("connection refused"), 2, 0]
    asked: list[str] = []

    def release(worker_id: str) -> int:
        asked.append(worker_id)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(serve, "release_tasks_of", release)
    command = serve.Command(stdout=StringIO(), stderr=StringIO())
    dead = ["serve-1-first", "serve-1-second"]
    command._release(dead)
    assert dead == ["serve-1-first", "serve-1-second"]  # nothing lost while the database is away
    command._release(dead)
    assert dead == []
    assert asked == ["serve-1-first", "serve-1-first", "serve-1-second"]
    assert "2 task(s)" in command.stderr.getvalue()
