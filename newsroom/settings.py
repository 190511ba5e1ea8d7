"""
Settings for Newsroom, read from the environment (12-factor).

Every variable is listed with its default in README.md. Production-only
features (Redis cache, hashed static files, HTTPS hardening) switch on from
the environment, never from a separate settings file.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from newsroom.media import storages_from_environment

BASE_DIR = Path(__file__).resolve().parent.parent

# The test runner sets its own safe values; nothing else reads this flag.
TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see README, 'Environment variables')."
        )
    SECRET_KEY = "insecure-key-for-local-development-and-tests-only"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",  # Django's admin with the newsroom's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_prose_editor",
    "taggit",
    "reversion",
    "django_tasks",
    "django_tasks_db",
    "health_check",
    "articles",
]

MIDDLEWARE = [
    "newsroom.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "newsroom.middleware.PrivateResponseMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "articles.public.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock from the start of their transaction instead of failing with
    # "database is locked" when two saves meet; WAL lets readers carry on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL := os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
        }
    }
    # Sessions read from Redis, written through to the database: a Redis restart logs no one out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Each process has its own: fine for one process, wrong for several ("who else has this
    # story open", throttles). A production server must say it runs alone.
    if not (DEBUG or TESTING or env_bool("NEWSROOM_SINGLE_PROCESS")):
        raise ImproperlyConfigured(
            "REDIS_URL is not set, so each server process would keep its own cache and editors "
            "would not see each other; set REDIS_URL, or NEWSROOM_SINGLE_PROCESS=1 if this site "
            "really runs as a single process (see docs/deploy.md)."
        )
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work (photo renditions, wire imports, cache purges, webhooks) runs in the task
# worker, `manage.py db_worker`, from a queue kept in the database: no extra server to run.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": [],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "photos:library"
LOGOUT_REDIRECT_URL = "articles:home"

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en-us")
# Datetimes are stored in UTC; TIME_ZONE is the newsroom's zone for display and article URLs.
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Original uploads keep the photographer's metadata: they live outside MEDIA_ROOT
# and have no URL, so only staff views can read them. With NEWSROOM_S3_* set, both kinds
# of media go to buckets instead (newsroom/media.py).
PHOTO_ORIGINALS_ROOT = Path(os.environ.get("PHOTO_ORIGINALS_ROOT", BASE_DIR / "private" / "originals"))

STORAGES = storages_from_environment(
    os.environ,
    originals_root=PHOTO_ORIGINALS_ROOT,
    # Hashed names need `collectstatic`; development and tests serve from the apps.
    staticfiles_backend="django.contrib.staticfiles.storage.StaticFilesStorage"
    if DEBUG or TESTING
    else "whitenoise.storage.CompressedManifestStaticFilesStorage",
)

PHOTO_MAX_UPLOAD_BYTES = env_int("PHOTO_MAX_UPLOAD_BYTES", 40 * 1024 * 1024)
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 100_000_000)
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("DATA_UPLOAD_MAX_NUMBER_FILES", 100)
FILE_UPLOAD_PERMISSIONS = 0o644

NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "The Newsroom")
# How long shared caches may keep a public page; scheduled stories appear within this bound.
NEWSROOM_PUBLIC_CACHE_SECONDS = env_int("NEWSROOM_PUBLIC_CACHE_SECONDS", 60)
# Caches in front (Varnish with xkey) told which pages a change made stale, e.g.
# http://10.0.0.5:6081/,http://10.0.0.6:6081/ (docs/deploy.md). Empty: nothing is sent.
NEWSROOM_PURGE_URLS = env_list("NEWSROOM_PURGE_URLS")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
TAGGIT_CASE_INSENSITIVE = True

# HTTPS hardening: on by default in production, off for local HTTP and tests.
SECURE = not (DEBUG or TESTING)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", SECURE)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", SECURE)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# JSON lines in production (one object per line, with request_id and user_id: see
# newsroom/middleware.py); plain text for people reading a terminal.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG or TESTING else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "newsroom.logging.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # The request log middleware writes one line per request, with more in it.
        "django.server": {"level": "WARNING"},
    },
}
