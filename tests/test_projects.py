"""Stage moves through the one service and its web page: gates, history, audit, permissions."""

from sqlalchemy import func, select

from renovation.core.models import AuditLog
from renovation.extensions import db
from renovation.projects.models import Project, ProjectItemStatus, StageTransition
from renovation.projects.rules import Stage
from renovation.wishes.models import WishResponse, WishSurvey
from tests.factories import csrf_from


def _post_move(client, project_id, target, reason="测试"):
    page = client.get(f"/projects/{project_id}")
    token = csrf_from(page.get_data(as_text=True))
    return client.post(f"/projects/{project_id}/stage", data={"target": target, "reason": reason,
                                                              "csrf_token": token}, follow_redirects=True)


def _transitions(project_id):
    return db.session.scalar(select(func.count(StageTransition.id)).where(StageTransition.project_id == project_id))


def test_refused_move_says_why_and_changes_nothing(client, world, login):
    login("squad_a")
    pid = world["project_a"].id
    resp = _post_move(client, pid, "planning")
    html = resp.get_data(as_text=True)
    assert "还没有表决通过的改造项目" in html
    assert db.session.get(Project, pid).stage is Stage.CONSULTATION
    assert _transitions(pid) == 0


def test_allowed_move_writes_history_and_audit(client, world, login):
    pid = world["project_a"].id
    world["items_a"][0].status = ProjectItemStatus.ADOPTED
    db.session.commit()
    login("squad_a")
    resp = _post_move(client, pid, "planning", reason="表决通过天然气入户")
    assert "项目已进入“方案制订”阶段" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Project, pid).stage is Stage.PLANNING
    t = db.session.scalars(select(StageTransition).where(StageTransition.project_id == pid)).one()
    assert (t.from_stage, t.to_stage, t.user_id, t.reason) == (
        Stage.CONSULTATION, Stage.PLANNING, world["squad_a"].id, "表决通过天然气入户")
    audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "stage.move")).one()
    assert audit.before == {"stage": "consultation"} and audit.after == {"stage": "planning"}


def test_skipping_a_stage_is_refused(client, world, login):
    world["items_a"][0].status = ProjectItemStatus.ADOPTED
    db.session.commit()
    login("squad_a")
    html = _post_move(client, world["project_a"].id, "construction").get_data(as_text=True)
    assert "只能进入下一阶段" in html
    assert db.session.get(Project, world["project_a"].id).stage is Stage.CONSULTATION


def test_wish_gate_two_thirds_on_compound_b(client, world, login):
    # Compound B has 2 households: 1 consenting is 50% < 66.7% (refused); 2 is 100% (allowed).
    pb = world["project_b"]
    survey = WishSurvey(project_id=pb.id, title="意愿征集")
    db.session.add(survey)
    db.session.flush()
    db.session.add(WishResponse(survey_id=survey.id, household_id=world["households_b"][0].id, consent=True))
    db.session.commit()
    login("squad_other")
    html = _post_move(client, pb.id, "consultation").get_data(as_text=True)
    assert "1/2（50.0%）" in html and "66.7%" in html
    db.session.add(WishResponse(survey_id=survey.id, household_id=world["households_b"][1].id, consent=True))
    db.session.commit()
    _post_move(client, pb.id, "consultation")
    db.session.expire_all()
    assert db.session.get(Project, pb.id).stage is Stage.CONSULTATION


def test_only_squad_of_the_project_or_admin_may_move(client, world, login):
    world["items_a"][0].status = ProjectItemStatus.ADOPTED
    db.session.commit()
    pid = world["project_a"].id
    for user, expected in [("leader_a", 403), ("resident_a", 403), ("squad_other", 403)]:
        with client:
            login(user)
            token = csrf_from(client.get("/login", follow_redirects=True).get_data(as_text=True))
            resp = client.post(f"/projects/{pid}/stage", data={"target": "planning", "csrf_token": token})
            assert resp.status_code == expected, user
            client.post("/logout", data={"csrf_token": token})
    assert _transitions(pid) == 0
