"""`safezones check-document PATH [--lang en|es]`: one JSON object on
stdout, or a clear message on stderr and a non-zero exit."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from .photos import encoded, photo

DOCUMENTS = Path(__file__).parent / "documents"
SAFEZONES = Path(sys.executable).parent / "safezones"


@pytest.fixture(scope="module")
def environment(tmp_path_factory) -> dict[str, str]:
    """The production settings, with no database behind them: the command
    must work on a machine where the site was never set up."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safezones.settings",
        "SAFEZONES_DATA_DIR": str(tmp_path_factory.mktemp("data")),
        "SAFEZONES_HTTPS": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
    }
    env.pop("DATABASE_URL", None)
    return env


@pytest.fixture
def run(environment):
    def check_document(*arguments: str) -> subprocess.CompletedProcess[str]:
        command = [str(SAFEZONES), "check-document", *arguments]
        return subprocess.run(command, env=environment, capture_output=True, text=True, check=False, timeout=120)

    return check_document


def test_it_prints_one_json_object(run):
    done = run(str(DOCUMENTS / "i200_warrant_for_arrest_of_alien.txt"))
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["kind"] == "administrative_warrant"
    assert answer["route_to_legal"] is True
    assert {"marker": "form_number", "text": "Form I-200"} in answer["markers"]


def test_spanish_steps(run, tmp_path):
    english = json.loads(run(str(DOCUMENTS / "i247a_detainer.txt")).stdout)
    done = run(str(DOCUMENTS / "i247a_detainer.txt"), "--lang", "es")
    spanish = json.loads(done.stdout)
    assert spanish["kind"] == "detainer"
    assert spanish["next_steps"] != english["next_steps"]
    assert "oficina jurídica" in " ".join(spanish["next_steps"])


def test_a_photo_is_read(run, tmp_path):
    path = tmp_path / "warrant.jpg"
    path.write_bytes(encoded(photo((DOCUMENTS / "admin_warrant_says_warrant.txt").read_text()), "JPEG"))
    done = run(str(path), "--school", "Lincoln Middle School")
    assert json.loads(done.stdout)["kind"] == "administrative_warrant"


def test_the_type_is_told_by_the_bytes_not_the_name(run, tmp_path):
    path = tmp_path / "warrant.png"
    path.write_text((DOCUMENTS / "i862_notice_to_appear.txt").read_text())
    assert json.loads(run(str(path)).stdout)["kind"] == "notice_to_appear"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "no text"),
        (b"  \n ", "no text"),
        (b"GIF89a" + bytes(range(256)), "cannot be checked"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "could not be opened"),
    ],
)
def test_bad_input_gets_a_message_and_a_non_zero_exit(run, tmp_path, content, message):
    path = tmp_path / "document.txt"
    path.write_bytes(content)
    done = run(str(path))
    assert done.returncode != 0
    assert done.stdout == ""
    assert message in done.stderr


def test_an_oversized_file_is_refused_without_reading_it(run, tmp_path):
    path = tmp_path / "huge.jpg"
    with path.open("wb") as huge:
        huge.truncate(10 * 1024 * 1024 + 1)
    done = run(str(path))
    assert done.returncode != 0
    assert "10 MB" in done.stderr


def test_a_missing_file(run, tmp_path):
    done = run(str(tmp_path / "nothing.txt"))
    assert done.returncode != 0
    assert "No such file" in done.stderr


def test_a_refusal_in_spanish(run, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    done = run(str(path), "--lang", "es")
    assert done.returncode != 0
    assert "documento" in done.stderr
