"""Default configuration. Values only, no I/O: `create_app` layers the environment on top.

Every setting can be overridden by an environment variable named ``RENOVATION_<NAME>``
(e.g. ``RENOVATION_DATABASE_URL``, ``RENOVATION_SECRET_KEY``).
"""

from fractions import Fraction

#: SQLAlchemy URL. ``None`` means the embedded default: a SQLite file under ``instance/``.
DATABASE_URL: str | None = None

#: Session signing key: a random string of at least 32 bytes, the same on every app server
#: (RENOVATION_SECRET_KEY, docs/deploy.md). There is no default: outside debug and testing the app refuses to
#: start without one, so no public key can sign an administrator's cookie.
SECRET_KEY: str | None = None
#: Development only: where the random key of `make dev-key` (run by `make venv`) is kept, used when
#: SECRET_KEY is unset. ``None`` means ``<instance>/secret_key``.
SECRET_KEY_FILE: str | None = None

#: Largest request body accepted, in bytes (uploads of phone photos). Bigger bodies get HTTP 413.
MAX_CONTENT_LENGTH = 20 * 1024 * 1024

#: Where uploaded files are kept; ``None`` means ``<instance>/uploads``.
UPLOAD_FOLDER: str | None = None

#: Time zone used to show times; times are stored in UTC.
DISPLAY_TIMEZONE = "Asia/Shanghai"

# --- Stage gates (local practice, not national law: settings per city) -----------------------
#: Wish solicitation -> consultation: share of households that consent (common local rule 2/3;
#: some cities ask 80%, i.e. RENOVATION_GATE_WISH_CONSENT_RATE=4/5).
GATE_WISH_CONSENT_RATE = Fraction(2, 3)
#: Plan public notice period (方案公示), in days.
PLAN_NOTICE_DAYS = 7

WTF_CSRF_TIME_LIMIT = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
REMEMBER_COOKIE_HTTPONLY = True
#: A login session (and its remember-me cookie) ends after this many days without use (accounts.sessions).
SESSION_DAYS = 14
REMEMBER_COOKIE_SAMESITE = "Lax"

# --- Security and operations (docs/security.md, docs/deploy.md) -------------------------------
#: Session and remember-me cookies only over HTTPS. Set RENOVATION_SESSION_COOKIE_SECURE=1 in
#: production (gunicorn.conf.py does so unless told otherwise).
SESSION_COOKIE_SECURE = False
REMEMBER_COOKIE_SECURE = False
#: Where the rate limiter keeps its counts: memory:// (one process) or redis://127.0.0.1:6379 (shared
#: by every worker and app server; production).
RATELIMIT_STORAGE_URI = "memory://"
#: Failed logins allowed (Flask-Limiter syntax) per address and username; per username from any address
#: (guessing one password from many addresses); per address alone, a ceiling high enough that one office
#: behind a NAT is not locked out by its staff's typos.
LOGIN_RATE_LIMIT = "5 per 15 minutes"
LOGIN_USER_RATE_LIMIT = "10 per 15 minutes"
LOGIN_IP_RATE_LIMIT = "300 per hour"
#: Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (nginx: 1).
PROXY_COUNT = 0
#: Log one JSON object per line (request id included) instead of plain text.
LOG_JSON = False
#: Days after a project closes before its roster (names, phones, ID numbers) is anonymised by
#: ``flask privacy purge-rosters`` (PIPL art. 19: kept no longer than the purpose needs).
ROSTER_RETENTION_DAYS = 365

#: Text messages (core.sms): 'console' writes them to the log (development); a provider's backend in
#: production (docs/deploy.md).
SMS_BACKEND = "console"
