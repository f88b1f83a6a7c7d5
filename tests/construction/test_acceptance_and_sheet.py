"""Completion acceptance with participants by role, a result per item and documents (the gate to
aftercare); the progress sheet: export, preview with problems by row, all-or-nothing import; the item
list's statement count."""

import html as htmllib
import io
import json
import re

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from renovation.construction.models import (
    Acceptance,
    AcceptanceDocument,
    AcceptanceItemResult,
    AcceptanceParticipant,
    AcceptanceRole,
    ProgressUpdate,
)
from renovation.core.models import AuditLog
from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.projects.models import ProgressStatus, ProjectItem, ProjectItemStatus
from renovation.projects.rules import Stage
from tests.construction.conftest import finish_works, jpeg_bytes, statements_for, token
from tests.factories import file_url

FIRMS = {"org_client": "桐柏路街道办事处", "org_design": "郑州某设计院", "org_construction": "郑州某建设工程有限公司",
         "org_supervision": "某监理公司", "person_resident": "居民代表赵某"}


def _accept(client, project, items, passed="yes", results=None, **data):
    url = f"/construction/projects/{project.id}"
    results = results or {i.id: "pass" for i in items}
    form = {"csrf_token": token(client, url), "accepted_on": local_today().isoformat(), "passed": passed,
            **{f"item_{k}": v for k, v in results.items()}, **data}
    return client.post(f"{url}/acceptance", content_type="multipart/form-data", data=form)


def test_acceptance_needs_the_four_firms_and_every_item_passed(client, site, login):
    project, gas, road = site["project_a"], site["gas"], site["road"]
    login("squad_a")
    resp = _accept(client, project, [gas, road], org_client="桐柏路街道办事处", org_construction="某公司")
    assert resp.status_code == 400
    assert "验收通过须有建设、设计、施工、监理单位参加，缺少：设计单位、监理单位。" in resp.get_data(as_text=True)
    resp = _accept(client, project, [gas, road], results={gas.id: "pass", road.id: "fail"}, **FIRMS)
    assert resp.status_code == 400 and "有 1 个改造项目验收不合格" in resp.get_data(as_text=True)
    resp = _accept(client, project, [gas, road], results={gas.id: "pass"}, **FIRMS)
    assert resp.status_code == 400 and "请选择该项目的验收结果。" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Acceptance.id))) == 0

    # a failed acceptance is recorded and does not open the gate
    resp = _accept(client, project, [gas, road], passed="no", results={gas.id: "pass", road.id: "fail"},
                   **{f"item_note_{road.id}": "沥青面层厚度不足"}, **FIRMS)
    assert resp.status_code == 302
    move = client.post(f"/projects/{project.id}/stage", data={"csrf_token": token(client, f"/projects/{project.id}"),
                                                             "target": "aftercare"})
    db.session.expire_all()
    assert move.status_code in (302, 400) and project.stage is Stage.CONSTRUCTION


def test_passed_acceptance_with_documents_opens_aftercare(client, site, login):
    project, gas, road = site["project_a"], site["gas"], site["road"]
    finish_works(site)
    login("squad_a")
    pdf = b"%PDF-1.4\n% acceptance record\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    resp = _accept(client, project, [gas, road], note="同意通过", **FIRMS,
                   documents=[(io.BytesIO(pdf), "竣工验收记录.pdf"), (io.BytesIO(jpeg_bytes()), "验收现场.jpg")])
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    acceptance = db.session.scalar(select(Acceptance))
    roles = db.session.execute(select(AcceptanceParticipant.role, AcceptanceParticipant.organisation,
                                      AcceptanceParticipant.person).order_by(AcceptanceParticipant.id)).all()
    R = AcceptanceRole
    assert roles == [(R.CLIENT, "桐柏路街道办事处", None), (R.DESIGN, "郑州某设计院", None),
                     (R.CONSTRUCTION, "郑州某建设工程有限公司", None), (R.SUPERVISION, "某监理公司", None),
                     (R.RESIDENT, None, "居民代表赵某")]
    assert db.session.scalars(select(AcceptanceItemResult.passed)).all() == [True, True]
    docs = db.session.scalars(select(AcceptanceDocument).where(AcceptanceDocument.acceptance_id == acceptance.id)).all()
    assert [(d.upload.original_name, d.upload.content_type) for d in docs] == [
        ("竣工验收记录.pdf", "application/pdf"), ("验收现场.jpg", "image/jpeg")]
    # every item is now accepted (已验收, 100%)
    db.session.expire_all()
    assert [(i.progress_status, i.progress_percent) for i in (gas, road)] == [(ProgressStatus.ACCEPTED, 100)] * 2
    html = client.get(f"/construction/projects/{project.id}").get_data(as_text=True)
    assert "竣工验收记录.pdf" in html and file_url(docs[0].upload_id, "original") in html and "监理单位：某监理公司" in html
    resp = client.get(file_url(docs[0].upload_id, "original"))
    assert resp.status_code == 200 and resp.mimetype == "application/pdf" and resp.data == pdf
    # the gate opens
    page = f"/projects/{project.id}"
    resp = client.post(f"{page}/stage", data={"csrf_token": token(client, page), "target": "aftercare"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert project.stage is Stage.AFTERCARE


def test_a_text_file_as_document_is_refused(client, site, login):
    project, gas, road = site["project_a"], site["gas"], site["road"]
    finish_works(site)
    login("squad_a")
    resp = _accept(client, project, [gas, road], **FIRMS, documents=[(io.BytesIO(b"hello"), "记录.pdf")])
    assert resp.status_code == 400 and "“记录.pdf”不是 PDF 文件或可识别的图片。" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Acceptance.id))) == 0


# --- the progress sheet ------------------------------------------------------------------------------

def _sheet(rows, header=("编号", "改造项目", "状态", "完成进度（%）", "说明")) -> bytes:
    book = Workbook()
    book.active.append(list(header))
    for r in rows:
        book.active.append(list(r))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, project, data, name="进度.xlsx"):
    url = f"/construction/projects/{project.id}/progress/import"
    return client.post(url, content_type="multipart/form-data",
                       data={"csrf_token": token(client, url), "sheet": (io.BytesIO(data), name)})


def test_export_has_the_import_format(client, site, login):
    project, gas = site["project_a"], site["gas"]
    gas.progress_percent, gas.progress_status = 30, ProgressStatus.IN_PROGRESS
    db.session.commit()
    login("leader_a")
    resp = client.get(f"/construction/projects/{project.id}/progress.xlsx")
    assert resp.status_code == 200 and "filename*=UTF-8''" in resp.headers["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(resp.data)).active.iter_rows(values_only=True))
    assert rows == [("编号", "改造项目", "状态", "完成进度（%）", "说明"),
                    (gas.id, "天然气入户", "施工中", 30, None), (site["road"].id, "道路改造", "未开工", 0, None)]


def test_preview_shows_problems_by_row_and_nothing_is_written(client, site, login):
    project, gas, road = site["project_a"], site["gas"], site["road"]
    login("squad_a")
    resp = _upload(client, project, _sheet([(gas.id, "天然气入户", "施工中", 60, None),
                                            (road.id, "道路改造", "已完工", 80, None),
                                            (999, "不存在", "施工中", 10, None)]))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert html.count("import-row") == 3 and html.count("table-danger") == 2
    assert "标记为已完工或已验收时，进度须为100%。" in html and "编号“999”不是本项目表决通过的改造项目。" in html
    assert "确认导入" not in html and "本次不会导入任何数据" in html
    assert db.session.scalar(select(func.count(ProgressUpdate.id))) == 0
    # not a spreadsheet, or not the export's header
    resp = _upload(client, project, b"PK\x03\x04 broken", name="进度.xlsx")
    assert resp.status_code == 400 and "文件不是 Excel 表格（.xlsx）" in resp.get_data(as_text=True)
    resp = _upload(client, project, _sheet([], header=("id", "name")))
    assert resp.status_code == 400 and "表头与导出的进度表不一致" in resp.get_data(as_text=True)


def test_import_applies_all_rows_or_none(client, site, login):
    project, gas, road = site["project_a"], site["gas"], site["road"]
    login("squad_a")
    resp = _upload(client, project, _sheet([(gas.id, "天然气入户", "施工中", 60, "北区完成"),
                                            (road.id, "道路改造", "已完工", 100, None)]))
    html = resp.get_data(as_text=True)
    assert "确认导入 2 项" in html
    rows = htmllib.unescape(re.search(r'name="rows" type="hidden" value="([^"]*)"', html).group(1))
    assert json.loads(rows) == [[gas.id, "in_progress", 60, "北区完成"], [road.id, "completed", 100, None]]
    apply = f"/construction/projects/{project.id}/progress/import/apply"
    page = f"/construction/projects/{project.id}/progress/import"
    # the rows are checked again on apply: one bad row (completed at 70%) and nothing at all is written
    bad = rows.replace('"completed", 100', '"completed", 70')
    resp = client.post(apply, data={"csrf_token": token(client, page), "rows": bad})
    assert resp.status_code == 302
    assert db.session.scalar(select(func.count(ProgressUpdate.id))) == 0
    db.session.expire_all()
    assert gas.progress_percent == 0
    resp = client.post(apply, data={"csrf_token": token(client, page), "rows": rows})
    assert resp.status_code == 302
    db.session.expire_all()
    assert (gas.progress_percent, gas.progress_status) == (60, ProgressStatus.IN_PROGRESS)
    assert (road.progress_percent, road.progress_status) == (100, ProgressStatus.COMPLETED)
    notes = db.session.scalars(select(ProgressUpdate.note).order_by(ProgressUpdate.id)).all()
    assert notes == ["北区完成", "批量导入"]
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "progress.update")) == 2


def test_item_list_statement_count_does_not_grow_with_rows(client, site, login):
    project = site["project_a"]
    url = f"/construction/projects/{project.id}"
    login("squad_a")
    with_2 = statements_for(client, url)
    from renovation.planning.models import Contractor, ContractorKind

    for i in range(20):
        firm = Contractor(project_id=project.id, name=f"施工队{i}", kind=ContractorKind.CONSTRUCTION)
        db.session.add(firm)
        db.session.flush()
        db.session.add(ProjectItem(project_id=project.id, name=f"楼道改造{i}", status=ProjectItemStatus.ADOPTED,
                                   budget=1000 * (i + 1), sort_order=10 + i, contractor_id=firm.id))
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert html.count("data-rag=") == 22 and "施工队19" in html
    assert statements_for(client, url) == with_2


def test_passed_acceptance_refused_while_works_unfinished_or_problems_open(client, site, login):
    # Gas at 100% completed, road still in progress at 60%, and one problem not yet verified: a passed
    # acceptance is refused with both reasons and nothing changes (items keep their progress).
    from renovation.construction.models import ProblemReport
    from renovation.projects.models import ProgressStatus

    project, gas, road = site["project_a"], site["gas"], site["road"]
    gas.progress_percent, gas.progress_status = 100, ProgressStatus.COMPLETED
    road.progress_percent, road.progress_status = 60, ProgressStatus.IN_PROGRESS
    db.session.add(ProblemReport(project_id=project.id, title="井盖松动"))
    db.session.commit()
    login("squad_a")
    resp = _accept(client, project, [gas, road], **FIRMS)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "尚未完工" in html and "道路改造" in html and "还有 1 个问题未整改核验" in html
    assert db.session.scalar(select(func.count(Acceptance.id))) == 0
    db.session.refresh(road)
    assert (road.progress_percent, road.progress_status) == (60, ProgressStatus.IN_PROGRESS)
