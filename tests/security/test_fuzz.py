"""Fuzzing: every POST route and every GET route of the URL map (so new routes are covered without a
new line here), as each of the nine kinds of user, with hypothesis-generated input: wrong types, huge
strings, control characters, emoji, dates and numbers out of range, JSON bodies, garbage files.
The only assertion: never a 5xx. Bounded for CI (a few examples per route and user, no deadline).

Counts (routes x users x examples) are printed at the end of each run and recorded in docs/security.md.
"""

import io
import json
import re

import pytest
from flask import g
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from renovation.extensions import db
from tests.factories import csrf_from, session_user_id
from tests.test_access import USERS, _url, objects  # noqa: F401  (objects: the fixture of one object per kind)

POST_EXAMPLES = 2   # per POST route and user
GET_EXAMPLES = 2    # per GET route and user
SKIP = {"accounts.logout", "static"}  # logging out would end the fuzzing user's session; static is files

SPECIAL = ["", " ", "0", "-1", "1e309", "NaN", "inf", "-0", "9" * 40, str(2**63), str(-(2**63) - 1), "0x10",
           "1,234.5", "１２３", "0000-00-00", "2020-02-30", "9999-12-31", "0001-01-01", "-2020-01-01",
           "2020-13-01", "10000-01-01", "2020-10-21T25:61", "true", "on", "y", "agree", "None", "null", "[]",
           "{}", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "%00", "\x00", "\u202e",
           "👍🏠🧓", "测试A小区", "\ud7ff", "a\r\nb", "\t"]

texts = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
values = st.one_of(
    st.sampled_from(SPECIAL),
    texts,
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates().map(str),
    st.builds(lambda ch, n: ch * n, st.sampled_from(["x", "中", "😀", "\x00"]), st.integers(1, 30000)),
)


def _names(html: str) -> list[str]:
    return sorted(set(re.findall(r'<(?:input|select|textarea|button)\b[^>]*\bname="([^"]+)"', html)) - {"csrf_token"})


def _fresh_user() -> None:
    # The tests share one app context (conftest), so Flask-Login's cached g._login_user would carry the
    # previous client's user into the next request: drop it so each request loads its own session's user.
    g.pop("_login_user", None)


def _clients(app, world):
    """One test client per kind of user, logged in through the session (no password hashing per example)."""
    clients = {}
    for user in USERS:
        c = app.test_client()
        if user != "anonymous":
            with c.session_transaction() as s:
                s["_user_id"] = session_user_id(world[user])
                s["_fresh"] = True
        _fresh_user()
        page = c.get("/privacy" if user != "anonymous" else "/login").get_data(as_text=True)
        clients[user] = (c, csrf_from(page))
    return clients


_POOL: dict = {}
_FILES = re.compile(r"\.(pdf|xlsx|csv|json)$|^/static/|^/files/")


def _field_pool(app, clients, objects):  # noqa: F811
    """Field names of every form the admin, the assigned squad member and a resident see on the HTML
    pages: (all names, names per endpoint). Computed once per session (names do not depend on ids)."""
    if not _POOL:
        pool, per_endpoint = set(), {}
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint in SKIP or _FILES.search(rule.rule):
                continue
            url = _url(app, rule.endpoint, objects)
            for user in ("admin", "resident_a"):
                _fresh_user()
                resp = clients[user][0].get(url)
                if resp.status_code == 200 and resp.mimetype == "text/html":
                    names = _names(resp.get_data(as_text=True))
                    pool.update(names)
                    per_endpoint.setdefault(rule.endpoint, set()).update(names)
        _POOL["all"] = sorted(pool)
        _POOL["per"] = {k: sorted(v) for k, v in per_endpoint.items()}
    return _POOL["all"], _POOL["per"]


def _body(draw, names):
    kind = draw(st.sampled_from(["form", "form", "form", "json", "raw", "file"]))
    if kind == "json":
        return {"json": draw(st.recursive(st.one_of(st.none(), st.booleans(), values,
                                                    st.integers(-(2**80), 2**80)),
                                          lambda kids: st.lists(kids, max_size=3)
                                          | st.dictionaries(st.sampled_from(names or ["x"]), kids, max_size=4),
                                          max_leaves=8))}
    if kind == "raw":
        return {"data": draw(st.binary(max_size=300)), "content_type": "application/x-www-form-urlencoded"}
    chosen = draw(st.lists(st.sampled_from(names), max_size=12, unique=True)) if names else []
    data = [(n, draw(values)) for n in chosen]
    data += draw(st.lists(st.tuples(st.sampled_from(names or ["x"]), values), max_size=3))  # repeated keys
    if kind == "file":
        data.append((draw(st.sampled_from(names or ["photo"])),
                     (io.BytesIO(draw(st.binary(max_size=2000))), draw(st.sampled_from(["a.jpg", "b.png", "c.heic",
                                                                                        "d.xlsx", "e.csv", "无名"])))))
    return {"data": data, "content_type": "multipart/form-data" if kind == "file" else None}


COUNTS = {"post_requests": 0, "get_requests": 0}


def _post_runner(client, token, endpoint, url, names, user):
    """A hypothesis test posting POST_EXAMPLES generated bodies to ``url`` as ``user``."""

    @settings(max_examples=POST_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(data):
        body = _body(data.draw, names)
        if isinstance(body.get("data"), list):
            # Mostly the right token (to reach the view), sometimes none or a forged one.
            body["data"].append(("csrf_token", data.draw(st.sampled_from([token, token, "", "x" * 200]))))
            body["data"] = MultiDict(body["data"])
        kwargs = {k: v for k, v in body.items() if v is not None}
        _fresh_user()
        resp = client.post(url, **kwargs)
        COUNTS["post_requests"] += 1
        assert resp.status_code < 500, (endpoint, user, url, repr(body)[:500], resp.get_data(as_text=True)[:300])
        db.session.rollback()

    return run


def _get_runner(client, endpoint, url, params, user):
    """A hypothesis test getting ``url`` with GET_EXAMPLES generated query strings as ``user``."""

    @settings(max_examples=GET_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(st.sampled_from(params), values.filter(lambda v: len(v) < 5000)), max_size=6),
           st.sampled_from(["text/html", "application/json", "*/*"]))
    def run(query, accept):
        _fresh_user()
        resp = client.get(url, query_string=query, headers={"Accept": accept})
        COUNTS["get_requests"] += 1
        assert resp.status_code < 500, (endpoint, user, url, query, resp.get_data(as_text=True)[:300])
        db.session.rollback()

    return run


@pytest.mark.parametrize("user", USERS)
def test_no_500_on_any_post_route(user, app, world, objects):  # noqa: F811
    clients = _clients(app, world)
    pool, per_endpoint = _field_pool(app, clients, objects)
    client, token = clients[user]
    routes = sorted({r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods} - SKIP)
    assert len(routes) >= 20
    for endpoint in routes:
        _post_runner(client, token, endpoint, _url(app, endpoint, objects), per_endpoint.get(endpoint) or pool,
                     user)()
    print(f"fuzz POST as {user}: {len(routes)} routes x {POST_EXAMPLES} examples")


@pytest.mark.parametrize("user", USERS)
def test_no_500_on_any_get_route_with_odd_query_strings(user, app, world, objects):  # noqa: F811
    clients = _clients(app, world)
    pool, _ = _field_pool(app, clients, objects)
    client, _token = clients[user]
    routes = sorted({r.endpoint for r in app.url_map.iter_rules() if "GET" in r.methods} - SKIP)
    params = sorted(set(pool) | {"page", "q", "next", "period", "stage", "sort", "status", "since", "until",
                                 "project", "user", "action", "building_id", "entrance_id", "format"})
    for endpoint in routes:
        _get_runner(client, endpoint, _url(app, endpoint, objects), params, user)()
    print(f"fuzz GET as {user}: {len(routes)} routes x {GET_EXAMPLES} examples")


def test_json_bodies_are_answered_in_json(client, world):
    # A JSON caller posting to the login page without a token gets a JSON 400, not an HTML page.
    resp = client.post("/login", data=json.dumps({"username": "admin"}), content_type="application/json",
                       headers={"Accept": "application/json"})
    assert resp.status_code == 400 and "安全令牌" in resp.get_json()["error"]
