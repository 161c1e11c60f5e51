"""Settings of Symétrie, driven by environment variables.

Zero configuration gives the embedded stack (SQLite, tasks run in-process, e-mail
on the console). Every variable is listed in `.env.example` and the README. A bad
value stops start-up with a message naming the variable.
"""

import os
import ssl
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default).strip()


def env_bool(name, default=False):
    raw = env_str(name)
    if not raw:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name, default, minimum=None):
    raw = env_str(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_float(name, default):
    raw = env_str(name)
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}.") from None


def env_list(name, default=()):
    raw = env_str(name)
    if not raw:
        return list(default)
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_url(name, schemes):
    raw = env_str(name)
    if raw and urlsplit(raw).scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        raise ImproperlyConfigured(f"{name} must be a URL starting with one of: {allowed}.")
    return raw


def sso_origins(issuer):
    """The origin of the provider's issuer URL, as a list (empty without single sign-on)."""
    if not issuer:
        return []
    parts = urlsplit(issuer)
    return [f"{parts.scheme}://{parts.netloc}"]


DEBUG = env_bool("DEBUG", default=False)
# `make run` sets DEBUG=true; a production start without a secret must fail, not
# silently sign sessions with a key published in the repository.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode-" + "x" * 20
# Former keys, comma-separated: sessions and personal answering links made under them
# keep working after a rotation.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_url("SITE_URL", {"http", "https"}) or "http://127.0.0.1:8000"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_ratelimit",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "symetrie",
    "surveys",
    "barometer",
    "audit",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Results pages, exports and the API are never stored (private, no-store).
    "symetrie.middleware.PrivateResultsMiddleware",
    # A database outage answers 503 with templates/503.html (not a 500).
    "symetrie.middleware.DatabaseUnavailableMiddleware",
    # Session limits, then the second login step (symetrie/login_middleware.py).
    "symetrie.login_middleware.SessionExpiryMiddleware",
    "symetrie.login_middleware.SecondFactorMiddleware",
    # Turns a lock-out into the lock-out page; last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "symetrie.urls"
WSGI_APPLICATION = "symetrie.wsgi.application"

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
                "symetrie.context_processors.roles",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATA_DIR = Path(env_str("DATA_DIR") or BASE_DIR / "var")
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not a usable database URL: {error}") from None
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend, its health check without a round trip (symetrie/postgresql).
        DATABASES["default"]["ENGINE"] = "symetrie.postgresql"
        # Fail fast when PostgreSQL is unreachable instead of hanging a request.
        DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
            "DATABASE_CONNECT_TIMEOUT", 5, minimum=1
        )
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "db.sqlite3"),
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            # A file, not memory, so that a Celery worker started by a test sees it;
            # one per test run, so that runs side by side do not share it.
            "TEST": {"NAME": DATA_DIR / f"test-{os.getpid()}.sqlite3"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Seconds any call to Redis (broker or cache) may take before giving up.
BROKER_TIMEOUT = env_float("BROKER_TIMEOUT", 0.5)

# --- Cache (rate limits and lock-outs need one shared by all web processes) --
REDIS_CACHE_URL = env_url("CACHE_URL", {"redis", "rediss"})
if REDIS_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
            # As with the broker: a hung Redis must not hold a request.
            "OPTIONS": {
                "socket_connect_timeout": BROKER_TIMEOUT,
                "socket_timeout": BROKER_TIMEOUT,
            },
        }
    }
    # django-ratelimit's W001 lists the backends it has tested by class path, and Django's
    # own RedisCache is not on it yet (django-ratelimit issue 283). It has what the list
    # stands for, an atomic increment: Redis's INCR. The existence check Django makes first
    # could only race with the key's expiry, which django-ratelimit sets 5 s after the end
    # of the key's counting window (test_shared_cache.py counts concurrent hits exactly).
    # So Django's own backend stays: django-redis, the listed one, is a dependency more
    # for the same INCR.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # One process (`make run`): a per-process cache is shared enough for rate limits.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001", "axes.W001"]
# Public answering links: answers accepted per address (rate limit, see django-ratelimit).
PUBLIC_ANSWER_RATE = env_str("PUBLIC_ANSWER_RATE", "30/h")
# Behind a proxy, the header that carries the client address (e.g. HTTP_X_REAL_IP).
RATELIMIT_IP_META_KEY = env_str("RATELIMIT_IP_META_KEY") or None

# --- Accounts ---------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A login ends this many seconds after it started, however active (enforced by
# symetrie.login_middleware: Django's own expiry moves on at each session write) ...
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
# ... or after this many seconds without a request; 0 turns the idle limit off. "Last
# seen" is written at most once a minute, not at every request.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 3600, minimum=0)

# Lock-out after repeated failures (django-axes). The counters live in the shared
# cache, so every web process sees the same ones (Redis with CACHE_URL).
AUTHENTICATION_BACKENDS = [
    "symetrie.accounts.LockoutBackend",  # first: refuses a locked-out attempt before any check
    "symetrie.accounts.PasswordBackend",  # passwords; superusers only when LOCAL_LOGIN is off
    # Loads the user of a single sign-on session (it checks no password).
    "symetrie.sso.SSOBackend",
]
AXES_HANDLER = "symetrie.accounts.SharedCacheHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
# Locked: a username *from one address*. Locking the username alone would let anyone
# lock any HR user out from anywhere by typing wrong passwords; locking the address
# alone would lock a whole office behind one NAT address out because of one person's
# typos. An attacker guessing one password gets LOGIN_FAILURE_LIMIT tries per
# LOGIN_LOCKOUT_MINUTES per address, and the second factor stands behind it.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A success does not clear the count: else an attacker who knows a password could
# alternate a good password with wrong second-factor codes forever.
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "symetrie.accounts.client_ip"
AXES_LOCKOUT_CALLABLE = "symetrie.account_views.locked_out"
# The cache handler keeps nothing in the database: no empty pages in the admin.
AXES_ENABLE_ADMIN = False
# Failures are logged as warnings with the username and address masked; no start-up
# banner in every management command's output.
AXES_VERBOSE = False

# --- Single sign-on (OpenID Connect, symetrie/sso.py) ---------------------------
# On when OIDC_ISSUER is set: its endpoints are read from the issuer's discovery
# document at the first login (a provider that does not answer stops that login with
# a page saying so, not the start-up; `manage.py sso_check` asks it at install time).
OIDC_ISSUER = env_url("OIDC_ISSUER", {"http", "https"}).rstrip("/")
if OIDC_ISSUER and urlsplit(OIDC_ISSUER).scheme == "http":
    if urlsplit(OIDC_ISSUER).hostname not in {"localhost", "127.0.0.1", "::1"}:
        raise ImproperlyConfigured("OIDC_ISSUER must start with https:// (http only on loopback).")
SSO_ENABLED = bool(OIDC_ISSUER)
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
OIDC_RP_SCOPES = " ".join(env_str("OIDC_SCOPES", "openid email profile").replace(",", " ").split())
# The claims that carry the e-mail address and say the provider verified it; an empty
# OIDC_EMAIL_VERIFIED_CLAIM takes every address the provider sends as verified.
OIDC_EMAIL_CLAIM = env_str("OIDC_EMAIL_CLAIM", "email")
OIDC_EMAIL_VERIFIED_CLAIM = env_str("OIDC_EMAIL_VERIFIED_CLAIM", "email_verified")
# A claim and a value that make a user HR (e.g. groups / symetrie-hr), followed at each login.
OIDC_HR_CLAIM = env_str("OIDC_HR_CLAIM")
OIDC_HR_VALUE = env_str("OIDC_HR_VALUE")
# E-mail domains whose unknown users get an account without any role at their first login.
OIDC_NEW_ACCOUNT_DOMAINS = [
    domain.lower().lstrip("@") for domain in env_list("OIDC_NEW_ACCOUNT_DOMAINS")
]
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME")
OIDC_RP_SIGN_ALGO = env_str("OIDC_SIGN_ALGO", "RS256")
# Seconds any call to the provider may take.
OIDC_TIMEOUT = env_float("OIDC_TIMEOUT", 5.0)
# For mozilla-django-oidc: the callback's URL name (its code exchange repeats it).
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"
if SSO_ENABLED:
    for _name, _value in (
        ("OIDC_CLIENT_ID", OIDC_RP_CLIENT_ID),
        ("OIDC_CLIENT_SECRET", OIDC_RP_CLIENT_SECRET),
    ):
        if not _value:
            raise ImproperlyConfigured(f"{_name} is required when OIDC_ISSUER is set.")
    if "openid" not in OIDC_RP_SCOPES.split():
        raise ImproperlyConfigured("OIDC_SCOPES must include openid.")
    if bool(OIDC_HR_CLAIM) != bool(OIDC_HR_VALUE):
        raise ImproperlyConfigured(
            "OIDC_HR_CLAIM and OIDC_HR_VALUE go together: set both or neither."
        )
    if OIDC_RP_SIGN_ALGO not in {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}:
        raise ImproperlyConfigured(
            f"OIDC_SIGN_ALGO must be RS256 or another RS/ES algorithm, not {OIDC_RP_SIGN_ALGO!r}."
        )
# Password logins; off, only superusers may still use one (the break-glass path).
LOCAL_LOGIN = env_bool("LOCAL_LOGIN", default=True)
if not LOCAL_LOGIN and not SSO_ENABLED:
    raise ImproperlyConfigured("LOCAL_LOGIN=false needs single sign-on: set OIDC_ISSUER.")

# Second factor (django-otp, TOTP): the name authenticator apps show, secrets hidden
# in the admin (where a superuser can remove the device of someone who lost a phone).
OTP_TOTP_ISSUER = "Symétrie"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Languages and time -----------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

# --- Static files: our own plus Bootstrap and plotly.js from their packages --
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names (built by collectstatic) in production, plain files in
    # development and tests.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "symetrie.staticfinders.PackageAssetsFinder",
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail -----------------------------------------------------------------
# SMTP when EMAIL_HOST is set; otherwise messages are printed on the console.
_email_host = env_str("EMAIL_HOST")
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 25, minimum=1),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS"),
                "use_ssl": env_bool("EMAIL_USE_SSL"),
                "timeout": env_int("EMAIL_TIMEOUT", 10, minimum=1),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Symétrie <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", {"redis", "rediss"})
# No broker: tasks run eagerly in the calling process (the embedded default).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# kombu's Redis transport with one repair: a worker holding tasks when Redis goes away
# reconnects instead of exiting (see symetrie/broker.py).
CELERY_BROKER_TRANSPORT = "symetrie.broker:Transport"
if urlsplit(CELERY_BROKER_URL).scheme == "rediss":
    # TLS to Redis, with the server's certificate checked against the system's CAs.
    CELERY_BROKER_USE_SSL = {"ssl_cert_reqs": ssl.CERT_REQUIRED}
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "symetrie")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# Late acknowledgement: a task whose worker dies is delivered again. Tasks are
# idempotent, so running one twice is harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A stopped or hung Redis must not hold a web request: every broker call gives
# up quickly (BROKER_TIMEOUT seconds), and publishing is not retried in-request.
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": BROKER_TIMEOUT,
    "socket_connect_timeout": BROKER_TIMEOUT,
    "max_retries": 0,
    # Longer than the longest task: an unacknowledged task is redelivered after it.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1),
}
CELERY_TASK_PUBLISH_RETRY = False
# Days after a campaign closes before its invitations' e-mail addresses and link hashes
# are erased (answers stay, unlinked).
RETENTION_DAYS = env_int("RETENTION_DAYS", 90, minimum=1)
# Days an audit log entry is kept before the nightly purge deletes it.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 400, minimum=1)
# Seconds before a worker tries again to send mail the server refused or did not take;
# the wait doubles at each try, up to 30 minutes (surveys/tasks.py).
MAIL_RETRY_DELAY = env_int("MAIL_RETRY_DELAY", 30, minimum=1)
# Seconds a barometer refresh waits after an answer, gathering the ones that follow.
BAROMETER_REFRESH_DELAY = env_int("BAROMETER_REFRESH_DELAY", 20, minimum=0)
CELERY_BEAT_SCHEDULE = {
    "campaign-calendar": {
        "task": "surveys.tasks.campaigns_follow_calendar",
        "schedule": crontab(minute="*/5"),
    },
    # Catches up on refreshes lost while the broker was down.
    "barometer-sweep": {"task": "barometer.tasks.sweep", "schedule": 60.0},
    "invitations-purge": {
        "task": "surveys.tasks.invitations_purge",
        "schedule": crontab(hour=3, minute=17),
    },
    # Cuts the last database-level tie between a used invitation and its response.
    "invitations-unlink": {"task": "surveys.tasks.invitations_unlink", "schedule": 60.0},
    # Moves the responses stored since the last minute out of their order of arrival.
    "responses-shuffle": {"task": "surveys.tasks.responses_shuffle", "schedule": 60.0},
    "audit-purge": {"task": "audit.tasks.entries_purge", "schedule": crontab(hour=3, minute=43)},
}

# --- Security ---------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    # Logging out of a single sign-on session posts here, then goes on to the provider's.
    "form-action": [CSP.SELF, *sso_origins(OIDC_ISSUER)],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
HTTPS = env_bool("HTTPS", default=not DEBUG)
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Logging ----------------------------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {LOG_LEVEL}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "symetrie.logging.RedactTokens"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # Drop Django's default handlers (a console without the filter when DEBUG is on,
        # e-mails to ADMINS): its records go to the root's filtered console.
        "django": {"handlers": [], "propagate": True},
    },
}


def _redis_label(url):
    """Broker URL without its password, for the health page and logs."""
    parts = urlsplit(url)
    host = unquote(parts.hostname or "")
    return f"{parts.scheme}://{host}:{parts.port or 6379}{parts.path}"


BROKER_LABEL = _redis_label(CELERY_BROKER_URL) if CELERY_BROKER_URL else "in-process"
