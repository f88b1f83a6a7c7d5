"""The dashboard's red/amber/green bar: one label per status, laid side by side (SVG collapses spaces)."""

import re

from flask_babel import refresh

from renovation.dashboard.charts import status_bar
from renovation.dashboard.rules import Status


def _texts(svg: str) -> list[tuple[float, str]]:
    return [(float(x), t) for x, t in re.findall(r'<text x="([\d.]+)"[^>]*>([^<]*)</text>', svg)]


def test_labels_side_by_side_in_chinese_and_english(app):
    counts = {Status.RED: 0, Status.AMBER: 1, Status.GREEN: 1}
    with app.test_request_context():
        refresh()
        svg = str(status_bar(counts))
    texts = _texts(svg)
    assert [t for _, t in texts] == ["预警0", "关注1", "正常1"]
    assert texts[0][0] == 0 and texts[0][0] < texts[1][0] < texts[2][0]
    assert "小区红黄绿分布：预警0，关注1，正常1" in svg
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        refresh()
        svg = str(status_bar(counts))
    texts = _texts(svg)
    assert [t for _, t in texts] == ["Alert 0", "Watch 1", "On track 1"]
    assert texts[0][0] < texts[1][0] < texts[2][0]
