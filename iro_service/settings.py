"""IRO Service settings, read from environment variables only.

With no configuration the app runs in development mode on SQLite and Celery's filesystem
transport under ``var/`` (``make run``). Production (``DJANGO_ENV=production``) refuses to
start with DEBUG on, the default secret key or no allowed hosts.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("IRO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEV_SECRET_KEY = "development-only-secret-key-do-not-use-in-production"  # noqa: S105

ENVIRONMENT = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Demo mode loads demo users with printed passwords; never in production.
DEMO_MODE = env_bool("IRO_DEMO_MODE", False) and not PRODUCTION

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_DEBUG must be off in production.")
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY to a random value of 50+ characters.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS to the host names of the service.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "iro_service.core",
    "people",
    "children",
    "timescales",
    "reviews",
    "conferences",
    "challenges",
    "audits",
    "reminders",
    "reporting",
    "retention",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "iro_service.core.middleware.SessionLimitsMiddleware",
    "people.middleware.MfaRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "iro_service.core.middleware.NoStoreMiddleware",
    "iro_service.core.middleware.AccessLogMiddleware",
    "axes.middleware.AxesMiddleware",
    "iro_service.core.middleware.ChangeStampMiddleware",
]

ROOT_URLCONF = "iro_service.urls"
WSGI_APPLICATION = "iro_service.wsgi.application"

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
                "csp.context_processors.nonce",
                "iro_service.core.context_processors.service",
            ],
        },
    }
]
FORM_RENDERER = "iro_service.core.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation pays off for long analytic queries, not pages: the caseload aggregates
    # cross jit_above_cost and PostgreSQL spent 3.3 s compiling a query that runs in 150 ms
    # (the service dashboard at council size, bench/RESULTS.md).
    # The service's server-side cursors (``QuerySet.iterator()``: the reminder scans, the
    # retention list, recomputing due dates) are always read to the end, so they are planned
    # for every row, as a plain query is, not for the first tenth: the fast-start plans of
    # the default took a repeat reminder scan from 0.8 s to 1.0 s (issue 11).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c jit=off -c cursor_tuple_fraction=1"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
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
# Login lockout (django-axes, database handler: works without Redis). Locking by the pair of
# account and address means nobody can lock a colleague out from elsewhere, and a lockout
# lifts by itself after the cool-off (SECURITY.md T5).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's email field keeps Django's name
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "1" if PRODUCTION else "0"))

# Single sign-on through the council's identity provider (OpenID Connect, authorisation code
# flow with PKCE, mozilla-django-oidc): off unless every one of these is set. Staff are matched
# by email to an existing active account, never created; the provider's own MFA stands in
# for ours (people.oidc). docs/sign-in.md lists the variables.
OIDC_REQUIRED_SETTINGS = (
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)
_oidc = {name: os.environ.get(name, "").strip() for name in OIDC_REQUIRED_SETTINGS}
OIDC_ENABLED = all(_oidc.values())
if any(_oidc.values()) and not OIDC_ENABLED:
    missing = ", ".join(name for name, value in _oidc.items() if not value)
    raise ImproperlyConfigured(f"Single sign-on is half configured: set {missing} too.")
OIDC_RP_CLIENT_ID = _oidc["OIDC_RP_CLIENT_ID"]
OIDC_RP_CLIENT_SECRET = _oidc["OIDC_RP_CLIENT_SECRET"]
OIDC_OP_AUTHORIZATION_ENDPOINT = _oidc["OIDC_OP_AUTHORIZATION_ENDPOINT"]
OIDC_OP_TOKEN_ENDPOINT = _oidc["OIDC_OP_TOKEN_ENDPOINT"]
OIDC_OP_USER_ENDPOINT = _oidc["OIDC_OP_USER_ENDPOINT"]
OIDC_OP_JWKS_ENDPOINT = _oidc["OIDC_OP_JWKS_ENDPOINT"]
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_PROVIDER_LABEL = os.environ.get("OIDC_PROVIDER_LABEL", "your council account")
OIDC_RP_SCOPES = "openid email"
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc-callback"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("people.oidc.CouncilOIDCBackend")

# MFA (django-otp, TOTP with recovery codes) for every user in production; a demo may run
# without it, and says so in a banner.
MFA_REQUIRED = PRODUCTION or env_bool("IRO_MFA_REQUIRED", not DEMO_MODE)
OTP_TOTP_ISSUER = "IRO Service"

# The dashboards' figures are kept for a few minutes (iro_service.core.kept) in each web
# process's own memory: case data read for a page never goes to a shared cache server.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Sessions end after 30 minutes without activity and 12 hours after sign-in, whichever is
# first (SessionLimitsMiddleware); the cookie itself lasts no longer than the absolute limit.
SESSION_IDLE_SECONDS = 30 * 60
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_WARNING_SECONDS = 2 * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Security headers. CSP with nonces: no inline script without the request's nonce.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["iro_service.core.api_permissions.SignedInAndRecordVisible"],
    "DEFAULT_FILTER_BACKENDS": ["iro_service.core.api_filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "iro_service.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "IRO Service API",
    "DESCRIPTION": "Children's records, reviews and conferences for the IRO service.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for a choice set used by several fields.
    "ENUM_NAME_OVERRIDES": {
        "AuditRatingEnum": "audits.models.Rag",
        "AuditAnswerEnum": "audits.models.Answer",
        "ChildParticipationEnum": "conferences.codes.CHILD_PARTICIPATION",
        "ParentsParticipationEnum": "conferences.codes.PARENT_PARTICIPATION",
        "CareCheckKindEnum": "children.models.CareCheck.Kind",
    },
}

# Celery: Redis when REDIS_URL is set, otherwise the filesystem transport under var/.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A request that enqueues waits for one attempt at most (T13, issue 8: no request over
    # 3 s with the broker down): refused at once, 1 s if nothing answers the connect, 1.5 s
    # if Redis accepts and then hangs (measured 1.5-2.3 s; two 2 s attempts took 4 s). No
    # retry: the row stays pending and the next sweep sends it. socket_timeout stays above
    # kombu's 1 s BRPOP wait so workers' blocking reads are not cut short.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "socket_connect_timeout": 1,
        "socket_timeout": 1.5,
        "max_retries": 0,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "sent-emails"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", PRODUCTION)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "iro-service@localhost")
EMAIL_MESSAGE_ID_DOMAIN = os.environ.get("EMAIL_MESSAGE_ID_DOMAIN", "iro-service.localhost")

# Reminders (issue 8): GOV.UK Notify sends the email when NOTIFY_API_KEY is set.
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID", "")
if NOTIFY_API_KEY:
    EMAIL_BACKEND = "reminders.sending.NotifyEmailBackend"
# The address emails link to (emails carry a link and a reference only).
SITE_URL = os.environ.get("IRO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# A send claimed by a worker that died is put back to pending after this long.
REMINDERS_SEND_LEASE_SECONDS = int(os.environ.get("REMINDERS_SEND_LEASE_SECONDS", "600"))
REMINDERS_MAX_ATTEMPTS = int(os.environ.get("REMINDERS_MAX_ATTEMPTS", "5"))

SERVICE_NAME = "IRO Service"

# Passkeys (WebAuthn, django-otp-webauthn) as a second factor beside the authenticator app,
# never instead of the password. Passkeys belong to the service's host name (the relying
# party, from IRO_SITE_URL), never an IP address: in development they work at
# http://localhost:8000, not http://127.0.0.1:8000.
_site = urlparse(SITE_URL)
_passkey_host = "localhost" if _site.hostname in ("127.0.0.1", "::1", None) else _site.hostname
_passkey_origin = f"{_site.scheme}://{_passkey_host}" + (f":{_site.port}" if _site.port else "")
OTP_WEBAUTHN_RP_ID = os.environ.get("IRO_WEBAUTHN_RP_ID", _passkey_host)
OTP_WEBAUTHN_RP_NAME = SERVICE_NAME
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("IRO_WEBAUTHN_ORIGINS", _passkey_origin)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
COUNCIL_NAME = os.environ.get("IRO_COUNCIL_NAME", "")
# The council's three-digit DfE local authority code, written into national returns.
LA_CODE = os.environ.get("IRO_LA_CODE", "")

# Logs carry ids, never names or case details.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
