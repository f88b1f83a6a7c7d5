"""The dashboard's figures against the hand-computed jurisdiction of conftest.py (leader of 桐柏路街道)."""

from decimal import Decimal
from fractions import Fraction

import pytest

from renovation.dashboard import services
from renovation.dashboard.rules import Status
from renovation.planning.models import FundingKind
from renovation.projects.rules import Stage
from tests.dashboard.conftest import TODAY


@pytest.fixture
def board(jurisdiction):
    return services.dashboard(jurisdiction["leader_a"], TODAY)


def test_compounds_households_and_funnel(board):
    # 测试A, 长青, 东风, 银杏, 枫林, 白杨 (测试B小区 is in 建设路街道)
    assert board.node == "桐柏路街道"
    assert board.compounds == 6
    assert sorted(r.compound_name for r in board.rows) == sorted(
        ["测试A小区", "长青小区", "东风小区", "银杏小区", "枫林小区", "白杨小区"])
    # 12 + 10 + 4 + 3 + 2 + 4 households; area 1,000 + 10x80 + 4x80 + 3x80 + 2x80 + 4x80 m²
    assert board.households == 35
    assert board.area == Decimal("2840.00")
    # now: wish 1 (白杨), consultation 2 (A, 枫林), planning 1 (银杏), construction 1 (长青), aftercare 1 (东风)
    assert [(s.stage, s.current, s.reached) for s in board.funnel] == [
        (Stage.WISH_SOLICITATION, 1, 6), (Stage.CONSULTATION, 2, 5), (Stage.PLANNING, 1, 3),
        (Stage.CONSTRUCTION, 1, 2), (Stage.AFTERCARE, 1, 1)]


def test_consent_and_vote_pass_rates(board):
    # surveyed: A 9 of 12, 长青 10 of 10, 东风 3 of 4, 枫林 2 of 2 -> 24 of 28 households
    assert (board.consenting, board.surveyed_households) == (24, 28)
    assert board.consent_rate == Fraction(24, 28)
    # closed ballots: A 2 items (1 adopted), 枫林 1 item (rejected) -> 1 of 3
    assert (board.adopted, board.decided) == (1, 3)
    assert board.pass_rate == Fraction(1, 3)


def test_investment_by_funding_source(board):
    # adopted budgets: A 300,000 + 长青 300,000 + 东风 50,000 + 银杏 80,000 (枫林's lift was rejected)
    assert board.budget == Decimal("730000")
    # spent = budget x progress: 长青 200,000x50% + 100,000x30% = 130,000; 东风 50,000x100%; others 0
    assert board.spent == Decimal("180000.00")
    lines = {f.kind: (f.planned, f.spent) for f in board.funding}
    # central: 长青 150,000 (x50% = 75,000) + 东风 50,000 (x100%) ; local: 50,000x50% + 80,000x30% = 49,000;
    # residents 20,000x30% = 6,000; without a source: 730,000 - 350,000 = 380,000, nothing spent (A, 银杏 at 0%)
    assert lines == {
        FundingKind.CENTRAL_SUBSIDY: (Decimal("200000"), Decimal("125000.00")),
        FundingKind.LOCAL_GOVERNMENT: (Decimal("130000"), Decimal("49000.00")),
        FundingKind.RESIDENTS: (Decimal("20000"), Decimal("6000.00")),
        None: (Decimal("380000"), Decimal("0.00")),
    }


def test_overall_progress(board):
    # budget-weighted: A 300,000 at 0%; 长青 300,000 at (200,000x50 + 100,000x30)/300,000 = 43.33%;
    # 东风 50,000 at 100%; 银杏 80,000 at 0% -> (13,000,000 + 5,000,000) / 730,000 = 24.66%
    assert board.progress == pytest.approx(18_000_000 / 730_000)
    row = next(r for r in board.rows if r.compound_name == "长青小区")
    assert row.progress == pytest.approx(130 / 3)


def test_red_amber_green_with_reasons(board):
    got = {r.compound_name: (r.verdict.status, r.verdict.reasons) for r in board.rows}
    # 长青 planned on 10-21: 外立面 50/90 days = 55.56%, 道路 50/60 = 83.33%, weighted
    # (200,000x55.56 + 100,000x83.33)/300,000 = 64.81%; actual 43.33% -> 21.5 points behind (10 < gap <= 25)
    assert got["长青小区"] == (Status.AMBER, ("进度滞后计划21个百分点", "1个问题逾期未整改"))
    assert got["东风小区"] == (Status.RED, ("3个问题逾期未整改",))
    # 银杏 planned to end 2020-10-01, still planning on 10-21: 20 days late
    assert got["银杏小区"] == (Status.RED, ("已超过计划完工日期20天",))
    assert got["枫林小区"] == (Status.AMBER, ("表决未通过（1次）",))
    assert got["测试A小区"] == (Status.GREEN, ())
    assert got["白杨小区"] == (Status.GREEN, ())
    row = next(r for r in board.rows if r.compound_name == "长青小区")
    assert row.planned == pytest.approx((200_000 * 50 / 90 * 100 + 100_000 * 50 / 60 * 100) / 300_000)
    assert [len(board.by_status[s]) for s in (Status.RED, Status.AMBER, Status.GREEN)] == [2, 2, 2]


def test_ten_oldest_open_problems(board):
    # not verified, oldest first: 东风 09-10, 09-11, 09-12, 长青 09-20, 10-01 (长青's verified one left out)
    assert [p.title for p in board.oldest_problems] == ["草坪枯死", "座椅损坏", "排水不畅", "井盖松动", "路灯不亮"]
    first = board.oldest_problems[0]
    assert (first.compound_name, first.age_days, first.overdue) == ("东风小区", 41, True)  # 09-10 -> 10-21
    assert board.oldest_problems[-1].overdue is False  # no deadline


def test_breakdown_by_community_for_a_subdistrict_leader(jurisdiction):
    # one community only under 桐柏路街道 -> no breakdown; the district's administrator sees two subdistricts
    assert services.dashboard(jurisdiction["leader_a"], TODAY).breakdown == []
    rows = services.dashboard(jurisdiction["admin"], TODAY).breakdown
    assert [(b["name"], b["compounds"], b["households"], b["red"], b["amber"]) for b in rows] == [
        ("建设路街道", 1, 2, 0, 0), ("桐柏路街道", 6, 35, 2, 2)]  # pinyin: jian < tong


def test_squad_member_sees_assigned_projects_only(jurisdiction):
    board = services.dashboard(jurisdiction["squad_a"], TODAY)
    assert [r.compound_name for r in board.rows] == ["测试A小区"]
    assert board.households == 12 and board.budget == Decimal("300000")


def test_answers_of_moved_out_households_do_not_count(jurisdiction):
    from renovation.extensions import db
    from renovation.org.models import HouseholdStatus

    # A's first household answered "agree" and moves out: A has 11 households, 8 consenting
    jurisdiction["households_a"][0].status = HouseholdStatus.MOVED_OUT
    db.session.commit()
    board = services.dashboard(jurisdiction["leader_a"], TODAY)
    a = next(r for r in board.rows if r.compound_name == "测试A小区")
    assert (a.households, a.answered, a.consenting) == (11, 9, 8)
    assert (board.consenting, board.surveyed_households) == (23, 27)
