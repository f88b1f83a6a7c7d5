"""Facilities and partners (配套设施): added by the squad with counted provisions, seen by residents, edited."""

from decimal import Decimal

from sqlalchemy import func, select

from renovation.aftercare.models import Facility, FacilityProvision
from renovation.core.models import AuditLog
from renovation.extensions import db
from tests.factories import csrf_from


def test_squad_adds_a_facility_residents_see_it(client, world, login, logout):
    pid = world["project_a"].id
    login("squad_a")
    token = csrf_from(client.get(f"/aftercare/projects/{pid}/facilities").get_data(as_text=True))
    resp = client.post(f"/aftercare/projects/{pid}/facilities", data={
        "csrf_token": token, "name": "图书服务点", "kind": "文化", "partner_name": "中原区图书馆", "area": "200",
        "provision": "与区图书馆通借通还", "counted": "图书 3,000 册\n绘本 300 册", "status": "已开放",
        "opening_hours": "9:00-17:00", "opened_on": "2020-11-01"}, follow_redirects=True)
    assert "设施已登记" in resp.get_data(as_text=True)
    f = db.session.scalars(select(Facility)).one()
    assert (f.name, f.partner.name, f.area, f.status) == ("图书服务点", "中原区图书馆", Decimal("200.00"), "已开放")
    assert [(p.item, p.quantity, p.unit) for p in f.provisions] == [("图书", 3000, "册"), ("绘本", 300, "册")]
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "facility.add")) == 1
    logout()
    login("resident_a")
    html = client.get(f"/aftercare/projects/{pid}/facilities").get_data(as_text=True)
    assert "图书服务点" in html and "中原区图书馆" in html and "图书 3,000册" in html and "9:00-17:00" in html
    assert "登记设施" not in html


def test_facility_bad_input_is_refused_in_chinese(client, world, login):
    pid = world["project_a"].id
    login("squad_a")
    token = csrf_from(client.get(f"/aftercare/projects/{pid}/facilities").get_data(as_text=True))
    resp = client.post(f"/aftercare/projects/{pid}/facilities",
                       data={"csrf_token": token, "name": "篮球场", "area": "-5", "status": "已开放"})
    assert resp.status_code == 400 and "面积须在0到100000" in resp.get_data(as_text=True)
    resp = client.post(f"/aftercare/projects/{pid}/facilities",
                       data={"csrf_token": token, "name": "篮球场", "counted": "很多篮球", "status": "已开放"})
    assert resp.status_code == 400 and "第1行“很多篮球”看不懂" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Facility.id))) == 0


def test_resident_cannot_add_facility(client, world, login):
    pid = world["project_a"].id
    login("resident_a")
    token = csrf_from(client.get(f"/aftercare/projects/{pid}/facilities").get_data(as_text=True))
    resp = client.post(f"/aftercare/projects/{pid}/facilities", data={"csrf_token": token, "name": "篮球场"})
    assert resp.status_code == 403
    assert db.session.scalar(select(func.count(Facility.id))) == 0


def test_squad_edits_opening_status_and_counts(client, world, login):
    pa = world["project_a"]
    f = Facility(compound_id=pa.compound_id, name="养老服务中心", status="建设中",
                 provisions=[FacilityProvision(item="床位", quantity=20, unit="张")])
    db.session.add(f)
    db.session.commit()
    login("squad_a")
    page = client.get(f"/aftercare/facilities/{f.id}/edit").get_data(as_text=True)
    assert "床位 20 张" in page
    resp = client.post(f"/aftercare/facilities/{f.id}/edit", data={
        "csrf_token": csrf_from(page), "name": "养老服务中心", "status": "已开放", "opening_hours": "8:00-18:00",
        "counted": "床位 30 张"}, follow_redirects=True)
    assert "设施信息已更新" in resp.get_data(as_text=True)
    db.session.refresh(f)
    assert (f.status, f.opening_hours, [(p.item, p.quantity) for p in f.provisions]) == (
        "已开放", "8:00-18:00", [("床位", 30)])
    assert db.session.scalar(select(func.count(FacilityProvision.id))) == 1  # the old line was replaced
