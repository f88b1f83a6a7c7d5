"""Pure rules of the leaders' dashboard: roll-ups over compounds, the red/amber/green status of a compound
with its reasons, the stage funnel, pinyin sort keys and pagination. No app, no database.

The thresholds are named values below; they are local practice (what a subdistrict office calls
"needs attention"), not national law.
"""

import enum
import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from pypinyin import Style, lazy_pinyin

from renovation.construction.rules import AMBER_GAP, GREEN_GAP, planned_percent
from renovation.core.i18n import DEFAULT_LOCALE, current_language, percent
from renovation.projects.rules import STAGE_ORDER, Stage

#: Overdue problem reports (deadline passed, not rectified) from which a compound is amber / red.
OVERDUE_AMBER = 1
OVERDUE_RED = 3
#: Satisfaction (share of satisfied households, 0..1) under which a compound is amber / red.
SATISFACTION_AMBER = Fraction(80, 100)
SATISFACTION_RED = Fraction(60, 100)


class Status(enum.Enum):
    """A compound's red/amber/green (红/黄/绿) on the leaders' dashboard."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def label(self) -> str:
        """The label in the reader's language (正常, 关注, 预警 in Chinese), as a plain string; for choices
        built at import time use the lazy ``STATUS_LABELS[status]``."""
        return str(STATUS_LABELS[self])

    @property
    def css(self) -> str:
        """Bootstrap colour name."""
        return {"green": "success", "amber": "warning", "red": "danger"}[self.value]

    @property
    def rank(self) -> int:
        """0 for red, 1 amber, 2 green: sorting by it puts the compounds needing attention first."""
        return {"red": 0, "amber": 1, "green": 2}[self.value]


STATUS_ORDER = [Status.RED, Status.AMBER, Status.GREEN]
#: Status names, lazy (the reader's language).
STATUS_LABELS = {Status.GREEN: _l("正常"), Status.AMBER: _l("关注"), Status.RED: _l("预警")}


@dataclass(frozen=True)
class ItemFacts:
    """One adopted item for the schedule check: budget (yuan, None if not set), progress (%, 0..100),
    planned start and end dates (None if not scheduled)."""

    budget: Decimal | None
    progress: int
    planned_start: date | None
    planned_end: date | None


@dataclass(frozen=True)
class CompoundFacts:
    """Plain facts about one compound's project for its status.

    stage: the project's stage; target_end_on: the project's planned completion date (None if unset);
    progress / planned: budget-weighted actual and planned progress of the adopted items (%, None when
    there is nothing to weigh); overdue_problems: problem reports past their deadline and not rectified;
    closed_ballots / closed_ballots_adopting: closed ballots, and those that adopted at least one item;
    satisfaction: share of satisfied households after handover (0..1, None while there is no survey).
    """

    stage: Stage
    target_end_on: date | None = None
    progress: float | None = None
    planned: float | None = None
    overdue_problems: int = 0
    closed_ballots: int = 0
    closed_ballots_adopting: int = 0
    satisfaction: Fraction | None = None


@dataclass(frozen=True)
class Verdict:
    """The status of a compound and the reasons behind it, in the language of the moment they were computed
    (the reader's; Chinese for the ledgers, built under core.i18n.chinese()); empty for a green compound."""

    status: Status
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def reason_text(self) -> str:
        """The reasons joined with '；' ('; ' in English), or '正常推进' when there are none."""
        sep = "；" if current_language() == DEFAULT_LOCALE else "; "
        return sep.join(self.reasons) or _("正常推进")


def weighted(values: Sequence[tuple[Decimal | None, float]]) -> float | None:
    """Average of ``values`` ((budget in yuan, percent) pairs) weighted by budget, as on the project page
    (projects.views.weighted_progress); equal weights when no budget is positive; None when empty."""
    if not values:
        return None
    weights = [float(b or 0) for b, _ in values]
    if sum(weights) <= 0:
        weights = [1.0] * len(values)
    return sum(w * p for w, (_, p) in zip(weights, values, strict=True)) / sum(weights)


def progress_from_sums(count: int, budget_sum: Decimal | None, budget_progress_sum: Decimal | None,
                       progress_sum: int | None) -> float | None:
    """:func:`weighted` computed from SQL aggregates of the adopted items: their number, Σbudget (yuan),
    Σ(budget × percent) and Σpercent. Gives the same value without loading the items."""
    if not count:
        return None
    if budget_sum and budget_sum > 0:
        return float(budget_progress_sum or 0) / float(budget_sum)
    return float(progress_sum or 0) / count


def planned_progress(items: Iterable[ItemFacts], today: date) -> float | None:
    """Budget-weighted planned progress (%) on ``today`` of the items that have planned dates (linear
    from start to end, construction.rules.planned_percent); None when no item is scheduled."""
    pairs = []
    for it in items:
        p = planned_percent(it.planned_start, it.planned_end, today)
        if p is not None:
            pairs.append((it.budget, p))
    return weighted(pairs)


def actual_progress_of_scheduled(items: Iterable[ItemFacts]) -> float | None:
    """Budget-weighted actual progress (%) of the items that have planned dates (compared with
    :func:`planned_progress` on the same items)."""
    return weighted([(it.budget, float(it.progress)) for it in items
                     if it.planned_start is not None and it.planned_end is not None
                     and it.planned_end >= it.planned_start])


def verdict(f: CompoundFacts, today: date) -> Verdict:
    """Red/amber/green of a compound with the reasons, worst reason wins:

    - behind schedule (construction only): planned - actual > 25 points red, > 10 points amber
      (construction.rules AMBER_GAP, GREEN_GAP); past ``target_end_on`` before aftercare: red;
    - overdue problem reports: >= 3 red, >= 1 amber;
    - failed ballot: in consultation with closed ballots none of which adopted an item: amber
      (the residents said no: the squad must consult again);
    - low satisfaction after handover: < 60% red, < 80% amber.
    """
    reds: list[str] = []
    ambers: list[str] = []
    if f.stage is Stage.CONSTRUCTION and f.progress is not None and f.planned is not None:
        gap = f.planned - f.progress
        text = _("进度滞后计划%(gap).0f个百分点", gap=gap)
        if gap > AMBER_GAP:
            reds.append(text)
        elif gap > GREEN_GAP:
            ambers.append(text)
    if f.target_end_on is not None and today > f.target_end_on and f.stage is not Stage.AFTERCARE:
        reds.append(ngettext("已超过计划完工日期%(num)d天", "已超过计划完工日期%(num)d天", (today - f.target_end_on).days))
    overdue = ngettext("%(num)d个问题逾期未整改", "%(num)d个问题逾期未整改", f.overdue_problems)
    if f.overdue_problems >= OVERDUE_RED:
        reds.append(overdue)
    elif f.overdue_problems >= OVERDUE_AMBER:
        ambers.append(overdue)
    if f.stage is Stage.CONSULTATION and f.closed_ballots and not f.closed_ballots_adopting:
        ambers.append(_("表决未通过（%(n)d次）", n=f.closed_ballots))
    if f.satisfaction is not None:
        text = _("满意度%(rate)s", rate=percent(f.satisfaction, 0))
        if f.satisfaction < SATISFACTION_RED:
            reds.append(text)
        elif f.satisfaction < SATISFACTION_AMBER:
            ambers.append(text)
    if reds:
        return Verdict(Status.RED, tuple(reds + ambers))
    if ambers:
        return Verdict(Status.AMBER, tuple(ambers))
    return Verdict(Status.GREEN)


@dataclass(frozen=True)
class FunnelStep:
    """One stage of the funnel: compounds now in it (``current``) and compounds that reached it or a
    later stage (``reached``)."""

    stage: Stage
    current: int
    reached: int


def stage_funnel(stages: Iterable[Stage]) -> list[FunnelStep]:
    """The stage funnel of a set of compounds from their projects' current stages, in lifecycle order."""
    counts = {s: 0 for s in STAGE_ORDER}
    for s in stages:
        counts[s] += 1
    steps = []
    for i, s in enumerate(STAGE_ORDER):
        steps.append(FunnelStep(s, counts[s], sum(counts[t] for t in STAGE_ORDER[i:])))
    return steps


def ratio(num: int | Decimal, den: int | Decimal) -> Fraction | None:
    """num/den as an exact Fraction, None when den is 0."""
    return Fraction(num) / Fraction(den) if den else None


def estimated_spent(amount: Decimal, progress: float) -> Decimal:
    """Money spent so far estimated as amount (yuan) x progress (%) / 100, to the fen: an estimate, the
    app records no payments."""
    return (Decimal(amount) * Decimal(str(progress)) / 100).quantize(Decimal("0.01"))


_DIGITS = re.compile(r"(\d+)")


@functools.lru_cache(maxsize=65536)
def pinyin_key(name: str) -> tuple:
    """A sort key putting Chinese names in pinyin order (电缆厂 < 绿东村 < 棉纺 < 嵩岳 < 西站路), not in
    character-code order; digit runs compare as numbers (6号院 < 12号院); the name itself breaks ties.
    Cached: compound names rarely change and a district has a few thousand."""
    parts: list[tuple] = []
    for token in lazy_pinyin(name, style=Style.NORMAL, v_to_u=False):
        for piece in _DIGITS.split(token):
            if piece:
                parts.append((0, int(piece), "") if piece.isdigit() else (1, 0, piece.lower()))
    return tuple(parts), name


def pinyin_initials(name: str) -> str:
    """'sy' for 嵩岳: the first letters of each syllable, for searching by initials on a phone."""
    return "".join(p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER) if p).lower()


@functools.lru_cache(maxsize=65536)
def search_keys(name: str) -> tuple[str, str]:
    """(full pinyin without tones, initials) of ``name``, lower case, for pinyin search."""
    return "".join(lazy_pinyin(name)).lower(), pinyin_initials(name)


@dataclass(frozen=True)
class PageWindow:
    """A page of a list: number (1-based, clamped to the last page), pages, and the slice bounds."""

    number: int
    pages: int
    start: int
    stop: int
    total: int


def page_window(total: int, number: int, size: int) -> PageWindow:
    """The slice of page ``number`` (1-based; beyond the last page -> last page) for ``total`` rows of
    ``size`` per page. An empty list has one empty page."""
    pages = max(1, math.ceil(total / size))
    number = min(max(1, number), pages)
    start = (number - 1) * size
    return PageWindow(number, pages, start, min(start + size, total), total)
