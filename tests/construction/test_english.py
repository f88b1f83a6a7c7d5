"""Construction oversight in English (cookie lang=en): pages, form errors, refusals and flashes come out in
English; what is stored (problem titles from failed inspection lines, notifications, acceptance
participants) and the progress sheet stay Chinese; without the cookie the pages are Chinese."""

import html as htmllib
import io
from datetime import timedelta

from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from renovation.construction import rules
from renovation.construction.checklists import seed_checklists
from renovation.construction.models import (
    Acceptance,
    ChecklistTemplate,
    Notification,
    ProblemReport,
    ProblemStatus,
)
from renovation.core.timeutil import local_today
from renovation.extensions import db
from tests.construction.conftest import finish_works, token


def _text(resp) -> str:
    return htmllib.unescape(resp.get_data(as_text=True))


def _english(client):
    client.set_cookie("lang", "en")


def test_overview_in_english_and_in_chinese_by_default(client, site, login):
    project = site["project_a"]
    login("squad_a")
    url = f"/construction/projects/{project.id}"
    zh = _text(client.get(url))
    assert "<h1 class=\"h3\">过程监督</h1>" in zh and "各项目进度" in zh and "登记竣工验收" in zh
    assert "Construction oversight" not in zh

    _english(client)
    en = _text(client.get(url))
    assert '<h1 class="h3">Construction oversight</h1>' in en
    assert "Progress by item" in en and "Problems (open 0)" in en and "Report a problem" in en
    assert "Record completion acceptance" in en and "Export progress sheet (.xlsx)" in en
    # RAG labels, acceptance form labels built from the role labels, radio choices
    assert 'data-rag="red">Far behind</span>' in en and 'data-rag="grey">Not scheduled</span>' in en
    assert "Client: organisation" in en and "Supervision firm: representative" in en
    assert ">Pass</label>" in en and ">Fail</label>" in en
    assert "过程监督" not in en and "各项目进度" not in en


def test_refusals_and_flashes_in_english(client, site, switch, login):
    project, firm = site["project_a"], site["firm"]
    login("resident_a")
    _english(client)
    new = f"/construction/projects/{project.id}/problems/new"
    # a form validator's message (lazy) in English
    resp = client.post(new, data={"csrf_token": token(client, new), "title": "", "building_id": "0",
                                  "entrance_id": "0", "project_item_id": "0"})
    assert resp.status_code == 400 and "Please describe the problem briefly." in _text(resp)
    resp = client.post(new, data={"csrf_token": token(client, new), "title": "井盖松动", "building_id": "0",
                                  "entrance_id": "0", "project_item_id": "0"}, follow_redirects=True)
    assert "Problem submitted; the project squad will deal with it soon." in _text(resp)
    problem = db.session.scalar(select(ProblemReport))
    page = f"/construction/problems/{problem.id}"
    # a DomainError from the rules, with the status label in English
    resp = client.post(f"{page}/verify", data={"verify-csrf_token": token(client, page), "verify-note": "好了"})
    assert resp.status_code == 400
    assert 'The problem is now "Reported"; it cannot be verified.' in _text(resp)

    switch("squad_a")
    _english(client)
    resp = client.post(f"{page}/assign", data={"csrf_token": token(client, page), "contractor_id": str(firm.id),
                                               "deadline": (local_today() - timedelta(days=1)).isoformat()})
    assert resp.status_code == 400 and "The rectification deadline cannot be before today." in _text(resp)
    resp = client.post(f"{page}/assign", data={"csrf_token": token(client, page), "contractor_id": str(firm.id),
                                               "deadline": (local_today() + timedelta(days=2)).isoformat()},
                       follow_redirects=True)
    html = _text(resp)
    assert "Problem assigned." in html and '<span class="badge text-bg-secondary" id="problem-status">Assigned' in html
    # the reporter's notification is stored in Chinese whatever the actor's language
    note = db.session.scalar(select(Notification))
    assert note.message.startswith("您反映的问题“井盖松动”已交办给郑州某建设工程有限公司")

    # the same refusal without the cookie is Chinese
    client.delete_cookie("lang")
    resp = client.post(f"{page}/assign", data={"csrf_token": token(client, page), "contractor_id": str(firm.id),
                                               "deadline": (local_today() + timedelta(days=2)).isoformat()})
    assert resp.status_code == 400 and "问题当前为“已交办”，不能交办。" in _text(resp)


def test_site_log_date_error_in_english_next_to_the_date(client, site, login):
    project = site["project_a"]
    login("squad_a")
    _english(client)
    url = f"/construction/projects/{project.id}/logs/new"
    data = {"log_date": local_today().isoformat(), "weather": "晴", "workforce": "8", "work_done": "铺管"}
    resp = client.post(url, data={"csrf_token": token(client, url), **data}, follow_redirects=True)
    assert "Site log of " in _text(resp) and " saved." in _text(resp)
    resp = client.post(url, data={"csrf_token": token(client, url), **data})
    html = _text(resp)
    assert resp.status_code == 400
    assert "has already been written; there is one log per day." in html
    assert '<div id="log_date-err" class="invalid-feedback d-block" role="alert">The site log of ' in html
    resp = client.post(url, data={"csrf_token": token(client, url), **data, "workforce": ""})
    assert resp.status_code == 400 and "Please enter the number of workers." in _text(resp)


def test_failed_inspection_line_in_english_opens_a_problem_titled_in_chinese(client, site, login):
    project = site["project_a"]
    seed_checklists()
    db.session.commit()
    template = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.code == "GAS"))
    login("supervisor_a")
    _english(client)
    url = f"/construction/projects/{project.id}/inspections/new/{template.id}"
    page = _text(client.get(url))
    assert "Required when failed: what is wrong" in page and "Submit the inspection" in page
    data = {"csrf_token": token(client, url), "inspected_on": local_today().isoformat(), "project_item_id": "0"}
    for i, line in enumerate(template.lines):
        data[f"line_{line.id}"] = "fail" if i == 0 else "pass"
        data[f"note_{line.id}"] = "无合格证" if i == 0 else ""
    resp = client.post(url, data=data, follow_redirects=True)
    html = _text(resp)
    assert "Inspection recorded. Failed lines: 1; a problem report was opened for each." in html
    assert "Problem report #" in html
    problem = db.session.scalar(select(ProblemReport))
    assert problem.title == f"燃气管道检查项未通过：“{template.lines[0].text}”"
    assert problem.status is ProblemStatus.REPORTED


def test_acceptance_refusal_lists_roles_in_english_and_stores_chinese(client, site, login):
    project, gas, road = site["project_a"], site["gas"], site["road"]
    finish_works(site)
    login("squad_a")
    _english(client)
    url = f"/construction/projects/{project.id}"
    form = {"csrf_token": token(client, url), "accepted_on": local_today().isoformat(), "passed": "yes",
            f"item_{gas.id}": "pass", f"item_{road.id}": "pass", "org_client": "桐柏路街道办事处",
            "org_construction": "某公司"}
    resp = client.post(f"{url}/acceptance", data=form)
    assert resp.status_code == 400
    assert ("A passed acceptance needs the client, design, construction and supervision firms; missing: "
            "Design firm, Supervision firm.") in _text(resp)
    resp = client.post(f"{url}/acceptance", data={**form, "org_design": "某设计院", "org_supervision": "某监理"},
                       follow_redirects=True)
    assert "Completion acceptance recorded." in _text(resp)
    acceptance = db.session.scalar(select(Acceptance))
    assert acceptance.participants.splitlines()[0] == "建设单位：桐柏路街道办事处"
    assert "Client: 桐柏路街道办事处" in _text(client.get(url))


def test_progress_sheet_stays_chinese_and_its_errors_come_in_english(client, site, login):
    project, gas = site["project_a"], site["gas"]
    login("squad_a")
    _english(client)
    resp = client.get(f"/construction/projects/{project.id}/progress.xlsx")
    rows = list(load_workbook(io.BytesIO(resp.data)).active.iter_rows(values_only=True))
    assert rows[0] == ("编号", "改造项目", "状态", "完成进度（%）", "说明") and rows[1][2] == "未开工"

    book = Workbook()
    book.active.append(list(rules.SHEET_COLUMNS))
    book.active.append([gas.id, "天然气入户", "乱写", "一半", None])
    book.active.append([gas.id, "天然气入户", "施工中", 20, None])
    out = io.BytesIO()
    book.save(out)
    url = f"/construction/projects/{project.id}/progress/import"
    resp = client.post(url, content_type="multipart/form-data",
                       data={"csrf_token": token(client, url), "sheet": (io.BytesIO(out.getvalue()), "p.xlsx")})
    html = _text(resp)
    assert "Update progress in bulk" in html and "Rows with problems: 2." in html
    assert 'Status "乱写" is not recognised' in html and 'Progress "一半" is not a whole number from 0 to 100.' in html
    assert f"No. {gas.id} already appears on row 2." in html
    resp = client.post(url, content_type="multipart/form-data",
                       data={"csrf_token": token(client, url), "sheet": (io.BytesIO(b"not a workbook"), "p.xlsx")})
    assert resp.status_code == 400 and "The file is not an Excel workbook (.xlsx)" in _text(resp)


def test_rules_outside_a_request_speak_chinese():
    assert rules.transition_error(ProblemStatus.REPORTED, ProblemStatus.VERIFIED) == "问题当前为“已上报”，不能核验。"
    assert rules.join_names(["设计单位", "监理单位"]) == "设计单位、监理单位"
    assert str(rules.Rag.RED.label) == "严重滞后"
