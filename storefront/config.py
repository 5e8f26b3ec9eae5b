"""Settings read from the environment.

Three profiles: ``development`` (``make run``), ``testing`` (the test suite) and
``production`` (the default, so a forgotten variable fails closed). Only the first
two have a built-in ``SECRET_KEY``.
"""
import os
from pathlib import Path
from urllib.parse import urlsplit

from .legal.seller import missing_operator_identity, seller_problem

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = BASE_DIR / "instance"


def database_url(raw: str | None, default: str) -> str:
    """Return a SQLAlchemy URL, steering PostgreSQL URLs to the psycopg 3 driver."""
    url = raw or default
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


_NO_SECRET = ("SECRET_KEY must be set in the environment for production (APP_ENV=production is the "
              "default). For local work run `export APP_ENV=development` or use `make run`.")


_NO_PUBLIC_URL = ("PUBLIC_URL must be set in the environment for production: the shop's address as shoppers "
                  "reach it, e.g. PUBLIC_URL=https://ocop.example.vn. Every link in mails, QR codes, og:url "
                  "and Stripe's return is built from it.")


def public_url_problem(url: str | None) -> str | None:
    """Return why ``url`` cannot be production's ``PUBLIC_URL`` (https, scheme and host only), or None."""
    if not url:
        return _NO_PUBLIC_URL
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return f"PUBLIC_URL must be an https address such as https://ocop.example.vn, not {url!r}"
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        return f"PUBLIC_URL must be the scheme and host only (links add their own paths), not {url!r}"
    return None


def redis_options(connect_timeout: float, timeout: float) -> dict:
    """Return the options of every Redis client: bounded waits and no retry.

    redis-py retries a timed-out command 3 times with backoff (up to 10 s): against a Redis that
    hangs that only multiplies the wait, and every caller has a fallback of its own.
    """
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {"socket_connect_timeout": connect_timeout, "socket_timeout": timeout,
            "retry": Retry(NoBackoff(), 0)}


class ConfigError(RuntimeError):
    """The environment lacks a setting the chosen profile needs."""


_NO_OPERATOR = ("The operator's identity must be set in the environment for production (shown on every "
                "page and mail, Decree 52/2013 Art. 29). Missing: ")


# What issuing e-invoices needs, by who sells: the operator issues through its own account; when
# producers sell, each issues through its own account (kept in the database, its password
# encrypted with EINVOICE_CREDENTIALS_KEY), so the key is what the shop needs.
EINVOICE_OPERATOR_SETTINGS = ("EINVOICE_URL", "EINVOICE_USERNAME", "EINVOICE_PASSWORD",
                              "EINVOICE_TEMPLATE_CODE", "EINVOICE_SERIES")
EINVOICE_PRODUCER_SETTINGS = ("EINVOICE_URL", "EINVOICE_CREDENTIALS_KEY")
EINVOICE_PROVIDERS = ("viettel",)  # storefront/invoices/adapters.py: one adapter each


def einvoice_problem(settings) -> str | None:
    """Return why the e-invoice settings cannot issue (``EINVOICE_PROVIDER`` set), or None.

    ``settings`` is a config class or mapping; nothing is needed while ``EINVOICE_PROVIDER`` is unset.
    """
    get = settings.get if isinstance(settings, dict) else lambda name: getattr(settings, name, None)
    provider = get("EINVOICE_PROVIDER")
    if not provider:
        return None
    if provider not in EINVOICE_PROVIDERS:
        return f"EINVOICE_PROVIDER must be one of {', '.join(EINVOICE_PROVIDERS)}, not {provider!r}"
    producers = (get("SELLER_OF_RECORD") or "operator") == "producer"
    needed = EINVOICE_PRODUCER_SETTINGS if producers else EINVOICE_OPERATOR_SETTINGS
    missing = [name for name in needed if not get(name)]
    if missing:
        who = ("each producer issues through its own account, whose password is kept encrypted with "
               "EINVOICE_CREDENTIALS_KEY (a Fernet key: python -c 'from cryptography.fernet import "
               "Fernet; print(Fernet.generate_key().decode())')" if producers else
               "the operator issues through its account at the provider")
        return (f"EINVOICE_PROVIDER={provider} is set, so e-invoices are issued ({who}); missing: "
                f"{', '.join(missing)}. Set them, or unset EINVOICE_PROVIDER to issue none.")
    if producers:
        from cryptography.fernet import Fernet

        try:
            Fernet(get("EINVOICE_CREDENTIALS_KEY"))
        except ValueError:
            return ("EINVOICE_CREDENTIALS_KEY must be a Fernet key (32 bytes, url-safe base64): "
                    "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'")
    return None


# Zalo's rotated refresh token and its access token are kept in the database (provider_token),
# encrypted with NOTIFY_TOKEN_KEY (storefront/notifications/zalo.py).
ZALO_SETTINGS = ("ZALO_APP_ID", "ZALO_APP_SECRET", "ZALO_REFRESH_TOKEN")


def notify_problem(settings) -> str | None:
    """Return why Zalo's tokens could not be stored encrypted (a ``ZALO_*`` app is set), or None."""
    get = settings.get if isinstance(settings, dict) else lambda name: getattr(settings, name, None)
    if not any(get(name) for name in ZALO_SETTINGS):
        return None
    how = ("python -c 'from cryptography.fernet import Fernet; "
           "print(Fernet.generate_key().decode())'")
    key = get("NOTIFY_TOKEN_KEY")
    if not key:
        return ("Zalo ZNS is configured (ZALO_*), so its rotated tokens are kept in the database "
                f"encrypted with NOTIFY_TOKEN_KEY, which is missing: a Fernet key, {how}.")
    from cryptography.fernet import Fernet

    try:
        Fernet(key)
    except (ValueError, TypeError):
        return f"NOTIFY_TOKEN_KEY must be a Fernet key (32 bytes, url-safe base64): {how}"
    return None


def _check_seller(cls) -> None:
    if problem := seller_problem(cls.SELLER_OF_RECORD):
        raise ConfigError(problem)


class Config:
    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("DATABASE_URL"), f"sqlite:///{INSTANCE_DIR / 'storefront.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024  # one 10 MB photo plus the form around it

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_DURATION = 30 * 24 * 3600  # at most 30 days
    HSTS_SECONDS = 2 * 365 * 24 * 3600  # Strict-Transport-Security; 0 sends none
    PERMANENT_SESSION_LIFETIME = 30 * 24 * 3600

    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead: a long checkout must not fail
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")

    REDIS_URL = os.environ.get("REDIS_URL")  # shown by /healthz; the task queue's home (queue.py)
    # Seconds any Redis use (queue, limiter, cache, /healthz) waits to connect and for an answer:
    # a Redis that hangs costs a request this much, then the same fallback as a Redis that is down.
    REDIS_CONNECT_TIMEOUT = float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5"))
    REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.5"))
    # Without Redis, the queue is this SQLite file, shared by `make run`'s web server and worker.
    TASK_QUEUE_NAME = os.environ.get("TASK_QUEUE_NAME", "ocop")
    TASK_QUEUE_PATH = os.environ.get("TASK_QUEUE_PATH") or str(INSTANCE_DIR / "tasks.db")
    # How many proxies (load balancer, nginx) stand in front and set X-Forwarded-For/-Proto.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "memory://")
    RATELIMIT_STORAGE_OPTIONS = redis_options(REDIS_CONNECT_TIMEOUT, REDIS_TIMEOUT)
    # Said explicitly: Flask-Limiter keeps one extension object, and an app that leaves this unset
    # would inherit whatever the previous app in the process chose (a test that turned it off).
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    # A moving window: attempts made just before and after a minute boundary still add up.
    RATELIMIT_STRATEGY = "moving-window"
    # Redis down: each process keeps counting in memory (same limits, per process) instead of failing.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "5 per minute;30 per hour")
    # Per IP and per submitted address (registration also mails the owner of an address in use).
    REGISTER_RATE_LIMIT = os.environ.get("REGISTER_RATE_LIMIT", "5 per hour")
    PASSWORD_RESET_RATE_LIMIT = os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5 per hour")
    # confirmation links mailed again (at sign-in) to one address
    CONFIRMATION_MAIL_LIMIT = os.environ.get("CONFIRMATION_MAIL_LIMIT", "3 per hour")
    PASSWORD_RESET_MAX_AGE = 3600  # a reset link works for one hour, once
    CONFIRM_EMAIL_MAX_AGE = 7 * 24 * 3600

    # Flask-Caching: one SimpleCache per process, or Redis shared by every instance.
    CACHE_TYPE = "RedisCache" if os.environ.get("REDIS_URL") else "SimpleCache"
    CACHE_REDIS_URL = os.environ.get("REDIS_URL")
    CACHE_KEY_PREFIX = "ocop:"
    CACHE_DEFAULT_TIMEOUT = 300
    # How long catalogue counts (facets, totals, products per village) are kept; 0: never.
    CATALOG_COUNT_CACHE_SECONDS = int(os.environ.get("CATALOG_COUNT_CACHE_SECONDS", "60"))
    # A text search counts at most this many matches exactly; past it the page says "more than".
    CATALOG_SEARCH_COUNT_LIMIT = int(os.environ.get("CATALOG_SEARCH_COUNT_LIMIT", "1000"))

    MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(INSTANCE_DIR / "media"))
    # Certificate scans on local disk: outside MEDIA_ROOT, so /media can never serve them.
    PRIVATE_MEDIA_ROOT = os.environ.get("PRIVATE_MEDIA_ROOT", str(INSTANCE_DIR / "private"))
    MEDIA_URL = "/media/"
    PHOTO_MAX_BYTES = 10 * 1024 * 1024
    PHOTO_MAX_PIXELS = 40_000_000  # well below Pillow's ~89 Mpx default
    PHOTOS_PER_PRODUCT = 8

    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET")
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE")  # only for a local test server
    STRIPE_MIN_AMOUNT = int(os.environ.get("STRIPE_MIN_AMOUNT", "15000"))
    PAYMENT_WINDOW_MINUTES = 30
    PICKUP_WINDOW_DAYS = int(os.environ.get("PICKUP_WINDOW_DAYS", "7"))  # counted in open days
    PICKUP_ORDER_CUTOFF = os.environ.get("PICKUP_ORDER_CUTOFF", "17:00")  # Hanoi time, HH:MM
    PICKUP_DAYS_AHEAD = int(os.environ.get("PICKUP_DAYS_AHEAD", "14"))
    PICKUP_CODE_MAX_TRIES = 5
    # The operator's fee on what producers hand over, in percent (up to two decimals), unless
    # an admin agreed another rate with the producer (``finance/fees.py``).
    OPERATOR_FEE_PERCENT = os.environ.get("OPERATOR_FEE_PERCENT", "10")
    # Settlement periods: "semimonthly" (1st–15th, 16th–end, Hanoi time), "monthly" or "weekly".
    SETTLEMENT_CYCLE = os.environ.get("SETTLEMENT_CYCLE", "semimonthly")
    # Days after a hand-over before the producer's share becomes payable (returns).
    SETTLEMENT_HOLD_DAYS = int(os.environ.get("SETTLEMENT_HOLD_DAYS", "3"))

    # Personal data and complaints (storefront/privacy, storefront/complaints): a finished guest
    # order's contact is forgotten after this many days; complaints are answered and resolved
    # within these many working days; EXTRA_DAYS_OFF adds days off (ISO dates, comma-separated)
    # that a year's decree gives and the holidays package does not know yet.
    GUEST_DATA_RETENTION_DAYS = int(os.environ.get("GUEST_DATA_RETENTION_DAYS", "365"))
    COMPLAINT_ANSWER_DAYS = int(os.environ.get("COMPLAINT_ANSWER_DAYS", "7"))
    COMPLAINT_RESOLVE_DAYS = int(os.environ.get("COMPLAINT_RESOLVE_DAYS", "15"))
    EXTRA_DAYS_OFF = os.environ.get("EXTRA_DAYS_OFF", "")

    # VietQR bank transfer: offered when the shop's account is set (BIN: 6 digits, e.g. 970436).
    VIETQR_BANK_BIN = os.environ.get("VIETQR_BANK_BIN")
    VIETQR_ACCOUNT_NUMBER = os.environ.get("VIETQR_ACCOUNT_NUMBER")
    VIETQR_ACCOUNT_NAME = os.environ.get("VIETQR_ACCOUNT_NAME")
    TRANSFER_PAYMENT_MINUTES = int(os.environ.get("TRANSFER_PAYMENT_MINUTES", "60"))
    # The key the bank-transaction service sends as `Authorization: Apikey <key>`.
    BANK_WEBHOOK_API_KEY = os.environ.get("BANK_WEBHOOK_API_KEY")

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "OCOP Hà Nội <no-reply@ocop.local>")
    # After a commit that wrote outbox rows, queue their delivery (the worker sends them;
    # no request waits for SMTP). Seconds each SMTP step may take before the relay counts as down.
    MAIL_SEND_AFTER_COMMIT = True
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "10"))
    # A message claimed by a sender that died is sent again after max(this, 15 × MAIL_TIMEOUT) s.
    MAIL_CLAIM_MIN_SECONDS = float(os.environ.get("MAIL_CLAIM_MIN_SECONDS", "90"))
    # The worker's outbox sweep runs every this many seconds (1–60; Huey looks at its schedule
    # once a minute, storefront/worker.py looks this often): a lost task delays mail this long.
    OUTBOX_SWEEP_SECONDS = int(os.environ.get("OUTBOX_SWEEP_SECONDS", "60"))
    # Tasks run by a worker from the queue (storefront/queue.py); True runs each at once, in the caller.
    TASKS_IMMEDIATE = False

    # Notices by Zalo ZNS, else SMS brandname, else e-mail (storefront/notifications/channels.py);
    # without Zalo or SMS set the shop mails as before. Secrets have no defaults.
    ZALO_APP_ID = os.environ.get("ZALO_APP_ID")
    ZALO_APP_SECRET = os.environ.get("ZALO_APP_SECRET")
    ZALO_REFRESH_TOKEN = os.environ.get("ZALO_REFRESH_TOKEN")  # the first; rotated ones live in the DB
    ZALO_OA_SECRET_KEY = os.environ.get("ZALO_OA_SECRET_KEY")  # verifies Zalo's webhook calls
    ZALO_OAUTH_URL = os.environ.get("ZALO_OAUTH_URL", "https://oauth.zaloapp.com")
    ZALO_ZNS_URL = os.environ.get("ZALO_ZNS_URL", "https://business.openapi.zalo.me")
    ZALO_TEMPLATES = os.environ.get("ZALO_TEMPLATES", "")  # JSON: event -> approved template id
    ZALO_REPORT_WAIT_SECONDS = float(os.environ.get("ZALO_REPORT_WAIT_SECONDS", "900"))
    # A Fernet key encrypting the rotated Zalo tokens in provider_token; production needs it with ZALO_*.
    NOTIFY_TOKEN_KEY = os.environ.get("NOTIFY_TOKEN_KEY")
    SMS_PROVIDER = os.environ.get("SMS_PROVIDER")  # "esms"
    ESMS_URL = os.environ.get("ESMS_URL", "https://rest.esms.vn")
    ESMS_API_KEY = os.environ.get("ESMS_API_KEY")
    ESMS_SECRET_KEY = os.environ.get("ESMS_SECRET_KEY")
    ESMS_BRANDNAME = os.environ.get("ESMS_BRANDNAME")
    ESMS_SANDBOX = os.environ.get("ESMS_SANDBOX", "") == "1"
    SMS_CALLBACK_SECRET = os.environ.get("SMS_CALLBACK_SECRET")  # in eSMS's callback URL
    NOTIFY_HTTP_TIMEOUT = float(os.environ.get("NOTIFY_HTTP_TIMEOUT", "10"))

    # Uploaded files: "local" (MEDIA_ROOT, PRIVATE_MEDIA_ROOT) or "s3" (storefront/storage.py).
    STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local")
    S3_BUCKET = os.environ.get("S3_BUCKET")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL")  # MinIO, R2, moto...; unset for AWS
    S3_PUBLIC_BASE_URL = os.environ.get("S3_PUBLIC_BASE_URL")  # a CDN in front of the bucket
    S3_PRESIGN_SECONDS = int(os.environ.get("S3_PRESIGN_SECONDS", "300"))
    AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID")
    AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY")
    AWS_REGION = os.environ.get("AWS_REGION", "us-east-1")

    # Who sells (storefront/legal/seller.py): "operator" (a sales website, producers consign) or
    # "producer" (each producer sells on the operator's trading floor).
    SELLER_OF_RECORD = os.environ.get("SELLER_OF_RECORD", "operator")
    # The operator's identity, in the footer of every page and mail; production needs every one.
    OPERATOR_LEGAL_NAME = os.environ.get("OPERATOR_LEGAL_NAME")
    OPERATOR_ADDRESS = os.environ.get("OPERATOR_ADDRESS")
    OPERATOR_TAX_CODE = os.environ.get("OPERATOR_TAX_CODE")
    OPERATOR_PHONE = os.environ.get("OPERATOR_PHONE")
    OPERATOR_EMAIL = os.environ.get("OPERATOR_EMAIL")
    MOIT_NOTICE_URL = os.environ.get("MOIT_NOTICE_URL")  # the MoIT notification or registration

    # E-invoices (storefront/invoices): issued through this provider when set ("viettel"); the seller
    # is the operator (OPERATOR_*) or, when producers sell, each producer with its own account,
    # whose password is kept encrypted with EINVOICE_CREDENTIALS_KEY (a Fernet key).
    EINVOICE_PROVIDER = os.environ.get("EINVOICE_PROVIDER") or None
    EINVOICE_URL = os.environ.get("EINVOICE_URL", "https://api-vinvoice.viettel.vn")
    EINVOICE_USERNAME = os.environ.get("EINVOICE_USERNAME")
    EINVOICE_PASSWORD = os.environ.get("EINVOICE_PASSWORD")
    EINVOICE_TEMPLATE_CODE = os.environ.get("EINVOICE_TEMPLATE_CODE")
    EINVOICE_SERIES = os.environ.get("EINVOICE_SERIES")
    EINVOICE_TIMEOUT = float(os.environ.get("EINVOICE_TIMEOUT", "20"))
    EINVOICE_CREDENTIALS_KEY = os.environ.get("EINVOICE_CREDENTIALS_KEY")

    # PUBLIC_URL: the base of every absolute link (mails, QR codes, og:url, Stripe's return), never the
    # request's Host; production refuses to start without it.
    SERVER_NAME_FOR_LINKS = os.environ.get("PUBLIC_URL")

    # argon2id cost: argon2-cffi's defaults (RFC 9106 low-memory profile: t=3, 64 MiB, p=4).
    PASSWORD_HASH_TIME_COST = 3
    PASSWORD_HASH_MEMORY_KIB = 65536
    PASSWORD_HASH_PARALLELISM = 4

    @classmethod
    def validate(cls) -> None:
        """Refuse to run without the secrets and the public address production needs."""
        if not cls.SECRET_KEY:
            raise ConfigError(_NO_SECRET)
        if problem := public_url_problem(cls.SERVER_NAME_FOR_LINKS):
            raise ConfigError(problem)
        _check_seller(cls)
        if missing := missing_operator_identity(cls):
            raise ConfigError(_NO_OPERATOR + ", ".join(missing))
        if problem := einvoice_problem(cls):
            raise ConfigError(problem)
        if problem := notify_problem(cls):
            raise ConfigError(problem)


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY") or "development-only-not-secret"
    # A clearly fake account, so `make run` shows the transfer method; never pay into it.
    VIETQR_BANK_BIN = os.environ.get("VIETQR_BANK_BIN", "970436")
    VIETQR_ACCOUNT_NUMBER = os.environ.get("VIETQR_ACCOUNT_NUMBER", "0000000000")
    VIETQR_ACCOUNT_NAME = os.environ.get("VIETQR_ACCOUNT_NAME", "OCOP DEMO KHONG CHUYEN TIEN")
    BANK_WEBHOOK_API_KEY = os.environ.get("BANK_WEBHOOK_API_KEY", "development-only-webhook-key")
    SERVER_NAME_FOR_LINKS = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    HSTS_SECONDS = 0  # plain http on 127.0.0.1
    # `make run` starts a local mail sink on 1025 that prints every message (links to confirm, reset, orders).
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "1025"))

    # Clearly fake, so nobody mistakes the demo for a real shop.
    OPERATOR_LEGAL_NAME = os.environ.get("OPERATOR_LEGAL_NAME", "CÔNG TY DEMO OCOP (KHÔNG CÓ THẬT)")
    OPERATOR_ADDRESS = os.environ.get("OPERATOR_ADDRESS", "Số 0 phố Ví Dụ, Hà Nội (địa chỉ giả)")
    OPERATOR_TAX_CODE = os.environ.get("OPERATOR_TAX_CODE", "0000000000 (giả)")
    OPERATOR_PHONE = os.environ.get("OPERATOR_PHONE", "0900 000 000 (giả)")
    OPERATOR_EMAIL = os.environ.get("OPERATOR_EMAIL", "demo@ocop.invalid")
    MOIT_NOTICE_URL = os.environ.get("MOIT_NOTICE_URL", "https://online.gov.vn/example-not-registered")

    @classmethod
    def validate(cls) -> None:
        _check_seller(cls)


class TestingConfig(DevelopmentConfig):
    ENV_NAME = "testing"
    TESTING = True
    MAIL_SERVER, MAIL_PORT = Config.MAIL_SERVER, Config.MAIL_PORT  # tests start their own SMTP servers
    SECRET_KEY = "testing-only-not-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    RATELIMIT_STORAGE_URI = "memory://"
    REDIS_URL = None
    CACHE_TYPE = "SimpleCache"  # kept on, per app: every test starts with an empty cache
    MAIL_SEND_AFTER_COMMIT = False
    TASKS_IMMEDIATE = True  # tasks run for real, in the test's own process and app
    STRIPE_SECRET_KEY = None
    STRIPE_WEBHOOK_SECRET = None
    VIETQR_BANK_BIN = VIETQR_ACCOUNT_NUMBER = VIETQR_ACCOUNT_NAME = None  # tests turn it on
    BANK_WEBHOOK_API_KEY = None
    ZALO_APP_ID = ZALO_APP_SECRET = ZALO_REFRESH_TOKEN = ZALO_OA_SECRET_KEY = None  # tests turn
    ZALO_TEMPLATES = ""                                                             # them on
    NOTIFY_TOKEN_KEY = None
    SMS_PROVIDER = ESMS_API_KEY = ESMS_SECRET_KEY = ESMS_BRANDNAME = SMS_CALLBACK_SECRET = None
    # The cheapest argon2id: a strong hash costs ~0.5 s here, and tests hash hundreds of passwords.
    PASSWORD_HASH_TIME_COST = 1
    PASSWORD_HASH_MEMORY_KIB = 8
    PASSWORD_HASH_PARALLELISM = 1


PROFILES = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": Config,
}


def profile_from_env() -> type[Config]:
    """Pick the profile named by ``APP_ENV`` (production when unset)."""
    name = os.environ.get("APP_ENV", "production")
    if name not in PROFILES:
        raise ConfigError(f"APP_ENV must be one of {', '.join(PROFILES)}, not {name!r}")
    return PROFILES[name]
