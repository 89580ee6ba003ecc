"""Test settings: the real settings module, with a throwaway data folder and
key, plain HTTP for the test client, and a fast password hash (the real one,
argon2, is tested against the production settings on its own)."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-django-checks-0123456789")
os.environ.setdefault("SAFEZONES_HTTPS", "false")
os.environ.setdefault("SAFEZONES_DATA_DIR", tempfile.mkdtemp(prefix="safezones-test-"))

from safezones.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STAFF_KEY_OPS, STAFF_KEY_MEMORY = 1, 8 * 1024 * 1024  # the real cost is tested on its own
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# pytest-django's live server runs in a thread beside the sync Playwright loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, as in production, rather than SQLite's shared-cache memory
    # database: there a second connection meets "database table is locked" at
    # once instead of waiting its turn, and the live server's request threads
    # would share one connection. Browser tests need the production behaviour.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
