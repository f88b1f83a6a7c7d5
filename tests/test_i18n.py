"""Languages, display preferences and formatting (core.i18n): Chinese by default, English by choice, the
larger-text mode, dates/numbers/money the Chinese way, error pages with a way back, and catalogues that
are complete and compiled."""

from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from babel.messages.mofile import read_mo
from flask_babel import refresh

from renovation.core import i18n


@contextmanager
def request_in(app, lang=None):
    """A request context whose reader chose ``lang`` (None: no cookie)."""
    headers = {"Cookie": f"lang={lang}"} if lang else {}
    with app.test_request_context(headers=headers):
        refresh()
        yield


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")
    return client


# ---------------------------------------------------------------- formatting

@pytest.mark.parametrize("lang,expected", [("zh_CN", "¥1,234.50"), ("en", "CN¥1,234.50")])
def test_money_in_yuan(app, lang, expected):
    with request_in(app, lang):
        assert i18n.yuan(Decimal("1234.5")) == expected
        assert i18n.yuan(None) == ""


def test_wan_yuan_for_leaders(app):
    # 12,345,678 yuan = 1,234.5678 万元, shown with two decimals.
    with request_in(app):
        assert i18n.wan_yuan(12_345_678) == "1,234.57万元"
    with request_in(app, "en"):
        assert i18n.wan_yuan(12_345_678) == "CN¥12.35M"


def test_dates_the_chinese_way_in_shanghai_time(app):
    # 2026-11-29 10:02 UTC is 18:02 in Beijing (UTC+8, no daylight saving).
    moment = datetime(2026, 11, 29, 10, 2, tzinfo=UTC)
    late = datetime(2026, 11, 29, 17, 30, tzinfo=UTC)  # already 30 November in Beijing
    with request_in(app):
        assert i18n.format_date(date(2026, 11, 29)) == "2026年11月29日"
        assert i18n.format_datetime(moment) == "2026年11月29日 18:02"
        assert i18n.format_date(late) == "2026年11月30日"
    with request_in(app, "en"):
        assert i18n.format_date(date(2026, 11, 29)) == "November 29, 2026"
        assert i18n.format_datetime(moment) == "November 29, 2026 18:02"


def test_percent_and_number(app):
    with request_in(app):
        assert i18n.percent(Fraction(2, 3)) == "66.7%"
        assert i18n.percent(Decimal("0.75"), 0) == "75%"
        assert i18n.number(23456) == "23,456"
        assert i18n.number(Decimal("16930.456"), 1) == "16,930.5"


# ---------------------------------------------------------------- switching

def test_chinese_by_default_english_by_choice(client, world):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN"' in page and "登录" in page
    resp = client.get("/language/en?next=/login")
    assert resp.status_code == 302 and resp.headers["Location"] == "/login"
    assert "lang=en" in resp.headers["Set-Cookie"] and "Max-Age=31536000" in resp.headers["Set-Cookie"]
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en"' in page and "Log in" in page
    assert ">中文</a>" in page  # the way back to Chinese is on every page
    client.get("/language/zh_CN")
    assert '<html lang="zh-CN"' in client.get("/login").get_data(as_text=True)


def test_accept_language_alone_does_not_switch(client, world):
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="zh-CN"' in page


@pytest.mark.parametrize("code", ["fr", "xx", "en_US"])
def test_unknown_language_means_chinese(client, world, code):
    resp = client.get(f"/language/{code}")
    assert "lang=zh_CN" in resp.headers["Set-Cookie"]


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/x", "/\\evil.example",
                                    "/\r\nSet-Cookie:x=1", "/\nX"])
def test_switching_never_redirects_off_site(client, target):
    resp = client.get("/language/en", query_string={"next": target})
    assert resp.headers["Location"] == "/"


def test_larger_text_mode(client, world):
    assert "text-large" not in client.get("/login").get_data(as_text=True)
    resp = client.get("/text-size/large?next=/login")
    assert "text_size=large" in resp.headers["Set-Cookie"]
    page = client.get("/login").get_data(as_text=True)
    assert 'class="text-large"' in page and "/text-size/normal" in page and "标准字号" in page
    client.get("/text-size/normal")
    assert "text-large" not in client.get("/login").get_data(as_text=True)


def test_larger_text_css_meets_the_targets(app):
    # Issue 9: base font at least 18 px, line height at least 1.5, buttons at least 44 px.
    css = (i18n.PROJECT_DIR / "static" / "css" / "app.css").read_text(encoding="utf-8")
    assert "html.text-large { font-size: 20px; }" in css
    assert "html.text-large body { font-size: 1rem; line-height: 1.6; }" in css
    assert "min-height: 48px" in css


# ---------------------------------------------------------------- error pages

@pytest.mark.parametrize("lang,title,back,home", [
    (None, "页面不存在", "返回上一页", "回到首页"),
    ("en", "Page not found", "Back", "Home"),
])
def test_404_page_with_a_way_back(client, world, login, lang, title, back, home):
    if lang:
        client.set_cookie("lang", lang)
    login("resident_a")
    resp = client.get("/projects/999999")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 404 and title in page and back in page and home in page


def test_403_page_in_both_languages(client, world, login):
    login("resident_a")
    other = world["project_b"].id
    resp = client.get(f"/projects/{other}")
    assert resp.status_code == 403 and "没有权限" in resp.get_data(as_text=True)
    client.set_cookie("lang", "en")
    resp = client.get(f"/projects/{other}")
    assert resp.status_code == 403 and "permission" in resp.get_data(as_text=True).lower()


def test_413_page_in_english(english, world):
    resp = english.post("/login", data=b"x" * (21 * 1024 * 1024), content_type="application/octet-stream")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 413 and "20 MB" in page and "too large" in page.lower()


def test_500_page_keeps_the_way_back(app, client, world, monkeypatch):
    from renovation.accounts import views

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "render_template", boom)
    resp = client.get("/privacy")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 500 and "服务器出错了" in page and "回到首页" in page
    assert "RuntimeError" not in page
    client.set_cookie("lang", "en")
    page = client.get("/privacy").get_data(as_text=True)
    assert "Server error" in page and "Home" in page


# ---------------------------------------------------------------- catalogues

@pytest.mark.parametrize("name", sorted(i18n.CATALOGUES))
def test_every_message_has_english(name):
    assert i18n.untranslated(name) == []


@pytest.mark.parametrize("name", sorted(i18n.CATALOGUES))
def test_compiled_catalogue_is_up_to_date(name):
    def key(value):  # plural entries come as tuples from the .po, lists from the .mo
        return tuple(value) if isinstance(value, list | tuple) else value

    po = {(m.context, key(m.id)): key(m.string) for m in i18n.read_catalogue(name) if m.id and m.string}
    mo_path = i18n.catalogue_dir(name) / "en" / "LC_MESSAGES" / "messages.mo"
    with mo_path.open("rb") as fh:
        mo = {(m.context, key(m.id)): key(m.string) for m in read_mo(fh) if m.id}
    assert mo == po, f"run: flask --app wsgi translate compile {name}"


def test_one_english_per_message_across_catalogues():
    # The catalogues are merged into one table: the same Chinese with two English versions would show
    # whichever loaded last, everywhere. Words meaning different things carry a context (pgettext).
    assert i18n.conflicts() == {}


def test_placeholders_survive_translation():
    # A translation that drops or renames %(name)s would raise or lose data at run time.
    import re

    for name in i18n.CATALOGUES:
        for m in i18n.read_catalogue(name):
            if not m.id or not m.string:
                continue
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            wanted = set(re.findall(r"%\(\w+\)[sdf]", ids[0]))
            for s in strings:
                assert set(re.findall(r"%\(\w+\)[sdf]", s)) == wanted, (name, m.id, s)


def test_field_errors_are_tied_to_their_field(client, world, login):
    # Issue 9: errors announced next to the field: the input is aria-invalid and described by the
    # error's element (role=alert), which sits right after it; no dangling reference without an error.
    import re

    login("squad_a")
    url = f"/construction/projects/{world['project_a'].id}/logs/new"
    html = client.get(url).get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="log_date"[^>]*>', html).group(0)
    assert "aria-describedby" not in tag and "aria-invalid" not in tag
    from tests.factories import csrf_from

    resp = client.post(url, data={"csrf_token": csrf_from(html), "log_date": "1900-01-01", "weather": "晴",
                                  "workforce": "abc", "work_done": "x"})
    html = resp.get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="log_date"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in tag and 'aria-describedby="log_date-err"' in tag
    assert re.search(r'id="log_date-err" class="invalid-feedback d-block" role="alert">日期不合理', html)
    assert html.count('id="log_date-err"') == 1
