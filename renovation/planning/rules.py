"""Pure rules of the plan (方案制订): budget and funding totals, per-household figures, the notice period.

Plain functions over plain values (Decimal yuan, dates, ints): no app, no database.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _

from renovation.core.i18n import yuan

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_cents(value: Decimal) -> Decimal:
    """``value`` (yuan) rounded half-up to the fen (0.01 yuan), the way budgets are written."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ItemMoney:
    """The money of one adopted item: its budget (yuan, None if not set) and amounts per funding source.

    ``funding`` maps a source key (e.g. 'central_subsidy') to an amount in yuan.
    """

    budget: Decimal | None
    funding: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class PlanTotals:
    """Totals of a plan, all in yuan.

    by_source: total per funding source key (only sources with money, in the order first met);
    funded_total: the grand total of all sources; budget_total: sum of item budgets;
    unfunded: budget_total - funded_total (never below 0); households: active households of the
    compound; per_household_budget / per_household_funded: the totals divided by households,
    rounded to the fen, None when there are no households.
    """

    by_source: dict[str, Decimal]
    funded_total: Decimal
    budget_total: Decimal
    unfunded: Decimal
    households: int
    per_household_budget: Decimal | None
    per_household_funded: Decimal | None


def per_household(total: Decimal, households: int) -> Decimal | None:
    """``total`` yuan divided by ``households``, rounded half-up to the fen; None when households <= 0."""
    if households <= 0:
        return None
    return to_cents(Decimal(total) / households)


def plan_totals(items: Iterable[ItemMoney], households: int) -> PlanTotals:
    """Totals per source, grand total, budget total and per-household figures (yuan) of ``items``."""
    by_source: dict[str, Decimal] = {}
    budget_total = ZERO
    for item in items:
        if item.budget is not None:
            budget_total += Decimal(item.budget)
        for key, amount in item.funding.items():
            if amount:
                by_source[key] = by_source.get(key, ZERO) + Decimal(amount)
    funded_total = sum(by_source.values(), ZERO)
    return PlanTotals(
        by_source={k: to_cents(v) for k, v in by_source.items()},
        funded_total=to_cents(funded_total),
        budget_total=to_cents(budget_total),
        unfunded=to_cents(max(budget_total - funded_total, ZERO)),
        households=households,
        per_household_budget=per_household(budget_total, households),
        per_household_funded=per_household(funded_total, households),
    )


def budget_from_quantity(quantity: Decimal | None, unit_price: Decimal | None) -> Decimal | None:
    """quantity x unit price (yuan), rounded to the fen; None if either is missing."""
    if quantity is None or unit_price is None:
        return None
    return to_cents(Decimal(quantity) * Decimal(unit_price))


def funding_errors(budget: Decimal | None, amounts: Mapping[str, Decimal | None],
                   labels: Mapping[str, str] | None = None) -> list[str]:
    """Reasons (in the reader's language; Chinese outside a request) why ``amounts`` (yuan per source key) do not fit ``budget`` (yuan); [] when they do.

    Rules: every amount and the budget are >= 0; the sum of the sources may not exceed the budget
    (money is raised for the budget, not beyond it); with money from sources the budget must be set.
    """
    labels = labels or {}
    errors = []
    if budget is not None and budget < 0:
        errors.append(_("预算不能为负数。"))
    for key, amount in amounts.items():
        if amount is not None and amount < 0:
            errors.append(_("%(source)s的金额不能为负数。", source=labels.get(key, key)))
    total = sum((Decimal(a) for a in amounts.values() if a), ZERO)
    if total > 0 and budget is None:
        errors.append(_("填写资金来源前请先填写预算。"))
    elif budget is not None and total > budget:
        errors.append(_("各资金来源合计 %(total)s 超过了预算 %(budget)s。", total=yuan(total), budget=yuan(budget)))
    return errors


def notice_last_day(starts_on: date, days: int) -> date:
    """Last day of a public notice (方案公示) of ``days`` days starting ``starts_on`` (that day counts).

    E.g. 7 days from 2024-03-01 end on 2024-03-07; approval is possible from 2024-03-08.
    """
    return starts_on + timedelta(days=days - 1)


def is_notice_open(starts_on: date | None, days: int, today: date) -> bool:
    """True while ``today`` lies within the notice period (objections from residents are accepted)."""
    return starts_on is not None and starts_on <= today <= notice_last_day(starts_on, days)
