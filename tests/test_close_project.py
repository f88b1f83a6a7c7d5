"""Closing a project (结项) from aftercare: the pure rule with each reason, the service (permission, audit,
double close, admin reopen), the project page in both languages, and the roster retention that runs
from ``Project.closed_at``."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from renovation.admin.services import purge_rosters
from renovation.aftercare.models import (
    Handover,
    HandoverStatus,
    SatisfactionMode,
    SatisfactionResponse,
    SatisfactionSurvey,
)
from renovation.construction.models import Acceptance, ProblemReport, ProblemStatus
from renovation.core.db import utcnow
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.models import AuditLog
from renovation.core.timeutil import to_local
from renovation.extensions import db
from renovation.org.models import Owner
from renovation.projects import services
from renovation.projects.models import Project
from renovation.projects.rules import CloseFacts, Stage, check_close
from tests.factories import csrf_from

# --- the pure rule (no app: messages come out in the Chinese of the source) ------------------------------

READY = CloseFacts(stage=Stage.AFTERCARE, acceptance_passed=True, survey_exists=True, survey_closed=True)


def test_rule_allows_a_settled_project_without_handover_lines():
    assert check_close(READY).allowed and check_close(READY).reasons == []
    # a gate-mode survey that passed changes nothing
    passed = CloseFacts(**{**READY.__dict__, "survey_gate_passed": True})
    assert check_close(passed).allowed


@pytest.mark.parametrize("change,reason", [
    ({"acceptance_passed": False}, "尚未通过竣工验收。"),
    ({"handovers_planned": 2}, "还有 2 项资产尚未完成移交签字。"),
    ({"open_problems": 1}, "还有 1 个问题尚未整改核验。"),
    ({"survey_exists": False, "survey_closed": False}, "尚未开展满意度测评：结项前须完成居民满意度测评。"),
    ({"survey_closed": False}, "满意度测评尚未结束。"),
    ({"survey_gate_passed": False, "survey_gate_reasons": ("参评率25.0%，未达到50.0%。",)},
     "满意度测评未达到结项要求：参评率25.0%，未达到50.0%。"),
])
def test_rule_refuses_with_each_reason(change, reason):
    result = check_close(CloseFacts(**{**READY.__dict__, **change}))
    assert not result.allowed and result.reasons == [reason]


def test_rule_reports_only_the_stage_before_aftercare_and_only_closed_after():
    early = check_close(CloseFacts(stage=Stage.CONSTRUCTION))
    assert early.reasons == ["项目处于“过程监督”阶段，进入“改造后管理”阶段后才能结项。"]
    done = check_close(CloseFacts(**{**READY.__dict__, "already_closed": True}))
    assert done.reasons == ["项目已经结项。"]


def test_rule_lists_every_missing_condition_at_once():
    result = check_close(CloseFacts(stage=Stage.AFTERCARE, handovers_planned=1, open_problems=3))
    assert result.reasons == ["尚未通过竣工验收。", "还有 1 项资产尚未完成移交签字。", "还有 3 个问题尚未整改核验。",
                              "尚未开展满意度测评：结项前须完成居民满意度测评。"]


# --- a project of the world ready to close ----------------------------------------------------------------

def _ready(world, *, survey_mode=SatisfactionMode.REPORT, survey_open=False) -> Project:
    """Project A in aftercare with a passed acceptance, one signed handover, one verified problem and a
    satisfaction survey (closed report figure unless told otherwise). Commits."""
    pa = world["project_a"]
    pa.stage = Stage.AFTERCARE
    db.session.add_all([
        Acceptance(project_id=pa.id, accepted_on=date(2020, 10, 9), passed=True),
        Handover(project_id=pa.id, asset="庭院燃气管网", receiver="郑州华润燃气", status=HandoverStatus.HANDED,
                 handed_on=date(2020, 10, 15), giver_signatory="王一", receiver_signatory="李二"),
        ProblemReport(project_id=pa.id, title="井盖松动", status=ProblemStatus.VERIFIED, closed_at=utcnow()),
        SatisfactionSurvey(project_id=pa.id, title="满意度测评", mode=survey_mode, min_mean=Decimal("4.00"),
                           min_response_rate=Decimal("0.500"), is_open=survey_open,
                           closed_at=None if survey_open else utcnow()),
    ])
    db.session.commit()
    return pa


def _answer(world, survey_id: int, scores: list[tuple[int, int, int]]) -> None:
    """Answers from the first households of compound A (12 households on the register)."""
    for hh, (c, p, m) in zip(world["households_a"], scores, strict=False):
        db.session.add(SatisfactionResponse(survey_id=survey_id, household_id=hh.id, content_score=c,
                                            process_score=p, management_score=m))
    db.session.commit()


def _reasons(project) -> list[str]:
    return services.check_close(project).reasons


def _closes() -> int:
    return db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "project.close"))


def _post(client, pid, action, **data):
    token = csrf_from(client.get(f"/projects/{pid}").get_data(as_text=True))
    return client.post(f"/projects/{pid}/{action}", data={"csrf_token": token, **data})


def _day_cn(moment) -> str:
    d = to_local(moment).date()
    return f"{d.year}年{d.month}月{d.day}日"


# --- facts and refusals from real rows ----------------------------------------------------------------------

def test_facts_of_the_world_project_not_in_aftercare(world):
    # A is in consultation: only the stage is reported
    assert _reasons(world["project_a"]) == ["项目处于“内容协商”阶段，进入“改造后管理”阶段后才能结项。"]
    with pytest.raises(DomainError, match="进入“改造后管理”阶段后才能结项"):
        services.close_project(world["project_a"], world["squad_a"])


def test_ready_project_facts(world):
    facts = services.close_facts(_ready(world))
    assert facts == CloseFacts(stage=Stage.AFTERCARE, already_closed=False, acceptance_passed=True,
                               handovers_planned=0, open_problems=0, survey_exists=True, survey_closed=True,
                               survey_gate_passed=None, survey_gate_reasons=())
    assert services.check_close(world["project_a"]).allowed


def test_acceptance_missing_or_failed(world):
    pa = _ready(world)
    db.session.execute(Acceptance.__table__.update().values(passed=False))
    db.session.commit()
    assert _reasons(pa) == ["尚未通过竣工验收。"]


def test_a_planned_handover_line_refuses(world):
    pa = _ready(world)
    db.session.add(Handover(project_id=pa.id, asset="二次供水设施", receiver="郑州市供水公司", planned_on=date(2020, 11, 1)))
    db.session.commit()
    assert _reasons(pa) == ["还有 1 项资产尚未完成移交签字。"]


def test_no_handover_lines_at_all_is_allowed(world):
    pa = _ready(world)
    db.session.execute(Handover.__table__.delete())
    db.session.commit()
    assert services.check_close(pa).allowed


@pytest.mark.parametrize("status", [ProblemStatus.REPORTED, ProblemStatus.ASSIGNED, ProblemStatus.RECTIFIED,
                                    ProblemStatus.REOPENED])
def test_an_open_problem_refuses(world, status):
    pa = _ready(world)
    db.session.add(ProblemReport(project_id=pa.id, title="路灯不亮", status=status))
    db.session.commit()
    assert _reasons(pa) == ["还有 1 个问题尚未整改核验。"]


def test_survey_missing_or_still_open(world):
    pa = _ready(world, survey_open=True)
    assert _reasons(pa) == ["满意度测评尚未结束。"]
    db.session.execute(SatisfactionSurvey.__table__.delete())
    db.session.commit()
    assert _reasons(pa) == ["尚未开展满意度测评：结项前须完成居民满意度测评。"]


def test_gate_mode_survey_failing_its_thresholds(world):
    pa = _ready(world, survey_mode=SatisfactionMode.GATE)
    survey = db.session.scalar(select(SatisfactionSurvey))
    # 3 of compound A's 12 households answered: (5,4,3), (4,4,4), (2,3,1).
    # Response rate 3/12 = 25.0% < 50.0%; overall mean (12 + 12 + 6) / 9 = 30/9 = 3.33 < 4.00.
    _answer(world, survey.id, [(5, 4, 3), (4, 4, 4), (2, 3, 1)])
    assert _reasons(pa) == ["满意度测评未达到结项要求：参评率25.0%，未达到50.0%。 综合平均分3.33，未达到4.00分。"]
    with pytest.raises(DomainError, match="暂不能结项：满意度测评未达到结项要求"):
        services.close_project(pa, world["squad_a"])
    db.session.rollback()
    assert db.session.get(Project, pa.id).closed_at is None


def test_gate_mode_survey_meeting_its_thresholds(world):
    pa = _ready(world, survey_mode=SatisfactionMode.GATE)
    survey = db.session.scalar(select(SatisfactionSurvey))
    # 6 of 12 answered (5,5,4): response rate 6/12 = 50.0% >= 50.0%; mean 84/18 = 4.67 >= 4.00
    _answer(world, survey.id, [(5, 5, 4)] * 6)
    assert services.check_close(pa).allowed


# --- closing through the page -------------------------------------------------------------------------------

def test_refused_close_lists_what_is_missing_on_the_page(client, world, login):
    pa = _ready(world, survey_open=True)
    login("squad_a")
    html = client.get(f"/projects/{pa.id}").get_data(as_text=True)
    assert "结项前还需完成：" in html and "<li>满意度测评尚未结束。</li>" in html
    assert f'action="/projects/{pa.id}/close"' not in html
    resp = _post(client, pa.id, "close")
    assert resp.status_code == 302
    assert "暂不能结项：满意度测评尚未结束。" in client.get(resp.location).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Project, pa.id).closed_at is None and _closes() == 0


def test_squad_closes_with_a_note_and_everyone_sees_it(client, world, login, logout):
    pa = _ready(world)
    login("squad_a")
    html = client.get(f"/projects/{pa.id}").get_data(as_text=True)
    assert "均已完成，可以结项" in html and f'action="/projects/{pa.id}/close"' in html
    before = utcnow()
    resp = _post(client, pa.id, "close", note="各项工作已完成，转入长效管理")
    assert resp.status_code == 302
    page = client.get(resp.location).get_data(as_text=True)
    assert "项目已结项。" in page
    db.session.expire_all()
    project = db.session.get(Project, pa.id)
    assert project.closed_at is not None and before <= project.closed_at <= utcnow()
    row = db.session.scalars(select(AuditLog).where(AuditLog.action == "project.close")).one()
    assert (row.user_id, row.object_type, row.object_id, row.project_id) == (
        world["squad_a"].id, "Project", pa.id, pa.id)
    assert row.before == {"closed_at": None}
    assert row.after == {"closed_at": project.closed_at.isoformat(), "note": "各项工作已完成，转入长效管理"}
    closed = f"已于 {_day_cn(project.closed_at)} 结项"
    assert closed in page and f'action="/projects/{pa.id}/close"' not in page
    assert "撤销结项" not in page  # the squad cannot reopen
    logout()
    login("resident_a")
    html = client.get(f"/projects/{pa.id}").get_data(as_text=True)
    assert closed in html and "撤销结项" not in html


def test_note_too_long_is_shown_next_to_the_field(client, world, login):
    pa = _ready(world)
    login("squad_a")
    resp = _post(client, pa.id, "close", note="很" * 501)
    assert resp.status_code == 400
    assert 'id="note-err"' in resp.get_data(as_text=True) and "备注不能超过500字。" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Project, pa.id).closed_at is None


@pytest.mark.parametrize("user", ["resident_a", "supervisor_a", "leader_a", "squad_other", "resident_b"])
def test_outsiders_cannot_close(client, world, login, user):
    pa = _ready(world)
    login(user)
    token = csrf_from(client.get("/", follow_redirects=True).get_data(as_text=True))
    assert client.post(f"/projects/{pa.id}/close", data={"csrf_token": token}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Project, pa.id).closed_at is None and _closes() == 0
    with pytest.raises(PermissionDenied):
        services.close_project(db.session.get(Project, pa.id), world[user])


def test_double_close_is_refused(client, world, login):
    pa = _ready(world)
    login("squad_a")
    token = csrf_from(client.get(f"/projects/{pa.id}").get_data(as_text=True))
    assert client.post(f"/projects/{pa.id}/close", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    first = db.session.get(Project, pa.id).closed_at
    again = client.post(f"/projects/{pa.id}/close", data={"csrf_token": token})
    assert again.status_code == 302
    assert "暂不能结项：项目已经结项。" in client.get(again.location).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Project, pa.id).closed_at == first and _closes() == 1


def test_two_clicks_at_once_close_once(app, client, world, login):
    pa = _ready(world)
    login("squad_a")
    token = csrf_from(client.get(f"/projects/{pa.id}").get_data(as_text=True))
    cookie = client.get_cookie("session").value
    n = 4
    clients = []
    for _ in range(n):
        c = app.test_client()
        c.set_cookie("session", cookie)
        clients.append(c)
    barrier = threading.Barrier(n)
    codes: list = [None] * n

    def submit(k: int):
        barrier.wait()
        try:
            codes[k] = clients[k].post(f"/projects/{pa.id}/close", data={"csrf_token": token}).status_code
        except Exception as err:  # noqa: BLE001 - any exception is a failure to report
            codes[k] = repr(err)

    threads = [threading.Thread(target=submit, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert codes == [302] * n, codes
    db.session.expire_all()
    assert _closes() == 1 and db.session.get(Project, pa.id).closed_at is not None


# --- reopening -----------------------------------------------------------------------------------------------

def test_admin_reopens_with_a_reason_and_squad_cannot(client, world, login, logout):
    pa = _ready(world)
    services.close_project(pa, world["squad_a"])
    db.session.commit()
    closed_at = pa.closed_at
    login("squad_a")
    token = csrf_from(client.get(f"/projects/{pa.id}").get_data(as_text=True))
    assert client.post(f"/projects/{pa.id}/reopen", data={"csrf_token": token, "reason": "误操作"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.reopen_project(pa, world["squad_a"], "误操作")
    logout()
    login("admin")
    html = client.get(f"/projects/{pa.id}").get_data(as_text=True)
    assert "撤销结项" in html and f'action="/projects/{pa.id}/reopen"' in html
    empty = _post(client, pa.id, "reopen", reason="  ")
    assert empty.status_code == 400 and "请填写撤销结项的原因。" in empty.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Project, pa.id).closed_at == closed_at
    resp = _post(client, pa.id, "reopen", reason="满意度测评数据录入有误，需重新测评")
    assert resp.status_code == 302 and "已撤销结项。" in client.get(resp.location).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Project, pa.id).closed_at is None
    row = db.session.scalars(select(AuditLog).where(AuditLog.action == "project.reopen")).one()
    assert row.user_id == world["admin"].id and row.project_id == pa.id
    assert row.before == {"closed_at": closed_at.isoformat()}
    assert row.after == {"closed_at": None, "reason": "满意度测评数据录入有误，需重新测评"}
    again = _post(client, pa.id, "reopen", reason="再来一次")
    assert "项目尚未结项。" in client.get(again.location).get_data(as_text=True)
    with pytest.raises(DomainError, match="请填写撤销结项的原因"):
        services.reopen_project(db.session.get(Project, pa.id), world["admin"], "")
    # open again: the close card is back for the admin
    assert f'action="/projects/{pa.id}/close"' in client.get(f"/projects/{pa.id}").get_data(as_text=True)


# --- English -------------------------------------------------------------------------------------------------

def test_reasons_and_notice_in_english(client, world, login):
    pa = _ready(world, survey_mode=SatisfactionMode.GATE)
    survey = db.session.scalar(select(SatisfactionSurvey))
    _answer(world, survey.id, [(5, 4, 3), (4, 4, 4), (2, 3, 1)])  # 25.0% and 3.33, as above
    db.session.add(Handover(project_id=pa.id, asset="二次供水设施", receiver="郑州市供水公司"))
    db.session.commit()
    login("squad_a")
    client.set_cookie("lang", "en")
    html = client.get(f"/projects/{pa.id}").get_data(as_text=True)
    assert "Still to do before closing:" in html and "Asset handovers not yet signed: 1." in html
    assert "The satisfaction survey does not meet the closing condition: " in html
    assert "结项" not in html and "移交" not in html
    resp = _post(client, pa.id, "close")
    assert "The project cannot be closed yet: Asset handovers not yet signed: 1." in client.get(
        resp.location).get_data(as_text=True)
    # settle it and close: the notice in English
    db.session.execute(SatisfactionResponse.__table__.delete())
    db.session.execute(Handover.__table__.delete())
    db.session.commit()
    _answer(world, survey.id, [(5, 5, 4)] * 6)
    resp = _post(client, pa.id, "close")
    page = client.get(resp.location).get_data(as_text=True)
    db.session.expire_all()
    d = to_local(db.session.get(Project, pa.id).closed_at).date()
    assert "The project has been closed." in page and f"Closed on {d:%B} {d.day}, {d.year}" in page


# --- retention: the purge runs from the close, a reopen stops it -----------------------------------------------

def test_roster_retention_runs_from_the_close(world):
    pa = _ready(world)
    services.close_project(pa, world["squad_a"])
    db.session.commit()
    owners = db.session.scalar(select(func.count(Owner.id)).where(Owner.compound_id == pa.compound_id))
    assert owners > 0
    assert purge_rosters(now=pa.closed_at + timedelta(days=364), retention_days=365) == {"projects": 0, "owners": 0}
    services.reopen_project(pa, world["admin"], "误操作")
    db.session.commit()
    assert purge_rosters(now=utcnow() + timedelta(days=3650), retention_days=365) == {"projects": 0, "owners": 0}
    services.close_project(pa, world["squad_a"])
    db.session.commit()
    done = purge_rosters(now=pa.closed_at + timedelta(days=366), retention_days=365)
    assert done == {"projects": 1, "owners": owners}


def test_a_closed_project_keeps_its_survey_result(world):
    # Closing needs the survey closed; reopening it afterwards would change a result the close relied on.
    from renovation.aftercare.services import open_survey

    pa = _ready(world)
    services.close_project(pa, world["squad_a"])
    db.session.commit()
    with pytest.raises(DomainError, match="项目已结项，满意度测评不能重新发起"):
        open_survey(pa, world["squad_a"], title="再测一次", mode=SatisfactionMode.REPORT,
                    min_mean=Decimal("4.00"), min_response_rate=Decimal("0.500"))
    db.session.rollback()
    survey = db.session.scalar(select(SatisfactionSurvey).where(SatisfactionSurvey.project_id == pa.id))
    assert survey.is_open is False and survey.title == "满意度测评"
    services.reopen_project(pa, world["admin"], "需重新测评")
    db.session.commit()
    assert open_survey(pa, world["squad_a"], title="再测一次", mode=SatisfactionMode.REPORT,
                       min_mean=Decimal("4.00"), min_response_rate=Decimal("0.500")).is_open is True
