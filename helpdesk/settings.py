"""Settings of the PSO helpdesk.

Everything that differs between a laptop and production comes from the
environment (see ``docs/operations.md``). Without any variables set, the
helpdesk runs embedded: SQLite under ``var/`` and django-q's ORM broker.
"""

from __future__ import annotations

import datetime as _dt
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# The Content-Security-Policy and the browser features switched off, read as settings.
from helpdesk.browser_policy import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY_DENIED  # noqa: F401
from helpdesk.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HELPDESK_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

# The key scripts/run generated for this machine, so `manage.py …` works after a
# demo run without exporting anything; production always sets SECRET_KEY(_FILE).
LOCAL_SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY and LOCAL_SECRET_KEY_FILE.is_file():
    SECRET_KEY = LOCAL_SECRET_KEY_FILE.read_text(encoding="utf-8").strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (or SECRET_KEY_FILE), "
            "or DEBUG=1 for a development-only default."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "helpdesk.apps.BackgroundTasksConfig",  # django-q, under a translated name
    "anymail",
    # Top to bottom: each app may use the ones below it, never one above
    # (checked by the import-linter contracts in pyproject.toml).
    "helpdesk",
    "public",
    "privacy",
    "telephony",
    "mailboxes",
    "scheduling",
    "cases",
    "calendars",
    "staff",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The pop-up's unchanged poll: an empty 204 from the cache, before anything else is read.
    "telephony.middleware.RingingPollMiddleware",
    "csp.middleware.CSPMiddleware",
    "helpdesk.middleware.PermissionsPolicyMiddleware",
    "helpdesk.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "helpdesk.middleware.SessionIdleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Who viewed or downloaded personal data (privacy.middleware): one insert per view.
    "privacy.middleware.AccessLogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "helpdesk.urls"
WSGI_APPLICATION = "helpdesk.wsgi.application"

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
                "django.template.context_processors.i18n",
                "helpdesk.context_processors.roles",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# Default: one SQLite file under var/, in WAL mode so the web server and the
# django-q worker can read while the other writes.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'helpdesk.sqlite3'}")
DATABASES = {
    # A connection per request costs more than a trivial page itself (PostgreSQL's
    # authentication and backend start): keep it a minute, checked before reuse so a
    # restarted database costs one failed check, not one failed request.
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The password policy, lockout and two-factor settings: "Sign-in", at the end.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# --- Language and time ----------------------------------------------------------
# Dutch first, English available. Times are stored in UTC and shown in TIME_ZONE,
# the zone of the helpdesk's promises: code that needs it reads settings.TIME_ZONE
# (or timezone.get_default_timezone()), never its own copy of the name.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"

# --- Email ----------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PSO-helpdesk <info@pso-nederland.nl>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ANYMAIL = {"WEBHOOK_SECRET": env_str("ANYMAIL_WEBHOOK_SECRET") or None}
# Each mail service's own webhook signing key, where it has one (see docs/operations.md).
for _esp_key in ("MAILGUN_WEBHOOK_SIGNING_KEY", "POSTAL_WEBHOOK_KEY", "MANDRILL_WEBHOOK_KEY"):
    if env_str(_esp_key):
        ANYMAIL[_esp_key] = env_str(_esp_key)
# Amazon SES posts through SNS, whose signature anymail does not check: only
# notifications of these topics are accepted (comma-separated ARNs).
MAIL_SES_TOPIC_ARNS = env_list("MAIL_SES_TOPIC_ARNS")
# Inbound webhooks post whole messages: a JSON post of a 25 MB mail is about 34 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 40 * 1024 * 1024)
# Attachments of one received message beyond this many bytes are left out (the
# message, its headers and text are kept, and the case says what was dropped).
MAIL_MAX_ATTACHMENT_BYTES = env_int("MAIL_MAX_ATTACHMENT_BYTES", 25 * 1024 * 1024)
# The helpdesk's own addresses: mail from them is our own coming back (a loop).
MAIL_HELPDESK_ADDRESSES = env_list("MAIL_HELPDESK_ADDRESSES", ["info@pso-nederland.nl"])
# Our outgoing mail carries this header; inbound mail that carries it with our
# id is our own mail coming back and is dropped.
MAIL_LOOP_HEADER = env_str("MAIL_LOOP_HEADER", "X-PSO-Helpdesk-Loop")
MAIL_LOOP_ID = env_str("MAIL_LOOP_ID", "pso-helpdesk")
# The domain of the Message-IDs we generate.
MAIL_MESSAGE_ID_DOMAIN = env_str("MAIL_MESSAGE_ID_DOMAIN", "helpdesk.pso-nederland.nl")

# --- Background work ---------------------------------------------------------------
# The ORM broker needs nothing beyond the database; set REDIS_URL in production.
REDIS_URL = env_str("REDIS_URL")
Q_CLUSTER: dict[str, object] = {
    "name": "helpdesk",
    "workers": env_int("Q_WORKERS", 2),
    "timeout": 300,
    "retry": 360,
    "max_attempts": 3,
    "queue_limit": 50,
    "bulk": 10,
    # Schedules follow Dutch wall-clock time, so a 08:00 job stays at 08:00
    # across the DST switches.
    "time_zone": TIME_ZONE,
    "catch_up": False,
}
# Q_SYNC=1 runs every queued task at once, in the process that queued it: for the
# test suite and for debugging, never in production (the web request would wait).
if env_bool("Q_SYNC", False):
    Q_CLUSTER["sync"] = True
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# The cache is shared by the web processes and the worker (a register import's
# progress, certificates of the mail services): Redis in production, files under
# var/ in the embedded set-up.
if REDIS_URL:
    CACHES = {
        # Django's Redis cache, with its clients kept (helpdesk/cache.py says why).
        "default": {"BACKEND": "helpdesk.cache.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading binds the whole domain (and its subdomains) to HTTPS for browsers
# for good: the owner of the domain opts in, not this application, so the check
# that nags about it is silenced while it is off.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# --- Defence in depth: what pages may load, how long a session lives, who hears of errors --
# Files served at the root of the site: /favicon.ico, which browsers fetch for every
# page (the admin's too) and which would otherwise be a 404 in each console.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
# A session ends after this much idle time, and when the browser closes. The expiry
# moves on with use; helpdesk.middleware.SessionIdleMiddleware saves the session at
# most once a minute for it, not on every request (the caller search asks per key).
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 8 * 60 * 60)
if SESSION_IDLE_SECONDS < 120:
    raise ImproperlyConfigured("SESSION_IDLE_SECONDS must be at least 120 (two minutes)")
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_REFRESH_SECONDS = 60
SESSION_ENGINE = "helpdesk.sessions"
# Who gets the mail of a server error (Django mails each 500 to them): a list of
# addresses, "Name <address>, Other <address>".
ADMINS = [pair for pair in getaddresses([env_str("ADMINS")]) if any(pair)]
if any("@" not in address for _name, address in ADMINS):
    raise ImproperlyConfigured(
        "ADMINS must be a comma-separated list of addresses such as "
        '"Helpdesk beheer <beheer@example.nl>, ops@example.nl"'
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Sign-in: password policy, lockout after failures, two-factor codes --------------------
# See docs/operations.md, "Sign-in".
INSTALLED_APPS += [
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
# OTPMiddleware tells whether this session entered a code; TwoFactorMiddleware then sends a
# session that still owes one (or has to set it up) to that page. Both need the user.
_after_sign_in = MIDDLEWARE.index("django.contrib.auth.middleware.LoginRequiredMiddleware") + 1
MIDDLEWARE[_after_sign_in:_after_sign_in] = [
    "django_otp.middleware.OTPMiddleware",
    "staff.middleware.TwoFactorMiddleware",
]
# Last, as axes asks: it turns a refused sign-in into the lockout page.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
# A locked-out sign-in is refused right after the static files, before the session is read.
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "staff.lockout.LockedOutSignInMiddleware",
)
# The lockout check comes first, so a locked-out attempt never reaches the password hasher.
AUTHENTICATION_BACKENDS = [
    "staff.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "staff.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# AXES_ENABLED=0 switches the lockout off (only to measure what it saves; bench/bench_login.py).
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# "Forgot your password" sends at most this many mails to one account, and takes at
# most this many requests from one address, per hour (0: no limit).
PASSWORD_RESET_MAILS_PER_HOUR = env_int("PASSWORD_RESET_MAILS_PER_HOUR", 3)
PASSWORD_RESET_REQUESTS_PER_IP_PER_HOUR = env_int("PASSWORD_RESET_REQUESTS_PER_IP_PER_HOUR", 20)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = _dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_TIME.total_seconds() < 60:
    raise ImproperlyConfigured(
        "AXES_FAILURE_LIMIT must be 1 or more, AXES_COOLOFF_MINUTES 1 or more"
    )
# Counted per account from one address, and per address over all accounts (guessing
# many accounts from one place); never per account alone, which anyone could lock.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
# Attempts while locked out are refused without being recorded: the cool-off runs
# from the failure that locked, and a flood of refused posts records nothing.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "staff.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "staff.client_ip.client_ip"
# Masked in axes' records and log lines; "code" is the two-factor step's field.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
# Behind the TLS proxy every request comes from the proxy's address: the client's is the
# right-most X-Forwarded-For entry, trusted only from the proxies gunicorn trusts.
SIGN_IN_IP_FROM_FORWARDED_FOR = env_bool("BEHIND_TLS_PROXY", False)
SIGN_IN_TRUSTED_PROXIES = env_list("FORWARDED_ALLOW_IPS", ["127.0.0.1"])
# Members of these groups must set up two-factor sign-in before they can use any page.
# Comma-separated group names; none by default (see docs/operations.md, "Sign-in").
OTP_REQUIRED_GROUPS = env_list("OTP_REQUIRED_GROUPS", [])
OTP_TOTP_ISSUER = "PSO-helpdesk"


# --- In their own modules: the public pages, and the mailboxes (docs/mailboxes.md) ---------
from helpdesk.settings_mailboxes import *  # noqa: E402, F403
from helpdesk.settings_public import *  # noqa: E402, F403

# --- The helpdesk's own rules (callback slots, warnings, acknowledgement limits …) --------
from helpdesk.settings_rules import *  # noqa: E402, F403
