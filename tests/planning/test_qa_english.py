"""QA fixes of the plan page: the funding summary is a list whose amounts cannot run past the card, and
counts read naturally in English ('7-day notice', '12 households', '1 household')."""

import re

import pytest

from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.org.models import Household, HouseholdStatus
from renovation.planning import services
from renovation.projects.models import ProjectItemStatus
from renovation.projects.rules import Stage


@pytest.fixture
def planned(world):
    """Project A in planning with a plan; budgets 300,000 (set here) and 100,000 (the factory's)."""
    project = world["project_a"]
    project.stage = Stage.PLANNING
    for item in world["items_a"]:
        item.status = ProjectItemStatus.ADOPTED
    plan = services.create_plan(project, world["squad_a"], "方案")
    item = world["items_a"][0]
    item.budget = 300000
    db.session.commit()
    return world, plan


def test_funding_summary_is_a_list_of_label_and_amount(client, planned, login):
    world, _plan = planned
    login("squad_a")
    client.set_cookie("lang", "en")
    html = client.get(f"/planning/projects/{world['project_a'].id}").get_data(as_text=True)
    summary = html.split('<dl class="amount-list mb-0">', 1)[1].split("</dl>", 1)[0]
    assert "<table" not in summary
    assert '<div><dt>Total budget</dt><dd id="budget-total">CN¥400,000.00</dd></div>' in summary
    assert "<dt>Investment per household (12 households)</dt>" in summary
    assert '<dd id="per-household">CN¥33,333.33</dd>' in summary  # (300,000 + 100,000) / 12


def test_one_household_is_singular(client, planned, login):
    world, _plan = planned
    households = db.session.query(Household).filter_by(compound_id=world["compound_a"].id).order_by(Household.id)
    for h in households.all()[1:]:
        h.status = HouseholdStatus.MOVED_OUT
    db.session.commit()
    login("squad_a")
    client.set_cookie("lang", "en")
    html = client.get(f"/planning/projects/{world['project_a'].id}").get_data(as_text=True)
    assert "<dt>Investment per household (1 household)</dt>" in html
    client.delete_cookie("lang")
    html = client.get(f"/planning/projects/{world['project_a'].id}").get_data(as_text=True)
    assert "<dt>户均投资（1 户）</dt>" in html


def test_notice_period_in_natural_english(client, planned, login):
    world, plan = planned
    plan.notice_starts_on, plan.notice_days = local_today(), 7
    db.session.commit()
    login("squad_a")
    client.set_cookie("lang", "en")
    html = client.get(f"/planning/projects/{world['project_a'].id}").get_data(as_text=True)
    assert re.search(r"Notice period: \w+ \d+, \d{4} to \w+ \d+, \d{4} \(7-day notice\)", html)
    assert "(days:" not in html
    client.delete_cookie("lang")
    html = client.get(f"/planning/projects/{world['project_a'].id}").get_data(as_text=True)
    assert re.search(r"公示期：\d+年\d+月\d+日 至 \d+年\d+月\d+日（7 天）", html)
