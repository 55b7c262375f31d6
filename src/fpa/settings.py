"""One settings module, configured by environment variables (documented in docs/operations.md)."""

from __future__ import annotations

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("FPA_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    if key_file := os.environ.get("SECRET_KEY_FILE"):
        return Path(key_file).read_text().strip()
    if not (DEBUG or TESTING):
        # fpa.E001 refuses to serve without a key; an empty key never signs anything.
        return ""
    # Development and tests only: a key generated once into var/, never into the repository.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = envbool("DEBUG", False)
# pytest sets PYTEST_VERSION: the suite runs like development, with a generated key.
TESTING = "PYTEST_VERSION" in os.environ
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

FPA_PROVINCE = os.environ.get("FPA_PROVINCE", "43")
# Personal data at rest (SM4-GCM + HMAC-SM3 blind index): the key material, from the environment
# or a key file, never from the repository. See docs/keys.md.
FPA_DATA_KEY = os.environ.get("FPA_DATA_KEY", "")
FPA_DATA_KEY_FILE = os.environ.get("FPA_DATA_KEY_FILE", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "rest_framework.authtoken",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "fpa.core",
    "fpa.audit",
    "fpa.orgs",
    "fpa.accounts",
    "fpa.people",
    "fpa.families",
    "fpa.programs",
    "fpa.funds",
    "fpa.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Right after WhiteNoise: every response but a static file, whatever answered it.
    "fpa.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # a NUL in any parameter is refused (400) before a view or PostgreSQL meets it
    "fpa.core.input_guard.RefuseNulMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the user is known, so the page it shows in development has the menu.
    "fpa.core.middleware.NotFoundPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "fpa.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "fpa.accounts.middleware.IdleTimeoutMiddleware",
    "fpa.accounts.middleware.AccountPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fpa.urls"
WSGI_APPLICATION = "fpa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fpa.core.context_processors.actor",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'fpa.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on during a write; IMMEDIATE transactions and a busy timeout make a
    # second writer wait for a long import instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": envint("SQLITE_BUSY_TIMEOUT", 30),
    }
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "fpa.accounts.passwords.ComplexityValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # The Chinese top lists and keyboard walks (data/passwords/common.txt), the last five passwords.
    {"NAME": "fpa.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "fpa.accounts.passwords.HistoryValidator"},
]
# Login policy (等保 三级): password age, account lockout by username (a township office shares
# one address, so never by IP), idle timeout that background polling does not extend.
FPA_PASSWORD_MAX_AGE_DAYS = envint("PASSWORD_MAX_AGE_DAYS", 90)
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("LOGIN_LOCK_MINUTES", 10))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# A lock lasts its set time from the failure that locked it: attempts while locked are refused
# without being counted, or anyone could keep any account locked with one request every 10 minutes.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
# Lockout is by username on purpose: a township office shares one address, and locking it would
# lock out every clerk there (axes.W006 warns about exactly this choice).
# HSTS preload (security.W021) is for hosts on the public internet; a government intranet host
# cannot be on the browsers' preload list.
# models.W040: SQLite ignores an index's INCLUDE columns (the donations' covering indexes serve
# PostgreSQL, the production database; on SQLite they are plain indexes), said at every start.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "security.W021", "models.W040"]
FPA_IDLE_SECONDS = envint("SESSION_IDLE_SECONDS", 30 * 60)
# Second factor: TOTP, optional for everyone, required for the roles listed here when enabled.
FPA_TOTP_REQUIRED_ROLES = envlist("TOTP_REQUIRED_ROLES", "province_admin")
FPA_TOTP_ENABLED = envbool("TOTP_ENABLED", True)
OTP_TOTP_ISSUER = "计生协工作平台"
# API tokens expire this many days after they are made (a new one is made on /accounts/token/).
FPA_API_TOKEN_DAYS = envint("API_TOKEN_DAYS", 90)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_root"
MEDIA_ROOT = Path(os.environ.get("FPA_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Uploads (fpa.core.uploads): a size limit per type, the most a workbook may unzip to and the
# most pixels an image may have; docs/operations.md says why these defaults.
UPLOAD_ATTACHMENT_MAX_BYTES = envint("FPA_UPLOAD_ATTACHMENT_MAX_MB", 10) * 1024 * 1024
UPLOAD_XLSX_MAX_BYTES = envint("FPA_UPLOAD_XLSX_MAX_MB", 50) * 1024 * 1024
UPLOAD_CSV_MAX_BYTES = envint("FPA_UPLOAD_CSV_MAX_MB", 50) * 1024 * 1024
IMPORT_UNZIPPED_MAX_BYTES = envint("FPA_IMPORT_UNZIPPED_MAX_MB", 200) * 1024 * 1024
UPLOAD_IMAGE_MAX_PIXELS = envint("FPA_UPLOAD_IMAGE_MAX_MEGAPIXELS", 50) * 1_000_000

TASKS = {
    "default": {
        "BACKEND": os.environ.get("FPA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an API client without credentials is told 401 and how to authenticate.
        "fpa.accounts.api_auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {"TITLE": "FPA Platform API", "VERSION": "1"}

# The idle timeout is enforced by fpa.accounts.middleware; the cookie only bounds a working day.
SESSION_COOKIE_AGE = 12 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
HTTPS = envbool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY") else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
