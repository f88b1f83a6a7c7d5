"""Checking a username and password without telling, by the time it takes, whether the account exists.

An unknown username costs one password-hash check too, against a dummy hash made with the same method
as the stored ones (werkzeug's scrypt), so "no such user" and "wrong password" answer in the same time
(OWASP Authentication Cheat Sheet, 'Authentication and error messages'; issue 15, finding 6: 160 ms for an
existing user against 10 ms for an unknown one before). Rate limits are ``core.security.login_limits``.
"""

import functools
import secrets

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from renovation.accounts.models import User
from renovation.extensions import db


@functools.cache
def _dummy_hash() -> str:
    """A hash of a random password nobody knows, made once per process (about 0.1 s)."""
    return generate_password_hash(secrets.token_urlsafe(16))


def check_credentials(username: str, password: str) -> User | None:
    """The active User whose username is ``username`` (surrounding spaces ignored) and whose password is
    ``password``; None otherwise (unknown name, wrong password or closed account), after one password-hash
    check in every case."""
    user = db.session.scalar(select(User).where(User.username == (username or "").strip()))
    if user is None:
        check_password_hash(_dummy_hash(), password or "")
        return None
    if not user.check_password(password or "") or not user.is_active:
        return None
    return user
