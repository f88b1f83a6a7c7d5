"""Post-handover pages in English (cookie lang=en) and unchanged in Chinese without it; what is stored
(upload captions, facility status values) stays Chinese whatever the reader's language."""

import io
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from renovation.aftercare import services
from renovation.aftercare.models import Facility, RepairRequest, SatisfactionMode
from renovation.core.db import utcnow
from renovation.core.models import Upload
from renovation.extensions import db
from tests.aftercare.factories import make_categories
from tests.factories import csrf_from


def _english(client):
    client.set_cookie("lang", "en")


def test_repair_page_and_refusal_in_english_then_chinese(client, world, login):
    cats = make_categories()
    req = RepairRequest(project_id=world["project_a"].id, household_id=world["households_a"][0].id,
                        reporter_id=world["resident_a"].id, category_id=cats["公共设施"].id, target_hours=72,
                        location="2号楼路灯", created_at=utcnow() - timedelta(hours=5))
    db.session.add(req)
    db.session.commit()
    login("squad_a")
    _english(client)
    page = client.get(f"/aftercare/repairs/{req.id}").get_data(as_text=True)
    assert "公共设施: 2号楼路灯" in page  # category and location are data, the colon is English
    assert "Handle the repair request" in page and "Submitted" in page and "72 hours (by " in page
    assert "Accept (start work)" in page and "Required when closing" in page
    assert "处理报修" not in page and "已提交" not in page
    bad = client.post(f"/aftercare/repairs/{req.id}/handle",
                      data={"csrf_token": csrf_from(page), "action": "done", "note": ""})
    assert bad.status_code == 400 and "Please enter the result." in bad.get_data(as_text=True)
    ok = client.post(f"/aftercare/repairs/{req.id}/handle",
                     data={"csrf_token": csrf_from(page), "action": "accept", "note": ""}, follow_redirects=True)
    assert "Repair request accepted." in ok.get_data(as_text=True)
    # the same pages without the cookie: Chinese as before
    client.delete_cookie("lang")
    page = client.get(f"/aftercare/repairs/{req.id}").get_data(as_text=True)
    assert "公共设施：2号楼路灯" in page and "处理中" in page and "72 小时（" in page and "处理报修" in page
    bad = client.post(f"/aftercare/repairs/{req.id}/handle",
                      data={"csrf_token": csrf_from(page), "action": "done", "note": ""})
    assert "请填写处理结果。" in bad.get_data(as_text=True)


def test_resident_files_in_english_and_the_stored_caption_stays_chinese(client, world, login, jpeg):
    cats = make_categories()
    db.session.commit()
    pid = world["project_a"].id
    login("resident_a")
    _english(client)
    form = client.get(f"/aftercare/projects/{pid}/repairs/new").get_data(as_text=True)
    assert "Report a repair" in form and "水电 (handled within 24 hours)" in form
    assert "Submit repair request" in form and "报修" not in form.split("<main", 1)[1]
    resp = client.post(f"/aftercare/projects/{pid}/repairs/new", data={
        "csrf_token": csrf_from(form), "category_id": str(cats["水电"].id), "location": "楼道",
        "photo": (io.BytesIO(jpeg), "a.jpg")}, content_type="multipart/form-data", follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "Repair request submitted; the property management will handle it as soon as possible." in html
    assert db.session.scalars(select(Upload.caption)).one() == "报修照片：楼道"
    # the project page's post-handover card
    home = client.get(f"/projects/{pid}").get_data(as_text=True)
    assert "Post-handover management" in home and "My repair requests" in home and "Rate the renovation" in home


def test_facility_status_and_provision_error_in_english(client, world, login):
    pid = world["project_a"].id
    login("squad_a")
    _english(client)
    page = client.get(f"/aftercare/projects/{pid}/facilities").get_data(as_text=True)
    assert "Facilities and partners" in page and "No facilities registered yet." in page
    assert '<option value="试运行">Trial operation</option>' in page  # stored value Chinese, label English
    data = {"csrf_token": csrf_from(page), "name": "图书服务点", "status": "试运行", "counted": "图书 3000 册\n若干"}
    bad = client.post(f"/aftercare/projects/{pid}/facilities", data=data)
    assert bad.status_code == 400
    assert "Line 2 “若干” cannot be read; write it as “item quantity unit”" in bad.get_data(as_text=True)
    data["counted"] = "books 3,000 vols"
    ok = client.post(f"/aftercare/projects/{pid}/facilities", data=data, follow_redirects=True).get_data(as_text=True)
    assert "Facility registered." in ok and "Trial operation" in ok and "books 3,000vols" in ok
    assert db.session.scalars(select(Facility.status)).one() == "试运行"
    client.delete_cookie("lang")
    zh = client.get(f"/aftercare/projects/{pid}/facilities").get_data(as_text=True)
    assert "配套设施与合作单位" in zh and ">试运行</span>" in zh


def test_satisfaction_results_and_gate_in_english(client, world, login):
    pa = world["project_a"]
    survey = services.open_survey(pa, world["squad_a"], title="改造满意度测评", mode=SatisfactionMode.GATE,
                                  min_mean=Decimal(4), min_response_rate=Decimal("0.5"))
    services.answer_survey(survey, pa, world["resident_a"], content=3, process=3, management=3, comment=None)
    db.session.commit()
    login("squad_a")
    _english(client)
    html = client.get(f"/aftercare/projects/{pa.id}/satisfaction").get_data(as_text=True)
    assert "Use of the result: Condition for closing the project" in html
    assert "Closing condition" in html and "Not met" in html and "mean score ≥ 4.00, response rate ≥ 50%" in html
    assert "Response rate 8.3%, below the required 50.0%." in html
    assert "Overall mean score 3.00, below the required 4.00." in html
    assert "Whole compound" in html and "Close the survey" in html
    client.delete_cookie("lang")
    html = client.get(f"/aftercare/projects/{pa.id}/satisfaction").get_data(as_text=True)
    assert "结果用途：作为结项条件" in html and "参评率8.3%，未达到50.0%。" in html and "平均分≥4.00，参评率≥50%" in html


def test_handover_and_admin_targets_in_english(client, world, login, logout):
    pa = world["project_a"]
    h = services.add_handover(pa, world["squad_a"], asset="庭院燃气管网", receiver="燃气公司",
                              planned_on=date(2020, 9, 1), note=None)
    db.session.commit()
    login("squad_a")
    _english(client)
    page = client.get(f"/aftercare/handovers/{h.id}").get_data(as_text=True)
    assert "To be handed over" in page and "Record the handover (signed by both sides)" in page
    future = (date.today() + timedelta(days=30)).isoformat()
    bad = client.post(f"/aftercare/handovers/{h.id}/sign", data={
        "csrf_token": csrf_from(page), "handed_on": future, "giver_signatory": "张", "receiver_signatory": "李"})
    assert bad.status_code == 400 and "The handover date cannot be later than today." in bad.get_data(as_text=True)
    listing = client.get(f"/aftercare/projects/{pa.id}/handovers").get_data(as_text=True)
    assert "Items: 1; handed over: 0; to be handed over: 1." in listing and "Planned for September 1, 2020" in listing
    logout()
    login("admin")
    _english(client)
    page = client.get("/aftercare/repair-targets").get_data(as_text=True)
    assert "Repair target times" in page and ">Category</th>" in page and "24 (default)" in page
    done = client.post("/aftercare/repair-targets", data={"csrf_token": csrf_from(page), "name": "水电",
                                                         "target_hours": "36"}, follow_redirects=True)
    assert "The target time of “水电” is now 36 hours." in done.get_data(as_text=True)
    client.delete_cookie("lang")
    assert ">类别</th>" in client.get("/aftercare/repair-targets").get_data(as_text=True)
