"""Sessions end on the server (issue 15, finding 3): a session or remember-me cookie copied before logout
no longer works after it; the remember cookie differs at each login and expires; deactivation and
erasure end every open session of the account at its next request."""

from datetime import timedelta

from flask import g
from sqlalchemy import select

from renovation.accounts import sessions
from renovation.accounts.models import LoginSession
from renovation.core.db import utcnow
from renovation.extensions import db
from tests.factories import PASSWORD, csrf_from


def _forget_request_state():
    # The tests share one app context (conftest), so Flask-Login's user and Flask-WTF's CSRF token cached
    # in ``g`` by one client's request would leak into another client's request.
    g.pop("_login_user", None)
    g.pop("csrf_token", None)


def _login(client, username="squad_a", remember=False):
    _forget_request_state()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    data = {"username": username, "password": PASSWORD, "csrf_token": token}
    if remember:
        data["remember"] = "y"
    resp = client.post("/login", data=data)
    assert resp.status_code == 302
    return resp


def _cookie(resp, name):
    for header in resp.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            return header.split(";", 1)[0].split("=", 1)[1]
    return None


def _logout(client):
    _forget_request_state()
    token = csrf_from(client.get("/privacy").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def _fresh(app):
    """Another browser holding the copied cookie."""
    _forget_request_state()
    return app.test_client()


def test_a_session_cookie_copied_before_logout_is_refused_after_it(app, client, world):
    resp = _login(client)
    stolen = _cookie(resp, app.config["SESSION_COOKIE_NAME"])
    assert client.get("/compounds").status_code == 200
    _logout(client)
    thief = _fresh(app)
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], stolen)
    resp = thief.get("/compounds")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_a_remember_cookie_copied_before_logout_is_refused_after_it(app, client, world):
    resp = _login(client, remember=True)
    remember = _cookie(resp, app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    assert remember
    # Before logout the copied remember cookie alone logs a fresh browser in.
    copy = _fresh(app)
    copy.set_cookie("remember_token", remember)
    assert copy.get("/compounds").status_code == 200
    _logout(client)
    thief = _fresh(app)
    thief.set_cookie("remember_token", remember)
    resp = thief.get("/compounds")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_the_remember_cookie_differs_at_every_login_and_expires(app, client, world):
    first = _cookie(_login(client, remember=True), "remember_token")
    _logout(client)
    second = _cookie(_login(client, remember=True), "remember_token")
    assert first and second and first != second
    # 14 days (SESSION_DAYS) after the last use the session has expired, cookie or not.
    row = db.session.scalars(select(LoginSession).where(LoginSession.ended_at.is_(None))).one()
    assert timedelta(days=13, hours=23) < row.expires_at.replace(tzinfo=None) - row.created_at.replace(tzinfo=None) \
        <= timedelta(days=14)
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    thief = _fresh(app)
    thief.set_cookie("remember_token", second)
    assert thief.get("/compounds").status_code == 302


def test_deactivation_ends_every_open_session_at_the_next_request(app, client, world):
    _login(client)
    other = _fresh(app)
    _login(other)
    user = world["squad_a"]
    user.is_active_account = False
    assert sessions.end_all(user, "deactivated") == 2
    db.session.commit()
    for c in (client, other):
        _fresh(app)
        resp = c.get("/compounds")
        assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_the_stored_session_holds_only_a_hash_of_the_key(app, client, world):
    _login(client)
    row = db.session.scalars(select(LoginSession)).one()
    key = world["squad_a"].session_key
    assert row.key_hash != key and len(row.key_hash) == 64


def test_login_starts_a_fresh_cookie_session(app, client, world):
    """Session fixation (OWASP): what the browser's session held before login (a planted CSRF token, any
    key) is dropped when the user logs in."""
    client.get("/login")
    with client.session_transaction() as s:
        s["planted"] = "by someone else"
        before = s.get("csrf_token")
    _login(client)
    with client.session_transaction() as s:
        assert "planted" not in s and s.get("csrf_token") != before


def test_a_change_of_role_or_jurisdiction_ends_the_users_other_sessions(app, client, world):
    _login(client, "leader_a")
    other = _fresh(app)
    _login(other, "squad_a")
    user = world["leader_a"]
    user.session_key = None   # as loaded in the administrator's request (the tests share one identity map)
    user.subdistrict_id = world["jianshe"].id   # moved to another subdistrict by an administrator
    db.session.commit()
    _fresh(app)
    resp = client.get("/compounds")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    _fresh(app)
    assert other.get("/compounds").status_code == 200      # squad_a was not changed
    ended = db.session.scalars(select(LoginSession.ended_reason).where(LoginSession.user_id == user.id)).all()
    assert ended == ["privilege_change"]

