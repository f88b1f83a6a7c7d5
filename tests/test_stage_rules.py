"""The stage machine's gates, as pure rules (no app, no DB): each gate refusing and allowing."""

from datetime import date
from fractions import Fraction

import pytest

from renovation.projects.rules import (
    GateFacts,
    GateSettings,
    Stage,
    check_plan_approval,
    check_transition,
    next_stage,
)

TODAY = date(2026, 11, 29)
DEFAULT = GateSettings()  # 2/3 consent


def test_order_and_next():
    assert [next_stage(s) for s in Stage] == [
        Stage.CONSULTATION, Stage.PLANNING, Stage.CONSTRUCTION, Stage.AFTERCARE, None]


@pytest.mark.parametrize("target", [Stage.PLANNING, Stage.CONSTRUCTION, Stage.AFTERCARE, Stage.WISH_SOLICITATION])
def test_only_the_next_stage(target):
    res = check_transition(Stage.WISH_SOLICITATION, target, GateFacts(households=3, consenting=3), DEFAULT, TODAY)
    assert not res.allowed
    assert "只能进入下一阶段" in res.reasons[0] or "已处于" in res.reasons[0]


def test_no_going_back():
    res = check_transition(Stage.PLANNING, Stage.CONSULTATION, GateFacts(), DEFAULT, TODAY)
    assert not res.allowed


# 2/3 of 1,128 households is 752: 752 consenting passes, 751 does not.
@pytest.mark.parametrize("consenting,allowed", [(752, True), (751, False), (1128, True), (0, False)])
def test_wish_consent_gate_at_two_thirds(consenting, allowed):
    facts = GateFacts(households=1128, consenting=consenting)
    res = check_transition(Stage.WISH_SOLICITATION, Stage.CONSULTATION, facts, DEFAULT, TODAY)
    assert res.allowed is allowed
    if not allowed:
        assert f"{consenting}/1128" in res.reasons[0] and "66.7%" in res.reasons[0]


def test_wish_consent_gate_is_a_setting():
    # A city asking 80%: 800 of 1,000 passes, 799 does not.
    strict = GateSettings(wish_consent_rate=Fraction(4, 5))
    ok = check_transition(Stage.WISH_SOLICITATION, Stage.CONSULTATION, GateFacts(1000, 800), strict, TODAY)
    ko = check_transition(Stage.WISH_SOLICITATION, Stage.CONSULTATION, GateFacts(1000, 799), strict, TODAY)
    assert ok.allowed and not ko.allowed and "80.0%" in ko.reasons[0]


def test_empty_register_refused():
    res = check_transition(Stage.WISH_SOLICITATION, Stage.CONSULTATION, GateFacts(0, 0), DEFAULT, TODAY)
    assert not res.allowed and "名册为空" in res.reasons[0]


def test_consultation_needs_an_adopted_item():
    assert not check_transition(Stage.CONSULTATION, Stage.PLANNING, GateFacts(adopted_items=0), DEFAULT, TODAY).allowed
    assert check_transition(Stage.CONSULTATION, Stage.PLANNING, GateFacts(adopted_items=1), DEFAULT, TODAY).allowed


def test_planning_needs_approved_plan():
    assert not check_transition(Stage.PLANNING, Stage.CONSTRUCTION, GateFacts(), DEFAULT, TODAY).allowed
    assert check_transition(Stage.PLANNING, Stage.CONSTRUCTION, GateFacts(plan_approved=True), DEFAULT, TODAY).allowed


def test_construction_needs_passed_acceptance():
    res = check_transition(Stage.CONSTRUCTION, Stage.AFTERCARE, GateFacts(), DEFAULT, TODAY)
    assert not res.allowed and "竣工验收" in res.reasons[0]
    assert check_transition(Stage.CONSTRUCTION, Stage.AFTERCARE, GateFacts(acceptance_passed=True), DEFAULT,
                            TODAY).allowed


def test_aftercare_is_last():
    assert not check_transition(Stage.AFTERCARE, Stage.AFTERCARE, GateFacts(), DEFAULT, TODAY).allowed


# Notice of 7 days from 2026-11-20 ends on 2026-11-26 (20..26 inclusive): approval from 2026-11-27.
@pytest.mark.parametrize("today,objections,allowed", [
    (date(2026, 11, 26), 0, False),
    (date(2026, 11, 27), 0, True),
    (date(2026, 11, 27), 1, False),
])
def test_plan_approval_after_notice_and_answers(today, objections, allowed):
    facts = GateFacts(plan_notice_ends=date(2026, 11, 26), open_objections=objections)
    assert check_plan_approval(facts, today).allowed is allowed


def test_plan_approval_needs_a_notice():
    res = check_plan_approval(GateFacts(), TODAY)
    assert not res.allowed and "尚未公示" in res.reasons[0]
