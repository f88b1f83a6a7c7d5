"""Pure plan rules: totals per source, grand total, per household, funding checks, notice period."""

from datetime import date
from decimal import Decimal as D

from renovation.planning import rules


def test_plan_totals_by_hand():
    items = [
        rules.ItemMoney(D("300000.00"), {"central_subsidy": D("200000"), "local_government": D("80000")}),
        rules.ItemMoney(D("100000.00"), {"central_subsidy": D("50000"), "residents": D("12000")}),
        rules.ItemMoney(None, {}),  # an item not costed yet counts for nothing
    ]
    t = rules.plan_totals(items, households=12)
    # central 200,000 + 50,000 = 250,000; local 80,000; residents 12,000
    assert t.by_source == {"central_subsidy": D("250000.00"), "local_government": D("80000.00"),
                           "residents": D("12000.00")}
    assert t.funded_total == D("342000.00")      # 250,000 + 80,000 + 12,000
    assert t.budget_total == D("400000.00")      # 300,000 + 100,000
    assert t.unfunded == D("58000.00")           # 400,000 - 342,000
    assert t.per_household_budget == D("33333.33")  # 400,000 / 12 = 33,333.333...
    assert t.per_household_funded == D("28500.00")  # 342,000 / 12


def test_per_household_rounds_half_up_and_handles_no_households():
    assert rules.per_household(D("100.00"), 8) == D("12.50")   # exactly 12.5
    assert rules.per_household(D("0.05"), 2) == D("0.03")      # 0.025 -> 0.03 (half up)
    assert rules.per_household(D("100"), 0) is None


def test_overfunded_plan_has_no_negative_gap():
    t = rules.plan_totals([rules.ItemMoney(D("10"), {"residents": D("10")})], 1)
    assert t.unfunded == D("0.00") and t.per_household_funded == D("10.00")


def test_funding_errors():
    assert rules.funding_errors(D("100"), {"a": D("60"), "b": D("40")}) == []   # 60 + 40 = 100: fits exactly
    assert rules.funding_errors(D("100"), {"a": D("60"), "b": D("40.01")}) == [
        "各资金来源合计 ¥100.01 超过了预算 ¥100.00。"]
    assert rules.funding_errors(D("100"), {"a": D("-1")}, {"a": "居民出资"}) == ["居民出资的金额不能为负数。"]
    assert rules.funding_errors(None, {"a": D("5")}) == ["填写资金来源前请先填写预算。"]
    assert rules.funding_errors(None, {"a": None}) == []


def test_budget_from_quantity():
    assert rules.budget_from_quantity(D("1200"), D("250")) == D("300000.00")  # 1,200 m x 250 yuan
    assert rules.budget_from_quantity(D("3.333"), D("3")) == D("10.00")       # 9.999 -> 10.00
    assert rules.budget_from_quantity(None, D("3")) is None


def test_notice_period():
    assert rules.notice_last_day(date(2024, 3, 1), 7) == date(2024, 3, 7)   # 1st..7th = 7 days
    assert rules.is_notice_open(date(2024, 3, 1), 7, date(2024, 3, 7))
    assert not rules.is_notice_open(date(2024, 3, 1), 7, date(2024, 3, 8))
    assert not rules.is_notice_open(date(2024, 3, 1), 7, date(2024, 2, 29))
    assert not rules.is_notice_open(None, 7, date(2024, 3, 1))
