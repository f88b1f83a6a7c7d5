"""Pure rules of the wish survey (意愿征集): consent figures, ranked wish list, per-building breakdown,
households not reached.

No app, no database: plain values in, plain values out. The gate share (default 2/3 of households,
some cities 4/5) is local practice and comes in as a setting (GATE_WISH_CONSENT_RATE).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


@dataclass(frozen=True)
class ConsentFigures:
    """Consent figures of one survey over the households on the register.

    households / area: all active households and their total exclusive floor area (m²);
    answered: households with an answer; consenting / consenting_area: households (and m²) answering
    "agree"; threshold: the gate share of households; rate_households / rate_area: Fractions 0..1
    (None when there is nothing to divide by); meets_gate: rate_households >= threshold.
    """

    households: int
    area: Decimal
    answered: int
    consenting: int
    consenting_area: Decimal
    threshold: Fraction
    rate_households: Fraction | None
    rate_area: Fraction | None
    meets_gate: bool

    @property
    def not_reached(self) -> int:
        """Households that have not answered yet."""
        return self.households - self.answered


def consent_figures(households: Mapping[int, Decimal], answers: Mapping[int, bool],
                    threshold: Fraction) -> ConsentFigures:
    """Consent rate by households and by floor area against ``threshold`` (a share of households).

    ``households`` maps household id -> exclusive floor area (m²) of the active register;
    ``answers`` maps household id -> consent (True = agrees). Answers of households not on the
    register (moved out) are ignored. Rates are exact Fractions; the gate compares the household rate
    with ``threshold`` inclusively (2/3 consenting meets a 2/3 gate).
    """
    total = len(households)
    area = sum((Decimal(a) for a in households.values()), Decimal("0"))
    answered = [hid for hid in answers if hid in households]
    consenting = [hid for hid in answered if answers[hid]]
    consenting_area = sum((Decimal(households[h]) for h in consenting), Decimal("0"))
    rate_h = Fraction(len(consenting), total) if total else None
    rate_a = Fraction(consenting_area) / Fraction(area) if area else None
    return ConsentFigures(
        households=total, area=area, answered=len(answered), consenting=len(consenting),
        consenting_area=consenting_area, threshold=Fraction(threshold), rate_households=rate_h,
        rate_area=rate_a, meets_gate=rate_h is not None and rate_h >= threshold,
    )


@dataclass(frozen=True)
class RankedWish:
    """One catalogue item of the ranked wish list: id, name and how many households want it."""

    item_id: int
    name: str
    count: int


def ranked_wishes(items: Sequence[tuple[int, str]], wanted: Iterable[Iterable[int]]) -> list[RankedWish]:
    """The wish list ranked by how many households want each item (most wanted first).

    ``items``: (catalogue item id, name) in catalogue order (ties keep this order); ``wanted``: for each
    answering household, the ids of the items it ticked. Ids not in ``items`` are ignored; an item
    nobody wants is listed with count 0.
    """
    counts = {item_id: 0 for item_id, _ in items}
    for ids in wanted:
        for item_id in set(ids):
            if item_id in counts:
                counts[item_id] += 1
    order = {item_id: i for i, (item_id, _) in enumerate(items)}
    ranked = sorted(items, key=lambda it: (-counts[it[0]], order[it[0]]))
    return [RankedWish(item_id=i, name=n, count=counts[i]) for i, n in ranked]


def not_reached(households: Sequence[int], answered: Iterable[int], limit: int = 20) -> tuple[int, list[int]]:
    """Households not yet reached: (how many, the first ``limit`` ids in register order)."""
    done = set(answered)
    missing = [h for h in households if h not in done]
    return len(missing), missing[:limit]


@dataclass(frozen=True)
class BuildingConsent:
    """One building's line of the breakdown: households on the register, answered, consenting, and the
    consenting share of its households (Fraction 0..1, None for an empty building)."""

    building: str
    households: int
    answered: int
    consenting: int

    @property
    def rate(self) -> Fraction | None:
        """Consenting households / households of the building."""
        return Fraction(self.consenting, self.households) if self.households else None


def per_building(households: Sequence[tuple[int, str]], answers: Mapping[int, bool]) -> list[BuildingConsent]:
    """Consent per building, buildings in the order they first appear in ``households``.

    ``households``: (household id, building label) of the active register, in register order;
    ``answers``: household id -> consent. Shows the squad where to knock on doors next.
    """
    order: list[str] = []
    counts: dict[str, list[int]] = {}
    for hid, building in households:
        if building not in counts:
            order.append(building)
            counts[building] = [0, 0, 0]
        c = counts[building]
        c[0] += 1
        if hid in answers:
            c[1] += 1
            c[2] += 1 if answers[hid] else 0
    return [BuildingConsent(b, *counts[b]) for b in order]
