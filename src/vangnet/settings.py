"""Django settings for Vangnet.

Configuration comes from the environment (DATABASE_URL, CELERY_BROKER_URL, VANGNET_SECRET_KEY,
VANGNET_FIELD_KEY, VANGNET_DEMO). Demo mode and tests get safe throwaway defaults; production
refuses to start without real keys.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("VANGNET_VAR_DIR", PROJECT_DIR / "var"))

TESTING = "pytest" in sys.modules or os.environ.get("VANGNET_TESTING") == "1"
DEMO = os.environ.get("VANGNET_DEMO", "").lower() in {"1", "true", "yes"} or TESTING
DEBUG = os.environ.get("VANGNET_DEBUG", "").lower() in {"1", "true", "yes"}

_DEMO_SECRET = "demo-only-secret-key-not-for-production-use-0123456789abcdef"  # noqa: S105
_DEMO_FIELD_KEY = "demo-only-field-key-not-for-production-use"
SECRET_KEY = os.environ.get("VANGNET_SECRET_KEY") or (_DEMO_SECRET if DEMO else "")
FIELD_KEY = os.environ.get("VANGNET_FIELD_KEY") or (_DEMO_FIELD_KEY if DEMO else "")
if not SECRET_KEY or not FIELD_KEY:
    raise ImproperlyConfigured(
        "VANGNET_SECRET_KEY and VANGNET_FIELD_KEY must be set outside demo mode (VANGNET_DEMO=1)."
    )
if not DEMO and (SECRET_KEY == _DEMO_SECRET or FIELD_KEY == _DEMO_FIELD_KEY):
    raise ImproperlyConfigured("The demo keys cannot be used in production.")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("VANGNET_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Vangnet apps come first so that their templates override those of the libraries below.
    "vangnet.core",
    "vangnet.organisations",
    "vangnet.accounts",
    "vangnet.audit",
    "vangnet.notifications",
    "vangnet.youth",
    "vangnet.jikp",
    "vangnet.transfers",
    "vangnet.dossiers",
    "vangnet.students",
    # After the Vangnet apps: earlier apps' translations win, and Django's own Dutch for the
    # sign-in error ("Voer een juiste e-mailadres") is replaced in vangnet.accounts.
    "django.contrib.auth",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_filters",
    "django_htmx",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "vangnet.core.middleware.AllowedMethodsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "vangnet.core.middleware.StripNullCharactersMiddleware",
    "vangnet.audit.context.AuditContextMiddleware",
    "vangnet.accounts.middleware.SessionLimitsMiddleware",
    "vangnet.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "vangnet.core.middleware.NoStoreForSignedInMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vangnet.urls"
WSGI_APPLICATION = "vangnet.wsgi.application"

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
                "vangnet.core.context_processors.navigation",
            ],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'vangnet.sqlite3'}",
        conn_max_age=int(os.environ.get("VANGNET_DB_CONN_MAX_AGE", "60")),
    )
}
# Production connects as a role that owns nothing (DATABASE_URL); `vangnet migrate` switches to the
# owner role in DATABASE_MIGRATE_URL and then grants the application role its rights
# (vangnet.audit.dbroles, README "Running in production").
DATABASE_MIGRATE_URL = os.environ.get("DATABASE_MIGRATE_URL", "")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "vangnet.accounts.backends.OrganisationAwareBackend",
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
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "two_factor:login"
PASSWORD_RESET_TIMEOUT = 60 * 60  # reset links expire after one hour

# Sessions: 30 minutes idle (refreshed on every request), 12 hours absolute.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE = not DEMO
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts only from our own static files, so an injected
# <script> or on*="" handler never runs (tests/test_headers.py keeps templates free of them).
# Inline styles are still allowed: a few templates carry a <style> block.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
if SECURE:
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_SSL_REDIRECT = os.environ.get("VANGNET_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Two-factor: TOTP with backup codes, set up at first login.
TWO_FACTOR_PATCH_ADMIN = False
OTP_TOTP_ISSUER = "Vangnet"
TWO_FACTOR_REMEMBER_COOKIE_AGE = None

# Lock-out: five failures lock the account name and, separately, the client address. The client
# address is REMOTE_ADDR unless VANGNET_TRUSTED_PROXY_COUNT says how many proxies to trust, so a
# forged X-Forwarded-For header changes nothing.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "auth-username"
AXES_USERNAME_CALLABLE = "vangnet.accounts.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "vangnet.core.net.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
TRUSTED_PROXY_COUNT = int(os.environ.get("VANGNET_TRUSTED_PROXY_COUNT", "0"))

LANGUAGE_CODE = "nl"
# The product speaks Dutch, whatever language the browser asks for.
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG or DEMO

# E-mail: demo mode writes mail to files under var/mail (and tests use locmem).
EMAIL_BACKEND = os.environ.get(
    "VANGNET_EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEMO
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("VANGNET_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("VANGNET_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("VANGNET_FROM_EMAIL", "Vangnet <noreply@vangnet.example>")
# Links in e-mails (student portal activation) are built on this address.
VANGNET_PUBLIC_URL = os.environ.get("VANGNET_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

# Celery: without a broker every task runs inline.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # a worker logs through LOGGING below, quiet included
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "deliver-outbox": {"task": "vangnet.notifications.tasks.deliver_pending", "schedule": 60.0},
    "nightly": {"task": "vangnet.core.tasks.nightly", "schedule": crontab(hour=2, minute=15)},
    # Checked imports nobody applied within 7 days are failed and their stored file removed.
    "expire-imports": {
        "task": "vangnet.transfers.tasks.expire_imports",
        "schedule": crontab(hour=3, minute=0),
    },
}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if not os.environ.get("VANGNET_REDIS_URL")
    else {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["VANGNET_REDIS_URL"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_bsn": {"()": "vangnet.core.logging.RedactNumbersFilter"},
        "quiet_403": {"()": "vangnet.core.logging.QuietForbiddenFilter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_bsn"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("VANGNET_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Quiet by default: WeasyPrint logs every rendering step, fontTools every font subset,
        # Celery a line per finished task. Their warnings and errors still show.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
        # A 403 is one line ("Forbidden (Permission denied): /path"), never a traceback.
        "django.request": {
            "filters": [] if os.environ.get("VANGNET_LOG_403_TRACEBACKS") == "1" else ["quiet_403"],
        },
    },
}

PAGE_SIZE = 25
NAZORG_YEARS = 2
CSRF_FAILURE_VIEW = "vangnet.core.views.csrf_failure"
