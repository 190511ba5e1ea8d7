"""
Settings for Newsroom, read from the environment (12-factor).

Every variable is listed with its default in README.md. Production-only
features (Redis cache, hashed static files, HTTPS hardening) switch on from
the environment, never from a separate settings file.
"""

import datetime
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django_prose_editor.config import html_tags
from js_asset import static_lazy

from newsroom.media import storages_from_environment

BASE_DIR = Path(__file__).resolve().parent.parent

# Set only by tests/settings.py, the test suite's settings module: it allows the development
# SECRET_KEY, plain HTTP and unhashed static files without DEBUG.
TESTING = os.environ.get("NEWSROOM_TESTING") == "1"


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
    "ninja",  # serves the API docs page's scripts locally instead of from a CDN
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "csp",
    "health_check",
    "articles",
]

# The story body editor's own extension: library photos and galleries placed by reference.
# The body keeps only <figure data-photo-id> / <figure data-gallery-id> (stories/sanitize.py).
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("articles/admin/body-media.js")],
        "extensions": {
            "LibraryMedia": html_tags(
                ["figure", "figcaption"], {"figure": ["data-photo-id", "data-gallery-id"]}
            )
        },
    }
]

MIDDLEWARE = [
    "newsroom.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "articles.public.unavailable.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "newsroom.middleware.PrivateResponseMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "articles.security.csp.StaffAreaPolicyMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Give up on an unreachable database in seconds, not the driver's minutes: readers get
    # the 503 page (articles/public/unavailable.py) instead of a hung worker.
    # Parallel workers take about 10 ms to start: a web request's queries (a page of results
    # from an index) finish sooner without them, and under load they take cores from other
    # requests. Measured: a rare search word at a million stories, 10 ms with two workers,
    # 0.3 ms without (bench/README.md).
    parallel = env_int("DATABASE_MAX_PARALLEL_WORKERS", 0)
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 5),
        "options": f"-c max_parallel_workers_per_gather={parallel}",
        **DATABASES["default"].get("OPTIONS", {}),
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
            # Django's, reusing its Redis client (newsroom/cache.py).
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
            # The cache only holds hints: a Redis that is down or slow must not hold up a page.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
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
# django-axes checks every login (admin, accounts, two-factor) before the password is tried.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failures are counted per username and address together, so a guesser cannot lock a
# colleague out from elsewhere, and the right password is refused until the cool-off ends.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a reverse proxy every login comes from the proxy's address: give the number of
# proxies so the client's address is read from X-Forwarded-For instead.
if AXES_IPWARE_PROXY_COUNT := env_int("AXES_PROXY_COUNT", 0):
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_PROXY_COUNT = None
# Two-factor sign-in (django-two-factor-auth): staff in these groups must enrol a TOTP app
# and enter a code at each login before the admin or the photo desk opens. Everyone else may
# enrol. Set to an empty value only for a local demo.
NEWSROOM_2FA_REQUIRED_GROUPS = env_list("NEWSROOM_2FA_REQUIRED_GROUPS", "Editor")
TWO_FACTOR_PATCH_ADMIN = False  # the newsroom's admin site does it (articles/security/two_factor.py)
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
# Threads encoding one photo's renditions in the worker; 1 leaves the other cores to other workers.
PHOTO_RENDITION_THREADS = env_int("PHOTO_RENDITION_THREADS", 1)
# A photo still processing after this many minutes with no task waiting or running for it (a
# worker that crashed) is queued once more by the periodic job, then marked failed.
PHOTO_STALLED_AFTER_MINUTES = env_int("PHOTO_STALLED_AFTER_MINUTES", 15)
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("DATA_UPLOAD_MAX_NUMBER_FILES", 100)
FILE_UPLOAD_PERMISSIONS = 0o644
# Django's two upload handlers, each also taking the file's SHA-256 as it streams in (the photo
# desk names and de-duplicates files by it).
FILE_UPLOAD_HANDLERS = [
    "articles.photos.uploads.HashingMemoryFileUploadHandler",
    "articles.photos.uploads.HashingTemporaryFileUploadHandler",
]

NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "The Newsroom")
# The site's public address, for links in webhook deliveries (which have no request to read it from).
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "http://127.0.0.1:8000")
# A failed webhook delivery is tried again after this many seconds, then twice as long each time.
NEWSROOM_WEBHOOK_FIRST_RETRY_SECONDS = env_int("NEWSROOM_WEBHOOK_FIRST_RETRY_SECONDS", 30)
OTP_TOTP_ISSUER = NEWSROOM_SITE_NAME  # the name authenticator apps show beside the code
# How long shared caches may keep a public page; scheduled stories appear within this bound.
NEWSROOM_PUBLIC_CACHE_SECONDS = env_int("NEWSROOM_PUBLIC_CACHE_SECONDS", 60)
# Rendered story pages kept in the cache (articles/public/pagecache.py), on with Redis.
NEWSROOM_PAGE_CACHE = env_bool("NEWSROOM_PAGE_CACHE", bool(os.environ.get("REDIS_URL")))

# Content-Security-Policy (django-csp) on every page: nothing inline may run, images come
# from the site and the media host only, and no other site may frame a page. The staff
# areas' few additions are in articles/security/csp.py.
_media = urlsplit(MEDIA_URL)
CSP_MEDIA_SOURCES = [f"{_media.scheme}://{_media.netloc}"] if _media.scheme and _media.netloc else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, *CSP_MEDIA_SOURCES, *env_list("CSP_EXTRA_IMG_SOURCES")],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": os.environ.get("CSP_REPORT_URI", "/csp-report/"),
    }
}
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

# Mail (password resets): an EMAIL_URL such as smtp+tls://user:password@mail.example.org:587,
# or the EMAIL_* variables one by one. With DEBUG and neither, mails are printed to the console.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
if EMAIL_URL := os.environ.get("EMAIL_URL"):
    _mail = urlsplit(EMAIL_URL)
    EMAIL_HOST = _mail.hostname or EMAIL_HOST
    EMAIL_USE_TLS = _mail.scheme in {"smtp+tls", "submission"}
    EMAIL_USE_SSL = _mail.scheme in {"smtps", "smtp+ssl"}
    EMAIL_PORT = _mail.port or (465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25)
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
_mail_configured = bool(EMAIL_URL or os.environ.get("EMAIL_HOST"))
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not _mail_configured
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)  # a slow mail server must not hold a request for minutes
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


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
