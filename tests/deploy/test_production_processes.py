"""The production processes, started natively the way deploy/compose.yaml
starts them: `safezones prepare`, then gunicorn and the task worker, with a
production environment (HTTPS on, behind a proxy that sets
X-Forwarded-Proto). Also: bad settings stop start-up with a message that names
the variable, the deployment files only run commands that exist, the backup
script writes encrypted files that decrypt to the data and ages old ones out,
and (where nginx is installed) deploy/nginx.conf really strips client
addresses.

Nothing here uses the Django test database. The database is a throwaway one:
a SQLite file in a temporary folder, or, when DATABASE_URL points at
PostgreSQL, a fresh database on that server that is dropped afterwards.
"""

import http.client
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
HOST = "127.0.0.1"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 25.0
COMMAND_TIMEOUT = 180.0
# Sent with requests to show that no part of a request reaches any log.
CLIENT_AGENT = "deploy-test-agent/7.3 (unique-agent-marker)"
CLIENT_ADDRESS = "203.0.113.77"
POSTGRES_SCHEMES = ("postgres://", "postgresql://", "pgsql://")


# --- helpers ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def redis_answers(port: int = 6379) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def base_environment(data_dir: Path) -> dict[str, str]:
    """A clean environment: nothing leaks in from the shell or from the test
    settings except what a server would have anyway."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(data_dir),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "safezones.settings",
        "SAFEZONES_DATA_DIR": str(data_dir),
    }


def production_environment(data_dir: Path, database_url: str, redis_url: str | None) -> dict[str, str]:
    environment = base_environment(data_dir) | {
        "SAFEZONES_HTTPS": "true",
        "TRUST_X_FORWARDED_PROTO": "true",
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": database_url,
        "SMTP_URL": f"smtp://{HOST}:2525",
        "DEFAULT_FROM_EMAIL": "safezones@example.org",
        # Only so the worker can import the probe task from tests/deploy.
        "PYTHONPATH": str(REPO),
    }
    if redis_url:
        environment["REDIS_URL"] = redis_url
    return environment


def safezones(
    *args: str, env: dict[str, str], cwd: Path, timeout: float = COMMAND_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "safezones.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def postgres_server_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(POSTGRES_SCHEMES) else None


@contextmanager
def throwaway_database(folder: Path) -> Iterator[str]:
    server = postgres_server_url()
    if server is None:
        yield f"sqlite:///{folder / 'safezones.sqlite3'}"
        return
    parts = urlsplit(server)
    admin_url = urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, ""))
    name = f"safezones_deploy_{secrets.token_hex(6)}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Process:
    """A long-running child with its output in a file, stopped by its own id."""

    name: str
    command: list[str]
    env: dict[str, str]
    cwd: Path
    log: Path
    popen: subprocess.Popen[bytes] | None = field(default=None, init=False)

    def start(self) -> "Process":
        with self.log.open("wb") as output:
            self.popen = subprocess.Popen(
                self.command,
                env=self.env,
                cwd=self.cwd,
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        return self

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        if self.popen is None:
            return
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=STOP_TIMEOUT)
        # Anything the child left behind in its own session (gunicorn workers).
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)

    def wait_for_output(self, text: str, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output():
                return
            if not self.running():
                pytest.fail(f"{self.name} exited before writing {text!r}:\n{self.output()}")
            time.sleep(0.2)
        pytest.fail(f"{self.name} did not write {text!r} within {timeout} s:\n{self.output()}")


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def get(port: int, path: str, headers: dict[str, str], connection_host: str = HOST) -> Response:
    connection = http.client.HTTPConnection(connection_host, port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": HOST, "User-Agent": CLIENT_AGENT} | headers)
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()


HTTPS_VIA_PROXY = {"X-Forwarded-Proto": "https"}


@dataclass
class Stack:
    env: dict[str, str]
    data_dir: Path
    port: int
    web: Process
    worker: Process
    redis: bool

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return get(self.port, path, headers or {})

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if not self.web.running():
                pytest.fail(f"gunicorn exited at start-up:\n{self.web.output()}")
            try:
                if self.get("/healthz", HTTPS_VIA_PROXY).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        pytest.fail(f"gunicorn did not answer /healthz within {START_TIMEOUT} s:\n{self.web.output()}")


@pytest.fixture(scope="module", params=["database-cache", "redis-cache"])
def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    use_redis = request.param == "redis-cache"
    if use_redis and not redis_answers():
        pytest.skip("no Redis server answers on 127.0.0.1:6379, so the Redis variant cannot run")
    data_dir = tmp_path_factory.mktemp(f"production-{request.param}")
    with throwaway_database(data_dir) as database_url:
        env = production_environment(data_dir, database_url, f"redis://{HOST}:6379/15" if use_redis else None)
        prepared = safezones("prepare", env=env, cwd=data_dir)
        assert prepared.returncode == 0, f"safezones prepare failed:\n{prepared.stdout}\n{prepared.stderr}"

        port = free_port()
        web = Process(
            "gunicorn",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "safezones.wsgi",
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                "2",
                "--timeout",
                "60",
                "--graceful-timeout",
                "20",
                "--no-control-socket",
            ],
            env,
            data_dir,
            data_dir / "gunicorn.log",
        )
        worker = Process(
            "task worker",
            [sys.executable, "-m", "safezones.cli", "db_worker", "--queue-name", "*"],
            env,
            data_dir,
            data_dir / "worker.log",
        )
        running = Stack(env, data_dir, port, web, worker, use_redis)
        try:
            web.start()
            worker.start()
            running.wait_until_healthy()
            worker.wait_for_output("Starting worker")
            yield running
        finally:
            worker.stop()
            web.stop()


# --- the running stack ------------------------------------------------------------


def test_health_answers_ok_behind_the_proxy(stack: Stack) -> None:
    response = stack.get("/healthz", HTTPS_VIA_PROXY)

    assert response.status == 200
    assert response.headers["Content-Type"] == "application/json"
    body = json.loads(response.body)
    assert body["status"] == "ok"
    assert body["database"] == "ok"


def test_plain_http_is_redirected_to_https(stack: Stack) -> None:
    response = stack.get("/healthz")

    assert response.status == 301
    assert response.headers["Location"] == f"https://{HOST}/healthz"


def test_responses_carry_the_security_headers(stack: Stack) -> None:
    headers = stack.get("/healthz", HTTPS_VIA_PROXY).headers

    csp = headers["Content-Security-Policy"]
    assert csp is not None
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["Referrer-Policy"] == "no-referrer"
    hsts = headers["Strict-Transport-Security"]
    assert hsts is not None
    assert "max-age=63072000" in hsts
    assert "includeSubDomains" in hsts
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_a_request_for_another_host_is_refused(stack: Stack) -> None:
    response = stack.get("/healthz", HTTPS_VIA_PROXY | {"Host": "attacker.example"})

    assert response.status == 400


def test_no_client_address_or_agent_reaches_the_output(stack: Stack) -> None:
    for path in ("/healthz", "/", "/no-such-page"):
        stack.get(path, HTTPS_VIA_PROXY | {"X-Forwarded-For": CLIENT_ADDRESS, "X-Real-IP": CLIENT_ADDRESS})
        stack.get(path)
    time.sleep(0.5)

    for process in (stack.web, stack.worker):
        output = process.output()
        assert CLIENT_ADDRESS not in output
        assert CLIENT_AGENT not in output
        assert '"GET ' not in output, f"{process.name} wrote an access log line:\n{output}"
        # The only line naming 127.0.0.1 is gunicorn's own "Listening at".
        addressed = [line for line in output.splitlines() if HOST in line and "Listening at:" not in line]
        assert addressed == [], f"{process.name} wrote a client address:\n{output}"


def test_production_settings_pass_the_deploy_check(stack: Stack) -> None:
    result = safezones("check", "--deploy", "--fail-level", "WARNING", env=stack.env, cwd=stack.data_dir)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_cache_works_with_the_configured_backend(stack: Stack) -> None:
    probe = (
        "from django.core.cache import caches\n"
        "cache = caches['default']\n"
        "key = 'deploy-test-probe'\n"
        "cache.set(key, 'round trip', 30)\n"
        "print(type(cache).__name__, cache.get(key))\n"
        "cache.delete(key)\n"
    )
    result = safezones("shell", "--no-imports", "-c", probe, env=stack.env, cwd=stack.data_dir)

    assert result.returncode == 0, result.stderr
    backend = "RedisCache" if stack.redis else "DatabaseCache"
    assert result.stdout.strip() == f"{backend} round trip"


def test_the_stack_uses_the_expected_database(stack: Stack) -> None:
    probe = "from django.db import connection\nprint(connection.vendor)\n"
    result = safezones("shell", "--no-imports", "-c", probe, env=stack.env, cwd=stack.data_dir)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ("postgresql" if postgres_server_url() else "sqlite")


def test_the_worker_runs_a_queued_task(stack: Stack) -> None:
    marker = f"marker-{secrets.token_hex(4)}"
    enqueue = f"from tests.deploy.probe_task import write_marker\nwrite_marker.enqueue({marker!r})\n"
    result = safezones("shell", "--no-imports", "-c", enqueue, env=stack.env, cwd=stack.data_dir)
    assert result.returncode == 0, result.stderr

    deadline = time.monotonic() + 30
    while not (stack.data_dir / marker).exists():
        assert stack.worker.running(), stack.worker.output()
        assert time.monotonic() < deadline, f"the worker did not run the task:\n{stack.worker.output()}"
        time.sleep(0.2)


def test_the_container_health_check_script(stack: Stack) -> None:
    script = [sys.executable, str(DEPLOY / "healthcheck.py")]
    env = base_environment(stack.data_dir) | {"ALLOWED_HOSTS": HOST}

    healthy = subprocess.run(
        script,
        env=env | {"HEALTHCHECK_URL": f"http://{HOST}:{stack.port}/healthz"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    unreachable = subprocess.run(
        script,
        env=env | {"HEALTHCHECK_URL": f"http://{HOST}:{free_port()}/healthz"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    assert healthy.returncode == 0, healthy.stderr
    assert unreachable.returncode == 1
    assert "unhealthy" in unreachable.stderr


def test_both_processes_are_still_running(stack: Stack) -> None:
    assert stack.web.running(), stack.web.output()
    assert stack.worker.running(), stack.worker.output()


# --- bad settings stop start-up ---------------------------------------------------

VALID_KEY = "k" * 20 + secrets.token_urlsafe(40)


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        pytest.param({"DATABASE_URL": "mysql://x"}, "DATABASE_URL", id="database-scheme"),
        pytest.param({"SAFEZONES_HTTPS": "maybe"}, "SAFEZONES_HTTPS", id="https-not-a-boolean"),
        pytest.param({"SECRET_KEY": None}, "SECRET_KEY", id="no-secret-key"),
        pytest.param({"SECRET_KEY": None, "SECRET_KEY_FILE": "/nonexistent/key"}, "SECRET_KEY", id="no-key-file"),
        pytest.param({"SECRET_KEY": None, "SECRET_KEY_FILE": "EMPTY"}, "SECRET_KEY", id="empty-key-file"),
        pytest.param({"REDIS_URL": "http://cache:6379"}, "REDIS_URL", id="redis-scheme"),
        pytest.param({"SMTP_URL": "mail.example.org"}, "SMTP_URL", id="smtp-no-scheme"),
        pytest.param({"SMTP_URL": "smtp://"}, "SMTP_URL", id="smtp-no-host"),
        pytest.param({"SIGN_IN_FAILURE_LIMIT": "0"}, "SIGN_IN_FAILURE_LIMIT", id="limit-too-small"),
        pytest.param({"SECURE_HSTS_SECONDS": "two years"}, "SECURE_HSTS_SECONDS", id="hsts-not-a-number"),
        pytest.param({"TRUST_X_FORWARDED_PROTO": "sometimes"}, "TRUST_X_FORWARDED_PROTO", id="proxy-flag"),
    ],
)
def test_a_bad_setting_stops_start_up_and_names_itself(
    tmp_path: Path, overrides: dict[str, str | None], named: str
) -> None:
    env = base_environment(tmp_path) | {"SECRET_KEY": VALID_KEY}
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        elif value == "EMPTY":
            empty = tmp_path / "empty-key"
            empty.write_text("\n", encoding="utf-8")
            env[name] = str(empty)
        else:
            env[name] = value

    result = safezones("check", env=env, cwd=tmp_path, timeout=60)

    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr  # one plain sentence, no traceback
    assert lines[0].startswith("Safe Zones cannot start: ")
    assert named in lines[0]


def test_the_clean_environment_itself_starts(tmp_path: Path) -> None:
    """The control for the test above: only the bad value made it fail."""
    env = base_environment(tmp_path) | {"SECRET_KEY": VALID_KEY}

    result = safezones("check", env=env, cwd=tmp_path, timeout=60)

    assert result.returncode == 0, result.stderr


# --- the deployment files -----------------------------------------------------------


@pytest.fixture(scope="module")
def management_commands(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    folder = tmp_path_factory.mktemp("commands")
    env = base_environment(folder) | {"SECRET_KEY": VALID_KEY}
    result = safezones("help", "--commands", env=env, cwd=folder, timeout=60)
    assert result.returncode == 0, result.stderr
    commands = {line.strip() for line in result.stdout.splitlines() if line.strip()}
    assert {"prepare", "db_worker", "migrate"} <= commands
    return commands


def safezones_subcommands(words: list[str]) -> list[str]:
    """The command names given to the `safezones` program in an argument list,
    with hyphens read as underscores, as safezones/cli.py does."""
    found = []
    for position, word in enumerate(words[:-1]):
        starts_command = position == 0 or words[position - 1] in {"CMD", "CMD-SHELL", "exec", "&&", ";"}
        if (word == "safezones" and starts_command) or word.endswith("/bin/safezones"):
            found.append(words[position + 1].replace("-", "_"))
    return found


def as_words(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return shlex.split(value)
    return [str(word) for word in value]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_compose_defines_the_services(compose: dict[str, Any]) -> None:
    services = compose["services"]

    assert {"app", "worker", "redis", "migrate"} <= set(services)
    assert "postgres" in services or "db" in services
    for name in ("app", "app-2", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        environment = services[name]["environment"]
        assert environment["SAFEZONES_HTTPS"] == "true"
        assert environment["TRUST_X_FORWARDED_PROTO"] == "true"
        assert environment["SECRET_KEY_FILE"].startswith("/run/secrets/")
        for variable in ("DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SMTP_URL"):
            assert variable in environment
    assert "healthz" in " ".join(as_words(services["app"]["healthcheck"]["test"])) or (
        as_words(services["app"]["healthcheck"]["test"])[-1].endswith("healthcheck.py")
    )
    assert "healthcheck" in services["postgres"]
    assert "healthcheck" in services["redis"]
    worker = ["safezones", "db_worker", "--queue-name", "*", "--interval", "0.2"]
    assert as_words(services["worker"]["command"]) == worker
    assert as_words(services["migrate"]["command"]) == ["safezones", "prepare"]
    # Nothing but the proxy is published on the host.
    published = [name for name, service in services.items() if service.get("ports")]
    assert published == ["proxy"]


def test_compose_runs_only_real_commands(compose: dict[str, Any], management_commands: set[str]) -> None:
    used = []
    for service in compose["services"].values():
        for key in ("command", "entrypoint"):
            used += safezones_subcommands(as_words(service.get(key)))
        used += safezones_subcommands(as_words(service.get("healthcheck", {}).get("test")))

    assert {"prepare", "db_worker"} <= set(used)
    assert set(used) <= management_commands


def test_systemd_units_run_real_commands(management_commands: set[str]) -> None:
    used = []
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        text = unit.read_text(encoding="utf-8").replace("\\\n", " ")
        for line in text.splitlines():
            if re.match(r"Exec(Start|StartPre|StartPost|Reload|Stop)=", line):
                used += safezones_subcommands(shlex.split(line.split("=", 1)[1]))

    assert "db_worker" in used
    assert set(used) <= management_commands


def test_every_setting_is_in_the_example_environment_and_the_docs() -> None:
    source = (REPO / "src" / "safezones" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env_(?:str|bool|int|list|url|secret)\(\s*"([A-Z0-9_]+)"', source))
    names |= {f"{name}_FILE" for name in re.findall(r'env_(?:secret|url)\(\s*"([A-Z0-9_]+)"', source)}
    example = (DEPLOY / "env.example").read_text(encoding="utf-8")
    guide = (REPO / "docs" / "deploy.md").read_text(encoding="utf-8")

    assert len(names) > 10
    for name in sorted(names):
        assert re.search(rf"^#?{name}=", example, re.MULTILINE), f"{name} is missing from deploy/env.example"
        assert f"`{name}`" in guide, f"{name} is missing from docs/deploy.md"


def test_the_backup_script_is_valid_bash() -> None:
    script = DEPLOY / "backup.sh"
    text = script.read_text(encoding="utf-8")

    assert "set -euo pipefail" in text
    assert os.access(script, os.X_OK)
    subprocess.run(["bash", "-n", str(script)], check=True, timeout=30)


def test_nginx_conf_keeps_the_privacy_rules() -> None:
    """Read without nginx: the rules the running test below also exercises."""
    config = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    directives = "\n".join(line.split("#", 1)[0] for line in config.splitlines())

    assert re.search(r"^\s*access_log off;", directives, re.MULTILINE)
    assert "log_format" not in directives
    for variable in ("$remote_addr", "$http_user_agent", "$http_x_forwarded_for", "$proxy_add_x_forwarded_for"):
        assert variable not in directives
    assert re.search(r"^\s*error_log \S+ crit;", directives, re.MULTILINE)
    for header in ("X-Forwarded-For", "X-Real-IP", "Forwarded"):
        assert f'proxy_set_header {header} "";' in directives
    assert "proxy_set_header X-Forwarded-Proto https;" in directives
    assert re.findall(r"ssl_protocols ([^;]+);", directives) == ["TLSv1.2 TLSv1.3"]
    assert "client_max_body_size 12m;" in directives
    assert "return 301 https://" in directives
    assert len(re.findall(r"^\s*server \S+:8000", directives, re.MULTILINE)) >= 2


# --- the backup round trip ------------------------------------------------------------


@pytest.fixture
def gpg_home(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A throwaway keyring with one key pair; yields (GNUPGHOME, public key file)."""
    if shutil.which("gpg") is None:
        pytest.skip("gpg is not installed")
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    env = {"GNUPGHOME": str(home), "PATH": os.environ.get("PATH", "")}
    gpg = ["gpg", "--batch", "--quiet", "--pinentry-mode", "loopback", "--passphrase", ""]
    try:
        subprocess.run(
            [*gpg, "--quick-generate-key", "backup-test@example.org", "future-default", "default", "1d"],
            env=env,
            check=True,
            timeout=120,
            capture_output=True,
        )
        public_key = tmp_path / "backup-key.asc"
        exported = subprocess.run(
            ["gpg", "--batch", "--armor", "--export", "backup-test@example.org"],
            env=env,
            check=True,
            timeout=60,
            capture_output=True,
        )
        public_key.write_bytes(exported.stdout)
        yield home, public_key
    finally:
        subprocess.run(["gpgconf", "--kill", "all"], env=env, check=False, timeout=30, capture_output=True)


def decrypt(gpg_home: Path, path: Path) -> bytes:
    result = subprocess.run(
        ["gpg", "--batch", "--quiet", "--pinentry-mode", "loopback", "--passphrase", "", "--decrypt", str(path)],
        env={"GNUPGHOME": str(gpg_home), "PATH": os.environ.get("PATH", "")},
        check=True,
        timeout=120,
        capture_output=True,
    )
    return result.stdout


def test_backup_writes_encrypted_files_and_drops_old_ones(tmp_path: Path, gpg_home: tuple[Path, Path]) -> None:
    keyring, public_key = gpg_home
    data_dir = tmp_path / "data"
    (data_dir / "media" / "attachments").mkdir(parents=True)
    (data_dir / "media" / "attachments" / "note.txt").write_text("attachment body\n", encoding="utf-8")
    backups = tmp_path / "backups"
    backups.mkdir()
    old = backups / "safezones-db-20000101T000000Z.dump.gpg"
    old.write_bytes(b"old")
    os.utime(old, (time.time() - 20 * 86400, time.time() - 20 * 86400))
    recent = backups / "safezones-db-recent.dump.gpg"
    recent.write_bytes(b"recent")
    os.utime(recent, (time.time() - 86400, time.time() - 86400))

    with throwaway_database(data_dir) as database_url:
        env = base_environment(data_dir) | {"DATABASE_URL": database_url, "SECRET_KEY": VALID_KEY}
        prepared = safezones("migrate", "--verbosity", "0", env=env, cwd=data_dir)
        assert prepared.returncode == 0, prepared.stderr
        if database_url.startswith("sqlite") and shutil.which("python3") is None:
            pytest.skip("the SQLite backup needs python3 on PATH")
        if not database_url.startswith("sqlite") and shutil.which("pg_dump") is None:
            pytest.skip("pg_dump is not installed")

        result = subprocess.run(
            [str(DEPLOY / "backup.sh")],
            env=env
            | {
                "BACKUP_DIR": str(backups),
                "BACKUP_KEEP_DAYS": "14",
                "BACKUP_GPG_RECIPIENT_FILE": str(public_key),
                "GNUPGHOME": str(tmp_path / "backup-gnupg"),
            },
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        subprocess.run(
            ["gpgconf", "--kill", "all"],
            env={"GNUPGHOME": str(tmp_path / "backup-gnupg"), "PATH": os.environ.get("PATH", "")},
            check=False,
            timeout=30,
            capture_output=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr

        written = sorted(path.name for path in backups.iterdir())
        assert not old.exists()
        assert recent.exists()
        assert not any(name.endswith(".partial") for name in written)
        database_backup = next(p for p in backups.glob("safezones-db-2*.gpg") if p != old)
        media_backup = next(backups.glob("safezones-media-*.tar.gpg"))
        # Encrypted: the plain text of neither is in the files.
        assert b"attachment body" not in media_backup.read_bytes()
        assert b"django_migrations" not in database_backup.read_bytes()

        plain_media = decrypt(keyring, media_backup)
        assert b"attachment body" in plain_media
        plain_database = decrypt(keyring, database_backup)
        if database_url.startswith("sqlite"):
            assert plain_database.startswith(b"SQLite format 3\x00")
        else:
            assert plain_database.startswith(b"PGDMP")
            listing = subprocess.run(
                ["pg_restore", "--list"], input=plain_database, capture_output=True, timeout=60, check=True
            )
            assert b"django_migrations" in listing.stdout


def test_backup_refuses_to_run_without_a_key(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(DEPLOY / "backup.sh")],
        env=base_environment(tmp_path) | {"BACKUP_DIR": str(tmp_path / "backups")},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert "BACKUP_GPG_RECIPIENT" in result.stderr


# --- nginx in front (only where nginx is installed) ------------------------------------------


class EchoHandler(BaseHTTPRequestHandler):
    """Answers every request with the headers it received, as JSON."""

    def do_GET(self) -> None:
        body = json.dumps(dict(self.headers.items())).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def nginx_version(binary: str) -> tuple[int, ...]:
    result = subprocess.run([binary, "-v"], capture_output=True, text=True, timeout=30, check=False)
    match = re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", result.stderr)
    return tuple(int(part) for part in match.groups()) if match else (0, 0, 0)


@contextmanager
def nginx_in_front_of(upstream_port: int, folder: Path, app_host: str | None = None) -> Iterator[tuple[int, int]]:
    """deploy/nginx.conf with only its ports, paths and upstream addresses
    changed for a test (and, given app_host, the Host header it sends to the
    app); yields (http port, https port)."""
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        pytest.skip("nginx is not installed, so deploy/nginx.conf cannot be run")
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder.mkdir(parents=True, exist_ok=True)
    tls = folder / "tls"
    tls.mkdir()
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=safezones.example.org",
            "-keyout",
            str(tls / "privkey.pem"),
            "-out",
            str(tls / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    http_port, https_port = free_port(), free_port()
    config = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    replacements = [
        (r"listen \[::\]:\d+[^;]*;", ""),
        (r"listen 80 default_server;", f"listen {HOST}:{http_port} default_server;"),
        (r"listen 443 ssl default_server;", f"listen {HOST}:{https_port} ssl default_server;"),
        (r"listen 443 ssl;", f"listen {HOST}:{https_port} ssl;"),
        (r"server app-\d+:8000", f"server {HOST}:{upstream_port}"),
        (r"/etc/nginx/tls/", f"{tls}/"),
        # The same level as in production.
        (r"error_log \S+ (\w+);", rf"error_log {folder}/error.log \1;"),
    ]
    if app_host:
        replacements.append((r"proxy_set_header Host \$host;", f"proxy_set_header Host {app_host};"))
    if nginx_version(binary) < (1, 25, 1):
        replacements.append((r"http2 on;", ""))
    for pattern, replacement in replacements:
        config, count = re.subn(pattern, replacement, config)
        assert count > 0, f"deploy/nginx.conf no longer contains {pattern!r}"
    temporary = "\n".join(
        f"    {kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    config = config.replace("http {\n", f"http {{\n{temporary}\n", 1)
    (folder / "nginx.conf").write_text(config, encoding="utf-8")
    command = [
        binary,
        "-p",
        str(folder),
        "-c",
        str(folder / "nginx.conf"),
        "-e",
        str(folder / "error.log"),
        "-g",
        f"daemon off; pid {folder}/nginx.pid;",
    ]
    nginx = Process("nginx", command, {"PATH": os.environ.get("PATH", "")}, folder, folder / "nginx.out")
    try:
        nginx.start()
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                socket.create_connection((HOST, https_port), timeout=1).close()
                break
            except OSError:
                if not nginx.running():
                    pytest.fail(f"nginx did not start:\n{nginx.output()}")
                assert time.monotonic() < deadline, "nginx did not open its port"
                time.sleep(0.1)
        yield http_port, https_port
    finally:
        nginx.stop()


def https_get(port: int, path: str, headers: dict[str, str], server_name: str = "safezones.example.org") -> Response:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    raw = socket.create_connection((HOST, port), timeout=10)
    connection = http.client.HTTPConnection(server_name, port, timeout=10)
    connection.sock = context.wrap_socket(raw, server_hostname=server_name)
    try:
        connection.request("GET", path, headers={"Host": server_name, "User-Agent": CLIENT_AGENT} | headers)
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()


@pytest.fixture
def echo_server() -> Iterator[int]:
    server = ThreadingHTTPServer((HOST, 0), EchoHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_nginx_forwards_no_client_address(tmp_path: Path, echo_server: int) -> None:
    with nginx_in_front_of(echo_server, tmp_path / "nginx") as (http_port, https_port):
        spoofed = {
            "X-Forwarded-For": CLIENT_ADDRESS,
            "X-Real-IP": CLIENT_ADDRESS,
            "Forwarded": f"for={CLIENT_ADDRESS}",
            "X-Forwarded-Host": "attacker.example",
            "X-Forwarded-Proto": "http",
        }
        response = https_get(https_port, "/anything", spoofed)
        redirect = get(http_port, "/staff/?x=1", {"Host": "safezones.example.org"})
        too_big = https_get(https_port, "/upload", {"Content-Length": str(13 * 1024 * 1024)})
        with pytest.raises(ssl.SSLError):
            https_get(https_port, "/", {}, server_name="other.example.org")
        error_log = (tmp_path / "nginx" / "error.log").read_text(encoding="utf-8", errors="replace")

    assert response.status == 200
    seen = {name.lower(): value for name, value in json.loads(response.body).items()}
    assert seen["x-forwarded-proto"] == "https"
    assert seen["host"] == "safezones.example.org"
    for header in ("x-forwarded-for", "x-real-ip", "forwarded", "x-forwarded-host"):
        assert header not in seen
    assert CLIENT_ADDRESS not in response.body.decode()
    assert redirect.status == 301
    assert redirect.headers["Location"] == "https://safezones.example.org/staff/?x=1"
    assert too_big.status == 413
    # At the production log level nothing about a client is written.
    assert HOST not in error_log
    assert CLIENT_ADDRESS not in error_log


def test_nginx_in_front_of_the_real_app(tmp_path: Path, stack: Stack) -> None:
    # The test stack answers to 127.0.0.1 only, so nginx sends that name on.
    with nginx_in_front_of(stack.port, tmp_path / "nginx", app_host=HOST) as (_, https_port):
        response = https_get(https_port, "/healthz", {"X-Forwarded-Proto": "http"})

    assert response.status == 200, response.body
    assert json.loads(response.body)["status"] == "ok"
    assert "max-age=63072000" in (response.headers["Strict-Transport-Security"] or "")
    assert "default-src 'self'" in (response.headers["Content-Security-Policy"] or "")
    assert response.headers["Server"] != "gunicorn"
