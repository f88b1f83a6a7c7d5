"""Pure tests of the wish survey figures (no app, no database)."""

from decimal import Decimal
from fractions import Fraction

from renovation.wishes import rules

# compound A of the test world: 12 households, the first 120 m², the others 80 m² -> 1,000 m²
HOUSEHOLDS = {1: Decimal("120.00"), **{i: Decimal("80.00") for i in range(2, 13)}}


def test_consent_by_households_and_area():
    # 1 (120 m²) yes, 2 no, 3-8 yes (6 x 80 = 480 m²): 7 consenting of 12, 600 of 1,000 m²
    answers = {1: True, 2: False, **{i: True for i in range(3, 9)}}
    f = rules.consent_figures(HOUSEHOLDS, answers, Fraction(2, 3))
    assert (f.households, f.answered, f.consenting, f.not_reached) == (12, 8, 7, 4)
    assert f.area == Decimal("1000.00") and f.consenting_area == Decimal("600.00")
    assert f.rate_households == Fraction(7, 12) and f.rate_area == Fraction(3, 5)
    assert not f.meets_gate  # 58.3% < 66.7%


def test_gate_met_at_exactly_two_thirds_and_moved_out_answers_ignored():
    # 1-8 yes: 8/12 = 2/3 exactly meets a 2/3 gate; household 99 is not on the register
    f = rules.consent_figures(HOUSEHOLDS, {**{i: True for i in range(1, 9)}, 99: True}, Fraction(2, 3))
    assert f.consenting == 8 and f.rate_households == Fraction(2, 3) and f.meets_gate
    assert f.consenting_area == Decimal("680.00")  # 120 + 7 x 80
    assert not rules.consent_figures(HOUSEHOLDS, {i: True for i in range(1, 9)}, Fraction(4, 5)).meets_gate


def test_empty_register():
    f = rules.consent_figures({}, {}, Fraction(2, 3))
    assert f.rate_households is None and f.rate_area is None and not f.meets_gate


def test_ranked_wishes_most_wanted_first_ties_in_catalogue_order():
    items = [(10, "天然气入户"), (11, "道路改造"), (12, "加装电梯"), (13, "绿化")]
    ranked = rules.ranked_wishes(items, [[11, 10], [11], [11, 13, 13], [13], [99]])
    # road 3, green 2 (duplicate tick counted once), gas 1, lift 0; unknown id 99 ignored
    assert [(w.name, w.count) for w in ranked] == [("道路改造", 3), ("绿化", 2), ("天然气入户", 1), ("加装电梯", 0)]


def test_not_reached_in_register_order():
    assert rules.not_reached([5, 3, 9, 1], [3], limit=2) == (3, [5, 9])


def test_per_building_breakdown():
    # building A: households 1, 2, 3 (1 agrees, 2 refuses, 3 silent); building B: 4 agrees, 5 silent
    rows = rules.per_building([(1, "1号楼"), (2, "1号楼"), (3, "1号楼"), (4, "2号楼"), (5, "2号楼")],
                              {1: True, 2: False, 4: True, 99: True})
    assert [(b.building, b.households, b.answered, b.consenting) for b in rows] == [
        ("1号楼", 3, 2, 1), ("2号楼", 2, 1, 1)]
    assert rows[0].rate == Fraction(1, 3) and rows[1].rate == Fraction(1, 2)
