"""Portalwerk's one settings module: every value comes from the environment (see README)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from csp import constants as csp_constants
from django.contrib import admin as django_admin
from django.core.exceptions import ImproperlyConfigured

from portalwerk.platform import env
from portalwerk.platform.observability import logs as observability_logs
from portalwerk.platform.plugins import installation as plugins

BASE_DIR = Path(__file__).resolve().parent
PORTALWERK_HOME = env.home()

DEBUG = env.flag("DJANGO_DEBUG", False)
TESTING = env.flag("PORTALWERK_TESTING", False)

SECRET_KEY = os.environ.get("PORTALWERK_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = env.dev_secret_key(PORTALWERK_HOME)
    else:
        raise ImproperlyConfigured(
            "PORTALWERK_SECRET_KEY is not set. Production refuses to start without a secret key."
        )

PORTALWERK_BASE_DOMAIN = os.environ.get("PORTALWERK_BASE_DOMAIN", "localhost")
# Set (even empty) it wins; otherwise the port of a demo running on this home, so that
# `portalwerk tenants list` beside `portalwerk demo --port N` prints URLs with N.
PORTALWERK_PUBLIC_PORT = os.environ.get("PORTALWERK_PUBLIC_PORT")
if PORTALWERK_PUBLIC_PORT is None:
    PORTALWERK_PUBLIC_PORT = env.served_port(PORTALWERK_HOME) or ("8000" if DEBUG else "")
PORTALWERK_SCHEME = os.environ.get("PORTALWERK_SCHEME", "http" if DEBUG or TESTING else "https")
PORTALWERK_TENANT_CACHE_SECONDS = env.integer("PORTALWERK_TENANT_CACHE_SECONDS", 30)

# Unknown hosts are answered by the tenant middleware with a 404 page, which is the host check.
ALLOWED_HOSTS = ["*"]

# Plugins (platform/plugins/): per kind the enabled plugin packages, from PORTALWERK_<KIND>_PLUGINS;
# a plugin package with an apps.py is a Django app and joins the apps below by itself. Demo
# plugins (offline stand-ins, e.g. the demo payment provider) only where development, tests or an
# operator turn them on.
PORTALWERK_DEMO_PLUGINS = env.flag("PORTALWERK_DEMO_PLUGINS", DEBUG or TESTING)
# Keycloak (platform/accounts/identity/contrib/keycloak): setting KEYCLOAK_SERVER_URL switches
# single sign-on on, before local accounts (which keep working), unless the identity plugins
# are listed explicitly.
KEYCLOAK_SERVER_URL = os.environ.get("KEYCLOAK_SERVER_URL", "").rstrip("/")
KEYCLOAK_REALM = os.environ.get("KEYCLOAK_REALM", "")
KEYCLOAK_CLIENT_ID = os.environ.get("KEYCLOAK_CLIENT_ID", "")
KEYCLOAK_CLIENT_SECRET = os.environ.get("KEYCLOAK_CLIENT_SECRET", "")
KEYCLOAK_TIMEOUT_SECONDS = env.integer("KEYCLOAK_TIMEOUT_SECONDS", 10)
# How far Keycloak's clock may be ahead of or behind ours when token times are checked.
KEYCLOAK_CLOCK_SKEW_SECONDS = env.integer("KEYCLOAK_CLOCK_SKEW_SECONDS", 30)
# State accounts brokered by Keycloak (README, "State accounts"): the identity providers' aliases,
# each with the kind of account it signs in (`alias:person` or `alias:business`); the ID-token
# claim carrying the level of assurance, and which of its values mean which level (`value=level`).
KEYCLOAK_STATE_ACCOUNTS = env.words("KEYCLOAK_STATE_ACCOUNTS", [])
KEYCLOAK_LEVEL_CLAIM = os.environ.get("KEYCLOAK_LEVEL_CLAIM", "level_of_assurance")
KEYCLOAK_LEVEL_VALUES = env.words(
    "KEYCLOAK_LEVEL_VALUES",
    [
        f"{prefix}{level}={level}"
        for prefix in ("http://eidas.europa.eu/LoA/", "")
        for level in ("low", "substantial", "high")
    ],
)
_plugin_environ = dict(os.environ)
if KEYCLOAK_SERVER_URL:
    _plugin_environ.setdefault("PORTALWERK_IDENTITY_PLUGINS", "keycloak,local")
PORTALWERK_PLUGINS = plugins.enabled_packages(demo=PORTALWERK_DEMO_PLUGINS, environ=_plugin_environ)

SHARED_APPS = [
    "django_tenants",
    "portalwerk.tenants",
    "portalwerk.billing.merchants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "procrastinate.contrib.django",
    "strawberry_django",
    "portalwerk.platform.accounts",
    "portalwerk.platform.portal",
    "portalwerk.platform.formlibrary",
    "portalwerk.graphql",
    "portalwerk.platform.library",
    "portalwerk.platform.ratelimits",  # accounts limits password resets on the platform too
    "portalwerk.platform.mail",  # sent mails by key, in public for operators' mail too
    "portalwerk.platform.audit",  # operators' entries in public, staff entries per tenant
    "portalwerk.platform.plugins",
    "portalwerk.platform.operations",  # health, metrics, the dead-letter tally (public)
    *plugins.plugin_apps(PORTALWERK_PLUGINS, "shared"),
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.admin",
    "portalwerk.platform.accounts",
    "portalwerk.platform.appointments",
    "portalwerk.billing.payments",
    "portalwerk.platform.forms",
    "portalwerk.platform.casework",
    "portalwerk.platform.handover",
    "portalwerk.platform.datasources",
    "portalwerk.platform.catalog",
    "portalwerk.platform.ratelimits",
    "portalwerk.platform.mail",
    "portalwerk.platform.audit",
    *plugins.plugin_apps(PORTALWERK_PLUGINS, "tenant"),
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
TENANT_BASE_SCHEMA = "tenant_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
PUBLIC_SCHEMA_URLCONF = "portalwerk.platform.urls_public"
ROOT_URLCONF = "portalwerk.platform.urls_tenant"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

MIDDLEWARE = [
    # probes before everything (no tenant routing: a probe by pod IP works), then request metrics
    "portalwerk.platform.operations.middleware.ProbeMiddleware",
    "portalwerk.platform.operations.middleware.RequestMetricsMiddleware",
    "portalwerk.platform.audit.middleware.RequestIdMiddleware",
    "portalwerk.tenants.routing.TenantRoutingMiddleware",
    "portalwerk.platform.observability.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "portalwerk.platform.security.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portalwerk.platform.authz.middleware.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Overrides of django.contrib.admin's own templates (admin/base_site.html); then the
        # admin's own folder, so that its index and app list win over django-tenants' copies,
        # which colour the apps with inline styles the Content-Security-Policy refuses.
        "DIRS": [
            BASE_DIR / "portal" / "overrides",
            Path(django_admin.__file__).parent / "templates",
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portalwerk.platform.portal.context.portal",
                "portalwerk.platform.catalog.context.branding",
                "portalwerk.platform.authz.context.caps",
            ],
        },
    }
]

WSGI_APPLICATION = "portalwerk.platform.wsgi.application"

DATABASES = {"default": env.database(PORTALWERK_HOME)}
# django-tenants' backend, counting the schemas each connection used (tenants/connections.py)
DATABASES["default"]["ENGINE"] = "portalwerk.tenants.postgresql_backend"
DATABASES["default"]["CONN_MAX_AGE"] = env.integer("PORTALWERK_DB_CONN_MAX_AGE", 60)
# A connection that has used this many schemas is closed after its request or job: each
# PostgreSQL server process keeps 125-175 KB per tenant it touched (docs/operators/scaling.md).
PORTALWERK_DB_MAX_TENANTS_PER_CONNECTION = env.integer(
    "PORTALWERK_DB_MAX_TENANTS_PER_CONNECTION", 100
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["portalwerk.platform.accounts.identity.backend.IdentityBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "/"

# Sessions and CSRF cookies are host-only (no Domain attribute): a cookie set by one tenant's
# host is never sent to another's, and each schema keeps its own session table as well.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_SECURE = PORTALWERK_SCHEME == "https"
CSRF_COOKIE_SECURE = PORTALWERK_SCHEME == "https"
LANGUAGE_COOKIE_SECURE = PORTALWERK_SCHEME == "https"
# Every tenant is a subdomain of one base domain, so a tenant's page could otherwise set a cookie
# for the parent domain that another tenant's host would receive under the same name. Browsers
# accept a `__Host-` cookie only when it is Secure, has Path=/ and no Domain, so such a cookie
# cannot be planted from a sibling host (the prefix needs https; development keeps plain names).
_COOKIE_PREFIX = "__Host-" if PORTALWERK_SCHEME == "https" else ""
SESSION_COOKIE_NAME = f"{_COOKIE_PREFIX}sessionid"
CSRF_COOKIE_NAME = f"{_COOKIE_PREFIX}csrftoken"
LANGUAGE_COOKIE_NAME = f"{_COOKIE_PREFIX}django_language"
MESSAGE_STORAGE = "portalwerk.platform.security.cookies.MessageStorage"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.integer("PORTALWERK_SESSION_SECONDS", 8 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PORTALWERK_SCHEME == "https":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.integer("PORTALWERK_HSTS_SECONDS", 31536000)

# Content-Security-Policy (django-csp) on every response: scripts and styles only from our own
# static files, or inline with the per-request nonce (`request.csp_nonce`; the tenant's brand
# colour is the one inline style). No 'unsafe-inline'. GraphiQL, a development tool that loads
# from a CDN, is left out where DEBUG serves it.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/graphql/"] if DEBUG else [],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", csp_constants.NONCE],
        "style-src": ["'self'", csp_constants.NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}
# The anonymous page cache (platform/catalog/pagecache.py), shared by every web process: an
# unlogged public-schema table (the portal app's migration), the pages nearest expiry culled
# first past PORTALWERK_PAGE_CACHE_ENTRIES. Sizes measured: docs/operators/scaling.md.
CACHES["pages"] = {
    "BACKEND": "portalwerk.platform.catalog.pagecache.SharedPageCache",
    "LOCATION": "portalwerk_page_cache",
    "KEY_FUNCTION": "django_tenants.cache.make_key",
    "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    "TIMEOUT": env.integer("PORTALWERK_PAGE_CACHE_SECONDS", PORTALWERK_TENANT_CACHE_SECONDS),
    "OPTIONS": {
        "MAX_ENTRIES": env.integer("PORTALWERK_PAGE_CACHE_ENTRIES", 20000),
        "CULL_FREQUENCY": 10,
    },
}

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Berlin"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("PORTALWERK_STATIC_ROOT", PORTALWERK_HOME / "static"))
# Static files are served from the apps through WhiteNoise's finders; collectstatic is optional.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(os.environ.get("PORTALWERK_MEDIA_ROOT", PORTALWERK_HOME / "media"))

# Forms: uploads (kept under MEDIA_ROOT/<schema>/uploads/, never under a public URL), the
# optional clamd malware scan, resume links and drafts.
PORTALWERK_UPLOAD_MAX_BYTES = env.integer("PORTALWERK_UPLOAD_MAX_BYTES", 10_000_000)
PORTALWERK_CLAMD_SOCKET = os.environ.get("PORTALWERK_CLAMD_SOCKET", "")  # unix socket path
PORTALWERK_CLAMD_HOST = os.environ.get("PORTALWERK_CLAMD_HOST", "")  # host:port
PORTALWERK_RESUME_LINK_HOURS = env.integer("PORTALWERK_RESUME_LINK_HOURS", 72)
# How long a submission's access link (mailed with the receipt and each notice) works.
PORTALWERK_SUBMISSION_LINK_DAYS = env.integer("PORTALWERK_SUBMISSION_LINK_DAYS", 180)
# Per client address and hour (see platform/forms/throttle.py).
PORTALWERK_FORM_RATE_LIMITS = {
    "start": env.integer("PORTALWERK_FORM_STARTS_PER_HOUR", 60),
    "submit": env.integer("PORTALWERK_FORM_SUBMITS_PER_HOUR", 20),
}
# What follows every submit, in the submit's own transaction: dotted paths of functions called
# as f(actor=..., submission=...). Forms cannot import the apps above it (payments holds the
# hand-over of a submission with a fee until it is paid), so they are named here.
PORTALWERK_AFTER_SUBMIT = [
    # first the outbox (one delivery per target, held while a fee is unpaid), then payments,
    # which releases them at once for forms that hand over before payment
    "portalwerk.platform.handover.outbox.open_deliveries",
    "portalwerk.billing.payments.handover.prepare_submission",
]
# The catalogue shows the fee of a service's online form from the forms app's calculation.
PORTALWERK_SERVICE_FORM_FEE = "portalwerk.platform.forms.fees.fee_of_form_url"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Payments (billing/): a tenant with a connected Stripe account pays through Stripe, any other
# through the default provider. The demo provider takes no money: it is the default only where
# demo plugins are on.
PORTALWERK_PAYMENT_DEFAULT_PROVIDER = os.environ.get(
    "PORTALWERK_PAYMENT_DEFAULT_PROVIDER", "demo" if PORTALWERK_DEMO_PLUGINS else ""
)
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")  # e.g. stripe-mock in tests

# The installation's sender address; a tenant may have its own (Tenant.mail_from). The display
# name is always the tenant's ("Stadt Musterstadt – Serviceportal", platform/mail).
DEFAULT_FROM_EMAIL = os.environ.get("PORTALWERK_MAIL_FROM", f"noreply@{PORTALWERK_BASE_DOMAIN}")
# Bounds how long a send holds its record's transaction open (platform/mail).
EMAIL_TIMEOUT = env.integer("EMAIL_TIMEOUT", 30)
# Mails a client can cause per hour, per recipient and per client address (platform/mail/limits).
PORTALWERK_MAIL_LIMITS = {
    "per_recipient_per_hour": env.integer("PORTALWERK_MAILS_PER_RECIPIENT_PER_HOUR", 6),
    "per_client_per_hour": env.integer("PORTALWERK_MAILS_PER_CLIENT_PER_HOUR", 30),
}
if TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = env.integer("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env.flag("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = PORTALWERK_HOME / "mail"

PROCRASTINATE_AUTODISCOVER_MODULE_NAME = "tasks"
PROCRASTINATE_READONLY_MODELS = True
# The platform's own maintenance jobs, plus task modules an installation adds (comma-separated).
PROCRASTINATE_IMPORT_PATHS = ["portalwerk.platform.jobs"] + env.words(
    "PORTALWERK_EXTRA_TASK_MODULES", []
)
# A worker writes a heartbeat every PORTALWERK_WORKER_HEARTBEAT_SECONDS; one silent for
# PORTALWERK_WORKER_STALLED_SECONDS is taken for dead and its running jobs are retried by the
# recovery job, which runs on PORTALWERK_STALLED_JOBS_CRON (croniter; a sixth field is seconds).
PORTALWERK_WORKER_HEARTBEAT_SECONDS = env.integer("PORTALWERK_WORKER_HEARTBEAT_SECONDS", 10)
PORTALWERK_WORKER_STALLED_SECONDS = env.integer("PORTALWERK_WORKER_STALLED_SECONDS", 60)
PORTALWERK_STALLED_JOBS_CRON = os.environ.get("PORTALWERK_STALLED_JOBS_CRON", "* * * * *")

# Tenant lifecycle (tenants/lifecycle): where offboarding writes each tenant's export, how many
# days after offboarding started the schema is dropped unless the operator says otherwise, and
# when the periodic job looks for offboardings whose grace period is over.
PORTALWERK_EXPORTS_DIR = Path(os.environ.get("PORTALWERK_EXPORTS_DIR", PORTALWERK_HOME / "exports"))
PORTALWERK_OFFBOARDING_GRACE_DAYS = env.integer("PORTALWERK_OFFBOARDING_GRACE_DAYS", 30)
PORTALWERK_OFFBOARDING_PURGE_CRON = os.environ.get(
    "PORTALWERK_OFFBOARDING_PURGE_CRON", "17 * * * *"
)
# With Keycloak on, every tenant's (and the operators') single-sign-on staff whom Keycloak no
# longer lists are deactivated on this schedule, not only when they next try to sign in.
KEYCLOAK_SWEEP_CRON = os.environ.get("KEYCLOAK_SWEEP_CRON", "23 * * * *")
# Terraform (portalwerk.infra) signs in to Keycloak's master realm with this administrator to
# create the realm, clients, roles and organizations; the platform itself never needs it.
PORTALWERK_TF_KEYCLOAK_URL = os.environ.get("PORTALWERK_TF_KEYCLOAK_URL", KEYCLOAK_SERVER_URL)
PORTALWERK_TF_KEYCLOAK_ADMIN = os.environ.get("PORTALWERK_TF_KEYCLOAK_ADMIN", "")
PORTALWERK_TF_KEYCLOAK_ADMIN_PASSWORD = os.environ.get("PORTALWERK_TF_KEYCLOAK_ADMIN_PASSWORD", "")
# The realm's login theme (deployed into Keycloak's themes/ folder), and the operator's JSON file
# of state accounts and tenants' directories / identity providers (docs/operators/provisioning.md).
PORTALWERK_TF_KEYCLOAK_LOGIN_THEME = os.environ.get(
    "PORTALWERK_TF_KEYCLOAK_LOGIN_THEME", "portalwerk"
)
PORTALWERK_TF_CONFIG = os.environ.get("PORTALWERK_TF_CONFIG", "")

# Hand-over (platform/handover): a failed delivery is tried again after a back-off that doubles
# from PORTALWERK_HANDOVER_BACKOFF_SECONDS up to _MAX_SECONDS (with jitter), at most
# _MAX_ATTEMPTS times, then kept as failed for a clerk. A delivery "sending" for longer than
# _CLAIM_SECONDS is taken for lost and sent again (same idempotency key).
# Whether hand-over targets and data sources may point at loopback or link-local addresses
# (platform/plugins/addresses.py): only where their servers run beside the portal (development,
# tests, the demo).
PORTALWERK_ALLOW_LOCAL_ADDRESSES = env.flag("PORTALWERK_ALLOW_LOCAL_ADDRESSES", DEBUG or TESTING)
PORTALWERK_HANDOVER_BACKOFF_SECONDS = env.integer("PORTALWERK_HANDOVER_BACKOFF_SECONDS", 30)
PORTALWERK_HANDOVER_BACKOFF_MAX_SECONDS = env.integer(
    "PORTALWERK_HANDOVER_BACKOFF_MAX_SECONDS", 6 * 3600
)
PORTALWERK_HANDOVER_MAX_ATTEMPTS = env.integer("PORTALWERK_HANDOVER_MAX_ATTEMPTS", 10)
PORTALWERK_HANDOVER_CLAIM_SECONDS = env.integer("PORTALWERK_HANDOVER_CLAIM_SECONDS", 600)
# The `dms` backend's folder destinations: a target names a folder inside
# <this>/<tenant schema>/, never a path of its own (a tenant cannot write elsewhere on the server).
PORTALWERK_HANDOVER_DMS_FOLDER_ROOT = Path(
    os.environ.get("PORTALWERK_HANDOVER_DMS_FOLDER_ROOT", PORTALWERK_HOME / "dms")
)

# Data sources (platform/datasources): a source's own timeout is capped here; an answer larger than
# _MAX_BYTES or with more than _MAX_OPTIONS options counts as a failure (docs/datasources.md).
PORTALWERK_DATASOURCE_MAX_TIMEOUT_SECONDS = env.integer(
    "PORTALWERK_DATASOURCE_MAX_TIMEOUT_SECONDS", 10
)
PORTALWERK_DATASOURCE_MAX_BYTES = env.integer("PORTALWERK_DATASOURCE_MAX_BYTES", 1_000_000)
PORTALWERK_DATASOURCE_MAX_OPTIONS = env.integer("PORTALWERK_DATASOURCE_MAX_OPTIONS", 1000)

# Appointments: abuse limits ("name=number,…", see platform/appointments/limits.py) and how long
# the personal data of past appointments is kept.
PORTALWERK_APPOINTMENT_LIMITS = {
    name.strip(): int(number)
    for name, _sep, number in (
        pair.partition("=") for pair in env.words("PORTALWERK_APPOINTMENT_LIMITS", [])
    )
}
PORTALWERK_APPOINTMENT_RETENTION_DAYS = env.integer("PORTALWERK_APPOINTMENT_RETENTION_DAYS", 90)

# Audit entries are kept this long; then the nightly audit purge deletes them (nothing else does).
PORTALWERK_AUDIT_RETENTION_DAYS = env.integer("PORTALWERK_AUDIT_RETENTION_DAYS", 730)

GRAPHQL_MAX_DEPTH = env.integer("PORTALWERK_GRAPHQL_MAX_DEPTH", 10)
GRAPHQL_MAX_ALIASES = env.integer("PORTALWERK_GRAPHQL_MAX_ALIASES", 15)
GRAPHQL_MAX_TOKENS = env.integer("PORTALWERK_GRAPHQL_MAX_TOKENS", 2000)
# Cost, input bounds, body size and the per-client limit on expensive operations
# (graphql/core/limits.py, docs/api.md).
GRAPHQL_MAX_COST = env.integer("PORTALWERK_GRAPHQL_MAX_COST", 10_000)
GRAPHQL_COST_LIST_SIZE = env.integer("PORTALWERK_GRAPHQL_COST_LIST_SIZE", 5)
GRAPHQL_DEFAULT_PAGE_SIZE = 100  # strawberry's relay_max_results: a page without `first`
GRAPHQL_EXPENSIVE_COST = env.integer("PORTALWERK_GRAPHQL_EXPENSIVE_COST", 1_000)
GRAPHQL_EXPENSIVE_PER_MINUTE = env.integer("PORTALWERK_GRAPHQL_EXPENSIVE_PER_MINUTE", 30)
GRAPHQL_MAX_STRING_CHARS = env.integer("PORTALWERK_GRAPHQL_MAX_STRING_CHARS", 10_000)
GRAPHQL_MAX_INPUT_ITEMS = env.integer("PORTALWERK_GRAPHQL_MAX_INPUT_ITEMS", 500)
GRAPHQL_MAX_INPUT_DEPTH = env.integer("PORTALWERK_GRAPHQL_MAX_INPUT_DEPTH", 10)
GRAPHQL_MAX_BODY_BYTES = env.integer("PORTALWERK_GRAPHQL_MAX_BODY_BYTES", 2_621_440)

# Logs and errors (platform/observability, platform/errors.py; docs/operators/logging.md):
# one JSON object per line on stderr (PORTALWERK_LOG_FORMAT=console: readable lines, the demo's
# default), with request id, tenant, view, status and duration, never personal data; errors to
# Sentry where SENTRY_DSN is set, tagged with tenant, release and request id, scrubbed.
PORTALWERK_LOG_FORMAT = os.environ.get("PORTALWERK_LOG_FORMAT", "console" if DEBUG else "json")
LOGGING = observability_logs.logging_config(
    log_format=PORTALWERK_LOG_FORMAT, level=os.environ.get("PORTALWERK_LOG_LEVEL", "INFO")
)
observability_logs.configure()
# django-structlog's request log (observability.middleware): the request's own id, no user id,
# no client address (the middleware logs the client's network only).
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = False
DJANGO_STRUCTLOG_TRUST_UPSTREAM_CORRELATION_ID = False
DJANGO_STRUCTLOG_USER_ID_FIELD = None
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = logging.DEBUG

# Operations (platform/operations, docs/operators/monitoring.md). /readyz fails when no job
# worker sent a heartbeat for _READY_WORKER_SECONDS, when a due job has waited longer than
# _READY_JOB_WAIT_SECONDS, or when more than _READY_MAX_DEAD_LETTERS hand-over deliveries failed
# for good; each query of a probe or scrape is cut off after _PROBE_TIMEOUT_MS. /metrics answers
# only a bearer token equal to PORTALWERK_METRICS_TOKEN, and is off (404) without one. The
# worker's liveness file (`portalwerk worker --check`) is PORTALWERK_WORKER_HEARTBEAT_FILE, stale
# after PORTALWERK_WORKER_LIVENESS_SECONDS; both are read from the environment by the check.
PORTALWERK_READY_WORKER_SECONDS = env.integer(
    "PORTALWERK_READY_WORKER_SECONDS", max(120, 2 * PORTALWERK_WORKER_STALLED_SECONDS)
)
PORTALWERK_READY_JOB_WAIT_SECONDS = env.integer("PORTALWERK_READY_JOB_WAIT_SECONDS", 900)
PORTALWERK_READY_MAX_DEAD_LETTERS = env.integer("PORTALWERK_READY_MAX_DEAD_LETTERS", 50)
PORTALWERK_PROBE_TIMEOUT_MS = env.integer("PORTALWERK_PROBE_TIMEOUT_MS", 2000)
PORTALWERK_METRICS_TOKEN = os.environ.get("PORTALWERK_METRICS_TOKEN", "")

SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from portalwerk.platform.errors import init_sentry

    init_sentry(SENTRY_DSN)
