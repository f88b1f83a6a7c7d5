"""Residents' repair requests (报修): a resident files and follows only their own; the squad handles them
against the target hours of the category; overdue flags; the setting table."""

import io
from datetime import timedelta

from sqlalchemy import func, select

from renovation.aftercare import services
from renovation.aftercare.models import RepairCategory, RepairRequest, RepairStatus
from renovation.core.db import utcnow
from renovation.core.models import AuditLog
from renovation.extensions import db
from tests.aftercare.factories import make_categories
from tests.factories import csrf_from


def _file(client, pid, data):
    token = csrf_from(client.get(f"/aftercare/projects/{pid}/repairs/new").get_data(as_text=True))
    return client.post(f"/aftercare/projects/{pid}/repairs/new", data={"csrf_token": token, **data},
                       content_type="multipart/form-data")


def test_resident_files_with_photo_and_follows_only_their_own(client, world, login, logout, jpeg):
    cats = make_categories()
    db.session.commit()
    pid = world["project_a"].id
    login("resident_a")
    resp = _file(client, pid, {"category_id": str(cats["水电"].id), "location": "1号楼1单元101 卫生间",
                               "description": "水管漏水", "photo": (io.BytesIO(jpeg), "漏水.jpg")})
    assert resp.status_code == 302
    req = db.session.scalars(select(RepairRequest)).one()
    assert (req.household_id, req.target_hours, req.status, req.photo_id is not None) == (
        world["households_a"][0].id, 24, RepairStatus.SUBMITTED, True)
    page = client.get(f"/aftercare/repairs/{req.id}").get_data(as_text=True)
    assert "水电：1号楼1单元101 卫生间" in page and "24 小时" in page and "已提交" in page
    assert "处理报修" not in page
    logout()
    # another resident of the same compound sees neither the request nor it in their list
    login("resident_a2")
    assert client.get(f"/aftercare/repairs/{req.id}").status_code == 403
    assert "卫生间" not in client.get(f"/aftercare/projects/{pid}/repairs").get_data(as_text=True)
    token = csrf_from(client.get(f"/aftercare/projects/{pid}/repairs").get_data(as_text=True))
    assert client.post(f"/aftercare/repairs/{req.id}/handle", data={"csrf_token": token, "action": "done",
                                                                    "note": "x"}).status_code == 403
    logout()
    # the squad sees it with the household
    login("squad_a")
    html = client.get(f"/aftercare/projects/{pid}/repairs").get_data(as_text=True)
    assert "卫生间" in html and world["households_a"][0].label in html


def test_bad_repair_input_is_refused_and_nothing_written(client, world, login):
    cats = make_categories()
    db.session.commit()
    pid = world["project_a"].id
    login("resident_a")
    resp = _file(client, pid, {"category_id": str(cats["水电"].id), "location": ""})
    assert resp.status_code == 400 and "请写明位置" in resp.get_data(as_text=True)
    resp = _file(client, pid, {"category_id": "999", "location": "楼道"})
    assert resp.status_code == 400 and "不是有效的选择" in resp.get_data(as_text=True)
    resp = _file(client, pid, {"category_id": str(cats["水电"].id), "location": "楼道",
                               "photo": (io.BytesIO(b"not an image"), "x.jpg")})
    assert resp.status_code == 400 and "不是可识别的图片" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(RepairRequest.id))) == 0


def test_squad_accepts_and_closes_time_to_close_and_audit(client, world, login):
    cats = make_categories()
    req = RepairRequest(project_id=world["project_a"].id, household_id=world["households_a"][0].id,
                        reporter_id=world["resident_a"].id, category_id=cats["公共设施"].id, target_hours=72,
                        location="2号楼路灯", created_at=utcnow() - timedelta(hours=5))
    db.session.add(req)
    db.session.commit()
    login("squad_a")
    page = client.get(f"/aftercare/repairs/{req.id}").get_data(as_text=True)
    token = csrf_from(page)
    url = f"/aftercare/repairs/{req.id}/handle"
    bad = client.post(url, data={"csrf_token": token, "action": "done", "note": ""})
    assert bad.status_code == 400 and "请填写处理结果" in bad.get_data(as_text=True)
    assert client.post(url, data={"csrf_token": token, "action": "accept"}).status_code == 302
    assert client.post(url, data={"csrf_token": token, "action": "done", "note": "已更换灯泡"}).status_code == 302
    db.session.refresh(req)
    assert req.status is RepairStatus.DONE and req.result == "已更换灯泡"
    hours = (req.done_at - req.created_at).total_seconds() / 3600
    assert 5 <= hours < 5.1  # filed 5 hours before the test ran
    html = client.get(f"/aftercare/repairs/{req.id}").get_data(as_text=True)
    assert "已办结" in html and "用时 5.0 小时" in html and "超时" not in html
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.object_type == "RepairRequest")
                                 .order_by(AuditLog.id)).all()
    assert actions == ["repair.accept", "repair.done"]
    again = client.post(url, data={"csrf_token": token, "action": "done", "note": "再次"})
    assert again.status_code == 400 and "该报修已办结" in again.get_data(as_text=True)


def test_overdue_flag_in_list_and_filter(client, world, login):
    cats = make_categories()
    pid = world["project_a"].id
    hh = world["households_a"][0].id
    late = RepairRequest(project_id=pid, household_id=hh, category_id=cats["水电"].id, target_hours=24,
                         location="A 超时未办", created_at=utcnow() - timedelta(hours=25))
    fresh = RepairRequest(project_id=pid, household_id=hh, category_id=cats["水电"].id, target_hours=24,
                          location="B 刚提交", created_at=utcnow() - timedelta(hours=23))
    closed_late = RepairRequest(project_id=pid, household_id=hh, category_id=cats["公共设施"].id, target_hours=72,
                                location="C 超时办结", status=RepairStatus.DONE, result="ok",
                                created_at=utcnow() - timedelta(hours=100), done_at=utcnow() - timedelta(hours=20))
    db.session.add_all([late, fresh, closed_late])
    db.session.commit()
    # 25 h > 24 h: overdue; 23 h: not; closed after 80 h > 72 h: closed late
    stats = services.repair_stats(world["project_a"])
    assert (stats.total, stats.done, stats.overdue_open, stats.on_time) == (3, 1, 1, 0)
    login("squad_a")
    html = client.get(f"/aftercare/projects/{pid}/repairs?overdue=1").get_data(as_text=True)
    assert "A 超时未办" in html and "C 超时办结" in html and "B 刚提交" not in html
    html = client.get(f"/aftercare/projects/{pid}/repairs?status=submitted").get_data(as_text=True)
    assert "A 超时未办" in html and "B 刚提交" in html and "C 超时办结" not in html
    assert "超时 1 件" in client.get(f"/projects/{pid}").get_data(as_text=True)


def test_default_categories_are_seeded_on_first_request(client, world, login):
    pid = world["project_a"].id
    login("resident_a")
    page = client.get(f"/aftercare/projects/{pid}/repairs/new").get_data(as_text=True)
    assert "水电（24小时内处理）" in page and "公共设施（72小时内处理）" in page
    resp = client.post(f"/aftercare/projects/{pid}/repairs/new", data={
        "csrf_token": csrf_from(page), "category_id": "-1", "location": "厨房"})
    assert resp.status_code == 302
    assert db.session.scalar(select(func.count(RepairCategory.id))) == 7
    assert db.session.scalars(select(RepairRequest)).one().category.name == "水电"


def test_admin_sets_target_hours_others_cannot(client, world, login, logout):
    make_categories()
    db.session.commit()
    login("squad_a")
    assert client.get("/aftercare/repair-targets").status_code == 403
    logout()
    login("admin")
    token = csrf_from(client.get("/aftercare/repair-targets").get_data(as_text=True))
    bad = client.post("/aftercare/repair-targets", data={"csrf_token": token, "name": "水电", "target_hours": "0"})
    assert bad.status_code == 400 and "处理时限须在1到720小时之间" in bad.get_data(as_text=True)
    client.post("/aftercare/repair-targets", data={"csrf_token": token, "name": "水电", "target_hours": "12"})
    assert db.session.scalar(select(RepairCategory.target_hours).where(RepairCategory.name == "水电")) == 12
