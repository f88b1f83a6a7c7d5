"""Problem reports through the web: the whole rectification loop, access across compounds, the list's
query count, completion acceptance."""

import io
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import event, func, select

from renovation.construction.models import Acceptance, ProblemReport, ProblemStatus, Rectification
from renovation.core.models import AuditLog
from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.planning.models import Contractor, ContractorKind
from renovation.projects.services import gate_facts
from tests.construction.conftest import finish_works, png_bytes, token


def _post(client, url, page, prefix="", **data):
    """POST a form of ``page``; forms with a prefix carry their token as '<prefix>-csrf_token'."""
    key = f"{prefix}-csrf_token" if prefix else "csrf_token"
    return client.post(url, content_type="multipart/form-data", data={key: token(client, page), **data})


def test_whole_loop_with_reopen_through_the_pages(client, site, switch, login):
    project, firm = site["project_a"], site["firm"]
    building = site["compound_a"].buildings[0]
    entrance = building.entrances[1]
    login("resident_a")
    new = f"/construction/projects/{project.id}/problems/new"
    resp = _post(client, new, new, title="2单元门口井盖松动", description="踩上去晃动，老人容易绊倒",
                 building_id=str(building.id), entrance_id=str(entrance.id), project_item_id="0",
                 photo=(io.BytesIO(png_bytes()), "well.png"))
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    problem = db.session.scalar(select(ProblemReport))
    page = f"/construction/problems/{problem.id}"
    assert resp.headers["Location"].endswith(page)
    assert (problem.building_id, problem.entrance_id, problem.status) == (building.id, entrance.id,
                                                                          ProblemStatus.REPORTED)
    # the reporter cannot verify what is not rectified yet
    resp = _post(client, f"{page}/verify", page, "verify", **{"verify-note": "好了"})
    assert resp.status_code == 400 and "问题当前为“已上报”，不能核验。" in resp.get_data(as_text=True)

    switch("squad_a")
    deadline = local_today() + timedelta(days=3)
    resp = _post(client, f"{page}/assign", page, contractor_id=str(firm.id), deadline=deadline.isoformat(),
                 note="请三日内更换")
    assert resp.status_code == 302
    resp = _post(client, f"{page}/rectify", page, "rectify", **{"rectify-note": "已更换井盖",
                                                     "rectify-photo": (io.BytesIO(png_bytes((50, 30))), "fix.png")})
    assert resp.status_code == 302

    switch("resident_a")   # the reporter finds it still loose
    resp = _post(client, f"{page}/reopen", page, note="新井盖仍然晃动")
    assert resp.status_code == 302
    db.session.expire_all()
    assert problem.status is ProblemStatus.REOPENED

    switch("squad_a")
    assert _post(client, f"{page}/assign", page, contractor_id=str(firm.id), deadline=deadline.isoformat(),
                 note="返工").status_code == 302
    assert _post(client, f"{page}/rectify", page, "rectify", **{"rectify-note": "加装卡扣固定"}).status_code == 302

    switch("supervisor_a")
    assert _post(client, f"{page}/verify", page, "verify", **{"verify-note": "现场查看已牢固"}).status_code == 302
    db.session.expire_all()
    assert problem.status is ProblemStatus.VERIFIED and problem.closed_at is not None

    steps = db.session.scalars(select(Rectification.to_status).order_by(Rectification.id)).all()
    S = ProblemStatus
    assert steps == [S.REPORTED, S.ASSIGNED, S.RECTIFIED, S.REOPENED, S.ASSIGNED, S.RECTIFIED, S.VERIFIED]
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.object_type == "ProblemReport")
                                 .order_by(AuditLog.id)).all()
    assert actions == ["problem.report", "problem.assign", "problem.rectify", "problem.reopen", "problem.assign",
                       "problem.rectify", "problem.verify"]
    html = client.get(page).get_data(as_text=True)
    history = html[html.index('id="history"'):]
    order = [history.index(t) for t in ("踩上去晃动", "请三日内更换", "已更换井盖", "新井盖仍然晃动",
                                        "返工", "加装卡扣固定", "现场查看已牢固")]
    assert order == sorted(order)
    assert history.count("<strong>已交办</strong>") == 2 and "<strong>重新打开</strong>" in history
    assert history.count("/thumb") == 2    # the report's photo and the fix's photo

    # a closed problem cannot be reopened
    resp = _post(client, f"{page}/reopen", page, note="再看看")
    assert resp.status_code == 400 and "该问题已核验关闭，不能再操作。" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Rectification.id))) == 7


def _make_problem(site, n=1, **kw):
    """n problems in compound A, reported by resident_a, with building, entrance, item and firm."""
    ids = site.setdefault("_ids", {
        "project": site["project_a"].id, "reporter": site["resident_a"].id,
        "building": site["compound_a"].buildings[0].id, "entrance": site["compound_a"].buildings[0].entrances[0].id,
        "item": site["gas"].id})
    # a firm of its own per problem, so that lazy loading would cost one query per row
    firms = [Contractor(project_id=ids["project"], name=f"施工单位{i + 1}", kind=ContractorKind.CONSTRUCTION)
             for i in range(n)]
    db.session.add_all(firms)
    db.session.flush()
    problems = [ProblemReport(project_id=ids["project"], title=f"问题{i + 1}", reporter_id=ids["reporter"],
                              building_id=ids["building"], entrance_id=ids["entrance"], project_item_id=ids["item"],
                              contractor_id=firms[i].id, **kw) for i in range(n)]
    db.session.add_all(problems)
    db.session.commit()
    return problems


def test_resident_of_another_compound_can_neither_see_nor_act(client, site, login):
    (problem,) = _make_problem(site, status=ProblemStatus.RECTIFIED)
    project = site["project_a"]
    login("resident_b")
    tok = token(client)
    assert client.get(f"/construction/projects/{project.id}/problems").status_code == 403
    assert client.get(f"/construction/problems/{problem.id}").status_code == 403
    assert client.get(f"/construction/projects/{project.id}/problems/new").status_code == 403
    assert client.post(f"/construction/projects/{project.id}/problems/new",
                       data={"csrf_token": tok, "title": "x"}).status_code == 403
    for verb, data in (("verify", {"verify-csrf_token": tok}), ("reopen", {"note": "x"}), ("rectify", {"rectify-csrf_token": tok}),
                       ("assign", {"contractor_id": str(site["firm"].id), "deadline": "2099-01-01"})):
        assert client.post(f"/construction/problems/{problem.id}/{verb}",
                           data={"csrf_token": tok, **data}).status_code == 403
    db.session.expire_all()
    assert problem.status is ProblemStatus.RECTIFIED
    assert db.session.scalar(select(func.count(ProblemReport.id))) == 1


@pytest.mark.parametrize("username, can_see, can_verify", [
    ("resident_a", True, True),     # the reporter
    ("resident_a2", True, False),   # another resident of the compound
    ("supervisor_a", True, True),
    ("squad_a", True, True),
    ("leader_a", True, False),
    ("squad_other", False, False),
])
def test_who_sees_and_verifies(client, site, login, username, can_see, can_verify):
    (problem,) = _make_problem(site, status=ProblemStatus.RECTIFIED)
    login(username)
    assert client.get(f"/construction/problems/{problem.id}").status_code == (200 if can_see else 403)
    resp = client.post(f"/construction/problems/{problem.id}/verify", data={"verify-csrf_token": token(client)})
    assert resp.status_code == (302 if can_verify else 403)


def test_list_filter_and_overdue_flag(client, site, login):
    yesterday = local_today() - timedelta(days=1)
    _make_problem(site, 1, status=ProblemStatus.ASSIGNED, deadline=yesterday)
    _make_problem(site, 2, status=ProblemStatus.REPORTED)
    login("resident_a2")
    url = f"/construction/projects/{site['project_a'].id}/problems"
    html = client.get(url).get_data(as_text=True)
    assert html.count("problem-row") == 3 and html.count(">超期<") == 1
    html = client.get(url + "?status=reported").get_data(as_text=True)
    assert html.count("problem-row") == 2 and ">超期<" not in html
    html = client.get(url + "?status=verified").get_data(as_text=True)
    assert html.count("problem-row") == 0 and "没有已核验问题" in html


def _statements_for(client, url) -> int:
    """SQL statements run by GET ``url`` in a fresh app context: a session of its own, so objects the
    test loaded before cannot hide queries."""
    count = 0

    def _count(*_args):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        with current_app._get_current_object().app_context():
            assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)
    return count


def test_problem_list_statement_count_does_not_grow_with_rows(client, site, login):
    url = f"/construction/projects/{site['project_a'].id}/problems"
    login("squad_a")
    _make_problem(site, 3, status=ProblemStatus.ASSIGNED, deadline=local_today())
    with_3 = _statements_for(client, url)
    _make_problem(site, 27, status=ProblemStatus.REPORTED)
    html = client.get(url).get_data(as_text=True)
    assert html.count("problem-row") == 30
    with_30 = _statements_for(client, url)
    assert with_3 == with_30, (with_3, with_30)
    assert with_30 <= 8


def test_acceptance_is_recorded_and_opens_the_gate(client, site, login):
    project, gas, road = site["project_a"], site["gas"], site["road"]
    finish_works(site)
    url = f"/construction/projects/{project.id}"
    login("squad_a")
    resp = client.post(f"{url}/acceptance", data={"csrf_token": token(client, url),
                                                  "accepted_on": local_today().isoformat()})
    assert resp.status_code == 400 and "请选择验收结论。" in resp.get_data(as_text=True)
    firms = {"org_client": "桐柏路街道办事处", "person_client": "王建", "org_design": "郑州某设计院",
             "org_construction": "郑州某建设工程有限公司", "person_construction": "李工",
             "org_supervision": "某监理公司", "org_community": "西十里铺北社区", "person_resident": "张某"}
    resp = client.post(f"{url}/acceptance", data={
        "csrf_token": token(client, url), "accepted_on": local_today().isoformat(), "passed": "yes",
        f"item_{gas.id}": "pass", f"item_{road.id}": "pass", "note": "合格", **firms})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    acceptance = db.session.scalar(select(Acceptance))
    assert acceptance.passed and acceptance.participants.split("\n") == [
        "建设单位：桐柏路街道办事处 王建", "设计单位：郑州某设计院", "施工单位：郑州某建设工程有限公司 李工",
        "监理单位：某监理公司", "社区：西十里铺北社区", "居民代表：张某"]  # roles left blank are dropped
    assert gate_facts(project).acceptance_passed
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "已通过竣工验收" in html


def test_residents_cannot_record_acceptance(client, site, login):
    login("supervisor_a")
    project = site["project_a"]
    resp = client.post(f"/construction/projects/{project.id}/acceptance", data={
        "csrf_token": token(client), "accepted_on": local_today().isoformat(), "passed": "yes"})
    assert resp.status_code == 403
    assert db.session.scalar(select(func.count(Acceptance.id))) == 0
