"""Pure rules of post-handover management: repair-request deadlines and overdue flags, the
satisfaction survey's aggregation and gate, and reading counted provisions. No app, no database.

Messages meant for the reader go through ``gettext``: in a request they come out in the reader's
language, outside one (no app context) in the Chinese of the source.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from flask_babel import gettext as _

from renovation.core.i18n import percent

#: Default target times to close a repair request, in hours (local practice: a setting table seeded
#: with these values and editable by administrators).
DEFAULT_REPAIR_TARGETS: tuple[tuple[str, int], ...] = (
    ("水电", 24), ("燃气", 12), ("下水管道", 48), ("房屋渗漏", 72), ("公共设施", 72), ("绿化保洁", 48), ("其他", 72))

#: Scores of the satisfaction survey: 1 (very dissatisfied) to 5 (very satisfied).
SCORE_MIN, SCORE_MAX = 1, 5
#: A household counts as satisfied when the mean of its three scores is at least this.
SATISFIED_FROM = Fraction(4)


# --- repair requests ------------------------------------------------------------------------------

def due_at(created_at: datetime, target_hours: int) -> datetime:
    """When a request filed at ``created_at`` should be closed: ``target_hours`` later."""
    return created_at + timedelta(hours=target_hours)


def is_overdue(created_at: datetime, target_hours: int, now: datetime, done_at: datetime | None = None) -> bool:
    """True when the request is not closed and its target time has passed (``now`` > due), or when it
    was closed after its due time (closed late)."""
    due = due_at(created_at, target_hours)
    if done_at is not None:
        return done_at > due
    return now > due


def hours_to_close(created_at: datetime, done_at: datetime | None) -> float | None:
    """Time to close in hours (one decimal), None while open."""
    if done_at is None:
        return None
    return round((done_at - created_at).total_seconds() / 3600, 1)


@dataclass(frozen=True)
class RepairStats:
    """Figures of a set of repair requests: counts, how many closed on time, mean hours to close."""

    total: int
    done: int
    overdue_open: int
    on_time: int
    mean_hours: float | None

    @property
    def on_time_rate(self) -> Fraction | None:
        """Closed within target / closed (fraction), None when none closed."""
        return Fraction(self.on_time, self.done) if self.done else None


def repair_stats(rows: list[tuple[datetime, int, datetime | None]], now: datetime) -> RepairStats:
    """Figures of ``rows`` = [(created_at, target_hours, done_at or None)] at ``now``."""
    done = [(c, t, d) for c, t, d in rows if d is not None]
    overdue_open = sum(1 for c, t, d in rows if d is None and is_overdue(c, t, now))
    on_time = sum(1 for c, t, d in done if not is_overdue(c, t, now, d))
    hours = [hours_to_close(c, d) for c, _, d in done]
    mean = round(sum(hours) / len(hours), 1) if hours else None
    return RepairStats(len(rows), len(done), overdue_open, on_time, mean)


# --- satisfaction survey -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ScoreRow:
    """One household's answer, as plain values: its building label and three scores 1-5."""

    building: str
    content: int
    process: int
    management: int


@dataclass
class SatisfactionAggregate:
    """Aggregate of answers: ``responses`` households answered out of ``households``; means (1-5) per
    dimension and overall (mean of the three means); ``satisfied`` households whose own mean >= 4."""

    households: int
    responses: int = 0
    content_sum: int = 0
    process_sum: int = 0
    management_sum: int = 0
    satisfied: int = 0

    def _mean(self, total: int) -> Fraction | None:
        return Fraction(total, self.responses) if self.responses else None

    @property
    def content_mean(self) -> Fraction | None:
        """Mean score for the renovation content (改造内容), 1-5."""
        return self._mean(self.content_sum)

    @property
    def process_mean(self) -> Fraction | None:
        """Mean score for the process (改造过程), 1-5."""
        return self._mean(self.process_sum)

    @property
    def management_mean(self) -> Fraction | None:
        """Mean score for the long-term management (长效管理), 1-5."""
        return self._mean(self.management_sum)

    @property
    def overall_mean(self) -> Fraction | None:
        """Mean of all scores given (each answer weighs three scores), 1-5."""
        if not self.responses:
            return None
        return Fraction(self.content_sum + self.process_sum + self.management_sum, 3 * self.responses)

    @property
    def response_rate(self) -> Fraction | None:
        """Households answered / households on the register (fraction)."""
        return Fraction(self.responses, self.households) if self.households else None

    @property
    def satisfied_rate(self) -> Fraction | None:
        """Satisfied households / households answered (fraction)."""
        return Fraction(self.satisfied, self.responses) if self.responses else None

    def add(self, row: ScoreRow) -> None:
        """Count one answer in."""
        self.responses += 1
        self.content_sum += row.content
        self.process_sum += row.process
        self.management_sum += row.management
        if Fraction(row.content + row.process + row.management, 3) >= SATISFIED_FROM:
            self.satisfied += 1


@dataclass
class SatisfactionResult:
    """``overall`` and ``by_building`` (building label -> aggregate, in the order of ``households_by_building``)."""

    overall: SatisfactionAggregate
    by_building: dict[str, SatisfactionAggregate] = field(default_factory=dict)


def aggregate_satisfaction(rows: list[ScoreRow], households_by_building: dict[str, int]) -> SatisfactionResult:
    """Aggregate answers by building and overall.

    ``households_by_building``: households on the register per building label (its order is kept);
    answers from a building not listed are counted in a row of their own with 0 households.
    Raises ValueError for a score outside 1-5.
    """
    by_building = {b: SatisfactionAggregate(n) for b, n in households_by_building.items()}
    overall = SatisfactionAggregate(sum(households_by_building.values()))
    for row in rows:
        for s in (row.content, row.process, row.management):
            if not SCORE_MIN <= s <= SCORE_MAX:
                raise ValueError(f"score {s} outside {SCORE_MIN}-{SCORE_MAX}")
        by_building.setdefault(row.building, SatisfactionAggregate(0)).add(row)
        overall.add(row)
    return SatisfactionResult(overall, by_building)


@dataclass(frozen=True)
class SatisfactionGate:
    """Whether the survey's gate is met; ``reasons`` (in the reader's language) say why not."""

    passed: bool
    reasons: list[str]


def satisfaction_gate(agg: SatisfactionAggregate, min_mean: Decimal | Fraction,
                      min_response_rate: Decimal | Fraction) -> SatisfactionGate:
    """Check the survey against its gate: overall mean >= ``min_mean`` (1-5) and response rate >=
    ``min_response_rate`` (fraction of households). Local practice, thresholds are settings."""
    reasons = []
    need_mean, need_rate = Fraction(min_mean), Fraction(min_response_rate)
    rate = agg.response_rate
    if rate is None or rate < need_rate:
        got = percent(rate) if rate is not None else "0%"
        reasons.append(_("参评率%(got)s，未达到%(need)s。", got=got, need=percent(need_rate)))
    mean = agg.overall_mean
    if mean is None or mean < need_mean:
        got = f"{float(mean):.2f}" if mean is not None else _("无")
        need = f"{float(need_mean):.2f}"
        reasons.append(_("综合平均分%(got)s，未达到%(need)s分。", got=got, need=need))
    return SatisfactionGate(not reasons, reasons)


def score_text(value: Fraction | None) -> str:
    """'4.33' (two decimals, half up) for a mean score, '' for None."""
    if value is None:
        return ""
    d = Decimal(value.numerator) / Decimal(value.denominator)
    return str(d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# --- facilities ---------------------------------------------------------------------------------------

_PROVISION_LINE = re.compile(r"^\s*(?P<item>[^\d,，]+?)\s*(?P<qty>\d[\d,，]*)\s*(?P<unit>\S{0,4})\s*$")


def parse_provisions(text: str | None) -> list[tuple[str, int, str | None]]:
    """Read counted provisions, one per line: '图书 3000 册' -> ('图书', 3000, '册'); thousands commas allowed.

    Blank lines are skipped. Raises ValueError (a message naming the line, in the reader's language) for a
    line without a thing and a whole number.
    """
    out = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        m = _PROVISION_LINE.match(line)
        if not m:
            raise ValueError(_("第%(n)d行“%(line)s”看不懂，请写成“物品 数量 单位”，例如“图书 3000 册”。",
                               n=n, line=line.strip()))
        qty = int(m["qty"].replace(",", "").replace("，", ""))
        out.append((m["item"].strip()[:64], qty, (m["unit"] or None)))
    return out
