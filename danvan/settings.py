"""Settings for the Dân vận khéo portal.

Every value that differs between a laptop and a production server comes from the
environment; see docs/configuration.md for the full list. Development defaults are
safe to run on 127.0.0.1 only: with DEBUG off the portal refuses to start without a
SECRET_KEY and ALLOWED_HOSTS.
"""

from datetime import timedelta
from pathlib import Path

import bootstrap_wrapper
import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from danvan.env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The address the portal is reached at, for links in e-mails sent outside a request.
SITE_URL = (env("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "danvan.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "danvan.apps.SignInLockoutConfig",  # axes
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "danvan.apps.DanvanConfig",
    "danvan.accounts",
    "danvan.audit",
    "danvan.documents",
    "danvan.jobs.apps.JobsConfig",
    "danvan.apps.BackgroundJobsConfig",  # django_tasks_db
    "campaigns",
    "models_registry",
    "evaluations",
    "awards",
    "notifications",
    "inbox",
    "reports",
    "province",
    "api",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "danvan.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything is read from the database (danvan/pagecache.py).
    "danvan.pagecache.DatabaseStateMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "danvan.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "danvan.accounts.middleware.CurrentOrganizationMiddleware",
    "danvan.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

# The load test's baseline view (danvan/benchmark_urls.py) is mounted only on request.
BENCHMARK_VIEWS = env_bool("BENCHMARK_VIEWS", False)
ROOT_URLCONF = "danvan.benchmark_urls" if BENCHMARK_VIEWS else "danvan.urls"
WSGI_APPLICATION = "danvan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "danvan.context_processors.portal",
                "notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# The same engines with rollback hooks (danvan.db.rollback), which remove the files a
# rolled-back transaction wrote.
PORTAL_ENGINES = {
    "django.db.backends.postgresql": "danvan.db.backends.postgresql",
    "django.db.backends.sqlite3": "danvan.db.backends.sqlite3",
}
if DATABASES["default"]["ENGINE"] not in PORTAL_ENGINES:
    raise ImproperlyConfigured("DATABASE_URL must name a PostgreSQL or SQLite database.")
DATABASES["default"]["ENGINE"] = PORTAL_ENGINES[DATABASES["default"]["ENGINE"]]
if DATABASES["default"]["ENGINE"] == "danvan.db.backends.postgresql":
    # The planner's cost of a random read, relative to a sequential one. PostgreSQL's 4
    # assumes spinning disks; on SSDs it makes the planner read a whole table of every
    # organisation's rows (a round's progress: 2 million score sheets) instead of
    # following an index to the organisation's own. Empty leaves the server's setting.
    _pg_options = []
    _random_page_cost = env("PG_RANDOM_PAGE_COST", "1.1")
    if _random_page_cost:
        try:
            float(_random_page_cost)
        except ValueError:
            raise ImproperlyConfigured("PG_RANDOM_PAGE_COST must be a number.") from None
        _pg_options.append(f"-c random_page_cost={_random_page_cost}")
    # PostgreSQL compiles a query to machine code (JIT) once its estimated cost passes a
    # threshold. The pages' aggregates over a large organisation, in a database of many,
    # pass it and spend about 100 ms compiling to save less: off, unless PG_JIT=on.
    if env("PG_JIT", "off") != "on":
        _pg_options.append("-c jit=off")
    if _pg_options:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(_pg_options)
if DATABASES["default"]["ENGINE"] == "danvan.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE transactions take the write lock up front, so two writers queue
    # instead of one failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Two-factor sign-in (TOTP, with one-time backup codes). When required, office staff,
# chairmen, vice-chairmen and superusers enrol at their first sign-in and confirm a code
# at every sign-in; signing and the back office always need a verified session from
# anyone who has enrolled. See docs/two-factor.md.
REQUIRE_2FA = env_bool("REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = "Dân vận khéo"
# Wrong codes make the next try wait 1, 2, 4, 8 … seconds (per device).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Repeated failed logins for one username from one address lock that pair for a while.
AXES_ENABLED = env_bool("LOGIN_THROTTLE", True)
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "danvan.accounts.throttling.lockout_response"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "danvan.accounts.throttling.client_ip"
AXES_USERNAME_CALLABLE = "danvan.accounts.throttling.username"
# Behind a reverse proxy the client's address is the last one the proxy appended.
BEHIND_PROXY = env_bool("BEHIND_PROXY", not DEBUG)
PROXY_COUNT = env_int("PROXY_COUNT", 1)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["danvan.formats"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT") or VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", bootstrap_wrapper.get_bootstrap_dir())]
# Uploaded files are private: no URL serves MEDIA_ROOT, only views that check permission.
MEDIA_ROOT = Path(env("MEDIA_ROOT") or VAR_DIR / "media")
# Where uploads and issued documents are kept: MEDIA_ROOT on this server's disk, or,
# for several app servers, S3-compatible object storage:
#   STORAGE_URL=s3://ACCESS_KEY:SECRET_KEY@bucket/prefix?endpoint_url=https://s3.example.vn&region_name=hn
# Files stay private either way (no public ACL; only the portal's views hand them out).
STORAGE_URL = env("STORAGE_URL") or ""


def storage_from_url(url: str) -> dict:
    from urllib.parse import parse_qs, unquote, urlsplit

    if not url:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname:
        raise ImproperlyConfigured("STORAGE_URL must look like s3://key:secret@bucket/prefix?…")
    options = {
        "bucket_name": parts.hostname,
        "location": parts.path.strip("/"),
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
    }
    if parts.username:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    for key, values in parse_qs(parts.query).items():
        if key not in {"endpoint_url", "region_name", "addressing_style", "signature_version"}:
            raise ImproperlyConfigured(f"STORAGE_URL: unknown option {key!r}")
        options[key] = values[-1]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": storage_from_url(STORAGE_URL),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# In development whitenoise serves straight from the apps' and packages' static folders.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_PERMISSIONS = 0o640
# Evidence attached to a registration: per file, and all of one registration's files.
EVIDENCE_MAX_FILE_MB = env_int("EVIDENCE_MAX_FILE_MB", 10)
EVIDENCE_MAX_TOTAL_MB = env_int("EVIDENCE_MAX_TOTAL_MB", 50)
# Uploads that expand are refused (danvan/uploads.py): images with more pixels than this,
# and Office files (zip archives) that would unpack to more than the size, or whose parts
# are compressed beyond the ratio.
UPLOAD_MAX_IMAGE_MEGAPIXELS = env_int("UPLOAD_MAX_IMAGE_MEGAPIXELS", 100, minimum=1)
UPLOAD_MAX_UNCOMPRESSED_MB = env_int("UPLOAD_MAX_UNCOMPRESSED_MB", 200, minimum=1)
UPLOAD_MAX_COMPRESSION_RATIO = env_int("UPLOAD_MAX_COMPRESSION_RATIO", 100, minimum=2)
# Digital signatures on issued PDFs (docs/signatures.md). Keys never live in the database
# or the repository: SIGNING_KEYS_DIR holds one PKCS#12 file per organisation,
# "<organisation code>.p12", its password in "<code>.password" beside it (or
# SIGNING_KEYS_PASSWORD for all) and optionally the seal's image "<code>.png". An
# organisation without a file issues its documents unsigned. SIGNING_TRUST_DIR holds the
# trust anchors (root and intermediate certificates) that signatures are checked against.
SIGNING_TEST_DIR = VAR_DIR / "test-signing"  # the demo's throwaway CA (DEBUG only)
SIGNING_KEYS_DIR = env("SIGNING_KEYS_DIR") or (SIGNING_TEST_DIR / "seals" if DEBUG else None)
SIGNING_KEYS_PASSWORD = env("SIGNING_KEYS_PASSWORD") or ""
SIGNING_TRUST_DIR = env("SIGNING_TRUST_DIR") or (SIGNING_TEST_DIR / "trust" if DEBUG else None)
# A timestamp server (RFC 3161): seals become PAdES B-T instead of B-B.
SIGNING_TIMESTAMP_URL = env("SIGNING_TIMESTAMP_URL") or ""
# Fetch OCSP/CRL revocation data while checking signatures (needs outbound HTTP).
SIGNING_FETCH_REVOCATION = env_bool("SIGNING_FETCH_REVOCATION", False)
# A TrueType font with Vietnamese letters for the seal's appearance (default: found by
# fontconfig, Liberation Serif).
SIGNING_APPEARANCE_FONT = env("SIGNING_APPEARANCE_FONT") or ""

# Evaluators with pending scores are reminded this many days before a round closes.
EVALUATION_REMINDER_DAYS = env_int("EVALUATION_REMINDER_DAYS", 3)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

_EMAIL_BACKEND = env("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND}}
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env("EMAIL_HOST") or "localhost",
        "port": env_int("EMAIL_PORT", 25),
        "username": env("EMAIL_HOST_USER") or "",
        "password": env("EMAIL_HOST_PASSWORD") or "",
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": env_int("EMAIL_TIMEOUT", 20),
    }
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL") or "Dân vận khéo <no-reply@localhost>"
SERVER_EMAIL = env("SERVER_EMAIL") or DEFAULT_FROM_EMAIL
ADMINS = [("Admin", address) for address in env_list("ADMINS")]

# The cache: this process's memory, or a Redis server shared by every app server
# (CACHE_URL or REDIS_URL, e.g. redis://127.0.0.1:6379/1). Sessions are in the database.
CACHE_URL = env("CACHE_URL") or env("REDIS_URL") or ""
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("CACHE_URL must be a redis:// address.")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Pages served again while the database is unchanged (danvan/pagecache.py): each
    # process keeps its own, so that a new release never serves the last one's pages.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "TIMEOUT": env_int("PAGE_CACHE_SECONDS", 600, minimum=0),
        "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", 300, minimum=1)},
    },
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background work (django.tasks): "database" queues tasks for the worker
# (``manage.py db_worker``, see docs/deploy.md); "immediate" runs each one at once in
# the process that asked, which is how `make run` and the tests work without a worker.
TASKS_BACKEND = env("TASKS_BACKEND") or ("immediate" if DEBUG else "database")
_TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'immediate' or 'database'.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
# A document with more table lines than this (a decision's awardees, a council meeting's
# votes) is rendered in the background, not while its reader waits: a PDF takes about
# 8 ms a line on two cores (a 300-awardee decision, 2.4 s).
LONG_DOCUMENT_LINES = env_int("LONG_DOCUMENT_LINES", 300)
# The same for a Word file, about 0.3–0.5 ms a line (3,000 lines, 1–1.5 s).
LONG_DOCX_LINES = env_int("LONG_DOCX_LINES", 3000)
# A long document handed to the worker is "being made" for this long; after it, its page
# offers to make the files again (a worker that stopped, a queue that lost the job).
RENDER_PATIENCE_MINUTES = env_int("RENDER_PATIENCE_MINUTES", 15)
# An Excel export of more rows than this is made in the background (the page offers only
# that): a registration row takes about 2 ms, a round's score row 0.6 ms.
LONG_EXPORT_ROWS = env_int("LONG_EXPORT_ROWS", 2000)

# The read API (docs/api.md): Django REST framework, OpenAPI by drf-spectacular, the
# docs page's Swagger UI from drf-spectacular-sidecar (served by the portal, no CDN).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "DEFAULT_SCHEMA_CLASS": "api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dân vận khéo – read API",
    "DESCRIPTION": "Read-only access to an organisation's campaigns, registrations, "
    "evaluations and awards. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "danvan.accounts.models.Organization.Kind",
        "UnitKindEnum": "danvan.accounts.models.Unit.Kind",
        "CampaignKindEnum": "campaigns.models.Campaign.Kind",
        "CampaignStatusEnum": "campaigns.models.Campaign.Status",
        "RegistrationStatusEnum": "models_registry.models.Registration.Status",
        "RoundKindEnum": "evaluations.models.Round.Kind",
        "RoundStatusEnum": "evaluations.models.Round.Status",
        "NominationKindEnum": "awards.models.Nomination.Kind",
        "NominationStatusEnum": "awards.models.Nomination.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.integer_ids",
    ],
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL") or "INFO"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
