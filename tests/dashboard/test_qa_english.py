"""QA fixes of the dashboard in English: counts with the right plural ('1 day', '2 days'), and the funding
chart laid out for its labels (legend entries apart, source names whole or wrapped, amounts inside the
picture) in both languages."""

import re
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from flask_babel import refresh

from renovation.dashboard import charts
from renovation.dashboard.rules import CompoundFacts, verdict
from renovation.projects.rules import Stage

D = date(2020, 10, 21)


@contextmanager
def _english(app):
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        refresh()  # the locale is cached per app context
        yield
    with app.test_request_context():
        refresh()


def test_days_past_completion_singular_and_plural(app):
    with _english(app):
        assert verdict(CompoundFacts(Stage.CONSTRUCTION, target_end_on=date(2020, 10, 20)), D).reasons == (
            "1 day past the planned completion date",)
        assert verdict(CompoundFacts(Stage.CONSTRUCTION, target_end_on=date(2020, 10, 19)), D).reasons == (
            "2 days past the planned completion date",)
    with app.test_request_context():
        assert verdict(CompoundFacts(Stage.CONSTRUCTION, target_end_on=date(2020, 10, 20)), D).reasons == (
            "已超过计划完工日期1天",)


def test_plural_counts_on_the_pages(client, jurisdiction, login):
    client.set_cookie("lang", "en")
    login("leader_a")
    html = client.get("/compounds?sort=name&q=东风").get_data(as_text=True)
    assert "1 compound, page 1 of 1" in html and "4 households" in html and "1 compounds" not in html
    html = client.get("/compounds?sort=name").get_data(as_text=True)
    assert "6 compounds, page 1 of 1" in html and "2 households" in html  # 枫林小区
    html = client.get("/").get_data(as_text=True)
    ages = re.findall(r"([\d,]+) (days?) old", html)
    assert ages and all((unit == "day") == (n == "1") for n, unit in ages)
    client.delete_cookie("lang")
    html = client.get("/compounds?sort=name&q=东风").get_data(as_text=True)
    assert "共1个小区，第1 / 1页" in html and "4户" in html


def _texts(svg):
    """[(x, y, size, text)] of the <text> elements of an SVG."""
    return [(float(x), float(y), int(size), t) for x, y, size, t in
            re.findall(r'<text x="([\d.]+)" y="([\d.]+)" font-size="(\d+)"[^>]*>([^<]*)</text>', svg)]


LINES = [SimpleNamespace(label=label, planned=Decimal(p), spent=Decimal(s)) for label, p, s in (
    ("Central subsidy", 5780000, 3000000), ("Provincial and city funds", 2572000, 2000000),
    ("Utility operators", 1710000, 1710000), ("Residents", 225600, 100000))]


def test_funding_chart_in_english_fits_its_labels(app):
    with _english(app):
        svg = str(charts.funding(LINES))
    texts = _texts(svg)
    words = [t for *_, t in texts]
    # every source name whole (the long one on two lines), every amount inside the 360-wide picture
    assert "Central subsidy" in words and "Residents" in words and "Utility operators" in words
    i = next(i for i, w in enumerate(words) if w.startswith("Provincial"))
    assert f"{words[i]} {words[i + 1]}" == "Provincial and city funds" and not any("…" in w for w in words)
    for x, _y, size, t in texts:
        assert x + charts.text_width(t, size) <= charts.WIDTH, t
    amount = next(tx for tx in texts if tx[3] == "CN¥225.6K")
    assert amount[0] + charts.text_width("CN¥225.6K", 12) <= charts.WIDTH - 2
    # the two legend entries side by side, the second after the end of the first
    first = next(tx for tx in texts if tx[3] == "Planned investment")
    second = next(tx for tx in texts if tx[3] == "Done (estimate)")
    if first[1] == second[1]:
        assert second[0] - 16 >= first[0] + charts.text_width("Planned investment", 11) + 8
    # labels end before the bars begin
    bar_x = float(re.search(r'<rect x="([\d.]+)"', svg).group(1))
    for x, _y, size, t in texts:
        if t in ("Central subsidy", "Utility operators", words[i], words[i + 1]):
            assert x + charts.text_width(t, size) <= bar_x


def test_funding_chart_in_chinese_unchanged_in_shape(app):
    zh = [SimpleNamespace(label=label, planned=Decimal(p), spent=Decimal(s)) for label, p, s in (
        ("中央补助资金", 5780000, 3000000), ("居民出资", 225600, 100000))]
    with app.test_request_context():
        svg = str(charts.funding(zh))
    words = [t for *_, t in _texts(svg)]
    assert words == ["中央补助资金", "578.0万", "居民出资", "22.6万", "计划投资", "已完成(估算)"]
    assert 'viewBox="0 0 360 80"' in svg  # two rows of 30 and the legend, as before


def test_wrap_and_cut():
    assert charts.wrap("Post-handover management", 132, 13) == ["Post-handover", "management"]
    assert charts.wrap("中央补助资金", 92, 12) == ["中央补助资金"]
    assert charts.wrap("一二三四五六七八九十一二三四五六七八九十", 60, 12, max_lines=2) == ["一二三四五", "六七八九…"]
    assert charts.text_width("中文", 12) == 24 and charts.text_width("ab", 10) == 12
