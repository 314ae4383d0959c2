"""Simpul settings: one module, driven by environment variables (see README, "Configuration").

Production needs SIMPUL_SECRET_KEY, SIMPUL_VAULT_KEYS, SIMPUL_BLIND_INDEX_KEY, SIMPUL_AUDIT_KEY,
SIMPUL_ALLOWED_HOSTS and DATABASE_URL. Development and demo mode generate local keys in the data
directory instead.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from simpul.lib.envconf import env_bool, env_float, env_int, env_list, env_str
from simpul.lib.localkeys import load_or_create_local_keys

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("SIMPUL_DATA_DIR", str(BASE_DIR / "var"))).resolve()

DEBUG = env_bool("SIMPUL_DEBUG", False)
TESTING = env_bool("SIMPUL_TESTING", False)
ALLOWED_HOSTS = env_list("SIMPUL_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("SIMPUL_CSRF_TRUSTED_ORIGINS")

# Demo mode lists demo accounts on the login page. It can only run on loopback hosts, so a
# deployment that serves a real host name cannot switch it on by accident.
DEMO_MODE = env_bool("SIMPUL_DEMO", False)
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]", "testserver"}
if DEMO_MODE and not set(ALLOWED_HOSTS) <= _LOOPBACK:
    raise ImproperlyConfigured(
        "SIMPUL_DEMO is only allowed when SIMPUL_ALLOWED_HOSTS lists loopback hosts only."
    )

_LOCAL_KEYS_ALLOWED = DEBUG or DEMO_MODE or TESTING
_local = load_or_create_local_keys(DATA_DIR) if _LOCAL_KEYS_ALLOWED else {}


def _secret(name: str, local_name: str) -> str:
    value = env_str(name)
    if value:
        return value
    if _LOCAL_KEYS_ALLOWED:
        return _local[local_name]
    raise ImproperlyConfigured(f"{name} must be set outside development and demo mode.")


SECRET_KEY = _secret("SIMPUL_SECRET_KEY", "secret_key")
# Identity-vault keys: "keyid:base64key,..." (first one encrypts, all decrypt). Never SECRET_KEY.
VAULT_KEYS = _secret("SIMPUL_VAULT_KEYS", "vault_keys")
BLIND_INDEX_KEY = _secret("SIMPUL_BLIND_INDEX_KEY", "blind_index_key")
if VAULT_KEYS == SECRET_KEY or BLIND_INDEX_KEY == SECRET_KEY:
    raise ImproperlyConfigured("Vault keys must differ from SIMPUL_SECRET_KEY.")
# Audit-chain MAC keys: "keyid:base64key,..." (first one signs, all verify). Outside the database.
AUDIT_KEYS = _secret("SIMPUL_AUDIT_KEY", "audit_keys")
if AUDIT_KEYS in {SECRET_KEY, VAULT_KEYS, BLIND_INDEX_KEY}:
    raise ImproperlyConfigured("SIMPUL_AUDIT_KEY must differ from the other keys.")
# Append-only file of signed audit-chain heads (`simpul anchor_audit`), outside the database.
# Tests use throwaway databases, so they anchor only where a test names a file.
AUDIT_ANCHOR_PATH = env_str(
    "SIMPUL_AUDIT_ANCHOR_PATH", "" if TESTING else str(DATA_DIR / "audit-anchors.jsonl")
)
# Backup encryption keys: "keyid:base64(32 bytes),..." (first one encrypts, all decrypt), apart
# from the vault and audit keys; kept offline too (docs/backups.md). Not needed to serve pages:
# without it `simpul backup`, `restore` and the drill refuse to run.
BACKUP_KEYS = env_str("SIMPUL_BACKUP_KEY") or (_local["backup_keys"] if _LOCAL_KEYS_ALLOWED else "")
if BACKUP_KEYS and BACKUP_KEYS in {SECRET_KEY, VAULT_KEYS, BLIND_INDEX_KEY, AUDIT_KEYS}:
    raise ImproperlyConfigured("SIMPUL_BACKUP_KEY must differ from the other keys.")
BACKUP_DIR = Path(env_str("SIMPUL_BACKUP_DIR", str(DATA_DIR / "backups"))).resolve()
# How many good backups `simpul backup` keeps in BACKUP_DIR (older files there are deleted).
BACKUP_KEEP = env_int("SIMPUL_BACKUP_KEEP", 14)
# Directory of pg_dump and pg_restore when PATH's are not the server's major version.
PG_BIN_DIR = env_str("SIMPUL_PG_BIN_DIR")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "simpul.core",
    "simpul.regions",
    "simpul.audit",
    "simpul.accounts",
    "simpul.identity",
    "simpul.intake",
    "simpul.screening",
    "simpul.cases",
    "simpul.referrals",
    "simpul.api",
    "simpul.migration",
    "simpul.linkage",
    "simpul.prevention",
    "simpul.shelters",
    "simpul.reintegration",
    "simpul.jobs",
    "simpul.justice",
    "simpul.backups",
    "simpul.victim_status",
    "simpul.rights",
    "simpul.web",
    "simpul.demo",
]

MIDDLEWARE = [
    # First: the request id on every log line, and the request's own line (structured logs).
    "simpul.core.structured_logs.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simpul.accounts.middleware.SessionTimeoutMiddleware",
    "simpul.accounts.middleware.AccessPolicyMiddleware",
    "simpul.web.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "simpul.urls"
WSGI_APPLICATION = "simpul.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "simpul.web.context.navigation",
                "simpul.web.context.demo_accounts",
            ],
        },
    },
]

# Database: a SQLite file in the data directory by default; PostgreSQL in production.
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'simpul.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("SIMPUL_DB_CONN_MAX_AGE", 60))
_db["CONN_HEALTH_CHECKS"] = True
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN, so two
    # writers queue on the busy timeout instead of failing with "database is locked".
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=30000;"
        ),
    }
DATABASES = {"default": _db}

# Background jobs: Django's task framework (the django-tasks backport) on the database backend,
# so the queue lives in the same SQLite or PostgreSQL database; see docs/jobs.md.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The database cache is shared by every web process (rate limits, throttles); no extra server.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "simpul_cache",
    }
}
PUBLIC_REPORTS_PER_HOUR = env_int("SIMPUL_PUBLIC_REPORTS_PER_HOUR", 5)

# Record linkage (docs/linkage.md): pairs at or above the automatic threshold are linked, those
# between the review threshold and it wait for a person; the vault is read by this many worker
# processes (one per core).
LINKAGE_AUTO_THRESHOLD = env_float("SIMPUL_LINKAGE_AUTO_THRESHOLD", 0.88)
LINKAGE_REVIEW_THRESHOLD = env_float("SIMPUL_LINKAGE_REVIEW_THRESHOLD", 0.5)
if LINKAGE_REVIEW_THRESHOLD > LINKAGE_AUTO_THRESHOLD:
    raise ImproperlyConfigured(
        "SIMPUL_LINKAGE_REVIEW_THRESHOLD must not exceed SIMPUL_LINKAGE_AUTO_THRESHOLD"
    )
LINKAGE_WORKERS = env_int("SIMPUL_LINKAGE_WORKERS", 2)
# Shelters: days the receiving agency has to acknowledge a handover before both agencies'
# supervisors see it escalated.
HANDOVER_ACK_DAYS = env_int("SIMPUL_HANDOVER_ACK_DAYS", 3)

# Reintegration monitoring (docs/reintegration.md): follow-up visits this many months after a
# plan starts (the baseline is at plan time), overdue this many days after their due date; new
# plans use the newest version of this instrument.
REINTEGRATION_VISIT_MONTHS = tuple(
    int(m) for m in env_list("SIMPUL_REINTEGRATION_VISIT_MONTHS", "3,6,12")
)
if (
    not REINTEGRATION_VISIT_MONTHS
    or any(m <= 0 or m > 60 for m in REINTEGRATION_VISIT_MONTHS)
    or sorted(set(REINTEGRATION_VISIT_MONTHS)) != list(REINTEGRATION_VISIT_MONTHS)
):
    raise ImproperlyConfigured(
        "SIMPUL_REINTEGRATION_VISIT_MONTHS: increasing months from 1 to 60, e.g. 3,6,12"
    )
REINTEGRATION_OVERDUE_DAYS = env_int("SIMPUL_REINTEGRATION_OVERDUE_DAYS", 14)
REINTEGRATION_INSTRUMENT = "rss"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling: per username AND address together, so nobody can lock out someone else's
# account from their own machine.
AXES_FAILURE_LIMIT = env_int("SIMPUL_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIMPUL_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Our own reverse proxies (addresses or CIDR networks, comma-separated; default none). Only a
# request whose peer is one of them has its X-Forwarded-For read (rightmost untrusted hop), for
# the lockout above and the public rate limits; see simpul/core/client_address.py.
SIMPUL_TRUSTED_PROXIES = env_list("SIMPUL_TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "simpul.core.client_address.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "simpul.accounts.views.lockout_response"
AXES_VERBOSE = False

# Sessions: idle timeout through a short cookie age renewed on every request, absolute timeout
# through the login time kept in the session (SessionTimeoutMiddleware).
SESSION_IDLE_MINUTES = env_int("SIMPUL_SESSION_IDLE_MINUTES", 15)
SESSION_ABSOLUTE_HOURS = env_int("SIMPUL_SESSION_ABSOLUTE_HOURS", 12)
# The idle limit is checked on every request by accounts.middleware; the store keeps a session
# up to the absolute limit so that a form posted after the idle limit is still known to be the
# user's (its fields are kept as a sealed draft and given back after signing in again).
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 3600
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

HTTPS = env_bool("SIMPUL_HTTPS", not (DEBUG or DEMO_MODE or TESTING))
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-simpul_session"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env_bool("SIMPUL_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
else:
    SESSION_COOKIE_NAME = "simpul_session"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

OTP_TOTP_ISSUER = "Simpul"
OTP_TOTP_TOLERANCE = 1

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "simpul" / "locale"]
LANGUAGE_COOKIE_NAME = "simpul_language"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Logs (docs/operations.md): JSON lines on standard error, one object per line with time,
# level, logger, message, request id and user id (`simpul.core.structured_logs`); never an
# identity. No query string reaches a log line (DP-04): that filter sits on the request loggers,
# so every handler (and a test's caplog) sees the redacted record, and on every handler, with
# the filter that masks identity fields, NIKs and phone numbers. Debug and demo mode (`make run`)
# default to readable plain lines.
_NO_QUERY = ["no_query_strings"]
_HANDLER_FILTERS = ["no_query_strings", "redact_identities"]
LOG_FORMAT = env_str("SIMPUL_LOG_FORMAT", "plain" if DEBUG or DEMO_MODE else "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured("SIMPUL_LOG_FORMAT must be json or plain.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_query_strings": {"()": "simpul.web.log_filters.StripQueryStrings"},
        "redact_identities": {"()": "simpul.core.structured_logs.RedactIdentities"},
    },
    "formatters": {
        "json": {"()": "simpul.core.structured_logs.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": _HANDLER_FILTERS,
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "django.server",
            "filters": _HANDLER_FILTERS,
        },
    },
    "root": {"handlers": ["console"], "level": env_str("SIMPUL_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": _NO_QUERY,
        },
        "django.request": {"filters": _NO_QUERY},
        "django.security": {"filters": _NO_QUERY},
    },
}
