"""Login hardening: failed-login rate limit (memory here, Redis in a subprocess), remember-me cookie
cleared at logout, cookie flags, JSON 401/403, the friendly expired-CSRF page."""

import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

from renovation import create_app
from tests.factories import PASSWORD, csrf_from

ROOT = Path(__file__).resolve().parents[2]


def _fail(client, username="admin", password="wrong-password"):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def test_five_failures_lock_the_username_for_this_address(client, world):
    # LOGIN_RATE_LIMIT = 5 per 15 minutes per (address, username): attempts 1-5 are refused in the form
    # (200), the 6th is HTTP 429 in Chinese, and then even the right password is refused.
    assert [_fail(client).status_code for _ in range(5)] == [200] * 5
    resp = _fail(client)
    assert resp.status_code == 429 and "登录失败次数过多" in resp.get_data(as_text=True)
    assert _fail(client, password=PASSWORD).status_code == 429
    # Another username from the same address is not locked (per-address limit is 30 per hour).
    assert _fail(client, username="squad_a", password=PASSWORD).status_code == 302


def test_successful_logins_do_not_count(client, world, login, logout):
    # Seven good logins in a row (more than the 5 allowed failures) never hit the limit.
    for _ in range(7):
        login("resident_a")
        logout()


def test_failed_logins_are_counted_in_redis(tmp_path):
    """With RENOVATION_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379 (production), the counts live in Redis:
    a separate process (the limiter is one per process) fails 5 logins, gets 429 on the 6th, and the
    counter keys are in Redis under this run's own prefix."""
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    script = textwrap.dedent(f"""
        import redis
        from renovation import create_app
        from renovation.core.security import limiter
        from renovation.extensions import db
        from tests import factories
        app = create_app({{"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": "sqlite:///{tmp_path}/r.db",
                          "RATELIMIT_KEY_PREFIX": "{prefix}"}})
        with app.app_context():
            db.create_all()
            factories.make_world()
            assert type(limiter.storage).__name__ == "RedisStorage", type(limiter.storage)
            c = app.test_client()
            codes = []
            for _ in range(6):
                token = factories.csrf_from(c.get("/login").get_data(as_text=True))
                codes.append(c.post("/login", data={{"username": "admin", "password": "x",
                                                    "csrf_token": token}}).status_code)
            keys = redis.Redis(host="127.0.0.1", port=6379).keys("*{prefix}*")
            limiter.reset()
            print(codes, len(keys))
    """)
    env = dict(os.environ, RENOVATION_RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    # 5 refusals in the form, then 429; three counters (address+username, username, address).
    assert done.stdout.strip().splitlines()[-1] == "[200, 200, 200, 200, 200, 429] 3"


def test_remember_me_cookie_is_cleared_at_logout(client, world):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    resp = client.post("/login", data={"username": "resident_a", "password": PASSWORD, "remember": "y",
                                       "csrf_token": token})
    cookies = resp.headers.getlist("Set-Cookie")
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "HttpOnly" in remember and "SameSite=Lax" in remember
    token = csrf_from(client.get("/", follow_redirects=True).get_data(as_text=True))
    resp = client.post("/logout", data={"csrf_token": token})
    cleared = next(c for c in resp.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
    assert "remember_token=;" in cleared and "Expires=Thu, 01 Jan 1970" in cleared
    # Logged out for good: the next request is anonymous.
    assert client.get("/").status_code == 302


def test_session_cookie_is_httponly_and_samesite(client, world, login):
    resp = login("admin")
    session = next(c for c in resp.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in session and "SameSite=Lax" in session and "Secure" not in session


def test_secure_cookies_in_production(db_config, monkeypatch):
    monkeypatch.setenv("RENOVATION_SESSION_COOKIE_SECURE", "1")
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["REMEMBER_COOKIE_SECURE"] is True
    resp = app.test_client().get("/login")
    assert "Secure" in resp.headers["Set-Cookie"]
    assert resp.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_json_callers_get_401_not_a_redirect(client, world):
    resp = client.get(f"/projects/{world['project_a'].id}", headers={"Accept": "application/json"})
    assert resp.status_code == 401 and resp.get_json() == {"error": "请先登录。"}
    # A browser is still sent to the login page, with a safe next.
    resp = client.get(f"/projects/{world['project_a'].id}")
    assert resp.status_code == 302 and resp.headers["Location"] == f"/login?next=/projects/{world['project_a'].id}"


def test_json_callers_get_403_as_json(client, world, login):
    login("resident_b")
    resp = client.get(f"/projects/{world['project_a'].id}", headers={"Accept": "application/json"})
    assert resp.status_code == 403 and "error" in resp.get_json()


def test_expired_csrf_token_keeps_what_was_typed(client, world, login):
    login("squad_a")
    pid = world["project_a"].id
    # The form is posted with a stale token from our own page (Origin = this host).
    resp = client.post(f"/aftercare/projects/{pid}/facilities",
                       data={"csrf_token": "stale", "name": "老年活动中心", "provision": "每周二、四开放"},
                       headers={"Origin": "http://localhost"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "页面已过期" in html
    assert "老年活动中心" in html and "每周二、四开放" in html
    # The resend form carries a fresh token and posts to the same address; resending saves it.
    assert f'action="/aftercare/projects/{pid}/facilities"' in html
    fresh = csrf_from(html)
    assert fresh != "stale"
    resp = client.post(f"/aftercare/projects/{pid}/facilities",
                       data={"csrf_token": fresh, "name": "老年活动中心", "provision": "每周二、四开放"})
    assert resp.status_code == 302


def test_cross_site_post_gets_no_resend_button_and_no_password_echo(client, world):
    resp = client.post("/login", data={"csrf_token": "forged", "username": "admin", "password": "s3cret"},
                       headers={"Origin": "https://evil.example"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "admin" in html
    assert "s3cret" not in html and "重新提交" not in html


def _fail_from(client, address, username, password="wrong-password"):
    token = csrf_from(client.get("/login", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


def test_an_office_behind_one_address_is_not_locked_out_by_31_failures(client, world):
    """Finding 6: one office NAT, 31 failures with 31 different names (more than the old 30-per-address
    ceiling) lock nobody; the colleague who types the right password gets in."""
    assert {_fail_from(client, "10.1.1.1", f"staff{i}").status_code for i in range(31)} == {200}
    assert _fail_from(client, "10.1.1.1", "squad_a", PASSWORD).status_code == 302


def test_the_per_address_ceiling_still_holds(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_IP_RATE_LIMIT", "4 per hour")   # the default is 300 per hour
    assert [_fail_from(client, "10.1.1.2", f"x{i}").status_code for i in range(5)] == [200] * 4 + [429]


def test_a_username_is_locked_whatever_the_address(app, client, world, monkeypatch):
    """Guessing one account's password from many addresses: LOGIN_USER_RATE_LIMIT (10 per 15 minutes by
    default) failures for one username, then 429 from any address, even with the right password."""
    monkeypatch.setitem(app.config, "LOGIN_USER_RATE_LIMIT", "3 per 15 minutes")
    codes = [_fail_from(client, f"10.2.0.{i}", "Admin").status_code for i in range(1, 4)]
    assert codes == [200, 200, 200]
    assert _fail_from(client, "10.2.0.99", "admin", PASSWORD).status_code == 429
    assert _fail_from(client, "10.2.0.99", "squad_a", PASSWORD).status_code == 302   # other accounts unaffected


def test_login_takes_as_long_for_an_unknown_user_as_for_a_wrong_password(client, world):
    """No username enumeration by timing: an unknown name costs a password-hash check too (a dummy hash).
    Before: ~160 ms for an existing user, ~10 ms for an unknown one."""
    import statistics
    import time

    def timed(username):
        token = csrf_from(client.get("/login").get_data(as_text=True))
        start = time.perf_counter()
        resp = client.post("/login", data={"username": username, "password": "wrong-password", "csrf_token": token})
        assert resp.status_code == 200
        return time.perf_counter() - start

    known = statistics.median(timed("squad_a") for _ in range(3))
    unknown = statistics.median(timed("nobody-here") for _ in range(3))
    assert unknown > 0.5 * known, (known, unknown)
