"""Facilities (改造后管理) and the temporary Party branch pages: access, validation, records."""

from datetime import date

from sqlalchemy import func, select

from renovation.aftercare.models import Facility
from renovation.extensions import db
from renovation.party.models import Meeting, PartyBranch, PartyMember
from tests.factories import csrf_from


def _branch(world):
    branch = PartyBranch(project_id=world["project_a"].id, name="测试A小区改造项目临时党支部", founded_on=date(2020, 4, 1))
    db.session.add(branch)
    db.session.flush()
    db.session.add(PartyMember(branch_id=branch.id, name="王书记", post="书记", home_unit="桐柏路街道党工委"))
    db.session.commit()
    return branch


def test_squad_adds_a_facility_residents_see_it(client, world, login, logout):
    pid = world["project_a"].id
    login("squad_a")
    token = csrf_from(client.get(f"/aftercare/projects/{pid}/facilities").get_data(as_text=True))
    resp = client.post(f"/aftercare/projects/{pid}/facilities", data={
        "csrf_token": token, "name": "图书服务点", "kind": "文化", "partner_name": "中原区图书馆", "area": "200",
        "provision": "图书3000册、绘本300余册", "opening_hours": "9:00-17:00"}, follow_redirects=True)
    assert "设施已登记" in resp.get_data(as_text=True)
    f = db.session.scalars(select(Facility)).one()
    assert (f.name, f.partner.name, float(f.area)) == ("图书服务点", "中原区图书馆", 200.0)
    logout()
    login("resident_a")
    html = client.get(f"/aftercare/projects/{pid}/facilities").get_data(as_text=True)
    assert "图书服务点" in html and "中原区图书馆" in html and "登记设施" not in html


def test_facility_bad_area_is_refused_in_chinese(client, world, login):
    pid = world["project_a"].id
    login("squad_a")
    token = csrf_from(client.get(f"/aftercare/projects/{pid}/facilities").get_data(as_text=True))
    resp = client.post(f"/aftercare/projects/{pid}/facilities",
                       data={"csrf_token": token, "name": "篮球场", "area": "-5"})
    assert resp.status_code == 200 and "面积须在0到100000" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Facility.id))) == 0


def test_resident_cannot_add_facility(client, world, login):
    pid = world["project_a"].id
    login("resident_a")
    token = csrf_from(client.get(f"/aftercare/projects/{pid}/facilities").get_data(as_text=True))
    resp = client.post(f"/aftercare/projects/{pid}/facilities", data={"csrf_token": token, "name": "篮球场"})
    assert resp.status_code == 403
    assert db.session.scalar(select(func.count(Facility.id))) == 0


def test_party_branch_visible_to_staff_and_leaders_not_residents(client, world, login, logout):
    _branch(world)
    pid = world["project_a"].id
    for user, status in [("resident_a", 403), ("supervisor_a", 403), ("leader_a", 200), ("leader_other", 403),
                         ("squad_a", 200), ("squad_other", 403), ("admin", 200)]:
        login(user)
        assert client.get(f"/party/projects/{pid}").status_code == status, user
        logout()


def test_meeting_recorded_with_attendance(client, world, login):
    _branch(world)
    pid = world["project_a"].id
    login("squad_a")
    token = csrf_from(client.get(f"/party/projects/{pid}").get_data(as_text=True))
    bad = client.post(f"/party/projects/{pid}", data={"csrf_token": token, "held_on": "2026-11-23",
                                                      "title": "周例会", "attendees": "12", "expected": "10"})
    assert "实到人数不能多于应到人数" in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Meeting.id))) == 0
    ok = client.post(f"/party/projects/{pid}", data={"csrf_token": token, "held_on": "2026-11-23",
                                                     "title": "周例会", "attendees": "9", "expected": "12",
                                                     "minutes": "研究管线入地施工安排"}, follow_redirects=True)
    html = ok.get_data(as_text=True)
    # 9 of 12 attended: 75%.
    assert "9/12（75%）" in html and "2026年11月23日" in html
