"""QA findings on construction oversight in English: counts with plurals ('1 line', 'Import 2 items',
'Progress imported for 1 renovation item.') and the progress range message as a full sentence (with its
full stop in both languages); the Chinese pages otherwise unchanged."""

import html as htmllib
import io
import json
import re

from flask_babel import refresh
from openpyxl import Workbook
from sqlalchemy import select

from renovation.construction import rules
from renovation.construction.checklists import seed_checklists
from renovation.construction.models import ChecklistLine, ChecklistTemplate
from renovation.extensions import db
from renovation.projects.models import ProgressStatus
from tests.construction.conftest import token

HEADER = ("编号", "改造项目", "状态", "完成进度（%）", "说明")


def _sheet(rows) -> bytes:
    book = Workbook()
    book.active.append(list(HEADER))
    for r in rows:
        book.active.append(list(r))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, project, rows) -> str:
    url = f"/construction/projects/{project.id}/progress/import"
    resp = client.post(url, content_type="multipart/form-data",
                       data={"csrf_token": token(client, url), "sheet": (io.BytesIO(_sheet(rows)), "进度.xlsx")})
    return resp.get_data(as_text=True)


def test_progress_range_message_is_a_sentence(app, client, site, login):
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        refresh()
        assert rules.progress_errors(130, ProgressStatus.IN_PROGRESS) == ["Progress must be between 0 and 100."]
    with app.test_request_context():
        refresh()
        assert rules.progress_errors(-1, ProgressStatus.IN_PROGRESS) == ["进度须在0到100之间。"]
    login("squad_a")
    url = f"/construction/items/{site['gas'].id}/progress"
    for lang, text in (("en", "Progress must be between 0 and 100."), ("zh_CN", "进度须在0到100之间。")):
        client.set_cookie("lang", lang)
        resp = client.post(url, content_type="multipart/form-data", data={
            "csrf_token": token(client, url), "status": "in_progress", "note": "", "percent": "130"})
        assert resp.status_code == 400 and text in resp.get_data(as_text=True)


def test_checklist_line_counts(client, site, login):
    seed_checklists()
    one = ChecklistTemplate(code="ONE", name="单项检查")
    db.session.add(one)
    db.session.flush()
    db.session.add(ChecklistLine(template_id=one.id, text="现场整洁", sort_order=1))
    db.session.commit()
    gas = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.code == "GAS"))
    assert len(gas.lines) == 6
    login("supervisor_a")
    url = f"/construction/projects/{site['project_a'].id}/inspections"
    client.set_cookie("lang", "en")
    html = client.get(url).get_data(as_text=True)
    assert ">单项检查 (1 line)</a>" in html and ">燃气管道 (6 lines)</a>" in html
    client.delete_cookie("lang")
    html = client.get(url).get_data(as_text=True)
    assert ">单项检查（1 条）</a>" in html and ">燃气管道（6 条）</a>" in html


def test_import_counts_items(client, site, login):
    project, gas, road = site["project_a"], site["gas"], site["road"]
    login("squad_a")
    client.set_cookie("lang", "en")
    html = _upload(client, project, [(gas.id, "天然气入户", "施工中", 60, None), (road.id, "道路改造", "施工中", 20, None)])
    assert 'type="submit">Import 2 items</button>' in html
    html = _upload(client, project, [(gas.id, "天然气入户", "施工中", 60, None), (road.id, "道路改造", "未开工", 0, None)])
    assert 'type="submit">Import 1 item</button>' in html
    rows = htmllib.unescape(re.search(r'name="rows" type="hidden" value="([^"]*)"', html).group(1))
    assert json.loads(rows) == [[gas.id, "in_progress", 60, None]]
    page = f"/construction/projects/{project.id}/progress/import"
    done = client.post(f"{page}/apply", data={"csrf_token": token(client, page), "rows": rows}, follow_redirects=True)
    assert "Progress imported for 1 renovation item." in done.get_data(as_text=True)
    client.delete_cookie("lang")
    html = _upload(client, project, [(gas.id, "天然气入户", "施工中", 70, None), (road.id, "道路改造", "施工中", 20, None)])
    assert 'type="submit">确认导入 2 项</button>' in html


def test_plan_approval_gate_names_the_notice_end_as_a_date(app):
    """The gate before construction (projects.rules.check_plan_approval): the notice's last day written as a
    date of the reader's language, not as ISO."""
    from datetime import date

    from renovation.projects.rules import GateFacts, check_plan_approval

    facts = GateFacts(plan_notice_ends=date(2026, 12, 3))
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        refresh()
        assert check_plan_approval(facts, date(2026, 12, 1)).reasons == [
            "The plan's public notice runs until December 3, 2026; it can be approved only after that."]
    with app.test_request_context():
        refresh()
        assert check_plan_approval(facts, date(2026, 12, 1)).reasons == [
            "方案公示期到 2026年12月3日 结束，期满后才能批准。"]
