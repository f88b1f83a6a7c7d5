"""Charts of the dashboard drawn on the server as inline SVG: no JavaScript, no CDN.

Each function returns Markup of one ``<svg>`` with a ``viewBox`` 360 units wide and ``width=100%``, so it
scales to the screen (a 375 px phone shows it at about 1:1), with ``role="img"``, a ``<title>`` and an
``aria-label`` for screen readers. Labels are escaped. The charts are for the web dashboard only (no PDF
draws them): their texts are in the reader's language. No font is measured here: text widths are estimated
(:func:`text_width`, on the generous side), so a chart makes its label column as wide as its labels (long
ones wrap onto two lines), leaves room at the right for the widest value, and spaces legend entries by
their labels, in Chinese and in English alike.
"""

import re
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
#: The widest a label column grows (of WIDTH); longer labels wrap onto a second line.
LABEL_MAX = 132
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


def _em(ch: str) -> float:
    """Estimated advance of ``ch`` in ems, on the generous side (phones' sans-serif fonts are narrower):
    CJK, full-width and ambiguous (… “”) 1; % @ m w M W 0.95; capitals and digits 0.7; spaces,
    punctuation and i l j 0.4; other letters 0.6."""
    if ch in "%@mwMW":
        return 0.95
    if unicodedata.east_asian_width(ch) in ("W", "F", "A"):
        return 1.0
    if ch.isupper() or ch.isdigit():
        return 0.7
    return 0.4 if ch in " .,:;'!|()[]ilj" else 0.6


def text_width(s: str, size: float) -> float:
    """Estimated width of ``s`` at font size ``size`` (no font is measured on the server)."""
    return size * sum(_em(ch) for ch in str(s))


def _cut(s: str, width: float, size: float) -> str:
    """``s`` cut with '…' to fit ``width``."""
    s = str(s)
    if text_width(s, size) <= width:
        return s
    out = ""
    for ch in s:
        if text_width(out + ch + "…", size) > width:
            break
        out += ch
    return out.rstrip() + "…"


#: Characters a line may break around (CJK, full-width forms).
_WIDE = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_BREAKS = re.compile(rf"\s+|[{_WIDE}]|[^\s{_WIDE}-]+-?|-")


def _tokens(s: str) -> list[str]:
    """Where a line may break: between Chinese characters, at spaces, after a hyphen."""
    return _BREAKS.findall(str(s))


def wrap(s: str, width: float, size: float, max_lines: int = 2) -> list[str]:
    """``s`` in at most ``max_lines`` lines no wider than ``width`` (estimated), the last cut with '…'."""
    s = str(s)
    if text_width(s, size) <= width:
        return [s]
    tokens = _tokens(s)
    lines, line = [], ""
    for k, tok in enumerate(tokens):
        if not line and tok.isspace():
            continue
        if not line or text_width(line + tok, size) <= width:
            line += tok
            continue
        lines.append(line.rstrip())
        if len(lines) == max_lines - 1:  # the last line takes the rest, cut to fit
            line = "".join(tokens[k:]).strip()
            break
        line = "" if tok.isspace() else tok
    if line:
        lines.append(line.rstrip())
    return [_cut(line, width, size) for line in lines]


def _label_column(labels: Sequence[str], size: float) -> float:
    """Width of a chart's label column: the longest label's, at least LABEL_W, at most LABEL_MAX (longer
    labels wrap)."""
    longest = max((text_width(label, size) for label in labels), default=0)
    return min(max(LABEL_W, longest + 4), LABEL_MAX)


def _label(x: float, y: float, lines: list[str], size: int, line_h: float) -> list[str]:
    """A label of one or two lines, vertically centred on ``y`` (the baseline of a one-line label)."""
    top = y - (len(lines) - 1) * line_h / 2
    return [_text(x, top + i * line_h, line, size=size) for i, line in enumerate(lines)]


def wan(value: Decimal | float) -> str:
    """'123.4万' for yuan (in English the compact amount, 'CN¥1.23M')."""
    if current_language() != DEFAULT_LOCALE:
        return wan_yuan(value)
    return f"{float(value) / 10000:,.1f}万"


def _columns(labels: Sequence[str], label_size: float, values: Sequence[str], value_size: float):
    """(label column width, bar x, bar width) of a chart with labels left, bars, then values right: the
    label column fits the labels (within LABEL_W..LABEL_MAX) and the bars leave room for the widest
    value and a margin, so nothing runs past the right edge."""
    label_w = _label_column(labels, label_size)
    value_w = max((text_width(v, value_size) for v in values), default=0)
    bar_x = label_w + 4
    return label_w, bar_x, WIDTH - bar_x - 6 - value_w - 2


def _legend(y: float, x0: float, items: Sequence[tuple[str, str]], size: int = 11) -> tuple[list[str], float]:
    """Legend entries (colour square, label) in a row from ``x0`` (from 0 when they do not fit there),
    each spaced by its label's estimated width; a line too long goes on to the next. Returns the
    elements and the baseline of the last line."""
    widths = [16 + text_width(label, size) for _colour, label in items]
    gap = 14
    x = x0 if x0 + sum(widths) + gap * (len(items) - 1) <= WIDTH else 0
    start, body = x, []
    for (colour, label), w in zip(items, widths, strict=True):
        if x > start and x + w > WIDTH:
            x, y = start, y + size + 8
        body.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{colour}"/>')
        body.append(_text(x + 16, y, _cut(label, WIDTH - x - 16, size), size=size))
        x += w + gap
    return body, y


def funnel(steps: Sequence[FunnelStep]) -> Markup:
    """The stage funnel: one centred bar per stage, as wide as the compounds that reached it, with
    'reached (now N)' beside it."""
    top = max((s.reached for s in steps), default=0) or 1
    row = 34
    nows = [_("当前%(n)d", n=s.current) for s in steps]
    label_w, bar_x, bar_w = _columns([s.stage.label for s in steps], 13, nows, 11)
    body = []
    for i, s in enumerate(steps):
        y = i * row + 4
        w = max(2.0, bar_w * s.reached / top) if s.reached else 0
        x = bar_x + (bar_w - w) / 2
        body += _label(0, y + 19, wrap(s.stage.label, label_w, 13), 13, 14)
        if w:
            body.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="26" rx="3" '
                        f'fill="{COLOURS["stage"]}" fill-opacity="{1 - i * 0.15:.2f}"/>')
        body.append(_text(bar_x + bar_w + 6, y + 12, f"{s.reached}", size=13, weight="bold"))
        body.append(_text(bar_x + bar_w + 6, y + 26, nows[i], size=11, fill="#6c757d"))
    return _svg(len(steps) * row + 6, _("阶段漏斗：到达各阶段的小区数"), body)


def funding(lines: Sequence) -> Markup:
    """Planned money per funding source (light bar) with the spent estimate over it (dark bar); the
    planned amount in 万元 beside it. Long source names wrap onto two lines; the legend is spaced by
    its labels' widths."""
    top = max((float(f.planned) for f in lines), default=0) or 1
    amounts = [wan(f.planned) for f in lines]
    label_w, bar_x, bar_w = _columns([f.label for f in lines], 12, amounts, 12)
    labels = [wrap(f.label, label_w, 12) for f in lines]
    row = 34 if any(len(lbl) > 1 for lbl in labels) else 30
    body = []
    for i, f in enumerate(lines):
        y = i * row + 4 + (row - 30) / 2
        wp = bar_w * float(f.planned) / top
        ws = bar_w * float(min(f.spent, f.planned)) / top
        body += _label(0, y + 16, labels[i], 12, 14)
        body.append(f'<rect x="{bar_x:.1f}" y="{y + 2:.1f}" width="{wp:.1f}" height="20" fill="{COLOURS["planned"]}"/>')
        body.append(f'<rect x="{bar_x:.1f}" y="{y + 2:.1f}" width="{ws:.1f}" height="20" fill="{COLOURS["spent"]}"/>')
        body.append(_text(bar_x + bar_w + 6, y + 17, amounts[i], size=12))
    legend, last_y = _legend(len(lines) * row + 14, bar_x, [(COLOURS["planned"], _("计划投资")),
                                                            (COLOURS["spent"], _("已完成(估算)"))])
    return _svg(int(last_y) + 6, _("按资金来源的计划投资与估算完成投资"), body + legend)


#: Up to this many compounds the progress chart draws one bar per compound; above, a histogram.
PER_COMPOUND_MAX = 20


def progress(rows: Sequence) -> Markup:
    """Progress by compound: one bar per compound (lowest first, a black tick at the planned progress)
    when there are at most PER_COMPOUND_MAX, else a histogram of compounds per 10-point band."""
    rows = [r for r in rows if r.progress is not None]
    if len(rows) <= PER_COMPOUND_MAX:
        rows = sorted(rows, key=lambda r: r.progress)
        row = 26
        label_w, bar_x, bar_w = _columns([r.compound_name for r in rows], 12, ["100%"], 12)
        body = []
        for i, r in enumerate(rows):
            y = i * row + 4
            body.append(_text(0, y + 15, _cut(r.compound_name, label_w, 12), size=12))
            body.append(f'<rect x="{bar_x:.1f}" y="{y + 2}" width="{bar_w:.1f}" height="18" fill="#e9ecef"/>')
            body.append(f'<rect x="{bar_x:.1f}" y="{y + 2}" width="{bar_w * r.progress / 100:.1f}" height="18" '
                        f'fill="{COLOURS[r.verdict.status]}"/>')
            if r.planned is not None:
                px = bar_x + bar_w * r.planned / 100
                body.append(f'<rect x="{px - 1:.1f}" y="{y}" width="2.5" height="22" fill="{COLOURS["plan_mark"]}"/>')
            body.append(_text(bar_x + bar_w + 6, y + 16, f"{r.progress:.0f}%", size=12))
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
    parts = [_("%(status)s%(n)d", status=s.label, n=counts.get(s, 0)) for s in (Status.RED, Status.AMBER, Status.GREEN)]
    x = 0.0
    for part in parts:  # one text each, spaced by its width (SVG collapses runs of spaces)
        body.append(_text(x, 42, part, size=13))
        x += text_width(part, 13) + 16
    labels = ("，" if current_language() == DEFAULT_LOCALE else ", ").join(parts)
    return _svg(50, _("小区红黄绿分布：%(counts)s", counts=labels), body)
