"""Plan pages through the web: costing items, totals, notice, objections, approval, access."""

import io
from datetime import timedelta
from decimal import Decimal as D

import pytest
from PIL import Image
from sqlalchemy import func, select

from renovation.core.models import AuditLog
from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.planning import services
from renovation.planning.models import FundingKind, FundingSource, Objection, Plan, PlanStatus
from renovation.projects.models import ProjectItemStatus
from renovation.projects.rules import Stage
from renovation.projects.services import check_move
from tests.factories import csrf_from


@pytest.fixture
def planning(world):
    """Project A in the planning stage with both items adopted."""
    project = world["project_a"]
    project.stage = Stage.PLANNING
    for item in world["items_a"]:
        item.status = ProjectItemStatus.ADOPTED
    db.session.commit()
    return world


def _token(client, url):
    return csrf_from(client.get(url).get_data(as_text=True))


def _create_plan(client, project):
    url = f"/planning/projects/{project.id}"
    resp = client.post(f"{url}/plan", data={"csrf_token": _token(client, url), "title": "测试A小区改造方案"})
    assert resp.status_code == 302
    return db.session.scalar(select(Plan).where(Plan.project_id == project.id))


def _edit(client, project, item, **data):
    url = f"/planning/projects/{project.id}/items/{item.id}"
    return client.post(url, data={"csrf_token": _token(client, url), "contractor_id": "0", **data})


def test_squad_costs_items_and_page_shows_totals(client, planning, login):
    project, (gas, road) = planning["project_a"], planning["items_a"]
    login("squad_a")
    _create_plan(client, project)
    # budget left empty: 1,200 m x 250 yuan = 300,000
    resp = _edit(client, project, gas, quantity="1200", unit="米", unit_price="250", budget="",
                 fund_central_subsidy="200000", fund_local_government="80000")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    resp = _edit(client, project, road, budget="100000", fund_central_subsidy="50000", fund_residents="12000")
    assert resp.status_code == 302
    db.session.expire_all()
    assert gas.budget == D("300000.00") and gas.unit == "米"
    html = client.get(f"/planning/projects/{project.id}").get_data(as_text=True)
    assert "¥250,000.00" in html                          # central: 200,000 + 50,000
    assert '<dd id="funded-total">¥342,000.00</dd>' in html   # 250,000 + 80,000 + 12,000
    assert '<dd id="budget-total">¥400,000.00</dd>' in html   # 300,000 + 100,000
    assert "¥58,000.00" in html                           # gap 400,000 - 342,000
    # 12 active households in compound A: 400,000 / 12 = 33,333.33
    assert '<dd id="per-household">¥33,333.33</dd>' in html
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "plan.item_update")) == 2


def test_funding_above_budget_is_refused_and_nothing_written(client, planning, login):
    project, gas = planning["project_a"], planning["items_a"][0]
    login("squad_a")
    _create_plan(client, project)
    resp = _edit(client, project, gas, budget="1000", fund_central_subsidy="800", fund_residents="300")
    assert resp.status_code == 400
    assert "各资金来源合计 ¥1,100.00 超过了预算 ¥1,000.00。" in resp.get_data(as_text=True)  # 800 + 300
    db.session.expire_all()
    assert gas.budget == D("300000.00")  # unchanged from the world
    assert db.session.scalar(select(func.count(FundingSource.id))) == 0


def test_negative_and_malformed_numbers_are_refused_in_chinese(client, planning, login):
    project, gas = planning["project_a"], planning["items_a"][0]
    login("squad_a")
    _create_plan(client, project)
    resp = _edit(client, project, gas, budget="-5")
    assert resp.status_code == 400 and "金额须为0或正数（元）。" in resp.get_data(as_text=True)
    resp = _edit(client, project, gas, quantity="很多")
    assert resp.status_code == 400 and "不是有效的小数" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert gas.budget == D("300000.00") and gas.quantity is None


def test_approval_refused_during_notice_and_with_open_objection_then_allowed(client, planning, login):
    project = planning["project_a"]
    today = local_today()
    login("squad_a")
    plan = _create_plan(client, project)
    url = f"/planning/projects/{project.id}"
    photo = io.BytesIO()
    Image.new("RGB", (30, 20), "red").save(photo, "PNG")
    resp = client.post(f"{url}/notice", content_type="multipart/form-data", data={
        "csrf_token": _token(client, url), "starts_on": (today - timedelta(days=2)).isoformat(), "days": "7",
        "photo": (io.BytesIO(photo.getvalue()), "board.png")})
    assert resp.status_code == 302
    db.session.expire_all()
    assert plan.status is PlanStatus.NOTICE and plan.notice_photo_id is not None

    # a resident objects from the plan page while the notice is open
    client.post("/logout", data={"csrf_token": _token(client, url)})
    login("resident_a")
    html = client.get(url).get_data(as_text=True)
    assert "对方案提意见" in html
    resp = client.post(f"{url}/objections", data={"csrf_token": csrf_from(html), "content": "道路施工请避开早高峰"})
    assert resp.status_code == 302
    assert client.post(f"{url}/approve", data={"csrf_token": csrf_from(html)}).status_code == 403

    client.post("/logout", data={"csrf_token": _token(client, url)})
    login("squad_a")
    # notice started 2 days ago, 7 days: last day is today + 4
    resp = client.post(f"{url}/approve", data={"csrf_token": _token(client, url)}, follow_redirects=True)
    ends = today + timedelta(days=4)
    assert f"方案公示期到 {ends.year}年{ends.month}月{ends.day}日 结束，期满后才能批准。" in resp.get_data(as_text=True)
    assert "还有 1 条异议未答复。" in resp.get_data(as_text=True)

    # time passes: the notice is over, the objection still unanswered
    plan.notice_starts_on = today - timedelta(days=10)
    db.session.commit()
    resp = client.post(f"{url}/approve", data={"csrf_token": _token(client, url)}, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "还有 1 条异议未答复。" in html and "期满后才能批准" not in html
    db.session.expire_all()
    assert plan.status is PlanStatus.NOTICE

    objection = db.session.scalar(select(Objection))
    resp = client.post(f"/planning/objections/{objection.id}/answer",
                       data={"csrf_token": _token(client, url), "answer": "已调整为9点后施工。"})
    assert resp.status_code == 302
    resp = client.post(f"{url}/approve", data={"csrf_token": _token(client, url)}, follow_redirects=True)
    assert "方案已批准。" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert plan.status is PlanStatus.APPROVED
    assert check_move(project, Stage.CONSTRUCTION).allowed


def test_paper_objection_and_resident_after_notice(client, planning, login):
    project = planning["project_a"]
    squad = planning["squad_a"]
    plan = services.create_plan(project, squad, "方案")
    services.post_notice(plan, squad, local_today() - timedelta(days=20), 7)
    db.session.commit()
    url = f"/planning/projects/{project.id}"
    login("squad_a")
    resp = client.post(f"{url}/objections/paper", data={
        "csrf_token": _token(client, url), "author_name": "2号楼王某", "content": "反对拆除车棚"})
    assert resp.status_code == 302
    client.post("/logout", data={"csrf_token": _token(client, url)})
    login("resident_a2")
    html = client.get(url).get_data(as_text=True)
    assert "反对拆除车棚" in html and "对方案提意见" not in html   # the notice is over
    resp = client.post(f"{url}/objections", data={"csrf_token": csrf_from(html), "content": "晚了"})
    assert resp.status_code == 400 and "不在方案公示期内" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Objection.id))) == 1


@pytest.mark.parametrize("username, status", [
    ("squad_a", 302), ("admin", 302), ("leader_a", 403), ("resident_a", 403), ("squad_other", 403),
    ("resident_b", 403),
])
def test_who_may_create_the_plan(client, planning, login, username, status):
    project = planning["project_a"]
    login(username)
    token = csrf_from(client.get("/", follow_redirects=True).get_data(as_text=True))  # the logout form's
    resp = client.post(f"/planning/projects/{project.id}/plan", data={"csrf_token": token, "title": "方案"})
    assert resp.status_code == status


def test_funding_kind_labels_shown_on_edit_page(client, planning, login):
    project, gas = planning["project_a"], planning["items_a"][0]
    services.create_plan(project, planning["squad_a"], "方案")
    db.session.commit()
    login("squad_a")
    html = client.get(f"/planning/projects/{project.id}/items/{gas.id}").get_data(as_text=True)
    assert all(f'name="fund_{k.value}"' in html for k in FundingKind)
    assert "住房公积金" in html and "中央补助资金" in html


def test_notice_with_a_non_image_is_refused_and_plan_stays_draft(client, planning, login):
    project = planning["project_a"]
    login("squad_a")
    plan = _create_plan(client, project)
    url = f"/planning/projects/{project.id}"
    resp = client.post(f"{url}/notice", content_type="multipart/form-data", data={
        "csrf_token": _token(client, url), "starts_on": local_today().isoformat(), "days": "7",
        "photo": (io.BytesIO(b"just text"), "notice.txt")})
    assert resp.status_code == 400 and "“notice.txt”不是可识别的图片" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert plan.status is PlanStatus.DRAFT and plan.notice_starts_on is None and plan.notice_photo_id is None
    resp = client.post(f"{url}/notice", data={"csrf_token": _token(client, url), "starts_on": "", "days": "0"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "请填写公示开始日期。" in html and "公示天数" in html
