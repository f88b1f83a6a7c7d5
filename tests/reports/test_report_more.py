"""The report's period, table of contents, charts, long tables, rare characters, photos, cache and the
summary across compounds. Figures are those of tests/reports/data.py unless a test adds its own."""

import io
import random
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from PIL import Image
from pypdf import PdfReader

from renovation.construction.models import ProblemReport, ProblemStatus, ProgressUpdate
from renovation.core.uploads import save_image
from renovation.extensions import db
from renovation.party.models import PartyMember
from renovation.projects.models import ProgressStatus
from renovation.reports import common, services
from renovation.reports.rules import month_of, week_of
from tests.reports.conftest import pdf_pages, squash

TODAY = date(2026, 11, 29)


def _render(app, project, period=None, today=TODAY) -> tuple[dict, bytes]:
    with app.test_request_context():
        ctx = services.build_report_context(project, today, period)
        return ctx, services.render_report_pdf(ctx)


# --- period --------------------------------------------------------------------------------------------

def test_period_narrows_what_happened(app, report_world):
    """A week holds the progress update and the problem dated in it; meetings of another month are left out."""
    project = report_world["project_a"]
    update = db.session.query(ProgressUpdate).one()
    update.created_at = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai, ISO week 48
    problem = db.session.query(ProblemReport).one()
    problem.created_at = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    db.session.commit()
    with app.test_request_context():
        week = services.build_report_context(project, TODAY, week_of(date(2026, 11, 25)))
        march = services.build_report_context(project, TODAY, month_of(date(2026, 3, 5)))
        whole = services.build_report_context(project, TODAY)
    assert week["period"]["label"] == "2026年11月23日至2026年11月29日（2026年第48周）"
    assert [u["item"] for u in week["updates"]] == ["天然气入户"] and len(week["photos"]) == 1
    assert (week["problems"]["found_in_period"], week["problems"]["closed_in_period"]) == (1, 0)
    # The branch met on 2026-03-09 and 03-16: none in week 48, both in March, 5/6 + 6/6 = 11/12.
    assert week["party"]["meetings_total"] == 0 and week["party"]["meetings_all"] == 2
    assert march["party"]["meetings_total"] == 2 and march["party"]["attendance_rate"] == pytest.approx(11 / 12)
    assert march["updates"] == [] and march["photos"] == [] and march["problems"]["found_in_period"] == 0
    # States are those of the report day whatever the period: 1 open problem, 242 days overdue.
    assert march["problems"]["open"] == week["problems"]["open"] == whole["problems"]["open"] == 1
    assert whole["period"]["is_whole"] and whole["problems"]["found_in_period"] == 1


def test_week_report_download(client, login, report_world, monkeypatch):
    from renovation.reports import views

    monkeypatch.setattr(views, "local_today", lambda: TODAY)
    login("leader_a")
    pid = report_world["project_a"].id
    resp = client.get(f"/reports/projects/{pid}/progress.pdf?period=week&day=2026-11-25")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF-")
    assert quote("测试A小区-进度报告-2026-W48-2026-11-29.pdf", safe="") in resp.headers["Content-Disposition"]
    text = squash("".join(pdf_pages(resp.data)))
    assert "2026年11月23日至2026年11月29日（2026年第48周）" in text  # on the cover
    assert text.count("测试A小区·老旧小区改造项目进度报告2026年第48周（11.23–11.29）") == len(pdf_pages(resp.data)) - 1
    assert "本期新发现" in text and "本期会议" not in text  # no meeting that week: the list is left out


@pytest.mark.parametrize(("query", "message"), [
    ("period=year", "报告期只能选择"),
    ("period=week&day=2026-02-30", "日期格式不正确"),
    ("period=month&day=2026-12-01", "报告期不能晚于今天"),
])
def test_bad_period_is_explained(client, login, report_world, monkeypatch, query, message):
    from renovation.reports import views

    monkeypatch.setattr(views, "local_today", lambda: TODAY)
    login("squad_a")
    pid = report_world["project_a"].id
    resp = client.get(f"/reports/projects/{pid}/progress.pdf?{query}")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/projects/{pid}")
    assert message in client.get(f"/projects/{pid}").get_data(as_text=True)


def test_panel_has_the_period_form(client, login, report_world):
    login("leader_a")
    html = client.get(f"/projects/{report_world['project_a'].id}").get_data(as_text=True)
    assert 'name="period"' in html and 'value="week"' in html and 'type="date" name="day"' in html


# --- layout: contents, header, footer, long tables ------------------------------------------------------

def test_contents_page_numbers_and_footer(app, report_world):
    _, data = _render(app, report_world["project_a"])
    pages = [squash(t) for t in pdf_pages(data)]
    # The contents on the cover give each section's page; that page holds the section's title.
    for title in ("一、基本情况", "三、居民决策", "五、问题整改", "八、下一步工作"):
        m = re.search(re.escape(title) + r"\.*(\d+)", pages[0])
        assert m, title
        assert title in pages[int(m.group(1)) - 1], title
    n = len(pages)
    assert "第1页" not in pages[0]  # no header or footer on the cover
    for i, page in enumerate(pages[1:], start=2):
        assert f"第{i}页/共{n}页" in page
        assert "测试A小区·老旧小区改造项目进度报告项目全过程" in page  # the running header


def test_long_table_repeats_its_header_and_cuts_no_row(app, report_world):
    """45 open problems with long titles: the 40 listed run over pages, each page repeats the header row,
    and every row is printed whole on one page."""
    project = report_world["project_a"]
    titles = [f"问题{n:02d}号：{'楼道墙皮脱落、扶手松动、照明不亮需要尽快维修处理' * 2}结束{n:02d}" for n in range(45)]
    base = datetime(2026, 5, 1, tzinfo=UTC)
    db.session.add_all([ProblemReport(project_id=project.id, title=t[:128], status=ProblemStatus.REPORTED,
                                      created_at=base + timedelta(hours=n)) for n, t in enumerate(titles)])
    db.session.commit()
    ctx, data = _render(app, project)
    assert len(ctx["problems"]["listed"]) == 40 and ctx["problems"]["unlisted"] == 6  # 46 open, 40 listed
    pages = [squash(t) for t in pdf_pages(data)]
    with_rows = [p for p in pages if re.search(r"问题\d\d号|结束\d\d", p)]
    assert len(with_rows) >= 2
    for page in with_rows:
        assert "序号问题位置上报日期整改期限状态" in page
    for n in range(39):  # 39 of our 45 plus the hostile one = the 40 oldest
        start, end = f"问题{n:02d}号", f"结束{n:02d}"
        holding = [p for p in pages if start in p]
        assert len(holding) == 1 and end in holding[0], n


# --- decisions -------------------------------------------------------------------------------------------

def test_ballot_turnout_and_approval_item_by_item(app, report_world):
    ctx, data = _render(app, report_world["project_a"])
    (b,) = ctx["ballots"]
    assert (b["quorum"], b["approval"], b["quorum_label"], b["approval_label"]) == (
        pytest.approx(2 / 3), 0.5, "三分之二", "超过二分之一")
    row = b["rows"][0]
    # 9 of 12 owners voted = 75.0 %; 760 of 1,000 m² = 76.0 %; both >= 2/3.
    assert row["turnout_owner_rate"] == pytest.approx(0.75) and row["turnout_area_rate"] == pytest.approx(0.76)
    # Agree: 7 of 9 owners = 77.8 %; 600 of 760 m² = 78.9 %; both > 1/2: passed.
    assert row["agree_owner_rate"] == pytest.approx(7 / 9) and row["approved"] and row["outcome"] == "通过"
    text = squash("".join(pdf_pages(data)))
    assert "参与率（门槛66.7%）" in text and "同意率（门槛50.0%）" in text
    assert "76.0%75.0%78.9%77.8%通过" in text  # the table row: turnout area, owners, agree area, owners


def test_charts_are_inline_svg_with_threshold_lines(app, report_world):
    with app.test_request_context():
        ctx = services.build_report_context(report_world["project_a"], TODAY)
        html = app.jinja_env.get_template("pdf/progress_report.html").render(r=ctx)
    # Wish chart (2 bars) + per item of the ballot 2 charts x 2 items = 5 SVG charts; no script anywhere.
    assert html.count('<svg class="hbars"') == 5 and "<script" not in html
    # Each bar: a green rect when the rate meets its threshold; the threshold a dashed line.
    assert html.count('fill="#2e7d32"') == 2 + 2 * 4 and 'fill="#c62828"' not in html
    assert 'stroke-dasharray="2,1.5"' in html


# --- names, fonts, photos ----------------------------------------------------------------------------------

def test_rare_characters_in_names_render(app, report_world):
    branch = report_world["branch"]
    names = ["张堃", "李喆", "王翀", "赵昇", "陈淼"]
    db.session.add_all([PartyMember(branch_id=branch.id, name=n, post="委员", home_unit="测试社区") for n in names])
    db.session.commit()
    _, data = _render(app, report_world["project_a"])
    text = squash("".join(pdf_pages(data)))
    for name in names:
        assert name in text, name
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in (page["/Resources"].get_object().get("/Font") or {}).values():
            font = ref.get_object()
            fonts.add(str(font["/BaseFont"]))
            descendant = font["/DescendantFonts"][0].get_object()
            # embedded (a font file in the descriptor) and subset (the 'ABCDEF+' prefix)
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
    assert fonts and all("+Noto-S" in f and "CJK-SC" in f for f in fonts), fonts  # no fallback font


def _phone_photo(seed: int) -> bytes:
    """A 2,000 x 1,500 JPEG full of noise (the worst case for JPEG size), rotated by EXIF like a phone's."""
    rng = random.Random(seed)
    img = Image.effect_noise((2000, 1500), 60).convert("RGB")
    img.paste((rng.randrange(256), rng.randrange(256), rng.randrange(256)), (0, 0, 600, 400))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° when shown
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=92, exif=exif)
    return buf.getvalue()


def test_twenty_photos_stay_small(app, report_world):
    """20 phone photos of ~1 MB each: the report prints their thumbnails, about 150 dpi, and stays < 5 MB."""
    folder = app.config["UPLOAD_FOLDER"]
    gas = report_world["gas"]
    squad = report_world["squad_a"]
    originals = 0
    for n in range(20):
        raw = _phone_photo(n)
        originals += len(raw)
        up = save_image(raw, f"现场{n}.jpg", folder, project_id=gas.project_id, user=squad, caption=f"照片{n}")
        db.session.add(ProgressUpdate(project_item_id=gas.id, percent=60, status=ProgressStatus.IN_PROGRESS,
                                      note=f"第{n}次", photo_id=up.id, author_id=squad.id,
                                      created_at=datetime(2026, 11, 1, tzinfo=UTC) + timedelta(hours=n)))
    db.session.commit()
    ctx, data = _render(app, report_world["project_a"])
    assert len(ctx["photos"]) == 20  # the latest 20 of 21: data.py's (dated now) and 19 of ours
    assert originals > 20 * 500_000 and len(data) < 5 * 1024 * 1024
    images = {img.data: img for page in PdfReader(io.BytesIO(data)).pages for img in page.images}.values()
    assert len(images) == 20
    assert all(max(i.image.size) <= 320 for i in images)  # thumbnails, not originals
    # EXIF rotation applied: ours are portrait (240 x 320); data.py's PNG is 320 x 240.
    assert sorted(i.image.size for i in images) == [(240, 320)] * 19 + [(320, 240)]


# --- guarded sections -----------------------------------------------------------------------------------------

def test_report_renders_without_the_newer_areas(app, report_world, monkeypatch):
    """While another area's models or services are missing, their sections are left out and the PDF renders."""
    monkeypatch.setattr(common, "optional", lambda module, name: None)  # every section's guard looks it up there
    ctx, data = _render(app, report_world["project_a"])
    assert ctx["site_logs"] is None and ctx["party"]["activity_counts"] is None and ctx["party"]["tasks"] is None
    assert ctx["aftercare"]["repairs"] is None and ctx["aftercare"]["satisfaction"] is None
    text = squash("".join(pdf_pages(data)))
    assert "七、改造后管理" in text and "施工日志摘要" not in text


# --- cache ------------------------------------------------------------------------------------------------------

def test_cache_serves_until_the_data_changes(client, login, report_world, app):
    login("squad_a")
    pid = report_world["project_a"].id
    url = f"/reports/projects/{pid}/progress.pdf"
    first = client.get(url)
    second = client.get(url)
    assert (first.headers["X-Report-Cache"], second.headers["X-Report-Cache"]) == ("miss", "hit")
    assert first.data == second.data
    folder = Path(app.config["REPORT_CACHE_FOLDER"])
    assert len(list(folder.glob(f"project-{pid}-all-*.pdf"))) == 1
    # A change in a table without any timestamp (an item's percentage) is seen: rebuilt, old file dropped.
    report_world["gas"].progress_percent = 65
    db.session.commit()
    third = client.get(url)
    assert third.headers["X-Report-Cache"] == "miss" and third.data != first.data
    assert len(list(folder.glob(f"project-{pid}-all-*.pdf"))) == 1
    assert "65%" in squash("".join(pdf_pages(third.data)))
    # Another period is another file.
    assert client.get(url + "?period=month").headers["X-Report-Cache"] == "miss"
    assert len(list(folder.glob(f"project-{pid}-*.pdf"))) == 2


# --- summary across compounds --------------------------------------------------------------------------------

def test_summary_context(app, report_world):
    leader = report_world["leader_a"]
    name, stmt = services.summary_scope(leader)
    ctx = services.build_summary_context(name, stmt, TODAY)
    assert ctx["scope"] == "中原区桐柏路街道"
    (row,) = ctx["rows"]  # 桐柏路街道 holds 测试A小区 only
    # 12 households; adopted budgets 300,000 + 100,000; progress 70.0 %; 1 open problem overdue.
    assert (row["compound"], row["households"], row["investment"], row["open"], row["overdue"]) == (
        "测试A小区", 12, Decimal("400000"), 1, 1)
    assert row["progress"] == pytest.approx(70.0) and row["stage"] == "内容协商"
    admin_ctx = services.build_summary_context(*services.summary_scope(report_world["admin"]), TODAY)
    assert [r["compound"] for r in admin_ctx["rows"]] == ["测试B小区", "测试A小区"]  # 建设路 < 桐柏路 by name
    assert admin_ctx["totals"]["households"] == 14 and admin_ctx["totals"]["compounds"] == 2


def test_summary_statements_do_not_grow_with_compounds(app, report_world):
    from sqlalchemy import event

    def count(user):
        seen = []
        scope = services.summary_scope(user)
        listener = lambda *a, **k: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            services.build_summary_context(*scope, TODAY)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    one = count(report_world["leader_a"])   # 1 compound
    two = count(report_world["admin"])      # 2 compounds
    assert one == two == 4


def test_summary_download(client, login, report_world, monkeypatch):
    from renovation.reports import views

    monkeypatch.setattr(views, "local_today", lambda: TODAY)
    login("leader_a")
    resp = client.get("/reports/summary.pdf")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF-")
    assert quote("中原区桐柏路街道-改造进度汇总-2026-11-29.pdf", safe="") in resp.headers["Content-Disposition"]
    text = squash("".join(pdf_pages(resp.data)))
    assert "中原区桐柏路街道老旧小区改造进度汇总" in text and "测试A小区" in text and "测试B小区" not in text
    assert "下载汇总报告" in client.get("/").get_data(as_text=True)


def test_summary_access(client, login, logout, report_world):
    js = report_world["jianshe"].id
    login("leader_a")
    assert client.get(f"/reports/summary.pdf?subdistrict={js}").status_code == 403  # not their subdistrict
    assert client.get("/reports/summary.pdf?subdistrict=99999").status_code == 404
    assert client.get(f"/reports/summary.pdf?district={report_world['district'].id}").status_code == 403
    assert client.get("/reports/summary.pdf?subdistrict=abc").status_code == 404
    logout()
    login("admin")
    resp = client.get(f"/reports/summary.pdf?subdistrict={js}")
    assert resp.status_code == 200 and "测试B小区" in squash("".join(pdf_pages(resp.data)))
    logout()
    login("squad_a")
    assert client.get("/reports/summary.pdf").status_code == 403
    assert "下载汇总报告" not in client.get("/").get_data(as_text=True)
