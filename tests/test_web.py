"""Shared web behaviour: error pages in Chinese, health check, login redirects, CSRF, upload serving."""

import io

import pytest
from PIL import Image

from renovation.accounts.views import is_safe_next
from renovation.core.uploads import save_image
from renovation.extensions import db
from tests.factories import PASSWORD, csrf_from, file_url


def test_health(client, app):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_404_in_chinese(client, world, login):
    login("admin")
    resp = client.get("/projects/999999")
    assert resp.status_code == 404 and "页面不存在" in resp.get_data(as_text=True)


def test_anonymous_is_sent_to_login(client, world):
    resp = client.get(f"/projects/{world['project_a'].id}")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_oversize_upload_gets_413_in_chinese(client, world, login):
    # MAX_CONTENT_LENGTH is 20 MB; a 21 MB body is refused before any view runs.
    login("squad_a")
    body = b"x" * (21 * 1024 * 1024)
    resp = client.post("/login", data=body, content_type="application/octet-stream")
    assert resp.status_code == 413
    assert "文件太大" in resp.get_data(as_text=True) and "20 MB" in resp.get_data(as_text=True)


def test_wrong_password_refused_in_chinese(client, world):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    resp = client.post("/login", data={"username": "admin", "password": "nope", "csrf_token": token})
    assert resp.status_code == 200 and "用户名或密码不正确" in resp.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client, world):
    resp = client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert resp.status_code == 400 and "安全令牌已过期" in resp.get_data(as_text=True)


@pytest.mark.parametrize("target,safe", [
    ("/projects/1", True), ("//evil.example", False), ("/\\evil.example", False),
    ("https://evil.example/", False), ("", False), (None, False), ("/ok?next=//x", True),
    ("/\r\nSet-Cookie:x=1", False), ("/a\nb", False), ("/a\x7fb", False),
])
def test_safe_next(target, safe):
    assert is_safe_next(target) is safe


def test_next_redirect_is_followed_only_when_safe(client, world):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    resp = client.post("/login?next=//evil.example", data={"username": "admin", "password": PASSWORD,
                                                           "csrf_token": token})
    assert resp.status_code == 302 and resp.headers["Location"] == "/"


def _jpeg_bytes(size=(40, 20)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "JPEG")
    return buf.getvalue()


def test_uploads_are_served_only_to_those_who_see_the_project(client, world, login, logout, app):
    upload = save_image(_jpeg_bytes(), "外墙照片(1).jpg", app.config["UPLOAD_FOLDER"],
                        project_id=world["project_a"].id, user=world["squad_a"])
    db.session.commit()
    login("resident_b")
    assert client.get(file_url(upload.id, "thumb")).status_code == 403
    logout()
    login("resident_a")
    resp = client.get(file_url(upload.id, "original"))
    assert resp.status_code == 200 and resp.data == _jpeg_bytes()
    assert "filename*=UTF-8''%E5%A4%96%E5%A2%99" in resp.headers["Content-Disposition"]
    thumb = Image.open(io.BytesIO(client.get(file_url(upload.id, "thumb")).data))
    assert thumb.size == (40, 20)  # smaller than 320 px: kept as is


@pytest.mark.parametrize("path", ["/projects/99999999999999999999", "/projects/9223372036854775808",
                                  "/projects/2147483648", "/projects/0", "/files/99999999999999999999/thumb"])
def test_huge_or_zero_ids_are_404_not_500(client, world, login, path):
    login("admin")
    assert client.get(path).status_code == 404


def test_huge_number_in_a_form_field_is_a_chinese_400(client, world, login):
    # An id beyond 64 bits in a hidden form field overflows the database integer: a Chinese 400, not a 500.
    from datetime import timedelta

    from renovation.core.db import utcnow
    from renovation.voting.models import Ballot, BallotItem, BallotStatus, Vote

    ballot = Ballot(project_id=world["project_a"].id, title="表决", status=BallotStatus.OPEN,
                    opens_at=utcnow(), closes_at=utcnow() + timedelta(days=3))
    db.session.add(ballot)
    db.session.flush()
    item = BallotItem(ballot_id=ballot.id, title="天然气入户")
    db.session.add(item)
    db.session.commit()
    login("resident_a")
    token = csrf_from(client.get(f"/voting/{ballot.id}/vote").get_data(as_text=True))
    resp = client.post(f"/voting/{ballot.id}/vote", data={
        "csrf_token": token, "household_id": "99999999999999999999", f"item_{item.id}": "agree", "step": "confirm"})
    assert resp.status_code == 400 and "超出允许范围" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Vote.id))) == 0


def test_control_characters_are_stripped_from_every_form(client, world, login):
    from renovation.aftercare.models import Facility

    login("squad_a")
    pid = world["project_a"].id
    token = csrf_from(client.get(f"/aftercare/projects/{pid}/facilities").get_data(as_text=True))
    client.post(f"/aftercare/projects/{pid}/facilities",
                data={"csrf_token": token, "name": "控制\x00字符\x07\x1b[31m篮球场", "provision": "第一行\n第二行\t!"})
    f = db.session.scalars(db.select(Facility)).one()
    assert f.name == "控制字符[31m篮球场" and f.provision == "第一行\n第二行\t!"


def test_a_png_named_jpg_downloads_as_png(client, world, login, app):
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "PNG")
    upload = save_image(buf.getvalue(), "外墙照片(1).jpg", app.config["UPLOAD_FOLDER"],
                        project_id=world["project_a"].id, user=world["squad_a"])
    db.session.commit()
    login("squad_a")
    resp = client.get(file_url(upload.id, "original"))
    # 外墙照片(1).png, percent-encoded as UTF-8 (RFC 5987).
    assert resp.mimetype == "image/png"
    assert "filename*=UTF-8''%E5%A4%96%E5%A2%99%E7%85%A7%E7%89%87%281%29.png" in resp.headers["Content-Disposition"]


@pytest.mark.parametrize("user,link,text", [
    ("admin", 'href="/admin/"', "系统管理"), ("leader_a", 'href="/admin/audit"', "审计日志"),
    ("resident_a", None, None), ("squad_a", None, None),
])
def test_top_bar_leads_admins_and_leaders_to_their_pages(client, world, login, user, link, text):
    login(user)
    page = client.get("/privacy").get_data(as_text=True)
    nav = page.split("<main", 1)[0]
    if link:
        assert link in nav and text in nav
    else:
        assert 'href="/admin/' not in nav
