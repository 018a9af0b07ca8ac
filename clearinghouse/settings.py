"""Settings for Clearinghouse, read from environment variables with safe defaults.

With nothing set, the platform runs on an SQLite file under var/, keeps its job queue in
another SQLite file there, prints e-mails to the console and serves only 127.0.0.1/localhost.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import dj_email_url
import django_stubs_ext
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

from clearinghouse.env import (
    env_bool,
    env_choice,
    env_identity_providers,
    env_int,
    env_list,
    env_str,
    origin,
    require_production_package,
    secret_key,
)

# Lets generic Django classes be subscripted at run time, as their type stubs describe them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = secret_key(VAR_DIR)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Behind a TLS-terminating reverse proxy set HTTPS=true: it turns on secure cookies, HSTS and
# the redirect to https, and trusts the proxy's X-Forwarded-Proto header.
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The proxy's health checks and the metrics scraper on the private side reach /healthz and
# /metrics over plain HTTP; everything else moves to https.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

# Identity providers people may sign in with (OpenID Connect, docs/sign-in.md); none by default.
IDENTITY_PROVIDERS = env_identity_providers()

# Content-Security-Policy (django-csp): our own origin only, no inline script or style. The few
# templates that cannot avoid inline code (API docs, printable view) mark it with the response's
# nonce; see docs/security.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        # The sign-in buttons post to our own address, which redirects to the identity
        # provider: browsers hold that redirect to form-action too.
        "form-action": [SELF, *sorted({origin(p["settings"]["server_url"]) for p in IDENTITY_PROVIDERS})],
        "frame-ancestors": [NONE],
    }
}
# Powerful browser features nobody here needs are off; passkeys (WebAuthn) stay possible on our
# own origin. Only features Chromium knows: it logs an error for every other name.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_guid",
    "django_prometheus",
    "imagekit",
    "csp",
    "huey.contrib.djhuey",
    "rules",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "clearinghouse.core",
    "clearinghouse.outbox",
    "clearinghouse.offline",
    "clearinghouse.geo",
    "clearinghouse.vocabularies",
    "clearinghouse.organisations",
    "clearinghouse.plan",
    "clearinghouse.national",
    "clearinghouse.search",
    "clearinghouse.accounts",
    "clearinghouse.publishing",
    "clearinghouse.exchange",
    "clearinghouse.needs",
    "clearinghouse.matching",
    "clearinghouse.matchmaking",
    "clearinghouse.harvest",
    "clearinghouse.support",
    "clearinghouse.syndication",
    "clearinghouse.peers",
    "clearinghouse.events",
    "clearinghouse.learning",
    "clearinghouse.helpdesk",
    "clearinghouse.monitoring",
    "clearinghouse.community",
    "clearinghouse.quality",
    "clearinghouse.knowledge",
    "clearinghouse.translation",
    "clearinghouse.api",
    "clearinghouse.workspace",
    "clearinghouse.nodes",
    "clearinghouse.widgets",
]

MIDDLEWARE = [
    # First and (almost) last: requests counted and timed by view (core/metrics.py).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # The request's id for every log line written while it is served, and its response.
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    "clearinghouse.core.security.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    # Below GZip: ETags of the uncompressed page, 304s for copies still current (core/caching.py).
    "clearinghouse.core.caching.RevalidationMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Sets request.save_data: pages without images and heavy widgets (core/datasaving.py).
    "clearinghouse.core.datasaving.SaveDataMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication: holds back the roles that must turn on a second factor first.
    "clearinghouse.accounts.middleware.SecondFactorMiddleware",
    # After authentication, CSRF and the second factor: a form sent with a client-generated
    # identifier is acted on once (the outbox replays forms sent offline).
    "clearinghouse.outbox.middleware.SubmissionOnceMiddleware",
    # Lets the platform that launched a learner (LTI 1.3) frame the learning pages, and only those.
    "clearinghouse.learning.lti.EmbeddedByPlatformMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clearinghouse.urls"
# A form refused for its missing security token gets the site's own page (core.errors).
CSRF_FAILURE_VIEW = "clearinghouse.core.errors.csrf_failure"
# Where the search index gets its documents from: every registry's published records, the
# organisations and the action plan's activities.
SEARCH_PROVIDERS: list[str] = [
    "clearinghouse.search.records.provide",
    "clearinghouse.search.organisations.provide",
    "clearinghouse.plan.search.provide",
]
# What answers a query by meaning: the records' stored embeddings (docs/matching.md).
SEARCH_SEMANTIC_RETRIEVER = "clearinghouse.matching.semantic.retriever"
FORM_RENDERER = "clearinghouse.core.forms.FormRenderer"
WSGI_APPLICATION = "clearinghouse.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "clearinghouse" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clearinghouse.core.context_processors.shell",
                "clearinghouse.outbox.people.person",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'clearinghouse.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    require_production_package("psycopg", "DATABASE_URL names PostgreSQL")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; IMMEDIATE transactions take the
    # write lock up front so two writers wait for each other instead of failing with "locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# Everyone lands on their dashboard, "My work", after signing in.
LOGIN_REDIRECT_URL = "workspace:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

AUTHENTICATION_BACKENDS = [
    # axes first: it refuses sign-ins from locked-out people before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts (django-allauth): sign-in with e-mail, verified before first use; a second factor
# (authenticator app or passkey), required for the roles in accounts.mfa_policy.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
ACCOUNT_ADAPTER = "clearinghouse.accounts.adapter.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
# Browsers offer passkeys only to https pages and to http://localhost: allow the latter when the
# platform is not served over HTTPS (development, `make run`).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not HTTPS
MFA_TOTP_ISSUER = "Clearinghouse"
# Accept the code of the neighbouring 30-second window too: phones' clocks drift.
MFA_TOTP_TOLERANCE = 1

# Sign-in with an identity provider (allauth.socialaccount, docs/sign-in.md). An existing account
# is signed in by e-mail only when the provider says the address is verified and the deployment
# trusts that provider (OIDC_<ID>_TRUST_EMAIL); the identity is then connected to it. Otherwise a
# new account is made, or, when the address is taken, the person is asked to sign in and connect.
SOCIALACCOUNT_ADAPTER = "clearinghouse.accounts.identity.IdentityAdapter"
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": IDENTITY_PROVIDERS, "OAUTH_PKCE_ENABLED": True}}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
# The provider's tokens are not kept: the platform calls nothing on the person's behalf.
SOCIALACCOUNT_STORE_TOKENS = False

# Brute force (django-axes): five failed sign-ins for one account from one address lock that
# pair for an hour; allauth's own rate limits slow attempts before that.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "clearinghouse.accounts.adapter.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 1 if HTTPS else 0)

# Who reviews the records of organisations based in a Party: its focal point ("focal_point") or
# the Secretariat ("secretariat"). International organisations are always reviewed by the
# Secretariat.
ORGANISATION_RECORDS_REVIEWER = env_str("ORGANISATION_RECORDS_REVIEWER", "focal_point")

# The platform's public address, for links in e-mails sent by background jobs, and the address
# every e-mail signs with.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# The platform's name in e-mails (sender, subject of account mails, signature). Empty: the name
# in the recipient's language ("Clearinghouse", "Centre d'échange", ...).
SITE_NAME = env_str("SITE_NAME", "")

# Open Badges credentials of course certificates are signed with this RSA private key (PEM text);
# empty: a key generated once and kept in VAR_DIR, for development (docs/learning.md).
LEARNING_BADGE_KEY = env_str("LEARNING_BADGE_KEY", "")

# Invitations to appointments (focal points, authorised users) are valid this many days.
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)

# E-learning: a learning record store the xAPI statements are sent to (its xAPI base address,
# e.g. https://lrs.example.org/xapi; empty: statements are kept here only), and its basic
# authentication (docs/learning.md, "xAPI").
LEARNING_LRS_ENDPOINT = env_str("LEARNING_LRS_ENDPOINT", "")
LEARNING_LRS_USERNAME = env_str("LEARNING_LRS_USERNAME", "")
LEARNING_LRS_PASSWORD = env_str("LEARNING_LRS_PASSWORD", "")
# Courses shown inside another platform's frame (LTI 1.3): browsers send the session cookie to
# a framed site only when it is SameSite=None, which needs HTTPS. Off: a launched learner
# studies in a new window (the launch page offers it).
LEARNING_LTI_IN_FRAMES = env_bool("LEARNING_LTI_IN_FRAMES", False) and HTTPS
if LEARNING_LTI_IN_FRAMES:
    SESSION_COOKIE_SAMESITE = "None"
    CSRF_COOKIE_SAMESITE = "None"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    require_production_package("redis", "REDIS_URL is set (cache and job queue in Redis)")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How long the proxy in front (deploy/nginx) may keep a public page or API answer for visitors
# without cookies or credentials (core/caching.py); 0: it keeps nothing.
PROXY_CACHE_SECONDS = env_int("PROXY_CACHE_SECONDS", 0)

# Background jobs: huey, kept in an SQLite file beside the database by default, in Redis when
# REDIS_URL is set (several workers on several machines can then share one queue).
HUEY: dict[str, object]
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "clearinghouse", "url": REDIS_URL}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "clearinghouse",
        "filename": str(VAR_DIR / "jobs.sqlite3"),
    }
HUEY |= {
    "immediate": env_bool("JOBS_IMMEDIATE", False),
    "results": False,
    "consumer": {"workers": env_int("JOB_WORKERS", 2), "worker_type": "thread"},
}
# The job ledger (core/jobs.py, docs/operations.md): each worker writes a heartbeat every so many
# seconds; one not seen for JOB_WORKER_STALE_SECONDS is taken for dead, and the jobs it was
# running are queued again (if safe to run again and started fewer than JOB_RERUN_ATTEMPTS
# times) or marked failed for a person to retry. /healthz answers 503 when a job has waited
# longer than JOB_WAITING_ALERT_SECONDS, or when jobs wait and no worker is alive.
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 15)
JOB_WORKER_STALE_SECONDS = env_int("JOB_WORKER_STALE_SECONDS", 3 * JOB_HEARTBEAT_SECONDS)
JOB_RERUN_ATTEMPTS = env_int("JOB_RERUN_ATTEMPTS", 3)
JOB_WAITING_ALERT_SECONDS = env_int("JOB_WAITING_ALERT_SECONDS", 15 * 60)

# E-mail leaves through the job queue; EMAIL_URL chooses how the worker delivers it.
_email = dj_email_url.parse(env_str("EMAIL_URL", "console:"))
EMAIL_BACKEND = "clearinghouse.core.mail.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "clearinghouse@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who people write to (About, Contact and Privacy pages): the Secretariat, and the help desk for
# questions about using the platform; the Secretariat's postal address, lines separated by "|".
CONTACT_EMAIL = env_str("CONTACT_EMAIL", DEFAULT_FROM_EMAIL)
HELPDESK_EMAIL = env_str("HELPDESK_EMAIL", CONTACT_EMAIL)
# A closed ticket reopens when its requester writes within this many days; later, a new one.
HELPDESK_REOPEN_DAYS = env_int("HELPDESK_REOPEN_DAYS", 14)
# Questions the web form takes per client address and per e-mail address in a window (seconds),
# and the fewest seconds a person takes to fill it in: spam guards without a third-party captcha.
HELPDESK_ASK_LIMIT_PER_IP = env_int("HELPDESK_ASK_LIMIT_PER_IP", 5)
HELPDESK_ASK_LIMIT_PER_ADDRESS = env_int("HELPDESK_ASK_LIMIT_PER_ADDRESS", 3)
HELPDESK_ASK_LIMIT_WINDOW = env_int("HELPDESK_ASK_LIMIT_WINDOW", 3600)
HELPDESK_ASK_MIN_SECONDS = env_int("HELPDESK_ASK_MIN_SECONDS", 3)
# Help-desk mail in (helpdesk/mail_in.py): a message above this size is refused (SMTP 552) or
# kept unprocessed; files kept per message; messages one address may send in an hour.
HELPDESK_MAIL_MAX_BYTES = env_int("HELPDESK_MAIL_MAX_BYTES", 25 * 1024 * 1024)
HELPDESK_MAIL_MAX_ATTACHMENTS = env_int("HELPDESK_MAIL_MAX_ATTACHMENTS", 10)
HELPDESK_MAIL_PER_HOUR = env_int("HELPDESK_MAIL_PER_HOUR", 10)
# The SMTP receiver (`clearinghouse mailreceiver`, started by `make run`).
HELPDESK_SMTP_HOST = env_str("HELPDESK_SMTP_HOST", "127.0.0.1")
HELPDESK_SMTP_PORT = env_int("HELPDESK_SMTP_PORT", 8025)
# Production: an IMAP mailbox read every minute (imaps://user:password@host/INBOX), and the
# folder processed mail moves to (empty: it is marked as seen).
HELPDESK_IMAP_URL = env_str("HELPDESK_IMAP_URL", "")
HELPDESK_IMAP_MOVE_TO = env_str("HELPDESK_IMAP_MOVE_TO", "")
# FAQ entries of the central desk (and of desks without a host) belong to the organisation with
# this acronym: the Secretariat's, as the reference data name it.
HELPDESK_SECRETARIAT_ACRONYM = env_str("HELPDESK_SECRETARIAT_ACRONYM", "SCBD")
# Public statistics: counts of fewer people than this are not shown to the public
# (monitoring/values.py).
MONITORING_PUBLIC_MIN_CELL = env_int("MONITORING_PUBLIC_MIN_CELL", 5)
CONTACT_ADDRESS = [
    line.strip()
    for line in env_str(
        "CONTACT_ADDRESS",
        "Secretariat of the Convention on Biological Diversity|413 Saint-Jacques Street, Suite 800|"
        "Montreal, QC H2Y 1N9|Canada",
    ).split("|")
    if line.strip()
]
# Sign-in records (time, address, browser; django-axes) are deleted after this many days.
SIGN_IN_RECORDS_DAYS = env_int("SIGN_IN_RECORDS_DAYS", 90)
# Where vulnerabilities are reported (/.well-known/security.txt): a mailto: or https: address.
SECURITY_CONTACT = env_str("SECURITY_CONTACT", f"mailto:{DEFAULT_FROM_EMAIL}")

# Languages: the six UN languages. Chinese is served under /zh/ (see clearinghouse.i18n).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "clearinghouse" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names let browsers cache static files for a year; whitenoise serves them
    # pre-compressed (gzip and Brotli).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # Uploads waiting for an import job: outside MEDIA_ROOT, never served.
    "imports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env_str("IMPORT_UPLOAD_ROOT", str(VAR_DIR / "private" / "imports"))},
    },
}
WHITENOISE_MAX_AGE = 31536000
# Logos' and events' pictures (core/pictures.py): renditions at the sizes shown, served with a
# year's caching by core.views.picture_file; the uploads themselves are never served.
IMAGEKIT_CACHEFILE_DIR = "pictures/renditions"
# One folder of renditions named by a digest of the picture's name and the rendition's settings.
IMAGEKIT_SPEC_CACHEFILE_NAMER = "imagekit.cachefiles.namers.hash"
PICTURE_MAX_UPLOAD_BYTES = env_int("PICTURE_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)

# SCORM packages (learning/scorm.py): unpacked outside MEDIA_ROOT and served only through the
# learning app, which checks who is asking. The limits stop zip bombs before anything is written.
SCORM_ROOT = Path(env_str("SCORM_ROOT", str(VAR_DIR / "private" / "scorm")))
# Files the platform builds and serves, kept where every host can read them (with several hosts,
# on the same shared storage as MEDIA_ROOT): the progress reports' PDF and DOCX as published
# (monitoring/report_documents.py; kept and backed up) and the offline course packages
# (learning/offline.py; a cache built again on first download). Neither is ever served directly.
REPORTS_ROOT = Path(env_str("REPORTS_ROOT", str(VAR_DIR / "reports")))
LEARNING_PACKAGE_ROOT = Path(env_str("LEARNING_PACKAGE_ROOT", str(VAR_DIR / "private" / "packages")))
SCORM_MAX_UPLOAD_BYTES = env_int("SCORM_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)
SCORM_MAX_UNPACKED_BYTES = env_int("SCORM_MAX_UNPACKED_BYTES", 1024 * 1024 * 1024)
SCORM_MAX_FILES = env_int("SCORM_MAX_FILES", 10000)
SCORM_MAX_RATIO = env_int("SCORM_MAX_RATIO", 100)
SCORM_MAX_MANIFEST_BYTES = env_int("SCORM_MAX_MANIFEST_BYTES", 2 * 1024 * 1024)
SCORM_MAX_COMMIT_BYTES = env_int("SCORM_MAX_COMMIT_BYTES", 256 * 1024)
# Source maps are read by developers' tools, seldom and never on a slow line: compressing them
# (20 MB, mostly the API documentation's) took half of collectstatic's time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

REST_FRAMEWORK = {
    # Token first, so an unauthenticated request gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "clearinghouse.accounts.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly",
        "clearinghouse.accounts.api.permissions.TokenScopeAllowsMethod",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "clearinghouse.api.throttling.AnonymousThrottle",
        "clearinghouse.api.throttling.SignedInThrottle",
    ],
    # The API reads JSON only: its bodies hold objects (names in several languages) that form
    # encodings cannot carry.
    "DEFAULT_PARSER_CLASSES": ["clearinghouse.api.parsers.BoundedJSONParser"],
    # The client's address for anonymous throttling: the same count of trusted proxies as the
    # sign-in lockout uses, so a forged X-Forwarded-For cannot buy fresh allowances.
    "NUM_PROXIES": env_int("PROXY_COUNT", 1 if HTTPS else 0),
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "clearinghouse.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "clearinghouse.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
# Personal API tokens (django-rest-knox, hashed at rest): see docs/security.md, "API tokens".
# Our own model replaces knox's, whose migrations would still create its table (with a key to
# the users that Django's own flush then does not know of): knox gets no migrations here.
MIGRATION_MODULES = {"knox": None}
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105  # nosec B105  # a model name, not a secret
REST_KNOX = {
    # "Authorization: Token <key>", as before tokens were hashed.
    "AUTH_HEADER_PREFIX": "Token",
    # Each token carries its own expiry, chosen when it is made (accounts.tokens.LIFETIMES).
    "TOKEN_TTL": None,  # nosec B105  # no default lifetime, not a secret
    "AUTO_REFRESH": False,
}
# Requests per period ("N/second|minute|hour|day"): anonymous ones per client address, signed-in
# ones (token or session) per person, whatever the number of their tokens.
API_THROTTLE_RATES = {
    "anonymous": env_str("API_THROTTLE_ANONYMOUS", "120/minute"),
    "signed_in": env_str("API_THROTTLE_SIGNED_IN", "600/minute"),
}
# JSON request bodies deeper than this are refused before they are parsed.
API_MAX_JSON_DEPTH = env_int("API_MAX_JSON_DEPTH", 20)
SPECTACULAR_SETTINGS = {
    "TITLE": "Clearinghouse API",
    "DESCRIPTION": (
        "Read and write the clearing-house's records. Reads of published records are public; "
        "writes need a personal API token with write scope, created on the API tokens page of "
        "one's account (/en/people/tokens/) and sent as Authorization: Token <key>. Requests are "
        "rate-limited (429 with Retry-After)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for the six content languages wherever a field uses them.
    "ENUM_NAME_OVERRIDES": {
        "ContentLanguageEnum": "clearinghouse.core.languages.LANGUAGE_CHOICES",
        # Records' state keeps its name beside the translation requests' own.
        "StateEnum": "clearinghouse.publishing.models.State",
        "TranslationRequestStateEnum": "clearinghouse.translation.models.RequestState",
        # A national CHM's status (planned, functional, inactive) beside the other statuses.
        "NationalCHMStatusEnum": "clearinghouse.nodes.models.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "clearinghouse.api.schema.add_error_responses",
    ],
}

# Each request's id: the proxy's X-Request-ID when it sends one (a UUID, such as nginx's
# $request_id), made here otherwise; returned in the response's X-Request-ID.
DJANGO_GUID = {"GUID_HEADER_NAME": "X-Request-ID", "VALIDATE_GUID": True, "RETURN_HEADER": True}
# Who may read /metrics: a scraper sending this bearer token; unset, only one on this host asking
# directly, not through the proxy (core/metrics.py).
METRICS_TOKEN = env_str("METRICS_TOKEN", "")

# Logs on standard error, each line with its request's id; LOG_FORMAT=json writes one JSON object
# per line for a log collector.
LOG_FORMAT = env_choice("LOG_FORMAT", "text", ("text", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "clearinghouse.core.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {"()": "clearinghouse.core.logs.JsonLogFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Configured here, huey's worker does not add a second handler of its own.
    "loggers": {
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # django-guid says at INFO, for every request, whether the proxy sent an id.
        "django_guid": {"level": "WARNING"},
        # axes logs every sign-in at INFO; lockouts are warnings.
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every step of every page at INFO; a report of 90 pages in six languages
        # would fill the worker's log. Its warnings (a missing font) still show.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Support registry: the largest file a resource's language version may have (bytes).
SUPPORT_UPLOAD_MAX_BYTES = env_int("SUPPORT_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)

# Harvesting (harvest/fetching.py): a source's answer may take so long to connect, between two
# reads and in all, and be so large (read streamed, never past the cap). Sources must be public
# servers: the hosts listed here may be private or loopback ones (a national node inside the
# same network; the tests' loopback server). Empty in production unless set.
HARVEST_CONNECT_TIMEOUT = env_int("HARVEST_CONNECT_TIMEOUT", 10)
HARVEST_READ_TIMEOUT = env_int("HARVEST_READ_TIMEOUT", 30)
HARVEST_TOTAL_SECONDS = env_int("HARVEST_TOTAL_SECONDS", 120)
HARVEST_MAX_BYTES = env_int("HARVEST_MAX_BYTES", 20 * 1024 * 1024)
# A listing in pages (an index answer's numFound, an Atom feed's rel="next") is read to its end,
# up to so many pages; a longer one fails the run rather than withdraw what it did not reach.
HARVEST_MAX_PAGES = env_int("HARVEST_MAX_PAGES", 50)
HARVEST_PRIVATE_HOSTS_ALLOWED = env_list("HARVEST_PRIVATE_HOSTS_ALLOWED", [])

# Offline needs: largest spreadsheet or submissions file accepted, and most rows in one.
NEEDS_UPLOAD_MAX_BYTES = env_int("NEEDS_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
NEEDS_UPLOAD_MAX_ROWS = env_int("NEEDS_UPLOAD_MAX_ROWS", 5000)
# Support records: largest import file accepted.
SUPPORT_IMPORT_MAX_BYTES = env_int("SUPPORT_IMPORT_MAX_BYTES", 10 * 1024 * 1024)

# Imports (exchange/checks.py), checked before a file is stored: a workbook's sheets may declare
# at most so many rows, columns and cells; its zip may unpack to so many bytes, no entry over 1 MB
# more than so many times its compressed size; JSON may nest so deep. Uploads are deleted once
# their job is over, or after so many hours.
IMPORT_MAX_SHEET_ROWS = env_int("IMPORT_MAX_SHEET_ROWS", 20_000)
IMPORT_MAX_SHEET_COLUMNS = env_int("IMPORT_MAX_SHEET_COLUMNS", 1_000)
IMPORT_MAX_SHEET_CELLS = env_int("IMPORT_MAX_SHEET_CELLS", 2_000_000)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 250 * 1024 * 1024)
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", 100)
IMPORT_MAX_JSON_DEPTH = env_int("IMPORT_MAX_JSON_DEPTH", 20)
IMPORT_RETENTION_HOURS = env_int("IMPORT_RETENTION_HOURS", 24)
# CPU seconds the worker may spend reading one import (exchange/budget.py); past it the job fails.
IMPORT_MAX_CPU_SECONDS = env_int("IMPORT_MAX_CPU_SECONDS", 60)
