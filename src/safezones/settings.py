"""The one settings module. Everything that differs between machines comes from
the environment; the defaults are the safe ones for production, and
`make run` relaxes only what a laptop on plain HTTP needs.
"""

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from safezones.lib.env import (
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
    env_url,
)
from safezones.lib.languages import catalogue_languages
from safezones.lib.mail import SMTP_SCHEMES, smtp_mailer

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(env_str("SAFEZONES_DATA_DIR", str(PROJECT_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
DEMO_MODE = env_bool("SAFEZONES_DEMO", False)
SECRET_KEY = env_secret("SECRET_KEY", default_file=DATA_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
# Where staff open Safe Zones; links in e-mail point here.
SITE_URL = (env_url("SITE_URL", {"http", "https"}, default="http://127.0.0.1:8000") or "").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "ninja",
    "safezones",
    "safezones.audit",
    "safezones.schools",
    "safezones.accounts",
    "safezones.campus",
    "safezones.families",
    "safezones.outbox",
    "safezones.vendors",
    "safezones.readiness",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "safezones.middleware.PrivacyHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "safezones.csrf.NoReferrerCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "safezones.accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Innermost, so a lost database answers 503 before any other handler sees it.
    "safezones.middleware.DatabaseDownMiddleware",
]

ROOT_URLCONF = "safezones.urls"
WSGI_APPLICATION = "safezones.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,  # django-ninja's API docs page lives in its own package
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safezones.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------

DATABASE_URL = env_url(
    "DATABASE_URL",
    {"sqlite", "postgres", "postgresql", "pgsql"},
    default=f"sqlite:///{DATA_DIR / 'safezones.sqlite3'}",
)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL or "", conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; synchronous=FULL makes every
    # commit durable before a user is told "saved". IMMEDIATE takes the write
    # lock at BEGIN, so two writers queue instead of failing mid-transaction.
    # A worker keeps its connection (conn_max_age above), as with PostgreSQL:
    # opening one per request, and checkpointing the WAL when the last one
    # closed, took a family submission from 7.6 ms to 12.6 ms.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

# --- Cache, sessions, rate limits -------------------------------------------

REDIS_URL = env_url("REDIS_URL", {"redis", "rediss", "unix"})
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "safezones_cache"}}

SESSION_ENGINE = "django.contrib.sessions.backends.db"
IDLE_TIMEOUT_SECONDS = 30 * 60
SESSION_COOKIE_AGE = IDLE_TIMEOUT_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "staff-home"
SIGN_IN_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5, minimum=1)
# Family forms, counted per client connection. Behind the reverse proxy every
# family arrives from the proxy's address, so there these act as overall caps
# (raise them) and the proxy limits each client (deploy/nginx.conf).
FAMILY_SUBMISSIONS_PER_HOUR = env_int("FAMILY_SUBMISSIONS_PER_HOUR", 30, minimum=1)
RECEIPT_LOOKUPS_PER_MINUTE = env_int("RECEIPT_LOOKUPS_PER_MINUTE", 10, minimum=1)
SIGN_IN_LOCKOUT_SECONDS = env_int("SIGN_IN_LOCKOUT_SECONDS", 15 * 60, minimum=1)
# An export (a report, a PDF, a CSV) asks for the password again when the
# person last gave it longer ago than this.
REAUTH_SECONDS = env_int("REAUTH_SECONDS", 15 * 60, minimum=1)

AUTHENTICATION_BACKENDS = ["safezones.accounts.backends.StaffBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Safe Zones")
# Argon2id cost of the key that protects each staff member's private key.
STAFF_KEY_OPS = 3
STAFF_KEY_MEMORY = 64 * 1024 * 1024

# --- HTTPS and headers ------------------------------------------------------

HTTPS = env_bool("SAFEZONES_HTTPS", True)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_NAME = "__Host-session" if HTTPS else "session"
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "csrftoken"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Django's deploy check asks for its own CSRF middleware by name; ours is a
# subclass (see safezones/csrf.py) and safezones.E001 checks that it is there.
SILENCED_SYSTEM_CHECKS = ["security.W003"]
CSRF_FAILURE_VIEW = "safezones.views.csrf_failure"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# --- Languages and time -----------------------------------------------------

LANGUAGE_CODE = "en"
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGES = catalogue_languages(LOCALE_PATHS[0], default=LANGUAGE_CODE)
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # storage; each district's own zone is used for display

# --- Files --------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
# Uploads stay in memory and are written only encrypted: never a plaintext
# temporary file on disk. The proxy caps a request at 12 MB.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Background tasks and mail -----------------------------------------------

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# SMTP_URL: smtp://host:25, smtp+starttls://user:password@host:587 or
# smtps://user:password@host:465 (user and password percent-encoded).
MAILERS = {"default": smtp_mailer(env_url("SMTP_URL", set(SMTP_SCHEMES), default="smtp://localhost:25") or "")}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "safezones@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Webhooks: incident alerts to the district's text or voice provider, and
# approved families notices to its mass-notification system. Each POST is
# signed with HMAC-SHA256 under WEBHOOK_SECRET (required when either is set).
ALERT_WEBHOOK_URL = env_url("ALERT_WEBHOOK_URL", {"http", "https"})
NOTICE_WEBHOOK_URL = env_url("NOTICE_WEBHOOK_URL", {"http", "https"})
WEBHOOK_SECRET = env_secret("WEBHOOK_SECRET") if ALERT_WEBHOOK_URL or NOTICE_WEBHOOK_URL else ""
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10, minimum=1)

# --- Logging: no client addresses, user agents or request bodies --------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's request logger prints the path and status only; its
        # error mail is off because ADMINS is empty.
        "django.server": {"handlers": [], "propagate": False},
        # PDF rendering reports every step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Pillow's DEBUG lines quote a photo's metadata (camera, place, names)
        # as it reads it: families' photos are stripped of it, never logged.
        "PIL": {"level": "INFO"},
    },
}
ADMINS: list[tuple[str, str]] = []
# Should error mail be switched on, it names the failing path and nothing of
# the request: no address, user agent, cookie, form value or file name.
DEFAULT_EXCEPTION_REPORTER = "safezones.error_reports.PrivateExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "safezones.error_reports.PrivateExceptionReporterFilter"
