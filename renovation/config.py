"""Default configuration. Values only, no I/O: `create_app` layers the environment on top.

Every setting can be overridden by an environment variable named ``RENOVATION_<NAME>``
(e.g. ``RENOVATION_DATABASE_URL``, ``RENOVATION_SECRET_KEY``).
"""

from fractions import Fraction

#: SQLAlchemy URL. ``None`` means the embedded default: a SQLite file under ``instance/``.
DATABASE_URL: str | None = None

#: Session signing key. The development default is replaced in production (see README).
SECRET_KEY = "dev-only-change-me"

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
REMEMBER_COOKIE_SAMESITE = "Lax"
