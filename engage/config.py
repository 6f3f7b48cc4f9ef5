"""Settings from ENGAGE_* environment variables, with documented, safe defaults.

Every setting is listed in the README's configuration table.
"""

import os

INSECURE_DEFAULT_SECRET = "dev-insecure-secret-change-me"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def from_environment(instance_path: str) -> dict:
    """Build the Flask config mapping from ENGAGE_* variables."""
    default_db = "sqlite:///" + os.path.join(instance_path, "engage.sqlite3")
    secure_cookies = _bool("ENGAGE_SECURE_COOKIES", False)
    return {
        "ENGAGE_ENV": os.environ.get("ENGAGE_ENV", "development"),
        "SECRET_KEY": os.environ.get("ENGAGE_SECRET_KEY", INSECURE_DEFAULT_SECRET),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("ENGAGE_DATABASE_URL", default_db),
        # A pooled connection the database dropped (restart, failover, terminated backend) is noticed when
        # it is taken from the pool and replaced, instead of failing the request that gets it.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "ENGAGE_SQLITE_BUSY_TIMEOUT_MS": _int("ENGAGE_SQLITE_BUSY_TIMEOUT_MS", 30000),
        "ENGAGE_OPEN_SIGNUP": _bool("ENGAGE_OPEN_SIGNUP", False),
        # The consortium's name until a coordinator sets one in /settings; empty = not named.
        "ENGAGE_CONSORTIUM_NAME": os.environ.get("ENGAGE_CONSORTIUM_NAME", "").strip(),
        "ENGAGE_BASE_URL": os.environ.get("ENGAGE_BASE_URL", "http://127.0.0.1:5000"),
        "ENGAGE_PROXY_HOPS": _int("ENGAGE_PROXY_HOPS", 0),
        "ENGAGE_ICAL_DOMAIN": os.environ.get("ENGAGE_ICAL_DOMAIN", "engage.local"),
        "ENGAGE_TOKEN_TTL_DAYS": _int("ENGAGE_TOKEN_TTL_DAYS", 30),
        "ENGAGE_IDEMPOTENCY_KEY_HOURS": _int("ENGAGE_IDEMPOTENCY_KEY_HOURS", 24),
        "ENGAGE_INVITATION_TTL_DAYS": _int("ENGAGE_INVITATION_TTL_DAYS", 14),
        "ENGAGE_COMMENT_EDIT_WINDOW_MINUTES": _int("ENGAGE_COMMENT_EDIT_WINDOW_MINUTES", 30),
        "ENGAGE_COMMENT_MAX_LENGTH": _int("ENGAGE_COMMENT_MAX_LENGTH", 5000),
        # Outgoing mail; without ENGAGE_MAIL_SERVER notifications are shown in-app only.
        "ENGAGE_MAIL_SERVER": os.environ.get("ENGAGE_MAIL_SERVER", ""),
        "ENGAGE_MAIL_PORT": _int("ENGAGE_MAIL_PORT", 25),
        "ENGAGE_MAIL_USE_TLS": _bool("ENGAGE_MAIL_USE_TLS", False),
        "ENGAGE_MAIL_USERNAME": os.environ.get("ENGAGE_MAIL_USERNAME", ""),
        "ENGAGE_MAIL_PASSWORD": os.environ.get("ENGAGE_MAIL_PASSWORD", ""),
        "ENGAGE_MAIL_SENDER": os.environ.get("ENGAGE_MAIL_SENDER", "Engage <engage@localhost>"),
        "ENGAGE_SCHEDULER_INTERVAL_SECONDS": _int("ENGAGE_SCHEDULER_INTERVAL_SECONDS", 30),
        "ENGAGE_IAP2_FEEDBACK_DUE_DAYS": _int("ENGAGE_IAP2_FEEDBACK_DUE_DAYS", 30),
        # Generated files (exports, cached PDFs): "database" (default) or "s3"; see engage/storage.
        "ENGAGE_STORAGE": os.environ.get("ENGAGE_STORAGE", "database"),
        "ENGAGE_STORAGE_MAX_BYTES": _int("ENGAGE_STORAGE_MAX_BYTES", 100 * 1024 * 1024),
        "ENGAGE_S3_BUCKET": os.environ.get("ENGAGE_S3_BUCKET", ""),
        "ENGAGE_S3_ENDPOINT_URL": os.environ.get("ENGAGE_S3_ENDPOINT_URL", ""),
        "ENGAGE_S3_REGION": os.environ.get("ENGAGE_S3_REGION", ""),
        "ENGAGE_S3_PREFIX": os.environ.get("ENGAGE_S3_PREFIX", ""),
        "ENGAGE_S3_ACCESS_KEY_ID": os.environ.get("ENGAGE_S3_ACCESS_KEY_ID", ""),
        "ENGAGE_S3_SECRET_ACCESS_KEY": os.environ.get("ENGAGE_S3_SECRET_ACCESS_KEY", ""),
        # Operations: logs, readiness, metrics, error reporting (engage/operations).
        "ENGAGE_LOG_FORMAT": os.environ.get("ENGAGE_LOG_FORMAT", "json"),
        "ENGAGE_LOG_LEVEL": os.environ.get("ENGAGE_LOG_LEVEL", "info"),
        "ENGAGE_READY_HEARTBEAT_MAX_AGE_SECONDS": _int("ENGAGE_READY_HEARTBEAT_MAX_AGE_SECONDS", 300),
        "ENGAGE_METRICS_TOKEN": os.environ.get("ENGAGE_METRICS_TOKEN", ""),
        "ENGAGE_SENTRY_DSN": os.environ.get("ENGAGE_SENTRY_DSN", ""),
        "ENGAGE_SENTRY_TRACES_SAMPLE_RATE": _float("ENGAGE_SENTRY_TRACES_SAMPLE_RATE", 0.0),
        # Sessions: a browser signed in without "remember me" is signed out after this long without activity;
        # with it, this many days after signing in.
        "ENGAGE_SESSION_IDLE_HOURS": _int("ENGAGE_SESSION_IDLE_HOURS", 12),
        "ENGAGE_REMEMBER_DAYS": _int("ENGAGE_REMEMBER_DAYS", 30),
        "ENGAGE_PASSWORD_RESET_TTL_MINUTES": _int("ENGAGE_PASSWORD_RESET_TTL_MINUTES", 60),
        "ENGAGE_EMAIL_CHANGE_TTL_HOURS": _int("ENGAGE_EMAIL_CHANGE_TTL_HOURS", 24),
        "ENGAGE_PASSWORD_RESET_RATE_LIMIT": os.environ.get("ENGAGE_PASSWORD_RESET_RATE_LIMIT", "5 per hour"),
        "ENGAGE_DATA_EXPORT_TTL_DAYS": _int("ENGAGE_DATA_EXPORT_TTL_DAYS", 7),
        # Retention (days), applied by the scheduler's retention job.
        "ENGAGE_RETAIN_NOTIFICATION_BODIES_DAYS": _int("ENGAGE_RETAIN_NOTIFICATION_BODIES_DAYS", 90),
        "ENGAGE_RETAIN_EXPIRED_INVITATIONS_DAYS": _int("ENGAGE_RETAIN_EXPIRED_INVITATIONS_DAYS", 30),
        "ENGAGE_RETAIN_EXPIRED_TOKENS_DAYS": _int("ENGAGE_RETAIN_EXPIRED_TOKENS_DAYS", 30),
        "ENGAGE_RETAIN_SESSIONS_DAYS": _int("ENGAGE_RETAIN_SESSIONS_DAYS", 30),
        "ENGAGE_LOGIN_RATE_LIMIT": os.environ.get("ENGAGE_LOGIN_RATE_LIMIT", "10 per minute"),
        "RATELIMIT_STORAGE_URI": os.environ.get("ENGAGE_RATELIMIT_STORAGE_URL", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "WTF_CSRF_CHECK_DEFAULT": False,
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "BABEL_TRANSLATION_DIRECTORIES": os.path.join(os.path.dirname(__file__), "translations"),
        "API_TITLE": "Engage API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
    }


def check_production(config: dict) -> None:
    """Refuse to start in production with an insecure or missing secret."""
    if config.get("ENGAGE_ENV") != "production":
        return
    secret = config.get("SECRET_KEY") or ""
    if secret == INSECURE_DEFAULT_SECRET or len(secret) < 32:
        raise RuntimeError(
            "ENGAGE_ENV=production needs ENGAGE_SECRET_KEY set to a random value of at least 32 characters"
        )
