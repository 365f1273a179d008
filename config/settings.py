"""Settings, read from environment variables with safe local defaults.

Local development needs no configuration at all (SQLite file, DEBUG on, a throwaway key).
Production is selected with DJANGO_ENV=production and then refuses to start unless it is
given a real secret key and DEBUG is off.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


ENVIRONMENTS = ("development", "production")
DJANGO_ENV = env_str("DJANGO_ENV", "development").strip().lower() or "development"
if DJANGO_ENV not in ENVIRONMENTS:
    # A typo must not silently run a public server in development mode, DEBUG on.
    raise ImproperlyConfigured(
        f"DJANGO_ENV vaut « {DJANGO_ENV} » : valeurs possibles « development » ou « production »."
    )
PRODUCTION = DJANGO_ENV == "production"
# The length the deployment check (`check --deploy`) and the README ask for.
MIN_SECRET_KEY_LENGTH = 50

_INSECURE_KEY = "django-insecure-local-development-only"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _INSECURE_KEY)
DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = [h.strip() for h in env_str("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
if not PRODUCTION:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "[::1]", "testserver"]

if PRODUCTION:
    # Fail loudly rather than serve with a guessable key or a debug page full of internals.
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_DEBUG doit être désactivé en production.")
    if SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY doit être défini (au moins {MIN_SECRET_KEY_LENGTH} caractères) "
            "en production."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS doit être défini en production.")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The reverse proxy terminates TLS and says so in this header (it must overwrite it).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # One year of HTTPS-only, subdomains included; lower it while trying a new domain.
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)

# Same in every environment: cookies out of reach of scripts and of other sites' forms.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A less guessable admin address only keeps noise out of the logs; the lock-out below and
# the permissions are what protect it. Always ends with a slash.
ADMIN_URL = env_str("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

INSTALLED_APPS = [
    # django.contrib.admin with the project's site (core/adminsite.py): labelled autocompletes.
    "core.adminsite.PactsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    # Layers, each importing only those above it (docs/architecture.md, « Couches »).
    "core",
    "territories",
    "people",
    "pacts",
    "public",
    "imports",
    "api",
    "staff",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are served by WhiteNoise in every environment: in production each app
    # server serves its own collected files; in development and tests it reads them from the
    # apps' static folders (finders, no collectstatic), whatever DEBUG, so that `make run`
    # serves the site with DEBUG off and shows the French 404 and 500 pages
    # (docs/architecture.md, « Public site »).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Access-Control-Allow-Origin on /api/ only, before the page cache so that a stored answer
    # gets it too and a preflight is answered without reaching it (docs/architecture.md, « API »).
    "corsheaders.middleware.CorsMiddleware",
    # Anonymous GETs of the public site from the shared cache, before sessions and anything
    # that opens a transaction (docs/architecture.md, « Cache »).
    "public.cache.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # statement_timeout on every request outside the admin, and 503 when the database does
    # not answer (docs/architecture.md, « Protection de la base »).
    "public.middleware.PublicStatementTimeoutMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Records the logged-in user on every historical row written during the request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles every query its planner costs high, such as an export's
    # correlated subqueries, and spends seconds on queries that run in milliseconds: off
    # for this workload of short queries (docs/architecture.md, « Protection de la base »).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
# Longest statement a public request may run on PostgreSQL, in milliseconds (0: no limit);
# the admin, commands and imports are not limited (docs/architecture.md, « Protection de la
# base »).
PUBLIC_STATEMENT_TIMEOUT_MS = env_int("DJANGO_PUBLIC_STATEMENT_TIMEOUT_MS", 5000)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache every process shares: public pages and the data version (docs/architecture.md,
# « Cache »). The database table `pactes_cache` (`manage.py createcachetable`) by default,
# Redis when CACHE_URL=redis://… (optional extra `.[redis]`).
CACHE_URL = env_str("CACHE_URL", "").strip()
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "pactes",
        }
    }
elif CACHE_URL in ("", "db://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "pactes_cache",
            "OPTIONS": {"MAX_ENTRIES": env_int("DJANGO_CACHE_MAX_ENTRIES", 5000)},
        }
    }
else:
    raise ImproperlyConfigured(
        f"CACHE_URL vaut « {CACHE_URL} » : valeurs possibles redis://…, rediss://… ou db://."
    )


# Whether anonymous public pages are served from that cache (« Cache »); off only to measure
# what a page costs to build (bench/bench_national.py).
PUBLIC_PAGE_CACHE = env_bool("DJANGO_PUBLIC_PAGE_CACHE", True)

# The read-only JSON API under /api/v1/ (docs/architecture.md, « API »): JSON only (one
# answer per URL, so the page cache needs no `Vary: Accept`), no authentication (it serves
# what the public pages show), anonymous clients throttled per address in the shared cache.
API_ANON_RATE = env_str("DJANGO_API_ANON_RATE", "").strip() or "120/minute"
if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", API_ANON_RATE):
    # DRF would only fail on the first API request, with a 500: refuse to start instead.
    raise ImproperlyConfigured(
        f"DJANGO_API_ANON_RATE vaut « {API_ANON_RATE} » : attendu un nombre de requêtes par "
        "période, par exemple « 120/minute », « 1000/hour » ou « 10/second »."
    )
# What the documentation page and the schema say first, in French (docs/architecture.md, « API »).
API_DESCRIPTION = """
API publique en lecture seule des pactes territoriaux publiés par la Région Grand Est :
pactes, signatures, territoires, organismes et personnes. Données sous Licence Ouverte 2.0.

**Listes.** Chaque liste prend les mêmes filtres que la liste du site (`/pactes/`,
`/signatures/`, `/territoires/`, `/organismes/`, `/personnes/`) et rend les mêmes lignes dans
le même ordre, 20 par page (`taille` jusqu'à 100). La réponse donne `total`, `page`,
`pages`, les adresses `suivante` et `precedente` (mêmes filtres), `resultats`, et
`constats` quand un filtre bien formé ne trouve rien.

**Identifiants.** Un pacte, une signature ou une personne par l'identifiant de sa page ;
un territoire par son type et son code officiel (`/territoires/departement/52/`,
`/territoires/commune/52121/`, `/territoires/ca/200068658/`) ; un organisme par son SIREN.
Chaque objet, même imbriqué, donne `url` (sa page sur le site) et `api` (son adresse ici).

**Erreurs.** Un filtre mal formé, un paramètre inconnu ou un territoire ambigu : 400, avec
les raisons en français dans `erreurs`. Un identifiant inconnu : 404. Trop de requêtes
depuis une même adresse : 429, avec `Retry-After`.

**Fichiers.** Chaque liste existe aussi en CSV sur le site (`/pactes/export.csv`…), avec les
mêmes filtres.
"""
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    # JSON is the only format: `?format=` is an unknown parameter like any other (400).
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_RATE},
    # The client's address as the lock-out reads it: the N-th from the right in
    # X-Forwarded-For behind N proxies (DJANGO_TRUSTED_PROXY_COUNT below), else REMOTE_ADDR.
    "NUM_PROXIES": env_int("DJANGO_TRUSTED_PROXY_COUNT", 0),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API des pactes territoriaux",
    "DESCRIPTION": API_DESCRIPTION,
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from this site's static files (drf-spectacular-sidecar): no CDN, CSP 'self'.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "TAGS": [
        {"name": "Pactes", "description": "Les pactes publiés."},
        {"name": "Signatures", "description": "Les signatures des pactes publiés."},
        {"name": "Territoires", "description": "Régions, départements, communes, EPCI, PETR."},
        {"name": "Organismes", "description": "Les organismes signataires ou partenaires."},
        {"name": "Personnes", "description": "Les élus et les personnes présentes."},
    ],
}
# Any site may read the API from a browser (GET only, no cookie): the data is public.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

# django-axes first: it refuses a locked-out username or address before checking a password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed logins lock out that username and that address for a quarter of an hour.
AXES_FAILURE_LIMIT = env_int("DJANGO_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
# Unlocking is a superuser's command (`manage.py axes_reset_username NAME`), not an admin page.
AXES_ENABLE_ADMIN = False
# Behind N reverse proxies, the client address is the N-th from the right in
# X-Forwarded-For; 0 (direct exposure) trusts REMOTE_ADDR only.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic writes, on each app server's own disk (rebuilt at every deployment).
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# The open-data ZIP, on each app server's own disk like the static files: rebuilt from the
# database when the data changed (docs/architecture.md, « Données ouvertes »).
OPEN_DATA_ROOT = Path(env_str("DJANGO_OPEN_DATA_ROOT", str(BASE_DIR / "var" / "donnees")))
# The site's public address (https://pactes.example.fr), for the `url` column of a package
# built by `manage.py build_open_data` outside any request.
PUBLIC_SITE_URL = env_str("DJANGO_PUBLIC_SITE_URL", "").strip()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production: hashed, compressed names cached forever by browsers (needs collectstatic);
    # development and tests keep the plain storage, which needs no collectstatic.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

if not PRODUCTION:
    # Development: each request looks the file up in the apps' static folders (an edited
    # stylesheet is served at once, never a stale collected copy) and browsers keep nothing.
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
    WHITENOISE_MAX_AGE = 0

# Content Security Policy: everything from this site only, no inline script or style, no
# framing. The public pages and the Django admin both satisfy it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}

# Who publishes the public site, shown by « Mentions légales », « Accessibilité » and
# « Données personnelles » (public/views/legal.py). Each value may be set by the environment
# of a deployment; the defaults describe the Région Grand Est itself. Without a contact
# e-mail the pages point to the postal address.
PUBLISHER = {
    "name": env_str("DJANGO_PUBLISHER_NAME", "Région Grand Est"),
    "address": env_str(
        "DJANGO_PUBLISHER_ADDRESS",
        "Maison de la Région, 1 place Adrien Zeller, BP 91006, 67070 Strasbourg Cedex",
    ),
    "director": env_str(
        "DJANGO_PUBLISHER_DIRECTOR", "le président du Conseil régional du Grand Est"
    ),
    "host_name": env_str("DJANGO_PUBLISHER_HOST_NAME", "Région Grand Est"),
    "host_address": env_str(
        "DJANGO_PUBLISHER_HOST_ADDRESS",
        "Maison de la Région, 1 place Adrien Zeller, BP 91006, 67070 Strasbourg Cedex",
    ),
    "contact_email": env_str("DJANGO_CONTACT_EMAIL", "").strip(),
}
