"""Inspections from checklists: seeded templates, pass/fail per line, a failed line opens a problem by
itself; the reporter told at each step of a problem (in-app notifications)."""

from datetime import timedelta

from sqlalchemy import func, select

from renovation.construction.checklists import seed_checklists
from renovation.construction.models import (
    ChecklistTemplate,
    Inspection,
    InspectionResult,
    Notification,
    ProblemReport,
    ProblemStatus,
)
from renovation.core.timeutil import local_today
from renovation.extensions import db
from tests.construction.conftest import statements_for, token


def test_seed_is_idempotent(app):
    assert seed_checklists() == 3
    assert seed_checklists() == 0
    names = db.session.scalars(select(ChecklistTemplate.name).order_by(ChecklistTemplate.id)).all()
    assert names == ["隐蔽工程验收", "燃气管道", "外墙保温"]
    gas = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.code == "GAS"))
    assert len(gas.lines) == 6 and gas.lines[3].text == "强度试验和严密性试验合格"


def _gas(site):
    seed_checklists()
    db.session.commit()
    return db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.code == "GAS"))


def _answers(template, failed: dict[int, str]):
    """Form data: line i (0-based) failed with a note when in ``failed``, else passed."""
    data = {}
    for i, line in enumerate(template.lines):
        data[f"line_{line.id}"] = "fail" if i in failed else "pass"
        data[f"note_{line.id}"] = failed.get(i, "")
    return data


def test_failed_line_opens_a_linked_problem(client, site, login):
    project, gas_item = site["project_a"], site["gas"]
    template = _gas(site)
    url = f"/construction/projects/{project.id}/inspections/new/{template.id}"
    login("supervisor_a")   # resident supervisors file inspections (domain.md)
    resp = client.post(url, data={"csrf_token": token(client, url), "inspected_on": local_today().isoformat(),
                                  "project_item_id": str(gas_item.id), "location": "3号楼2单元",
                                  **_answers(template, {3: "5楼支管严密性试验压降超标"})})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    inspection = db.session.scalar(select(Inspection))
    results = db.session.scalars(select(InspectionResult).order_by(InspectionResult.id)).all()
    assert [r.passed for r in results] == [True, True, True, False, True, True]
    problem = db.session.scalar(select(ProblemReport))
    assert results[3].problem_id == problem.id
    assert (problem.title, problem.inspection_id, problem.status, problem.reporter_id, problem.project_item_id) == (
        "燃气管道检查项未通过：“强度试验和严密性试验合格”", inspection.id, ProblemStatus.REPORTED, site["supervisor_a"].id,
        gas_item.id)
    assert "5楼支管严密性试验压降超标" in problem.description and "3号楼2单元" in problem.description
    assert [s.to_status for s in problem.steps] == [ProblemStatus.REPORTED]
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert html.count('data-passed="no"') == 1 and f"问题单 #{problem.id}" in html
    page = client.get(f"/construction/problems/{problem.id}").get_data(as_text=True)
    assert "由<a" in page and f"/construction/inspections/{inspection.id}" in page


def test_failed_line_needs_a_note_and_every_line_an_answer(client, site, login):
    project = site["project_a"]
    template = _gas(site)
    url = f"/construction/projects/{project.id}/inspections/new/{template.id}"
    login("squad_a")
    data = {"csrf_token": token(client, url), "inspected_on": local_today().isoformat(), "project_item_id": "0",
            **_answers(template, {0: "", 5: ""})}
    resp = client.post(url, data=data)
    assert resp.status_code == 400
    assert "不合格的条目须写明问题：管材、管件有合格证，规格符合设计、户内燃气报警器已安装。" in resp.get_data(as_text=True)
    del data[f"line_{template.lines[2].id}"]
    resp = client.post(url, data=data)
    assert resp.status_code == 400 and "请选择合格或不合格。" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Inspection.id))) == 0
    assert db.session.scalar(select(func.count(ProblemReport.id))) == 0


def test_who_may_inspect(client, site, login):
    template = _gas(site)
    url = f"/construction/projects/{site['project_a'].id}/inspections/new/{template.id}"
    login("resident_a")   # an ordinary resident reads inspections but does not file them
    assert client.get(url).status_code == 403
    assert client.get(f"/construction/projects/{site['project_a'].id}/inspections").status_code == 200


def test_inspection_list_statement_count(client, site, login):
    project = site["project_a"]
    template = _gas(site)
    url = f"/construction/projects/{project.id}/inspections"

    def make(n):
        for i in range(n):
            insp = Inspection(project_id=project.id, template_id=template.id, inspected_on=local_today(),
                              inspector_id=site["supervisor_a"].id, location=f"{i}号楼")
            db.session.add(insp)
            db.session.flush()
            db.session.add_all([InspectionResult(inspection_id=insp.id, line_text=line.text, passed=j != 1)
                                for j, line in enumerate(template.lines)])
        db.session.commit()

    login("squad_a")
    make(2)
    with_2 = statements_for(client, url)
    make(20)
    html = client.get(url).get_data(as_text=True)
    assert html.count("inspection-row") == 22 and html.count("1 条不合格") == 22
    assert statements_for(client, url) == with_2


def test_reporter_is_told_at_each_step(client, site, switch, login):
    project, firm = site["project_a"], site["firm"]
    login("resident_a")
    new = f"/construction/projects/{project.id}/problems/new"
    assert client.post(new, data={"csrf_token": token(client, new), "title": "路灯不亮", "building_id": "0",
                                  "entrance_id": "0", "project_item_id": "0"}).status_code == 302
    problem = db.session.scalar(select(ProblemReport))
    page = f"/construction/problems/{problem.id}"
    assert db.session.scalar(select(func.count(Notification.id))) == 0   # one's own report: nothing to tell

    switch("squad_a")
    deadline = local_today() + timedelta(days=2)
    client.post(f"{page}/assign", data={"csrf_token": token(client, page), "contractor_id": str(firm.id),
                                        "deadline": deadline.isoformat()})
    client.post(f"{page}/rectify", data={"rectify-csrf_token": token(client, page), "rectify-note": "已更换灯泡"})
    switch("supervisor_a")
    client.post(f"{page}/reopen", data={"csrf_token": token(client, page), "note": "夜里仍不亮"})
    switch("squad_a")
    client.post(f"{page}/assign", data={"csrf_token": token(client, page), "contractor_id": str(firm.id),
                                        "deadline": deadline.isoformat()})
    client.post(f"{page}/rectify", data={"rectify-csrf_token": token(client, page), "rectify-note": "更换线路"})
    switch("resident_a")
    # the reporter's own verification is not notified back to them
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert 'id="unread-count">5<' in html and "您有 5 条新通知" in html
    client.post(f"{page}/verify", data={"verify-csrf_token": token(client, page)})
    messages = db.session.scalars(select(Notification.message).where(
        Notification.user_id == site["resident_a"].id).order_by(Notification.id)).all()
    assert messages == [
        f"您反映的问题“路灯不亮”已交办给郑州某建设工程有限公司，整改期限 {deadline:%Y-%m-%d}。",
        "您反映的问题“路灯不亮”已整改，请查看并核验。",
        "您反映的问题“路灯不亮”已重新打开，等待重新交办。",
        f"您反映的问题“路灯不亮”已交办给郑州某建设工程有限公司，整改期限 {deadline:%Y-%m-%d}。",
        "您反映的问题“路灯不亮”已整改，请查看并核验。",
    ]
    html = client.get("/construction/notifications").get_data(as_text=True)
    assert html.count("notification-row") == 5 and "5 条未读" in html and f"/construction/problems/{problem.id}" in html
    resp = client.post("/construction/notifications/read", data={"csrf_token": token(client, "/construction/notifications")})
    assert resp.status_code == 302
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.read_at.is_(None))) == 0
    assert "unread-count" not in client.get(f"/projects/{project.id}").get_data(as_text=True)

    # nobody else sees them
    switch("resident_a2")
    assert "notification-row" not in client.get("/construction/notifications").get_data(as_text=True)
