"""Core pages and the accounts, admin and projects areas for a reader who chose English (cookie lang=en):
error pages, the navbar's role, login, the privacy notice, the audit log, personal-data requests, the project
page and its stage move. Without the cookie they are in Chinese, as before."""

import io
import json
from datetime import UTC, datetime

from flask_babel import refresh
from PIL import Image

from renovation.core.errors import UploadError
from renovation.core.i18n import chinese
from renovation.core.uploads import save_image
from renovation.extensions import db
from renovation.org.models import Owner
from renovation.projects.models import ProjectItemStatus
from renovation.projects.rules import STAGE_LABELS, Stage
from tests.factories import csrf_from


def _english(client):
    client.set_cookie("lang", "en")


# ---------------------------------------------------------------- core: error pages, navbar, uploads

def test_404_page_in_english_and_chinese(client, world):
    _english(client)
    html = client.get("/no-such-page").get_data(as_text=True)
    assert "<title>Page not found · Old Residential Compound Renovation</title>" in html
    assert "The page or record you are looking for does not exist." in html and ">Back</a>" in html
    client.delete_cookie("lang")
    html = client.get("/no-such-page").get_data(as_text=True)
    assert "页面不存在" in html and "您要找的页面或记录不存在。" in html and ">返回上一页</a>" in html


def test_403_page_in_english(client, world, login):
    _english(client)
    login("resident_b")
    resp = client.get(f"/projects/{world['project_a'].id}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 403
    assert "Access denied" in html and "You do not have permission to view or use this page." in html


def test_413_page_in_english(client, world, app):
    _english(client)
    limit_mb = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
    resp = client.post("/login", data={"username": "x" * (app.config["MAX_CONTENT_LENGTH"] + 10)})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 413
    assert "File too large" in html and f"The upload is over the size limit ({limit_mb} MB)." in html


def test_csrf_page_in_english(client, world):
    _english(client)
    resp = client.post("/login", data={"username": "张三", "password": "x"}, headers={"Origin": "http://localhost"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "Page expired" in html and ">Submit again</button>" in html
    assert "What you entered is shown below; check it and click “Submit again”." in html
    assert 'value="张三"' in html and 'name="password"' not in html


def test_navbar_role_label(client, world, login):
    _english(client)
    login("squad_a")
    assert "squad_a · Project squad member" in client.get(f"/projects/{world['project_a'].id}").get_data(as_text=True)
    client.delete_cookie("lang")
    assert "squad_a · 专班成员" in client.get(f"/projects/{world['project_a'].id}").get_data(as_text=True)


def test_upload_refusal_in_the_readers_language(app, tmp_path):
    # test_request_context runs no before_request: refresh() drops the locale cached in the shared ``g``
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        refresh()
        try:
            save_image(b"not an image", "外墙.jpg", str(tmp_path), project_id=None, user=None)
        except UploadError as err:
            english = err.message
    with app.test_request_context("/"):
        refresh()
        buf = io.BytesIO()
        Image.new("RGB", (2, 2)).save(buf, "BMP")
        try:
            save_image(buf.getvalue(), "图.bmp", str(tmp_path), project_id=None, user=None)
        except UploadError as err:
            chinese_text = err.message
    assert english == "“外墙.jpg” is not a readable image. Please upload a photo in JPG, PNG or HEIC format."
    assert chinese_text == "“图.bmp”的格式（BMP）不受支持，请上传 JPG、PNG 或 HEIC 格式的照片。"


# ---------------------------------------------------------------- accounts

def test_login_page_and_failed_login_in_english(client, world):
    _english(client)
    html = client.get("/login").get_data(as_text=True)
    assert ">Username</label>" in html and ">Password</label>" in html and ">Remember me</label>" in html
    token = csrf_from(html)
    html = client.post("/login", data={"username": "admin", "password": "wrong", "csrf_token": token}).get_data(
        as_text=True)
    assert "Wrong username or password." in html
    client.delete_cookie("lang")
    html = client.get("/login").get_data(as_text=True)
    token = csrf_from(html)
    html = client.post("/login", data={"username": "admin", "password": "wrong", "csrf_token": token}).get_data(
        as_text=True)
    assert "用户名或密码不正确。" in html and ">用户名</label>" in html


def test_not_logged_in_json_and_redirect_in_english(client, world):
    _english(client)
    resp = client.get("/admin/owners/1/export.json")
    assert resp.status_code == 401 and resp.get_json() == {"error": "Please log in first."}
    html = client.get("/admin/", follow_redirects=True).get_data(as_text=True)
    assert "Please log in first." in html


def test_privacy_notice_in_english(client, app):
    _english(client)
    html = client.get("/privacy").get_data(as_text=True)
    days = app.config["ROSTER_RETENTION_DAYS"]
    assert "<h1 class=\"h3 mb-3\">Personal information notice</h1>" in html
    assert f"{days} days after the renovation project ends" in html
    assert "<strong>Mobile number</strong>" in html and "138****5678" in html


# ---------------------------------------------------------------- admin

def _move_a_to_planning(client, world, login):
    world["items_a"][0].status = ProjectItemStatus.ADOPTED
    db.session.commit()
    login("squad_a")
    pid = world["project_a"].id
    token = csrf_from(client.get(f"/projects/{pid}").get_data(as_text=True))
    return client.post(f"/projects/{pid}/stage", data={"target": "planning", "csrf_token": token},
                       follow_redirects=True)


def test_audit_log_in_english(client, world, login, logout):
    _move_a_to_planning(client, world, login)
    logout()
    _english(client)
    login("admin")
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "<h1 class=\"h3 mb-3\">Audit log</h1>" in html and ">All projects</option>" in html
    assert ">Project</label>" in html and ">Action</label>" in html and ">From</label>" in html
    assert "Stage move<div" in html and "1 record" in html and "1 records" not in html
    html = client.get("/admin/audit?since=2030-01-01&until=2029-01-01").get_data(as_text=True)
    assert "The end date cannot be before the start date." in html


def test_erase_owner_in_english(client, world, login):
    _english(client)
    login("admin")
    owner = db.session.scalars(db.select(Owner).order_by(Owner.id)).first()
    page = client.get(f"/admin/owners/{owner.id}").get_data(as_text=True)
    assert "Anonymise (delete personal information)" in page and "Export personal information (JSON)" in page
    html = client.post(f"/admin/owners/{owner.id}/erase", data={"csrf_token": csrf_from(page)},
                       follow_redirects=True).get_data(as_text=True)
    assert "Please tick the confirmation before submitting." in html
    html = client.post(f"/admin/owners/{owner.id}/erase", data={"csrf_token": csrf_from(page), "confirm": "y"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Anonymised. Households: 1, accounts: 1. Vote records are unchanged." in html
    assert "This owner's personal information has been anonymised." in html
    # what is stored stays Chinese
    db.session.expire_all()
    assert db.session.get(Owner, owner.id).name == f"已匿名业主#{owner.id}"
    export = json.loads(client.get(f"/admin/owners/{owner.id}/export.json").data)
    assert export["owner"]["name"] == f"已匿名业主#{owner.id}"


# ---------------------------------------------------------------- projects

def test_project_page_and_refused_move_in_english(client, world, login):
    _english(client)
    login("squad_a")
    pid = world["project_a"].id
    html = client.get(f"/projects/{pid}").get_data(as_text=True)
    assert "✓ Wish solicitation" in html and "Consultation" in html and "Post-handover management" in html
    assert "Move to the next stage: Plan drafting" in html and "Conditions not met yet:" in html
    assert "No renovation item has been adopted by vote yet: at least one closed ballot must adopt" in html
    assert ">Buildings</div>" in html and ">Reason</label>" in html
    token = csrf_from(html)
    html = client.post(f"/projects/{pid}/stage", data={"target": "planning", "csrf_token": token},
                       follow_redirects=True).get_data(as_text=True)
    assert "Cannot move to the next stage: No renovation item has been adopted by vote yet" in html


def test_stage_move_flash_in_english_and_history(client, world, login):
    _english(client)
    html = _move_a_to_planning(client, world, login).get_data(as_text=True)
    assert "The project has entered the “Plan drafting” stage." in html
    assert "Consultation → Plan drafting" in html and "Stage history" in html


def test_stage_labels_are_lazy_and_chinese_under_chinese(app):
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        refresh()
        assert Stage.CONSTRUCTION.label == "Construction oversight"
        assert str(STAGE_LABELS[Stage.AFTERCARE]) == "Post-handover management"
        with chinese():
            assert Stage.CONSTRUCTION.label == "过程监督" and str(STAGE_LABELS[Stage.AFTERCARE]) == "改造后管理"
    with app.test_request_context("/"):
        refresh()
        assert Stage.PLANNING.label == "方案制订"  # no cookie: Chinese


def test_stage_history_reads_naturally_in_both_languages(client, world, login):
    # The history line was glued from Chinese punctuation (：（）) around English words.
    from renovation.projects.models import StageTransition


    project = world["project_a"]
    db.session.add(StageTransition(project_id=project.id, from_stage=None, to_stage=Stage.WISH_SOLICITATION,
                                   user_id=world["squad_a"].id, at=datetime(2026, 4, 15, 1, 0, tzinfo=UTC)))
    db.session.commit()
    login("squad_a")
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    name = world["squad_a"].display_name
    assert f"2026年4月15日 09:00：立项 → 意愿征集（{name}）" in html
    client.set_cookie("lang", "en")
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert f"April 15, 2026 09:00: Project set up → Wish solicitation ({name})" in html
