"""Login sessions held on the server, so that a session can be ended whatever the browser still holds
(OWASP Session Management: server-side invalidation at logout, password change and deactivation).

Flask-Login keeps ``User.get_id()`` in the signed session cookie and in the remember-me cookie; here that
id is ``'<user id>.<key>'`` where the key names one :class:`LoginSession` row (only its SHA-256 is stored).
:func:`load` (the user loader) accepts a cookie only while its row is open and unexpired, so ending the
row ends the session and its remember-me cookie at once. Every login starts a new row, so the remember
cookie is different at every login; a session unused for RENOVATION_SESSION_DAYS days expires.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session, attributes

from renovation.accounts.models import LoginSession, User
from renovation.core.db import utcnow
from renovation.extensions import db

#: Refresh ``last_seen_at`` (and push ``expires_at``) at most this often, not on every request.
TOUCH_EVERY = timedelta(minutes=10)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _lifetime() -> timedelta:
    return timedelta(days=int(current_app.config.get("SESSION_DAYS", 14)))


def start(user: User, *, user_agent: str | None = None) -> LoginSession:
    """Open a login session for ``user`` (before ``flask_login.login_user``): sets ``user.session_key`` so
    the cookies carry it. Flushes."""
    key = secrets.token_urlsafe(24)
    now = utcnow()
    row = LoginSession(user_id=user.id, key_hash=_hash(key), created_at=now, last_seen_at=now,
                       expires_at=now + _lifetime(), user_agent=(user_agent or "")[:255] or None)
    db.session.add(row)
    db.session.flush()
    user.session_key = key
    return row


def load(user_id: str) -> User | None:
    """Flask-Login's user loader: the User for ``'<id>.<key>'`` while that login session is open and
    unexpired and the account active, else None (the browser then gets the login page). One statement,
    plus an occasional touch of ``last_seen_at``."""
    uid, _, key = (user_id or "").partition(".")
    if not uid.isdigit() or not key or len(uid) > 18:
        return None
    row = db.session.execute(
        select(User, LoginSession).join(LoginSession, LoginSession.user_id == User.id)
        .where(User.id == int(uid), LoginSession.key_hash == _hash(key), LoginSession.ended_at.is_(None))
    ).first()
    if row is None:
        return None
    user, login = row
    now = utcnow()
    if _aware(login.expires_at) <= now:
        return None
    if now - _aware(login.last_seen_at) >= TOUCH_EVERY:
        login.last_seen_at = now
        login.expires_at = now + _lifetime()
        db.session.commit()
    user.session_key = key
    return user


def _aware(value):
    """SQLite returns naive datetimes for timezone-aware columns; they are UTC."""
    from datetime import UTC

    return value if value.tzinfo else value.replace(tzinfo=UTC)


def end_current(user: User, reason: str = "logout") -> None:
    """End the login session ``user`` was loaded for (logout). Flushes."""
    if user.session_key:
        db.session.execute(update(LoginSession).where(
            LoginSession.key_hash == _hash(user.session_key), LoginSession.ended_at.is_(None)
        ).values(ended_at=utcnow(), ended_reason=reason))
        user.session_key = None


def end_all(user: User, reason: str, *, keep_current: bool = False) -> int:
    """End every open login session of ``user`` (deactivation, erasure, password change, or an
    administrator's "log out everywhere"); with ``keep_current`` the session ``user`` was loaded for stays
    (the one that changed the password). Returns how many were ended. Flushes."""
    stmt = update(LoginSession).where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
    if keep_current and user.session_key:
        stmt = stmt.where(LoginSession.key_hash != _hash(user.session_key))
    result = db.session.execute(stmt.values(ended_at=utcnow(), ended_reason=reason))
    return result.rowcount or 0


#: Columns of a User whose change ends the user's login sessions (OWASP Session Management: renew the
#: session when privileges change): role, dwelling, jurisdiction. (Password change, deactivation and erasure
#: call ``end_all`` themselves.)
PRIVILEGE_FIELDS = ("role", "household_id", "district_id", "subdistrict_id", "community_id")


@event.listens_for(Session, "before_flush")
def _end_sessions_on_privilege_change(session, _flush_context, _instances):
    """When a User's PRIVILEGE_FIELDS change (an administrator changes a role, moves a leader, rebinds a
    resident), end that user's open login sessions at this flush, so the browsers
    holding them log in again under the new rights. The session the user is loaded for in this request
    (a user binding their own dwelling) stays."""
    for obj in session.dirty:
        if not isinstance(obj, User) or obj.id is None:
            continue
        if not any(attributes.get_history(obj, name).has_changes() for name in PRIVILEGE_FIELDS):
            continue
        table = LoginSession.__table__
        stmt = update(table).where(table.c.user_id == obj.id, table.c.ended_at.is_(None))
        if obj.session_key:
            stmt = stmt.where(table.c.key_hash != _hash(obj.session_key))
        session.connection().execute(stmt.values(ended_at=utcnow(), ended_reason="privilege_change"))
