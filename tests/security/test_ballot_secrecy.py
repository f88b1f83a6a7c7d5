"""Ballot secrecy and personal data (issue 15, finding 2).

- While a ballot is open nobody but the household sees its choices: the audit rows of votes hold that the
  household voted, how, and the record's hash; receipts shown to the squad hide the choices until close;
  after close the squad sees them and the view is logged.
- Leaders see masked names (王**) on the roster and in the audit log (roster corrections' names and phones);
  problem lists and objections show residents' names masked to those who should not see them.
- Erasure pseudonymises the person's names and numbers inside audit rows too (row, action, hash chain kept).
- SQLite deletes with secure_delete; the privacy notice says what is true.
"""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from renovation.admin.services import erase_owner
from renovation.construction.models import ProblemReport
from renovation.core.db import utcnow
from renovation.core.models import AuditLog
from renovation.extensions import db
from renovation.org.models import Owner, OwnerType
from renovation.planning.models import Objection, Plan
from renovation.roster import services as roster
from renovation.voting import services
from renovation.voting.models import Choice, Vote
from tests.factories import csrf_from


@pytest.fixture
def ballot(world):
    b = services.create_ballot(world["squad_a"], world["project_a"], title="改造内容表决",
                               item_ids=[i.id for i in world["items_a"]], closes_at=utcnow() + timedelta(days=7))
    services.open_ballot(world["squad_a"], b)
    db.session.commit()
    return b


def _all(ballot, choice):
    return {i.id: choice for i in ballot.items}


def _logout(client):
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/", follow_redirects=True).get_data(
        as_text=True))})


def test_vote_audit_rows_say_who_voted_and_the_hash_never_the_choices(client, world, login, ballot):
    own = world["households_a"][0]
    first = services.cast_vote(world["resident_a"], ballot, own, _all(ballot, Choice.AGAINST))
    second = services.cast_vote(world["resident_a"], ballot, own, _all(ballot, Choice.AGREE))
    db.session.commit()
    rows = db.session.scalars(select(AuditLog).where(AuditLog.action.in_(["vote.cast", "vote.change"]))
                              .order_by(AuditLog.id)).all()
    assert [(r.action, r.before, r.after) for r in rows] == [
        ("vote.cast", None, {"household_id": own.id, "channel": "online", "record_hash": first.record_hash}),
        ("vote.change", {"vote_id": first.id, "record_hash": first.record_hash},
         {"household_id": own.id, "channel": "online", "record_hash": second.record_hash}),
    ]
    login("leader_a")
    html = client.get("/admin/audit").get_data(as_text=True)
    assert first.record_hash in html
    assert first.receipt_code not in html and second.receipt_code not in html and '"agree"' not in html


def test_receipts_show_choices_only_to_the_household_until_the_ballot_closes(client, world, login, ballot):
    own = world["households_a"][0]
    vote = services.cast_vote(world["resident_a"], ballot, own, _all(ballot, Choice.AGAINST))
    db.session.commit()
    url = f"/voting/receipt/{vote.id}"
    login("resident_a")
    assert "反对" in client.get(url).get_data(as_text=True)       # the household's own choices
    _logout(client)

    def views():
        return db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "vote.choices_view"))

    login("squad_a")
    html = client.get(url).get_data(as_text=True)
    assert vote.receipt_code in html and "表决结束前，只有本户能看到自己的选择" in html
    assert "反对" not in html and views() == 0
    services.close_ballot(world["squad_a"], ballot)
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert "反对" in html                                           # after close: for disputes, logged
    row = db.session.scalars(select(AuditLog).where(AuditLog.action == "vote.choices_view")).one()
    assert (row.user_id, row.object_type, row.object_id, row.after) == (
        world["squad_a"].id, "Vote", vote.id, {"household_id": own.id, "ballot_id": ballot.id})


def _correct_household(world):
    """squad_a corrects 1号楼1单元101: the owner becomes 王小明 (13812345678), the voter 王小明."""
    hh = world["households_a"][0]
    roster.update_household(world["squad_a"], world["project_a"], hh, entrance_id=hh.entrance_id, floor=hh.floor,
                            room=hh.room, area=hh.area, owner_name="王小明", owner_type=OwnerType.PRIVATE,
                            phone="13812345678", id_number=None, voter_name="王小明", co_owner_names="李小红",
                            reason="房产证更名")
    db.session.commit()
    return hh


def test_leaders_see_masked_names_on_the_roster_and_in_the_audit_log(client, world, login, logout):
    hh = _correct_household(world)
    login("leader_a")
    roster_page = client.get(f"/org/project/{world['project_a'].id}/households").get_data(as_text=True)
    assert "王小明" not in roster_page and "李小红" not in roster_page and "测试A小区业主1-1-2" not in roster_page
    assert "王**" in roster_page and "李**" in roster_page and "138****5678" in roster_page
    audit_page = client.get("/admin/audit").get_data(as_text=True)
    assert "王小明" not in audit_page and "13812345678" not in audit_page and "李小红" not in audit_page
    assert "王**" in audit_page and "138****5678" in audit_page
    # A leader cannot find a household by a name typed in full either.
    found = client.get(f"/org/project/{world['project_a'].id}/households?q=王小明").get_data(as_text=True)
    assert hh.label not in found
    logout()
    login("admin")                                                  # full values, and the view is logged
    audit_page = client.get("/admin/audit").get_data(as_text=True)
    assert "王小明" in audit_page and "13812345678" in audit_page
    logged = db.session.scalars(select(AuditLog).where(AuditLog.action == "personal_data.view",
                                                       AuditLog.user_id == world["admin"].id)).all()
    assert len(logged) == 1 and logged[0].after["fields"] == ["name", "phone"]


def test_problem_lists_and_objections_mask_residents_names(client, world, login, logout):
    pa = world["project_a"]
    world["resident_a"].display_name = "张小明"
    problem = ProblemReport(project_id=pa.id, title="井盖松动", reporter_id=world["resident_a"].id)
    plan = Plan(project_id=pa.id, title="测试方案")
    db.session.add_all([problem, plan])
    db.session.flush()
    db.session.add(Objection(plan_id=plan.id, household_id=world["households_a"][0].id, author_name="张小明",
                             content="楼道灯位置不合适"))
    db.session.commit()
    pages = {"problems": f"/construction/projects/{pa.id}/problems", "plan": f"/planning/projects/{pa.id}"}
    shown = {}
    for user in ["resident_a", "resident_a2", "leader_a", "squad_a"]:
        login(user)
        shown[user] = {name: client.get(url).get_data(as_text=True) for name, url in pages.items()}
        logout()
    for user in ["resident_a2", "leader_a"]:
        for name, html in shown[user].items():
            assert "张小明" not in html and "张**" in html, (user, name)
    for user in ["resident_a", "squad_a"]:                          # the person and the squad: in full
        for name, html in shown[user].items():
            assert "张小明" in html, (user, name)


def test_erasure_pseudonymises_the_owner_in_audit_rows(world, ballot):
    hh = _correct_household(world)
    owner = db.session.get(Owner, hh.owner_id)
    services.cast_vote(world["resident_a"], ballot, hh, _all(ballot, Choice.AGREE))
    db.session.commit()
    rows_before = db.session.execute(select(AuditLog.id, AuditLog.action).order_by(AuditLog.id)).all()
    hashes = db.session.scalars(select(Vote.record_hash).order_by(Vote.id)).all()

    erase_owner(world["admin"], owner)
    db.session.commit()

    dumped = json.dumps([(r.before, r.after) for r in db.session.scalars(select(AuditLog))], ensure_ascii=False)
    assert "王小明" not in dumped and "13812345678" not in dumped and "李小红" not in dumped
    assert f"已匿名业主#{owner.id}" in dumped
    # Every row and action kept (plus the erasure's own row); the vote chain untouched.
    rows_after = db.session.execute(select(AuditLog.id, AuditLog.action).order_by(AuditLog.id)).all()
    assert rows_after[:len(rows_before)] == rows_before and rows_after[-1].action == "personal_data.erase"
    assert db.session.scalars(select(Vote.record_hash).order_by(Vote.id)).all() == hashes
    assert services.verify_chain(ballot) is None
    erase_row = rows_after[-1]
    assert db.session.get(AuditLog, erase_row.id).after["audit_rows"] >= 1


def test_sqlite_deletes_with_secure_delete(tmp_path):
    from renovation import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'sd.db'}"})
    with app.app_context():
        assert db.session.execute(text("PRAGMA secure_delete")).scalar() == 1
        db.session.remove()
        db.engine.dispose()


def test_the_privacy_notice_says_what_is_true(client, world):
    page = client.get("/privacy").get_data(as_text=True)
    assert "只看统计数字" not in page                               # leaders do read pages with masked names
    for promise in ["王**", "表决结束前", "审计日志中的姓名和号码", "签字选票", "不会被缓存"]:
        assert promise in page, promise
