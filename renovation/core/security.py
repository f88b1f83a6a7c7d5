"""Security glue for every response: HTTP security headers, the login rate limiter, proxy headers.

One small module instead of flask-talisman: the app needs five fixed headers and one policy, and
talisman's HTTPS redirect and nonce machinery would be unused (TLS ends at nginx, see docs/deploy.md).

Content-Security-Policy (OWASP secure headers):
- ``script-src 'self'``: no inline scripts and no event-handler attributes anywhere (the app needs no JS);
- ``style-src 'self' 'unsafe-inline'`` with ``style-src-elem 'self'``: a few pages set inline *style
  attributes* (progress bars ``style="width: 40%"``, ``white-space: pre-line``). Browsers that know
  CSP level 3 apply ``style-src-elem`` to ``<style>``/``<link>`` elements (only our own stylesheets)
  and ``style-src`` to the attributes; older browsers allow both. Inline style attributes cannot run
  code, so this is the one relaxation, and it goes once the templates use classes instead;
- ``frame-ancestors 'none'`` (and ``X-Frame-Options: DENY`` for old browsers): no clickjacking;
- ``img-src 'self' data:``: Bootstrap draws select arrows and check marks with data: SVGs.
"""

from urllib.parse import urlsplit

from flask import Flask, request
from flask_babel import gettext as _
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

#: The rate limiter (Flask-Limiter). Storage: RATELIMIT_STORAGE_URI, memory:// in development and
#: tests, redis://... in production so that every gunicorn worker and app server shares the counts.
limiter = Limiter(key_func=get_remote_address, default_limits=[])

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "style-src-elem 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), microphone=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def login_failed(response) -> bool:
    """Flask-Limiter ``deduct_when``: only a login POST that did not log the user in counts.

    A successful login answers a redirect (302); a wrong password re-renders the form (200).
    """
    return request.method == "POST" and response.status_code != 302


def login_locked_message() -> str:
    """The 429 text of a locked login, in the reader's language."""
    return _("登录失败次数过多，为保护账号已暂时锁定，请15分钟后再试。")


def login_username() -> str:
    """Rate-limit key of a login attempt by account: the username tried (lower case, at most 64)."""
    return (request.form.get("username") or "").strip().lower()[:64]


def login_key() -> str:
    """Rate-limit key of a login attempt: the client's address and the username tried (lower case)."""
    return f"{get_remote_address()}|{login_username()}"


def login_limits(view):
    """Decorate the login view: failures per address and username LOGIN_RATE_LIMIT (default 5 per 15
    minutes), per username from any address LOGIN_USER_RATE_LIMIT (10 per 15 minutes), per address
    LOGIN_IP_RATE_LIMIT (300 per hour: one office behind a NAT is many users); then HTTP 429 in Chinese.

    Only failures count (``login_failed``), so a household sharing one address is not locked out by
    its own successful logins. Source: OWASP Authentication Cheat Sheet, 'Login throttling'.
    """
    from flask import current_app

    message = login_locked_message
    common = {"methods": ["POST"], "deduct_when": login_failed, "error_message": message}
    per_pair = limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], key_func=login_key,
                             scope="login-user", **common)
    per_name = limiter.limit(lambda: current_app.config["LOGIN_USER_RATE_LIMIT"], key_func=login_username,
                             scope="login-name", **common)
    per_ip = limiter.limit(lambda: current_app.config["LOGIN_IP_RATE_LIMIT"], scope="login-ip", **common)
    return per_ip(per_name(per_pair(view)))


def init_app(app: Flask) -> None:
    """Bind the limiter, trust ``PROXY_COUNT`` reverse proxies' X-Forwarded-* headers and add the
    security headers to every response (HSTS too when cookies are Secure, i.e. served over HTTPS)."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    limiter.init_app(app)

    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    if app.config.get("SESSION_COOKIE_SECURE"):
        app.config["REMEMBER_COOKIE_SECURE"] = True

    @app.after_request
    def _security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def is_safe_next(target: str | None) -> bool:
    """True for a same-site path like '/projects/1'; False for '//host', '/\\host', absolute URLs, and any
    control character (a CR/LF would end up in the Location header)."""
    if not target or not target.startswith("/") or target.startswith("//") or target.startswith("/\\"):
        return False
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and "\\" not in target
