"""Every language the site offers is complete, and the check that says so
really catches a sentence someone forgot to translate."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "check-translations"
PACKAGE = ROOT / "src" / "safezones"


def check(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *arguments], capture_output=True, text=True, check=False, timeout=120
    )


def package_copy(target: Path) -> Path:
    copy = target / "safezones"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    return copy


def test_every_catalogue_is_complete():
    result = check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "es: " in result.stdout
    assert "all translated" in result.stdout


def test_an_untranslated_sentence_fails_the_check_and_is_named(tmp_path):
    copy = package_copy(tmp_path)
    (copy / "forgotten.py").write_text(
        "from django.utils.translation import gettext\n\nFORGOTTEN = gettext('A sentence nobody has translated yet')\n"
    )
    result = check(str(copy))
    assert result.returncode == 1
    assert "A sentence nobody has translated yet" in result.stderr
    assert not (PACKAGE / "forgotten.py").exists()


def test_a_broken_placeholder_fails_the_check(tmp_path):
    copy = package_copy(tmp_path)
    po = copy / "locale" / "es" / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    assert 'msgstr "Hola, %(name)s"' in text
    po.write_text(text.replace('msgstr "Hola, %(name)s"', 'msgstr "Hola, %(nombre)s"'), encoding="utf-8")
    result = check(str(copy))
    assert result.returncode == 1
    assert "name" in result.stderr


@pytest.fixture
def fresh_catalogues(settings, tmp_path):
    """Serve the catalogues compiled from the .po files as they are now, not a stale build."""
    for po in (PACKAGE / "locale").glob("*/LC_MESSAGES/django.po"):
        mo = tmp_path / po.relative_to(PACKAGE / "locale").with_suffix(".mo")
        mo.parent.mkdir(parents=True)
        subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)
    settings.LOCALE_PATHS = [tmp_path]


def test_a_spanish_browser_gets_the_spanish_page(client, db, fresh_catalogues):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in page
    assert "Zonas Seguras" in page
    assert "Las escuelas son lugares seguros para todas las familias" in page


def test_an_english_browser_gets_the_english_page(client, db, fresh_catalogues):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in page
    assert "Safe Zones" in page
    assert "Zonas Seguras" not in page
