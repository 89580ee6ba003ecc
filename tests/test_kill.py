"""Nothing is lost: while families file reports, the web server is killed with
SIGKILL again and again. Every report that was answered 201 is there and
readable afterwards, and no retry filed anything twice."""

import json
import os
import secrets
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests.deploy.test_production_processes import (
    HOST,
    Process,
    base_environment,
    free_port,
    safezones,
    throwaway_database,
)

REPORTS = 200
KILLS = 5
DEADLINE_SECONDS = 120


def _environment(tmp_path: Path, database_url: str) -> dict[str, str]:
    return base_environment(tmp_path) | {
        "SAFEZONES_HTTPS": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": database_url,
        "SMTP_URL": f"smtp://{HOST}:9",  # nothing listens: mail waits in the outbox
        "FAMILY_SUBMISSIONS_PER_HOUR": "1000000",
        "RECEIPT_LOOKUPS_PER_MINUTE": "1000000",
    }


def _server(tmp_path: Path, env: dict[str, str], port: int, round_: int) -> Process:
    command = [sys.executable, "-m", "gunicorn", "safezones.wsgi", "--bind", f"{HOST}:{port}", "--workers", "2"]
    command += ["--no-control-socket", "--graceful-timeout", "1"]
    server = Process(f"web-{round_}", command, env, tmp_path, tmp_path / f"web-{round_}.log").start()
    server.wait_for_output("Booting worker")
    return server


def _post(port: int, path: str, body: Mapping[str, object]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        f"http://{HOST}:{port}{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback only
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {}


def _file_until_answered(port: int, key: str, receipts: dict[str, str], stop: threading.Event) -> None:
    body = {
        "school": "K1",
        "language": "es",
        "kind": "other",
        "description": f"kill test {key}",
        "idempotency_key": key,
    }
    while not stop.is_set():
        try:
            status, answer = _post(port, "/api/v1/family/reports", body)
        except OSError:
            status, answer = 0, {}  # the server was killed mid-request: retry with the same key
        if status == 201:
            receipts[key] = str(answer["receipt"])
            return
        time.sleep(0.05)


def test_killed_servers_lose_nothing_and_file_nothing_twice(tmp_path: Path) -> None:
    with throwaway_database(tmp_path) as database_url:
        env = _environment(tmp_path, database_url)
        for step in (["prepare"], ["set-district", "--name", "Kill Test", "--time-zone", "UTC"]):
            assert safezones(*step, env=env, cwd=tmp_path).returncode == 0
        (tmp_path / "schools.csv").write_text("code,name,area\nK1,Kill School,Kill Area\n")
        assert safezones("import-schools", str(tmp_path / "schools.csv"), env=env, cwd=tmp_path).returncode == 0

        port, stop = free_port(), threading.Event()
        receipts: dict[str, str] = {}
        keys = [f"kill-{n:04d}-{secrets.token_hex(8)}" for n in range(REPORTS)]
        server = _server(tmp_path, env, port, 0)

        def file_every_report() -> None:
            for key in keys:
                _file_until_answered(port, key, receipts, stop)

        family = threading.Thread(target=file_every_report)
        family.start()
        try:
            for round_ in range(1, KILLS + 1):
                time.sleep(0.6)
                assert server.popen is not None
                os.killpg(server.popen.pid, signal.SIGKILL)
                server.popen.wait(timeout=10)
                server = _server(tmp_path, env, port, round_)
            family.join(timeout=DEADLINE_SECONDS)
            assert not family.is_alive(), "the submissions did not finish in time"
            assert len(receipts) == REPORTS

            for key, receipt in receipts.items():
                status, answer = _post(port, "/api/v1/family/cases/lookup", {"receipt": receipt})
                assert status == 200, f"the report filed with {key} cannot be read"
                assert answer["messages"][0]["text"] == f"kill test {key}"
            count = safezones(
                "shell",
                "-c",
                "from safezones.families.models import FamilyCase; print(FamilyCase.objects.count())",
                env=env,
                cwd=tmp_path,
            )
            last_line = count.stdout.strip().splitlines()[-1]  # the shell may first list what it imported
            assert last_line == str(REPORTS), "a retry filed a report twice, or one went missing"
        finally:
            stop.set()
            family.join(timeout=10)
            server.stop()
