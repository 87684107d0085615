"""Settings for the magnesium and nerve health site.

One module for every environment: each deploy-time choice comes from an environment
variable (see README.md and .env.example). Unset variables give safe defaults: debug off,
no known secret key, SQLite in the project folder.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production mode (DJANGO_DEBUG off) refuses to run "
            "with a known key. Generate one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))' and export DJANGO_SECRET_KEY."
        )
    # Debug only: a key that is public by design, never accepted with debug off.
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is not set. In production list the site's host names, "
            "comma-separated, for example DJANGO_ALLOWED_HOSTS=example.org,www.example.org."
        )
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_htmx",
    "simple_history",
    "import_export",
    "axes",
    "articles",
    "supplements",
    "site_project",  # its ready() wires the page cache to content changes (site_project/apps.py)
]
# The apps whose models are the site's content: a change to them clears the page cache
# (site_project/cache.py), the Editors group edits them (site_project/editors.py), and
# export_content backs them up.
CONTENT_APPS = ("articles", "supplements")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Permissions-Policy on every response below, page-cache hits included.
    "site_project.security.PermissionsPolicyMiddleware",
    # Pages and fragments gzipped for clients that accept it (static files come precompressed from
    # WhiteNoise above). Django pads each response at random against BREACH; ETags become weak. A page
    # the page cache keeps goes out from its one gzipped copy, unpadded (site_project/cache.py says why).
    "django.middleware.gzip.GZipMiddleware",
    # ETags and 304s for every page, cached or not; outside the page cache so hits get them too.
    "django.middleware.http.ConditionalGetMiddleware",
    # Anonymous visitors' pages, served before sessions, auth and CSRF are touched (site_project/cache.py).
    "site_project.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "site_project.security.AdminContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Login rate limit (django-axes): after AXES_FAILURE_LIMIT failed logins, that username is
# locked, and so is that client address, each on its own, for AXES_COOLOFF_TIME hours.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_CLIENT_IP_CALLABLE = "site_project.security.client_ip"

# CSV import needs the "add" permission on the model, export "view" (Editors have both).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

ROOT_URLCONF = "site_project.urls"
WSGI_APPLICATION = "site_project.wsgi.application"

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
            ],
        },
    },
]

# SQLite by default, tuned for a web server with several worker processes: WAL lets
# readers run beside a writer, the timeout waits for a lock instead of failing, and
# IMMEDIATE transactions take the write lock up front so two writers never deadlock.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    # Connections stay open (CONN_MAX_AGE above) here too: when the last connection to a WAL
    # database closes, SQLite checkpoints and deletes the -wal and -shm files, and the next
    # request recreates them. Closing after every request cost about 3 ms a request (/healthz
    # served about 300 req/s instead of thousands). Sync gunicorn workers each keep one.

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (people's photos): stored under MEDIA_ROOT, served at MEDIA_URL, a path on this site so the CSP's
# img-src 'self' admits them. `make run` (debug) serves them; in production the web server serves the folder
# at MEDIA_URL (README, "Uploaded photos"), or DJANGO_SERVE_MEDIA=true lets Django do it on a small site.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
if not (MEDIA_URL.startswith("/") and MEDIA_URL.endswith("/")) or MEDIA_URL == "/":
    raise ImproperlyConfigured(
        f"DJANGO_MEDIA_URL must be a path on this site such as /media/ (the CSP allows images from this site "
        f"only), not {MEDIA_URL!r}."
    )
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", default=DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names (cached forever by browsers) and gzip/brotli copies made at collectstatic.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Caches: Redis when REDIS_URL is set (shared by every app server), else per-process memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
# A Redis that hangs (not down: connections open, no answer) costs a page half a second,
# then it renders from the database; redis-py's default wait is 5 s a call.
REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The page cache for anonymous visitors (site_project/cache.py): on unless DJANGO_PAGE_CACHE=false.
# Pages expire after PAGE_CACHE_SECONDS at the latest (a scheduled article shows up within
# that time); an editor's change clears them at once. Without Redis, the worker processes
# share the cache generation through a stamp file (default: in the temp folder; set
# DJANGO_PAGE_CACHE_STAMP when the server runs with a private /tmp, e.g. systemd PrivateTmp).
PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", default=True)
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 300)
PAGE_CACHE_STAMP = os.environ.get("DJANGO_PAGE_CACHE_STAMP", "")

# Sessions live in the database so any app server can read them.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Security. The secure-transport settings follow DEBUG so a local `make run` works over
# plain http, and production (debug off) is strict unless explicitly relaxed.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY") else None
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=False)
# HSTS preload stays the site owner's decision: with `preload` in the header anyone may put
# the domain on the browsers' built-in list, which forces https on every subdomain for
# months. Until DJANGO_HSTS_PRELOAD=true, `check --deploy` need not remind us each time.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# /healthz answers plain http too: a load balancer probes app servers directly, and the
# answer carries no data (README, "Several app servers").
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features the site never uses, turned off for it and anything it could embed
# (site_project/security.py sends it on every page, fragment and admin page, cached or not).
# Only features Chromium knows: an unknown name is a console error there.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "geolocation",
        "gyroscope", "hid", "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
        "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    ]
)  # fmt: skip

# A strict Content-Security-Policy: nothing inline, nothing from another host.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# The admin (/admin/ only, see site_project/security.py) gets the same policy plus what
# third-party admin templates write inline: three style attributes (django-simple-history's
# history list: `border-top: 0`; django-import-export's export form: `padding: 0;`,
# `font-weight: bold;`) and the export form's "Select all" handler
# `onchange="onSelectToggleChange(event)"`. Each is allowed by the hash of its exact text,
# so no other inline style or script runs there either; the alternative, copying those
# templates, would drift from the packages on every upgrade. The browser test
# tests/browser/test_admin_csp.py fails if a new violation appears.
ADMIN_CSP = {
    **SECURE_CSP,
    "script-src-attr": [
        CSP.UNSAFE_HASHES,
        "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",  # onSelectToggleChange(event)
    ],
    "style-src-attr": [
        CSP.UNSAFE_HASHES,
        "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",  # border-top: 0
        "'sha256-mHgUAqxc8GPXM/QhzkHrHujcrQTU9fd6ZjWz+icxKcA='",  # padding: 0;
        "'sha256-+YWRMZ88jMyO7jVlBA52tZADiPobPIUA8LAWee68Fvs='",  # font-weight: bold;
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "one_line": {
            "class": "site_project.security.OneLineFormatter",
            "format": "%(levelname)s %(name)s: %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "console_one_line": {"class": "logging.StreamHandler", "formatter": "one_line"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # A request for a host not in ALLOWED_HOSTS (scanners send many): one line each, the host
        # named, no traceback (Django's deployment docs suggest quieting this logger).
        "django.security.DisallowedHost": {"handlers": ["console_one_line"], "propagate": False},
    },
}
