"""Settings, read from the environment (django-environ).

With nothing set, the app runs as the embedded demo: SQLite, Celery on kombu's filesystem transport, e-mail to
the console. ``RAPIDREVIEW_ENV=production`` turns on every production safeguard and makes SECRET_KEY,
DATABASE_URL, CELERY_BROKER_URL and ALLOWED_HOSTS mandatory.
"""

import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("RAPIDREVIEW_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

RAPIDREVIEW_ENV = env.str("RAPIDREVIEW_ENV", default="demo")
if RAPIDREVIEW_ENV not in {"demo", "production", "test"}:
    raise ImproperlyConfigured("RAPIDREVIEW_ENV must be demo, production or test.")
PRODUCTION = RAPIDREVIEW_ENV == "production"


def _demo_secret_key() -> str:
    """A random key kept in var/ so that demo sessions survive a restart."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


def _required(name: str) -> None:
    if PRODUCTION and name not in env.ENVIRON:
        raise ImproperlyConfigured(f"{name} must be set in production.")


for _name in ("SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "ALLOWED_HOSTS"):
    _required(_name)

SECRET_KEY = env.str("SECRET_KEY") if "SECRET_KEY" in env.ENVIRON else _demo_secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# What the installation calls itself where no partnership speaks (sign-in e-mails, the public start page).
INSTALLATION_NAME = env.str("INSTALLATION_NAME", default="Rapid Review")
# During an upgrade that must stop the site (docs/operations.md): every page answers 503 with a maintenance page.
MAINTENANCE_MODE = env.bool("MAINTENANCE_MODE", default=False)
MAINTENANCE_UNTIL = env.str("MAINTENANCE_UNTIL", default="")  # shown as given, e.g. "6pm"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # Django's own widget templates, for the renderer below
    "django.contrib.humanize",
    # Its ready() lets an index name an operator class (the case search's trigram indexes, ADR 0019); nothing it
    # adds is used on SQLite, where it is harmless.
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    # The core, shared by every stage.
    "rapidreview",
    "rapidreview.accounts",
    "rapidreview.clocks",
    "rapidreview.notifications",
    "rapidreview.audit",
    "rapidreview.partnership_export",
    # One app per stage of the process, in process order.
    "referrals",
    "panels",
    "agencychecks",
    "decisions",
    "actionplan",
    "themes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "rapidreview.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "rapidreview.middleware.MaintenanceMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "rapidreview.accounts.middleware.PartnershipMiddleware",
    "rapidreview.accounts.middleware.MFARequiredMiddleware",
    "rapidreview.accounts.middleware.NoCurrentRoleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "rapidreview.middleware.NoStoreForAuthenticatedMiddleware",
    "rapidreview.audit.middleware.DeniedAccessLogMiddleware",
    # Last, so that it turns a lockout flagged anywhere in the sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rapidreview.urls"
WSGI_APPLICATION = "rapidreview.wsgi.application"

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
                "rapidreview.context_processors.shell",
            ],
            "builtins": ["rapidreview.templatetags.govuk"],
        },
    }
]

# Widgets render through the project's templates, so that templates/django/forms/widgets/ can override Django's:
# select.html writes each option inline instead of including a template per option (a filter of 300 agencies
# cost 60 ms to render).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo's web server and its Celery worker write the same file. WAL lets readers run beside a writer;
    # BEGIN IMMEDIATE takes the write lock at the start of a transaction, so two writers queue (up to the timeout)
    # instead of one failing with "database is locked" when it upgrades a read to a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Redis down must not take the site down: the cache then misses and pages come from the database
# (rapidreview/cache.py, issue 21 finding 3).
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "rapidreview.cache.ResilientRedisCache"
# Sessions live in the database only: a session cached in Redis would be lost, or worse outlive a sign-out, when
# Redis goes down and comes back. One primary-key read per request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses sign-in while an address is locked out (django-axes).
    "rapidreview.accounts.backends.LockoutBackend",
    # Django's ModelBackend, reading the user with their agency (the header shows it on every page).
    "rapidreview.accounts.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    # Our people have one full name, not Django's first and last names (issue 21, finding 11).
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("email", "full_name", "job_title")}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if RAPIDREVIEW_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False  # English only; the gettext machinery cost 3-15% of every page (issue 20)
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, P"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# whitenoise serves static files in every mode; outside production it reads them straight from the finders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
# Uploaded evidence lives outside the web root and is served only through access-checked views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "uploads")))

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# E-mail: console in the demo, SMTP (EMAIL_URL) or GOV.UK Notify in production. Every message also lands in the
# in-app outbox first (rapidreview.notifications).
_email = env.email("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=_email["EMAIL_BACKEND"])
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Rapid Review <no-reply@rapidreview.local>")
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")

# Celery: Redis in production, kombu's filesystem transport for the embedded demo.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker = VAR_DIR / "broker"
    for _sub in ("out", "processed", "control"):
        (_broker / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker / "out"),
        "data_folder_out": str(_broker / "out"),
        "data_folder_processed": str(_broker / "processed"),
        "control_folder": str(_broker / "control"),
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=RAPIDREVIEW_ENV == "test")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
REMINDER_SWEEP_MINUTES = env.int("REMINDER_SWEEP_MINUTES", default=15)
# Every periodic schedule, in one place.
CELERY_BEAT_SCHEDULE = {
    "reminder-sweep": {
        "task": "rapidreview.clocks.tasks.sweep",
        "schedule": REMINDER_SWEEP_MINUTES * 60.0,
    },
    # A dry run every week: the business unit gets a count of cases past their retention period.
    "retention-review": {
        "task": "rapidreview.audit.tasks.retention_review",
        "schedule": 7 * 24 * 60 * 60.0,
    },
    # Partnership export archives are deleted once their 7 days to download are over.
    "partnership-export-expiry": {
        "task": "rapidreview.partnership_export.tasks.expire_exports",
        "schedule": 24 * 60 * 60.0,
    },
}
# A partnership's export can be downloaded for this many days; an import archive may unpack to this many bytes.
PARTNERSHIP_EXPORT_DAYS = 7
PARTNERSHIP_IMPORT_MAX_BYTES = env.int("PARTNERSHIP_IMPORT_MAX_BYTES", default=20 * 1024 * 1024 * 1024)

# Security: production gets every header and cookie flag Django's deployment checklist asks for.
# docs/security.md explains each of these and names the tests that prove them.
SESSION_COOKIE_AGE = 12 * 60 * 60
# Sessions end 12 hours after sign-in whatever happens (checked against a time stored at sign-in), and after
# 30 minutes without a request.
SESSION_ABSOLUTE_SECONDS = SESSION_COOKIE_AGE
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_SECONDS = 30 * 60
SESSION_TOUCH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=PRODUCTION)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=PRODUCTION)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
                      "payment=(), usb=(), interest-cohort=()")
# A strict Content Security Policy (django-csp 4): everything from this site only, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# Second factor (TOTP) for every account in production; the demo and the tests relax it.
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=PRODUCTION)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Rapid Review")
OTP_TOTP_THROTTLE_FACTOR = 1

# Lockout after repeated failed sign-ins (django-axes, rapidreview/accounts/lockout.py): 10 failures for one
# e-mail address from one network address pause that pair for 15 minutes; 50 failures from one network address,
# whatever the e-mail addresses, pause that address (ASVS 2.2.1 allows at most 100 an hour per account).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "rapidreview.accounts.lockout.PairAndAddressHandler"
AXES_USERNAME_CALLABLE = "rapidreview.accounts.backends.lockout_username"
AXES_LOCKOUT_CALLABLE = "rapidreview.accounts.views.signin.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # our own access log records sign-ins
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "password", "token"]
AXES_CLIENT_IP_CALLABLE = "rapidreview.audit.services.client_ip"

# Password reset requests per hour: from one network address (then a message), and for one e-mail address (then
# silently none, so the page never tells whether an account exists).
PASSWORD_RESET_ADDRESS_LIMIT = env.int("PASSWORD_RESET_ADDRESS_LIMIT", default=20)
PASSWORD_RESET_ACCOUNT_LIMIT = env.int("PASSWORD_RESET_ACCOUNT_LIMIT", default=3)

if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"},
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# The public referral form: submissions per address per hour.
PUBLIC_REFERRAL_RATE_LIMIT = env.int("PUBLIC_REFERRAL_RATE_LIMIT", default=5)
# ... and drafts kept in the session (each "Continue" on the form) per address per hour.
PUBLIC_REFERRAL_DRAFT_RATE_LIMIT = env.int("PUBLIC_REFERRAL_DRAFT_RATE_LIMIT", default=30)
