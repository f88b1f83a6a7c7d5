"""Register pages: list with filters and pages, phones masked except for the project's staff, add,
correct and move out with history, access by role, no N+1.

World: 测试A小区, 12 households (1号楼/2号楼 x 1单元/2单元 x rooms 101/201/301), every owner's phone
13800000000; squad_a is assigned to A's project, leader_a leads its subdistrict.
"""

from sqlalchemy import event, func, select

from renovation.core.models import AuditLog
from renovation.extensions import db
from renovation.org.models import Household, HouseholdStatus
from renovation.roster import services
from renovation.voting import services as voting_services
from renovation.voting.models import Ballot
from tests.factories import csrf_from


def _url(world, suffix=""):
    return f"/org/project/{world['project_a'].id}/households{suffix}"


def test_squad_sees_full_phones_leader_masked_residents_refused(client, world, login, logout):
    login("squad_a")
    html = client.get(_url(world)).get_data(as_text=True)
    assert 'id="roster-total">12<' in html and "13800000000" in html and "138****0000" not in html
    logout()
    login("leader_a")
    html = client.get(_url(world)).get_data(as_text=True)
    assert "138****0000" in html and "13800000000" not in html and "登记住户" not in html
    logout()
    login("resident_a")
    assert client.get(_url(world)).status_code == 403
    logout()
    login("squad_other")
    assert client.get(_url(world)).status_code == 403


def test_filter_by_building_and_entrance_and_pages(client, world, login):
    login("squad_a")
    b2 = world["compound_a"].buildings[1]
    e = b2.entrances[0]
    html = client.get(_url(world, f"?building={b2.id}")).get_data(as_text=True)
    assert 'id="roster-total">6<' in html and "1号楼" not in html.split('id="roster"')[1]  # 2 entrances x 3
    html = client.get(_url(world, f"?building={b2.id}&entrance={e.id}")).get_data(as_text=True)
    assert 'id="roster-total">3<' in html and "2号楼1单元301" in html
    # 12 households, 5 a page -> 3 pages, the last with 2
    page = services.roster_page(world["project_a"], page=3, per_page=5)
    assert (page.total, page.pages, len(page.households)) == (12, 3, 2)
    assert services.roster_page(world["project_a"], page=99, per_page=5).page == 3  # clamped
    assert client.get(_url(world, "?page=abc&building=x")).status_code == 200


def test_list_has_no_n_plus_one(client, world, login):
    login("squad_a")
    statements = []

    def count(*_a, **_k):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(_url(world)).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    # user, project, access checks, count, households (joined), buildings + entrances: a constant, not 12+
    assert len(statements) <= 10, len(statements)


def _post(client, url, data):
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def _form(world, **kw):
    e = world["compound_a"].buildings[0].entrances[0]
    data = {"entrance_id": e.id, "floor": "4", "room": "401", "area": "85.50", "owner_name": "吴海燕",
            "owner_type": "private", "phone": "13912345678", "id_number": "", "voter_name": "", "co_owner_names": "吴海波"}
    data.update(kw)
    return data


def test_add_correct_move_out_with_history(client, world, login):
    login("squad_a")
    resp = _post(client, _url(world, "/new"), _form(world))
    assert resp.status_code == 302
    h = db.session.scalar(select(Household).where(Household.room == "401"))
    assert h.label == "1号楼1单元401" and str(h.area) == "85.50" and h.voter_name == "吴海燕"
    assert h.co_owner_names == "吴海波"
    # a bad area re-renders with the message next to the field, nothing written
    resp = _post(client, _url(world, "/new"), _form(world, room="402", area="八十"))
    assert resp.status_code == 400 and "面积" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Household.id)).where(Household.room == "402")) == 0
    # the same room twice: refused with a message
    resp = _post(client, _url(world, "/new"), _form(world))
    assert resp.status_code == 302
    assert db.session.scalar(select(func.count(Household.id)).where(Household.room == "401")) == 1
    edit = _url(world, f"/{h.id}")
    # a correction needs a reason
    assert _post(client, edit, _form(world, area="86.00")).status_code == 400
    assert _post(client, edit, _form(world, area="86.00", voter_name="吴海波", reason="按不动产证更正")).status_code == 302
    db.session.expire_all()
    assert str(h.area) == "86.00" and h.voter_name == "吴海波"
    move = _post(client, edit.replace(f"/{h.id}", f"/{h.id}/move-out"),
                 {"on": "2020-10-01", "reason": "房屋已出售，待新业主登记"})
    assert move.status_code == 302
    db.session.expire_all()
    assert h.status is HouseholdStatus.MOVED_OUT and str(h.moved_out_on) == "2020-10-01"
    html = client.get(edit).get_data(as_text=True)
    assert "按不动产证更正" in html and "房屋已出售" in html and "恢复在册" in html
    actions = list(db.session.scalars(select(AuditLog.action).where(
        AuditLog.object_type == "Household", AuditLog.object_id == h.id).order_by(AuditLog.id)))
    assert actions == ["household.add", "household.update", "household.move_out"]
    log = db.session.scalar(select(AuditLog).where(AuditLog.action == "household.update"))
    assert log.before["area"] == "85.50" and log.after["area"] == "86.00"
    # moved out: no longer entitled to vote
    ballot = Ballot(project_id=world["project_a"].id, title="t")
    db.session.add(ballot)
    db.session.flush()
    assert h.id not in {x.id for x in voting_services.eligible_households(ballot)}
    # reinstated
    assert _post(client, edit.replace(f"/{h.id}", f"/{h.id}/reinstate"), {"reason": "误标迁出"}).status_code == 302
    db.session.expire_all()
    assert h.status is HouseholdStatus.ACTIVE


def test_household_of_another_compound_is_404(client, world, login):
    login("squad_a")
    other = world["households_b"][0]
    assert client.get(_url(world, f"/{other.id}")).status_code == 404
