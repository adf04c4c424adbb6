"""Settings for lanskompott: one module, production differences from the environment.

Every default here is the safe production value, except where ``DJANGO_DEBUG=true``
(the README's run command) turns on the embedded development defaults: an SQLite
file, a Celery broker on the file system and plain-HTTP cookies.
See README.md for the table of every environment variable.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from lanskompott.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("LANSKOMPOTT_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)
# The demo (printed TOTP secrets, demo users) exists only on a development machine.
DEMO_MODE = DEBUG and env_bool("LANSKOMPOTT_DEMO", False)

# Required in production; a fixed, clearly unsafe key only when DEBUG is on.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "django-insecure-development-only") if DEBUG else env_str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "guardian",
    "axes",
    "csp",
    "accounts",
    "municipalities",
    "cases",
    "notifications",
    "reports",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lanskompott.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Lets audit events written by the services carry the request's address and page.
    "audit.context.AuditContextMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    # Records a DENIED audit event for a 403/404 under the case and report pages.
    "audit.middleware.DeniedAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the final answer of the authentication middleware chain.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lanskompott.urls"
WSGI_APPLICATION = "lanskompott.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lanskompott.context_processors.navigation",
            ],
        },
    },
]

# SQLite file by default, so that the development run needs no server.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lanskompott.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo's web process and Celery worker share one SQLite file. A deferred transaction that reads and then
    # writes fails at once with "database is locked" when the other process writes; an immediate one takes the
    # write lock at BEGIN and waits for it (up to ``timeout`` seconds). WAL lets reads go on during a write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username/address before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: 30 minutes idle (the cookie age, renewed on every request) and 12 hours absolute
# (checked on the server by accounts.middleware.SessionLimitsMiddleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_LIMIT = timedelta(hours=12)
SESSION_COOKIE_NAME = "__Host-sessionid" if not DEBUG else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if not DEBUG else "csrftoken"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Strict"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# HTTPS and browser hardening. The proxy in front of gunicorn sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else 2 * 365 * 24 * 3600
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}

# Two-factor sign-in (django-otp). The issuer is neutral: it names no network.
OTP_TOTP_ISSUER = env_str("LANSKOMPOTT_OTP_ISSUER", "Socialtjänst")
OTP_TOTP_THROTTLE_FACTOR = 1

# Brute force: 5 failures for one username from one address locks it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Behind TRUSTED_PROXY_COUNT proxies the client address is the X-Forwarded-For hop the outermost
# one appended (accounts.client_ip); 0 means REMOTE_ADDR, so a client cannot choose its own address.
TRUSTED_PROXY_COUNT = env_int("LANSKOMPOTT_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip_address"

# Object permissions: no anonymous user object.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# E-mail: console in development, SMTP from the environment in production.
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The absolute address used in the links of e-mails.
SITE_URL = env_str("LANSKOMPOTT_SITE_URL", "http://127.0.0.1:8000") if DEBUG else env_str("LANSKOMPOTT_SITE_URL")

# Celery: Redis in production; in development a broker on the file system, so no server is needed.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # Otherwise kombu writes its exchange files into the current directory.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {"visibility_timeout": 3600}
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)

# The document title printed on PDFs; it must not name the network.
PDF_DOCUMENT_ORGANISATION = env_str("LANSKOMPOTT_PDF_ORGANISATION", "Socialtjänsten")
# Free text and request forms of a closed case are erased after this many months.
CASE_RETENTION_MONTHS = env_int("LANSKOMPOTT_RETENTION_MONTHS", 24)

# Periodic work (Celery beat, one process). Each app adds its own entry to this dict.
CELERY_BEAT_SCHEDULE = globals().get("CELERY_BEAT_SCHEDULE", {})
CELERY_BEAT_SCHEDULE["cases-erase-expired"] = {
    "task": "cases.tasks.erase_expired_cases_task",
    "schedule": crontab(hour=3, minute=30),
}

# Every handler carries the identity-number scrubber (lanskompott.logging); a handler added here must list it
# too (tests/security/test_canary.py checks). Django's loggers write through the root handler, not their own.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub_identifiers": {"()": "lanskompott.logging.ScrubIdentifiersFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["scrub_identifiers"]}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # Never log request bodies or template variables: they can hold case text.
    "loggers": {
        "django.template": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "django": {"handlers": [], "level": "INFO", "filters": ["scrub_identifiers"]},
        "django.request": {"filters": ["scrub_identifiers"]},
        "django.server": {"handlers": ["console"], "propagate": False, "filters": ["scrub_identifiers"]},
        "django.security": {"filters": ["scrub_identifiers"]},
        "celery": {"filters": ["scrub_identifiers"]},
        "axes": {"filters": ["scrub_identifiers"]},
    },
}
# Error reports (the DEBUG page and mailed reports) show no posted value and mask identity numbers.
DEFAULT_EXCEPTION_REPORTER_FILTER = "lanskompott.logging.ScrubbingExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "lanskompott.logging.ScrubbingExceptionReporter"

# Celery beat: periodic scans of the database (never ETA tasks for deadlines weeks away).
# One dict; each app adds its own entry.
CELERY_BEAT_SCHEDULE = globals().get("CELERY_BEAT_SCHEDULE", {})
CELERY_BEAT_SCHEDULE["notifications-reminders-scan"] = {
    "task": "notifications.tasks.reminders_scan_task",
    "schedule": timedelta(minutes=5),
}

# Seconds before a silent mail server is given up on; the reminder scan then retries on its next run.
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 30)
