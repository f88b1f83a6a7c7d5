"""Charts of the dashboard drawn on the server as inline SVG: no JavaScript, no CDN.

Each function returns Markup of one ``<svg>`` with a ``viewBox`` 360 units wide and ``width=100%``, so it
scales to the screen (a 375 px phone shows it at about 1:1), with ``role="img"``, a ``<title>`` and an
``aria-label`` for screen readers. Labels are escaped. The charts are for the web dashboard only (no PDF
draws them): their texts are in the reader's language.
"""

import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

from renovation.core.i18n import DEFAULT_LOCALE, current_language, wan_yuan
from renovation.dashboard.rules import FunnelStep, Status

WIDTH = 360
LABEL_W = 92
BAR_X = LABEL_W + 4
BAR_W = 196
COLOURS = {"stage": "#b71c1c", "planned": "#f3c4c4", "spent": "#b71c1c", "progress": "#2e7d32",
           "plan_mark": "#212529", Status.RED: "#dc3545", Status.AMBER: "#ffc107", Status.GREEN: "#198754"}


def _svg(height: int, title: str, body: list[str]) -> Markup:
    t = escape(title)
    return Markup(
        f'<svg class="dash-chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-label="{t}" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet"><title>{t}</title>'
        + "".join(body) + "</svg>")


def _text(x: float, y: float, s: str, anchor: str = "start", size: int = 13, weight: str = "normal",
          fill: str = "#212529") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
            f'fill="{fill}">{escape(s)}</text>')


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _short(name: str, n: int = 7) -> str:
    """``name`` cut to the width of ``n`` Chinese characters (a Latin letter counts half), with '…'."""
    name = str(name)
    if sum(_width(ch) for ch in name) <= 2 * n:
        return name
    out, used = "", 0
    for ch in name:
        if used + _width(ch) > 2 * (n - 1):
            break
        out += ch
        used += _width(ch)
    return out + "…"


def wan(value: Decimal | float) -> str:
    """'123.4万' for yuan (in English the compact amount, 'CN¥1.23M')."""
    if current_language() != DEFAULT_LOCALE:
        return wan_yuan(value)
    return f"{float(value) / 10000:,.1f}万"


def funnel(steps: Sequence[FunnelStep]) -> Markup:
    """The stage funnel: one centred bar per stage, as wide as the compounds that reached it, with
    'reached (now N)' beside it."""
    top = max((s.reached for s in steps), default=0) or 1
    row = 34
    body = []
    for i, s in enumerate(steps):
        y = i * row + 4
        w = max(2.0, BAR_W * s.reached / top) if s.reached else 0
        x = BAR_X + (BAR_W - w) / 2
        body.append(_text(0, y + 19, s.stage.label))
        if w:
            body.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="26" rx="3" '
                        f'fill="{COLOURS["stage"]}" fill-opacity="{1 - i * 0.15:.2f}"/>')
        body.append(_text(BAR_X + BAR_W + 6, y + 12, f"{s.reached}", size=13, weight="bold"))
        body.append(_text(BAR_X + BAR_W + 6, y + 26, _("当前%(n)d", n=s.current), size=11, fill="#6c757d"))
    return _svg(len(steps) * row + 6, _("阶段漏斗：到达各阶段的小区数"), body)


def funding(lines: Sequence) -> Markup:
    """Planned money per funding source (light bar) with the spent estimate over it (dark bar); the
    planned amount in 万元 beside it."""
    top = max((float(f.planned) for f in lines), default=0) or 1
    row = 30
    body = []
    for i, f in enumerate(lines):
        y = i * row + 4
        wp = BAR_W * float(f.planned) / top
        ws = BAR_W * float(min(f.spent, f.planned)) / top
        body.append(_text(0, y + 16, _short(f.label, 7), size=12))
        body.append(f'<rect x="{BAR_X}" y="{y + 2}" width="{wp:.1f}" height="20" fill="{COLOURS["planned"]}"/>')
        body.append(f'<rect x="{BAR_X}" y="{y + 2}" width="{ws:.1f}" height="20" fill="{COLOURS["spent"]}"/>')
        body.append(_text(BAR_X + BAR_W + 6, y + 17, wan(f.planned), size=12))
    legend_y = len(lines) * row + 14
    body.append(f'<rect x="{BAR_X}" y="{legend_y - 10}" width="12" height="12" fill="{COLOURS["planned"]}"/>')
    body.append(_text(BAR_X + 16, legend_y, _("计划投资"), size=11))
    body.append(f'<rect x="{BAR_X + 80}" y="{legend_y - 10}" width="12" height="12" fill="{COLOURS["spent"]}"/>')
    body.append(_text(BAR_X + 96, legend_y, _("已完成(估算)"), size=11))
    return _svg(legend_y + 6, _("按资金来源的计划投资与估算完成投资"), body)


#: Up to this many compounds the progress chart draws one bar per compound; above, a histogram.
PER_COMPOUND_MAX = 20


def progress(rows: Sequence) -> Markup:
    """Progress by compound: one bar per compound (lowest first, a black tick at the planned progress)
    when there are at most PER_COMPOUND_MAX, else a histogram of compounds per 10-point band."""
    rows = [r for r in rows if r.progress is not None]
    if len(rows) <= PER_COMPOUND_MAX:
        rows = sorted(rows, key=lambda r: r.progress)
        row = 26
        body = []
        for i, r in enumerate(rows):
            y = i * row + 4
            body.append(_text(0, y + 15, _short(r.compound_name), size=12))
            body.append(f'<rect x="{BAR_X}" y="{y + 2}" width="{BAR_W}" height="18" fill="#e9ecef"/>')
            body.append(f'<rect x="{BAR_X}" y="{y + 2}" width="{BAR_W * r.progress / 100:.1f}" height="18" '
                        f'fill="{COLOURS[r.verdict.status]}"/>')
            if r.planned is not None:
                px = BAR_X + BAR_W * r.planned / 100
                body.append(f'<rect x="{px - 1:.1f}" y="{y}" width="2.5" height="22" fill="{COLOURS["plan_mark"]}"/>')
            body.append(_text(BAR_X + BAR_W + 6, y + 16, f"{r.progress:.0f}%", size=12))
        return _svg(max(len(rows), 1) * row + 6, _("各小区改造进度（黑线为计划进度）"), body)
    bands = [0] * 10
    for r in rows:
        bands[min(int(r.progress // 10), 9)] += 1
    top = max(bands) or 1
    h = 120
    bw = (WIDTH - 20) / 10
    body = []
    for i, n in enumerate(bands):
        bh = h * n / top
        x = 10 + i * bw
        body.append(f'<rect x="{x + 2:.1f}" y="{20 + h - bh:.1f}" width="{bw - 4:.1f}" height="{bh:.1f}" '
                    f'fill="{COLOURS["progress"]}"/>')
        body.append(_text(x + bw / 2, 20 + h - bh - 4, str(n), anchor="middle", size=11))
        body.append(_text(x + bw / 2, 20 + h + 14, f"{i * 10}", anchor="middle", size=10, fill="#6c757d"))
    body.append(_text(WIDTH / 2, 20 + h + 30, _("进度区间（%，每格10个百分点）"), anchor="middle", size=11,
                      fill="#6c757d"))
    return _svg(20 + h + 36, ngettext("%(num)d个小区的进度分布", "%(num)d个小区的进度分布", len(rows)), body)


def status_bar(counts: dict[Status, int]) -> Markup:
    """One bar split red/amber/green in proportion to the compounds of each status, counts below."""
    total = sum(counts.values()) or 1
    x = 0.0
    body = []
    for s in (Status.RED, Status.AMBER, Status.GREEN):
        w = WIDTH * counts.get(s, 0) / total
        if w:
            body.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="22" fill="{COLOURS[s]}"/>')
        x += w
    sep = "　" if current_language() == DEFAULT_LOCALE else "  "
    labels = sep.join(_("%(status)s%(n)d", status=s.label, n=counts.get(s, 0))
                      for s in (Status.RED, Status.AMBER, Status.GREEN))
    body.append(_text(0, 42, labels, size=13))
    return _svg(50, _("小区红黄绿分布：%(counts)s", counts=labels), body)
