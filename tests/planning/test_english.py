"""The plan pages in English (cookie lang=en) and unchanged in Chinese without it: headings, totals,
funding labels, form errors, refusals from the services; the plan's own title and the item names are data.

World (tests/factories.py): project A (测试A小区, 12 households) with items 天然气入户 and 道路改造.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from renovation.core.i18n import untranslated
from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.planning import services
from renovation.planning.models import Plan
from renovation.projects.models import ProjectItemStatus
from renovation.projects.rules import Stage
from tests.factories import csrf_from


@pytest.fixture
def planning(world):
    """Project A in the planning stage with both items adopted."""
    world["project_a"].stage = Stage.PLANNING
    for item in world["items_a"]:
        item.status = ProjectItemStatus.ADOPTED
    db.session.commit()
    return world


def _page(client, project):
    return client.get(f"/planning/projects/{project.id}").get_data(as_text=True)


def _edit(client, project, item, **data):
    url = f"/planning/projects/{project.id}/items/{item.id}"
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, "contractor_id": "0", **data})


def test_plan_page_in_english_and_in_chinese(client, planning, login):
    project = planning["project_a"]
    login("squad_a")
    client.set_cookie("lang", "en")
    html = _page(client, project)
    assert "No renovation plan has been drafted for this project yet." in html
    assert ">Create plan</button>" in html and "Plan title" in html
    assert 'value="测试A小区改造方案"' in html  # the suggested title becomes the stored (Chinese) title
    resp = client.post(f"/planning/projects/{project.id}/plan",
                       data={"csrf_token": csrf_from(html), "title": "测试A小区改造方案"}, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "Renovation plan created. Now enter the quantity, budget and funding sources of each item." in html
    assert '<span class="badge text-bg-secondary">Drafting</span>' in html
    gas = planning["items_a"][0]
    assert _edit(client, project, gas, budget="300000", fund_central_subsidy="200000",
                 fund_residents="12000").status_code == 302
    html = _page(client, project)
    assert "<div>Central subsidy: CN¥200,000.00</div>" in html
    assert ">Funding summary</h3>" in html and "<dt>Total budget</dt>" in html
    assert "<dt>Investment per household (12 households)</dt>" in html
    assert '<dd id="per-household">CN¥33,333.33</dd>' in html  # 400,000 / 12
    main = html.split("<main", 1)[1]
    assert "改造方案" not in main.replace("测试A小区改造方案", "")
    client.delete_cookie("lang")
    html = _page(client, project)
    assert "<div>中央补助资金：¥200,000.00</div>" in html and "户均投资（12 户）" in html
    assert '<span class="badge text-bg-secondary">编制中</span>' in html


def test_item_form_errors_and_funding_refusal_in_english(client, planning, login):
    project, gas = planning["project_a"], planning["items_a"][0]
    services.create_plan(project, planning["squad_a"], "方案")
    db.session.commit()
    login("squad_a")
    client.set_cookie("lang", "en")
    resp = _edit(client, project, gas, budget="1000", fund_central_subsidy="800", fund_residents="300")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "The funding sources total CN¥1,100.00, more than the budget of CN¥1,000.00." in html
    assert "Housing provident fund" in html and "(not decided)" in html
    resp = _edit(client, project, gas, budget="-5", planned_start="2026-03-02", planned_end="2026-03-01")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400  # an end before the start is a form error, not a server error
    assert "The amount must be 0 or a positive number (yuan)." in html
    assert "The planned completion date cannot be before the planned start date." in html
    client.delete_cookie("lang")
    resp = _edit(client, project, gas, planned_start="2026-03-02", planned_end="2026-03-01")
    assert resp.status_code == 400 and "计划完工日期不能早于计划开工日期。" in resp.get_data(as_text=True)


def test_refusals_of_the_services_in_english(client, planning, login, logout):
    project = planning["project_a"]
    squad = planning["squad_a"]
    plan = services.create_plan(project, squad, "方案")
    db.session.commit()
    url = f"/planning/projects/{project.id}"
    login("squad_a")
    client.set_cookie("lang", "en")
    resp = client.post(f"{url}/approve", data={"csrf_token": csrf_from(_page(client, project))},
                       follow_redirects=True)
    assert ("The plan has not been posted for notice yet; it can be approved only after the notice period."
            in resp.get_data(as_text=True))
    for item in planning["items_a"]:
        item.budget = None
    db.session.commit()
    resp = client.post(f"{url}/notice", data={"csrf_token": csrf_from(_page(client, project)),
                                              "starts_on": local_today().isoformat(), "days": "7"})
    assert resp.status_code == 400
    assert "No item of the plan has a budget yet, so it cannot be posted for notice." in resp.get_data(as_text=True)
    planning["items_a"][0].budget = 1000
    services.post_notice(plan, squad, local_today() - timedelta(days=20), 7)  # over 13 days ago
    db.session.commit()
    logout()
    login("resident_a")
    client.set_cookie("lang", "en")
    html = _page(client, project)
    resp = client.post(f"{url}/objections", data={"csrf_token": csrf_from(html), "content": "晚了"})
    assert resp.status_code == 400
    assert ("The public notice period is not open, so objections cannot be submitted online; please contact the "
            "project squad.") in resp.get_data(as_text=True)
    client.delete_cookie("lang")
    resp = client.post(f"{url}/objections", data={"csrf_token": csrf_from(html), "content": "晚了"})
    assert "不在方案公示期内，不能在线提出异议；如有意见请联系专班。" in resp.get_data(as_text=True)


def test_project_page_plan_panel_in_english(client, planning, login):
    project = planning["project_a"]
    plan = services.create_plan(project, planning["squad_a"], "方案")
    services.post_notice(plan, planning["squad_a"], local_today(), 7)
    db.session.commit()
    login("squad_a")
    client.set_cookie("lang", "en")
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert '<span class="badge text-bg-warning">Under public notice</span>' in html
    assert ">View plan, budget and funding</a>" in html and "Public notice until " in html
    assert db.session.scalar(select(Plan.title)) == "方案"


def test_planning_catalogue_is_complete():
    assert untranslated("planning") == []
