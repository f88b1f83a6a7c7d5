"""The resident's pages on a 375 px phone in the larger-text mode and in English, in a real browser.

Issue 9: a larger-text mode for elderly users (base font at least 18 px, line height at least 1.5,
buttons at least 44 px), Chinese by default with English available, no horizontal scrolling at 375 px,
no serious or critical axe-core violations, error pages with a way back. The pages visited are the
resident's project page and every page it links to (wish survey, ballots, receipts, repairs...), so a
new resident page is covered without touching this file.
"""

import re

from renovation.core.i18n import read_catalogue
from tests.e2e.conftest import assert_axe_clean, assert_no_hscroll, login, shot

PHONE = (375, 812)
NARROW = (360, 740)  # the narrowest phones in use: the English test runs there
_SKIP = ("/files/", "/language/", "/text-size/", "/logout", "/privacy")


def _english(msgid: str, catalogue: str = "core") -> str:
    """The English the catalogue gives for a Chinese msgid (what the page must show)."""
    message = read_catalogue(catalogue).get(msgid)
    assert message is not None and message.string, f"{msgid} has no English in {catalogue}"
    return message.string


def _resident_pages(page) -> list[str]:
    """The project page the resident lands on, then the same-site pages it links to (at most 12)."""
    start = page.url.split("://", 1)[1].split("/", 1)[1]
    hrefs = page.eval_on_selector_all("main a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
    seen = ["/" + start]
    for href in hrefs:
        if not href.startswith(_SKIP) and href.split("#")[0] not in seen:
            seen.append(href.split("#")[0])
    return seen[:13]


def _small_buttons(page) -> list[str]:
    """Visible buttons (button, .btn, submit inputs) less than 44 px tall: their text and height."""
    return page.evaluate("""() => [...document.querySelectorAll('button, .btn, input[type=submit]')]
        .filter(e => e.offsetParent !== null)
        .map(e => [e.innerText.trim().slice(0, 30), e.getBoundingClientRect().height])
        .filter(([, h]) => h < 44)""")


def test_larger_text_mode_on_a_phone(new_page):
    page = new_page(*PHONE)
    login(page, "resident")
    assert re.search(r"/projects/\d+$", page.url), page.url
    page.get_by_role("link", name="大字模式").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.classList.contains('text-large')")
    font, line = page.evaluate("""() => { const s = getComputedStyle(document.body);
        return [parseFloat(s.fontSize), parseFloat(s.lineHeight)]; }""")
    assert font >= 18, font
    assert line / font >= 1.5, (line, font)
    shot(page, "large-text", "1-project")
    visited = _resident_pages(page)
    assert len(visited) >= 4, visited  # project, wish survey, ballot(s), repairs at least
    for url in visited:
        page.goto(url)
        assert page.evaluate("document.documentElement.classList.contains('text-large')"), url
        assert_no_hscroll(page)
        assert _small_buttons(page) == [], url
        assert_axe_clean(page)
    shot(page, "large-text", "2-last-linked-page")
    page.get_by_role("link", name="标准字号").click()
    page.wait_for_load_state()
    assert not page.evaluate("document.documentElement.classList.contains('text-large')")


def test_english_on_a_phone_and_back_to_chinese(new_page):
    page = new_page(*NARROW)
    login(page, "resident")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "en"
    logout_text = _english("退出")
    assert page.get_by_role("button", name=logout_text).count() == 1
    shot(page, "english", "1-project")
    for url in _resident_pages(page):
        page.goto(url)
        assert page.evaluate("document.documentElement.lang") == "en", url
        assert_no_hscroll(page, NARROW[0])
        assert_axe_clean(page)
    shot(page, "english", "2-last-linked-page")
    page.get_by_role("link", name="中文").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.get_by_role("button", name="退出").count() == 1


def test_error_pages_have_a_way_back(new_page):
    page = new_page(*PHONE)
    login(page, "resident")
    home = page.url
    page.goto(home + "/no-such-page")
    assert "页面不存在" in page.locator("main").inner_text()
    assert_no_hscroll(page)
    assert_axe_clean(page)
    shot(page, "errors", "404")
    page.get_by_role("link", name="回到首页").click()
    page.wait_for_load_state()
    assert page.url.rstrip("/") == home.rstrip("/") or re.search(r"/projects/\d+$", page.url), page.url

    response = page.goto("/admin/audit")  # a resident may not read the audit log
    assert response.status == 403
    assert "没有权限" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="回到首页").count() == 1
    assert_axe_clean(page)
    shot(page, "errors", "403")


def _linked_pages(page, limit: int = 25) -> list[str]:
    """Same-site GET pages linked from the current page's main area (no files, switches, downloads)."""
    hrefs = page.eval_on_selector_all("main a[href^='/']:not([download])", "els => els.map(e => e.getAttribute('href'))")
    out = []
    for href in hrefs:
        href = href.split("#")[0]
        if href.startswith(_SKIP) or href.endswith((".pdf", ".xlsx", ".csv")) or "/export" in href or href in out:
            continue
        out.append(href)
    return out[:limit]


def test_staff_pages_pass_axe(new_page):
    """axe-core on every page the squad member reaches from 嵩岳小区's project page and on the leader's
    dashboard and compound list: no serious or critical violations (issue 9)."""
    page = new_page(1280, 900)
    login(page, "squad")
    page.get_by_role("link", name="嵩岳小区", exact=True).first.click()
    page.wait_for_load_state()
    pages = [page.url.split("://", 1)[1].split("/", 1)[1]]
    pages = ["/" + pages[0], *_linked_pages(page)]
    assert len(pages) >= 8, pages
    checked = []
    for url in pages:
        response = page.goto(url)
        if response.status != 200 or "html" not in (response.headers.get("content-type") or ""):
            continue
        assert_axe_clean(page)
        checked.append(url)
    assert len(checked) >= 8, checked

    leader = new_page(1280, 900)
    login(leader, "leader")
    for url in ["/", "/compounds"]:
        leader.goto(url)
        assert_axe_clean(leader)
