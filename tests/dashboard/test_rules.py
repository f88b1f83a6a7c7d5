"""Pure rules of the dashboard: status verdicts at their edges, funnel, weights, pinyin keys, pages, charts."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

from renovation.dashboard import charts
from renovation.dashboard.rules import (
    CompoundFacts,
    ItemFacts,
    Status,
    estimated_spent,
    page_window,
    pinyin_key,
    planned_progress,
    progress_from_sums,
    stage_funnel,
    verdict,
    weighted,
)
from renovation.projects.rules import Stage

D = date(2020, 10, 21)


def test_schedule_gap_edges():
    # gap = planned - actual: 10 points still green, 10.5 amber, 25 amber, 25.5 red (construction only)
    assert verdict(CompoundFacts(Stage.CONSTRUCTION, progress=50, planned=60), D).status is Status.GREEN
    assert verdict(CompoundFacts(Stage.CONSTRUCTION, progress=50, planned=60.5), D).status is Status.AMBER
    assert verdict(CompoundFacts(Stage.CONSTRUCTION, progress=50, planned=75), D).status is Status.AMBER
    assert verdict(CompoundFacts(Stage.CONSTRUCTION, progress=50, planned=75.5), D).reasons == ("进度滞后计划26个百分点",)
    assert verdict(CompoundFacts(Stage.PLANNING, progress=0, planned=90), D).status is Status.GREEN


def test_other_reasons():
    assert verdict(CompoundFacts(Stage.CONSTRUCTION, target_end_on=date(2020, 10, 20)), D).reasons == ("已超过计划完工日期1天",)
    assert verdict(CompoundFacts(Stage.AFTERCARE, target_end_on=date(2020, 1, 1)), D).status is Status.GREEN
    assert verdict(CompoundFacts(Stage.CONSTRUCTION, overdue_problems=2), D).status is Status.AMBER
    assert verdict(CompoundFacts(Stage.CONSTRUCTION, overdue_problems=3), D).status is Status.RED
    assert verdict(CompoundFacts(Stage.CONSULTATION, closed_ballots=2, closed_ballots_adopting=0), D).reasons == (
        "表决未通过（2次）",)
    assert verdict(CompoundFacts(Stage.CONSULTATION, closed_ballots=2, closed_ballots_adopting=1), D).status is Status.GREEN
    assert verdict(CompoundFacts(Stage.AFTERCARE, satisfaction=Fraction(79, 100)), D).status is Status.AMBER
    assert verdict(CompoundFacts(Stage.AFTERCARE, satisfaction=Fraction(59, 100)), D).status is Status.RED
    assert verdict(CompoundFacts(Stage.AFTERCARE, satisfaction=Fraction(80, 100)), D).status is Status.GREEN
    # red reasons first, then amber ones
    v = verdict(CompoundFacts(Stage.CONSTRUCTION, overdue_problems=1, target_end_on=date(2020, 10, 1)), D)
    assert v.status is Status.RED and v.reasons == ("已超过计划完工日期20天", "1个问题逾期未整改")


def test_funnel_and_weights():
    steps = stage_funnel([Stage.CONSTRUCTION, Stage.WISH_SOLICITATION, Stage.CONSTRUCTION])
    assert [(s.current, s.reached) for s in steps] == [(1, 3), (0, 2), (0, 2), (2, 2), (0, 0)]
    assert weighted([(Decimal("300"), 10.0), (Decimal("100"), 50.0)]) == 20.0  # (3000 + 5000) / 400
    assert weighted([(None, 10.0), (Decimal("0"), 50.0)]) == 30.0  # no budget: equal weights
    assert weighted([]) is None
    assert progress_from_sums(2, Decimal("400"), Decimal("8000"), 60) == 20.0
    assert progress_from_sums(2, None, None, 60) == 30.0
    # 09-01..11-30 on 10-21: 50 of 90 days; unscheduled items do not count
    assert planned_progress([ItemFacts(Decimal("1"), 0, date(2020, 9, 1), date(2020, 11, 30)),
                             ItemFacts(Decimal("1"), 0, None, None)], D) == 50 / 90 * 100
    assert estimated_spent(Decimal("100000"), 43.333) == Decimal("43333.00")


def test_pinyin_order_not_code_order():
    names = ["嵩岳小区", "电缆厂家属院", "绿东村小区", "棉纺西路12号院", "西站路6号院", "西站路12号院"]
    assert sorted(names, key=pinyin_key) == ["电缆厂家属院", "绿东村小区", "棉纺西路12号院", "嵩岳小区",
                                            "西站路6号院", "西站路12号院"]
    assert sorted(names)[0] == "嵩岳小区"  # by code point 嵩 (U+5D69) would lead


def test_page_window():
    w = page_window(46, 3, 20)
    assert (w.number, w.pages, w.start, w.stop) == (3, 3, 40, 46)
    assert page_window(46, 9, 20).number == 3
    assert page_window(0, 1, 20).pages == 1


def test_charts_are_escaped_svg():
    svg = str(charts.funnel(stage_funnel([Stage.PLANNING])))
    assert svg.startswith("<svg") and 'role="img"' in svg and "方案制订" in svg and "<script" not in svg

    class Row:
        compound_name = "<b>小区</b>"
        progress = 40.0
        planned = 60.0
        verdict = verdict(CompoundFacts(Stage.CONSTRUCTION, progress=40, planned=60), D)

    svg = str(charts.progress([Row()]))
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    assert "25个小区的进度分布" in str(charts.progress([Row()] * 25))
