"""Daily site log (施工日志): the form, one per project per day, photos, the list's statement count."""

import io
from datetime import timedelta

from sqlalchemy import func, select

from renovation.construction.models import SiteLog, SiteLogPhoto
from renovation.core.models import AuditLog, Upload
from renovation.core.timeutil import local_today
from renovation.extensions import db
from tests.construction.conftest import jpeg_bytes, png_bytes, statements_for, token


def _post(client, project, **data):
    url = f"/construction/projects/{project.id}/logs/new"
    base = {"csrf_token": token(client, url), "log_date": local_today().isoformat(), "weather": "晴 18~26℃",
            "workforce": "23", "work_done": "3号楼燃气立管安装完成6户", "materials": "镀锌钢管120米",
            "safety_notes": "高处作业系安全带"}
    return client.post(url, content_type="multipart/form-data", data={**base, **data})


def test_log_with_two_photos_is_listed(client, site, login):
    project = site["project_a"]
    login("squad_a")
    resp = _post(client, project, photos=[(io.BytesIO(jpeg_bytes()), "北侧.jpg"),
                                          (io.BytesIO(png_bytes()), "南侧.png")])
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    log = db.session.scalar(select(SiteLog))
    assert (log.weather, log.workforce, log.log_date) == ("晴 18~26℃", 23, local_today())
    assert db.session.scalar(select(func.count(SiteLogPhoto.id))) == 2
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "site_log.add")) == 1
    html = client.get(f"/construction/projects/{project.id}/logs").get_data(as_text=True)
    assert "3号楼燃气立管安装完成6户" in html and "23 人" in html and html.count("/thumb") == 2

    # a resident of the compound reads the logs but cannot write one
    client.post("/logout", data={"csrf_token": token(client)})
    login("resident_a")
    html = client.get(f"/construction/projects/{project.id}/logs").get_data(as_text=True)
    assert "3号楼燃气立管安装完成6户" in html and "写施工日志" not in html
    assert client.get(f"/construction/projects/{project.id}/logs/new").status_code == 403


def test_one_log_per_day_and_bad_input_writes_nothing(client, site, login):
    project = site["project_a"]
    login("squad_a")
    assert _post(client, project).status_code == 302
    resp = _post(client, project, work_done="重复")
    html = resp.get_data(as_text=True)
    today = local_today()
    assert resp.status_code == 400 and f"{today:%Y年%m月%d日}的施工日志已经填写过了，每天只记一篇。" in html
    resp = _post(client, project, log_date=(today + timedelta(days=1)).isoformat())
    assert resp.status_code == 400 and "日志日期不能晚于今天。" in resp.get_data(as_text=True)
    resp = _post(client, project, log_date=(today - timedelta(days=1)).isoformat(), workforce="-3")
    assert resp.status_code == 400 and "施工人数须在0到5000之间。" in resp.get_data(as_text=True)
    resp = _post(client, project, log_date=(today - timedelta(days=1)).isoformat(),
                 photos=[(io.BytesIO(b"just text"), "照片.jpg")])
    assert resp.status_code == 400 and "“照片.jpg”不是可识别的图片" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(SiteLog.id))) == 1
    assert db.session.scalar(select(func.count(Upload.id))) == 0


def _make_logs(site, n, start_days_ago):
    project, squad = site["project_a"], site["squad_a"]
    today = local_today()
    for i in range(n):
        log = SiteLog(project_id=project.id, log_date=today - timedelta(days=start_days_ago + i), weather="阴",
                      workforce=10 + i, work_done=f"第{i}天", author_id=squad.id)
        db.session.add(log)
        db.session.flush()
        upload = Upload(sha256=f"{i:064d}", original_name="x.jpg", content_type="image/jpeg", extension="jpg",
                        size=1, project_id=project.id)
        db.session.add(upload)
        db.session.flush()
        db.session.add(SiteLogPhoto(site_log_id=log.id, upload_id=upload.id))
    db.session.commit()


def test_log_list_statement_count_does_not_grow_with_rows(client, site, login):
    url = f"/construction/projects/{site['project_a'].id}/logs"
    login("squad_a")
    _make_logs(site, 2, 0)
    with_2 = statements_for(client, url)
    _make_logs(site, 25, 2)
    assert client.get(url).get_data(as_text=True).count("log-row") == 27
    with_27 = statements_for(client, url)
    assert with_2 == with_27, (with_2, with_27)
