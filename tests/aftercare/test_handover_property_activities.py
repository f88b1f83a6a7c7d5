"""Handover checklist (资产移交), property management contract (物业) and community activities."""

import io
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from renovation.aftercare import services
from renovation.aftercare.models import (
    CommunityActivity,
    Handover,
    HandoverDocument,
    HandoverStatus,
    PropertyContract,
)
from renovation.core.models import AuditLog
from renovation.core.timeutil import local_today
from renovation.extensions import db
from tests.factories import csrf_from


def test_handover_added_signed_with_scan(client, world, login, logout, jpeg):
    pid = world["project_a"].id
    login("squad_a")
    token = csrf_from(client.get(f"/aftercare/projects/{pid}/handovers").get_data(as_text=True))
    client.post(f"/aftercare/projects/{pid}/handovers", data={
        "csrf_token": token, "asset": "庭院燃气管网", "receiver": "郑州华润燃气股份有限公司", "planned_on": "2020-09-10"})
    h = db.session.scalars(select(Handover)).one()
    assert h.status is HandoverStatus.PLANNED
    url = f"/aftercare/handovers/{h.id}"
    future = (local_today() + timedelta(days=1)).isoformat()
    bad = client.post(f"{url}/sign", data={"csrf_token": token, "handed_on": future, "giver_signatory": "孙志远",
                                          "receiver_signatory": "燃气公司代表"})
    assert bad.status_code == 400 and "移交日期不能晚于今天" in bad.get_data(as_text=True)
    missing = client.post(f"{url}/sign", data={"csrf_token": token, "handed_on": "2020-09-09",
                                              "giver_signatory": "孙志远"})
    assert missing.status_code == 400 and "请填写接收方签字人" in missing.get_data(as_text=True)
    db.session.refresh(h)
    assert h.status is HandoverStatus.PLANNED
    ok = client.post(f"{url}/sign", data={"csrf_token": token, "handed_on": "2020-09-09", "giver_signatory": "孙志远",
                                         "receiver_signatory": "燃气公司代表"})
    assert ok.status_code == 302
    notimg = client.post(f"{url}/documents", data={"csrf_token": token, "title": "移交确认书",
                                                   "scan": (io.BytesIO(b"%PDF-1.4"), "a.pdf")},
                         content_type="multipart/form-data")
    assert notimg.status_code == 400 and "不是可识别的图片" in notimg.get_data(as_text=True)
    client.post(f"{url}/documents", data={"csrf_token": token, "title": "移交确认书",
                                          "scan": (io.BytesIO(jpeg), "确认书.jpg")}, content_type="multipart/form-data")
    db.session.refresh(h)
    assert (h.status, h.handed_on.isoformat(), h.giver_signatory, h.receiver_signatory) == (
        HandoverStatus.HANDED, "2020-09-09", "孙志远", "燃气公司代表")
    assert [d.title for d in db.session.scalars(select(HandoverDocument))] == ["移交确认书"]
    assert db.session.scalars(select(AuditLog.action).where(AuditLog.object_type == "Handover")
                              .order_by(AuditLog.id)).all() == ["handover.add", "handover.sign", "handover.document"]
    logout()
    login("resident_a")  # residents see the checklist, without the forms
    html = client.get(url).get_data(as_text=True)
    assert "已移交" in html and "燃气公司代表" in html and "移交确认书" in html and "确认移交" not in html


def test_property_contract_and_residents_fee(client, world, login, logout):
    pid = world["project_a"].id
    login("squad_a")
    token = csrf_from(client.get(f"/aftercare/projects/{pid}/property").get_data(as_text=True))
    data = {"csrf_token": token, "company": "郑州嵩宇物业服务有限公司", "contact_phone": "0371-12345678",
            "starts_on": "2020-10-01", "ends_on": "2023-09-30", "fee_per_m2": "0.60", "scope": "保洁\n秩序维护"}
    bad = client.post(f"/aftercare/projects/{pid}/property", data={**data, "ends_on": "2020-09-01"})
    assert bad.status_code == 400 and "合同结束日期不能早于开始日期" in bad.get_data(as_text=True)
    bad = client.post(f"/aftercare/projects/{pid}/property", data={**data, "fee_per_m2": "25"})
    assert bad.status_code == 400 and "物业费须在0到20元" in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count(PropertyContract.id))) == 0
    assert client.post(f"/aftercare/projects/{pid}/property", data=data).status_code == 302
    contract = services.current_contract(world["project_a"])
    # 0.60 yuan/m²/month x 120.00 m² = 72.00 yuan a month (1号楼1单元101)
    assert services.monthly_fee(contract, Decimal("120.00")) == Decimal("72.00")
    logout()
    login("resident_a")
    html = client.get(f"/aftercare/projects/{pid}/property").get_data(as_text=True)
    assert "郑州嵩宇物业服务有限公司" in html and "¥0.60/m²·月" in html and "¥72.00" in html
    assert "登记物业服务合同" not in html and "我要报修" in html


def test_activity_with_photos(client, world, login, logout, jpeg):
    pid = world["project_a"].id
    login("squad_a")
    token = csrf_from(client.get(f"/aftercare/projects/{pid}/activities").get_data(as_text=True))
    data = {"csrf_token": token, "kind": "garbage_sorting", "title": "垃圾分类宣传进楼栋", "held_on": "2020-10-17",
            "organiser": "西十里铺北社区", "participants": "86", "description": "志愿者讲解四分类"}
    bad = client.post(f"/aftercare/projects/{pid}/activities", data={**data, "participants": "-1"})
    assert bad.status_code == 400 and "参加人数须在0到100000之间" in bad.get_data(as_text=True)
    future = (local_today() + timedelta(days=3)).isoformat()
    bad = client.post(f"/aftercare/projects/{pid}/activities", data={**data, "held_on": future})
    assert bad.status_code == 400 and "活动日期不能晚于今天" in bad.get_data(as_text=True)
    resp = client.post(f"/aftercare/projects/{pid}/activities", data={
        **data, "photos": [(io.BytesIO(jpeg), "1.jpg"), (io.BytesIO(jpeg), "2.jpg")]},
        content_type="multipart/form-data")
    assert resp.status_code == 302
    a = db.session.scalars(select(CommunityActivity)).one()
    assert (a.kind_label, a.participants, len(a.photos)) == ("垃圾分类宣传", 86, 2)
    logout()
    login("resident_a")
    html = client.get(f"/aftercare/projects/{pid}/activities").get_data(as_text=True)
    assert "垃圾分类宣传进楼栋" in html and "86 人参加" in html and html.count('alt="垃圾分类宣传进楼栋照片"') == 2
    assert "登记活动" not in html
