"""The PDF progress report: who may download it, what it says, that it is Chinese text in a CJK font,
and that users' text cannot fetch files. Figures are those of tests/reports/data.py."""

import io
from datetime import date
from decimal import Decimal
from urllib.parse import quote

import pytest
from pypdf import PdfReader

from renovation.core.pdf import RestrictedURLFetcherError, make_url_fetcher, render_pdf
from renovation.reports import services
from renovation.reports.views import content_disposition
from tests.reports.data import HOSTILE_TITLE

TODAY = date(2026, 11, 29)


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def _font_names(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page["/Resources"].get_object().get("/Font") or {}
        for ref in fonts.get_object().values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


def _squash(text: str) -> str:
    return "".join(text.split())


def test_context_figures(report_world):
    ctx = services.build_report_context(report_world["project_a"], TODAY)
    c = ctx["compound"]
    # World: 2 buildings x 2 entrances x 3 = 12 households; 11 x 80 + 120 = 1,000.00 m².
    assert (c["name"], c["buildings"], c["households"], c["area"]) == ("测试A小区", 2, 12, Decimal("1000.00"))
    assert (c["subdistrict"], c["community"], c["batch"]) == ("桐柏路街道", "西十里铺北社区", "2020年第一批")
    # Adopted items: 300,000 + 100,000 = 400,000 yuan; funding 200,000 central, 100,000 local, 100,000 utility.
    inv = ctx["investment"]
    assert inv["total"] == Decimal("400000") and not inv["estimated"]
    assert [(f["label"], f["amount"]) for f in inv["funding"]] == [
        ("中央补助资金", Decimal("200000")), ("省市财政资金", Decimal("100000")), ("管线单位出资", Decimal("100000"))]
    assert inv["unfunded"] == 0
    # (300,000 x 60 + 100,000 x 100) / 400,000 = 70.0 %
    assert ctx["works"]["overall"] == pytest.approx(70.0)
    assert [(i["name"], i["percent"], i["status_label"]) for i in ctx["works"]["rows"]] == [
        ("天然气入户", 60, "施工中"), ("道路改造", 100, "已完工")]
    assert ctx["works"]["candidates"] == 1  # 加装电梯
    # Wishes: 9 of 12 households consent = 75.0 %; area 120 + 8 x 80 = 760 of 1,000 m² = 76.0 %.
    w = ctx["wishes"]
    assert (w["responses"], w["consent_households"], w["consent_area"]) == (10, 9, Decimal("760.00"))
    assert w["consent_rate_households"] == pytest.approx(0.75) and w["consent_rate_area"] == pytest.approx(0.76)
    # Ballot: 9 households voted (760 m²), 7 agree / 1 against / 1 abstain on each item.
    (b,) = ctx["ballots"]
    assert (b["entitled"], b["voted"], b["voted_area"]) == (12, 9, Decimal("760.00"))
    row = b["rows"][0]
    assert (row["agree"], row["against"], row["abstain"]) == (7, 1, 1)
    # Agree area: 120 + 6 x 80 = 600 of 760 m² = 78.9 %; owners 7 of 9 = 77.8 %: passes art. 278.
    assert row["agree_area_rate"] == pytest.approx(600 / 760)
    assert row["outcome"] == "通过"
    assert [t["to"] for t in ctx["timeline"]] == ["意愿征集", "内容协商"]
    p = ctx["problems"]
    # One problem, assigned, deadline 2026-04-01: 242 days overdue on 2026-11-29.
    assert (p["total"], p["open"], p["overdue"]) == (1, 1, 1)
    assert p["listed"][0]["title"] == HOSTILE_TITLE and p["listed"][0]["overdue_days"] == 242
    party = ctx["party"]
    # Meetings 5/6 and 6/6: 11 of 12 attended = 91.7 %.
    assert (party["members"], party["resident_members"], party["meetings_total"]) == (3, 1, 2)
    assert party["attendance_rate"] == pytest.approx(11 / 12)
    assert ctx["facilities"][0]["partner"] == "区图书馆"
    assert ctx["next"]["milestones"][0]["days_left"] == 21  # 2026-12-20 - 2026-11-29
    (update,) = ctx["updates"]
    assert (update["item"], update["percent"]) == ("天然气入户", 60)
    (photo,) = ctx["photos"]
    assert photo["path"].endswith(".thumb.jpg") and photo["caption"] == "燃气管道敷设"
    assert ctx["signature"]["unit"] == "测试A小区改造临时党支部"


def test_context_is_plain(report_world):
    """No ORM object in the context: the template cannot run queries."""
    from renovation.extensions import db

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        else:
            assert not isinstance(value, db.Model), value

    walk(services.build_report_context(report_world["project_a"], TODAY))


@pytest.mark.parametrize("username", ["squad_a", "leader_a", "admin"])
def test_download(client, login, report_world, username):
    login(username)
    resp = client.get(f"/reports/projects/{report_world['project_a'].id}/progress.pdf")
    assert resp.status_code == 200
    assert resp.mimetype == "application/pdf"
    assert resp.data.startswith(b"%PDF-")
    disposition = resp.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # 测试A小区-进度报告-<date>.pdf, UTF-8 percent-encoded (RFC 5987); '测' is E6 B5 8B.
    assert "filename*=UTF-8''%E6%B5%8B%E8%AF%95A%E5%B0%8F%E5%8C%BA-" in disposition
    assert quote("-进度报告-") in disposition
    assert 'filename="progress-report-' in disposition  # ASCII fallback
    text = _squash(_pdf_text(resp.data))
    for needed in ("测试A小区", "老旧小区改造项目进度报告", "住户12户", "天然气入户", "道路改造", "60%", "100%",
                   "70.0%", "一、基本情况", "八、下一步工作", "填报单位（盖章）", "负责人签字", "第2页/共"):
        assert needed in text, needed


def test_pdf_embeds_a_cjk_font(client, login, report_world):
    login("squad_a")
    data = client.get(f"/reports/projects/{report_world['project_a'].id}/progress.pdf").data
    names = {n.replace("-", "").replace(" ", "") for n in _font_names(data)}
    # e.g. '/ABCDEF+Noto-Sans-CJK-SC': a subset of Noto Sans CJK SC, embedded.
    assert any("NotoSansCJK" in n for n in names), names


@pytest.mark.parametrize("username", ["leader_other", "resident_a", "supervisor_a", "squad_other"])
def test_others_get_403(client, login, report_world, username):
    login(username)
    assert client.get(f"/reports/projects/{report_world['project_a'].id}/progress.pdf").status_code == 403


def test_anonymous_is_sent_to_login(client, report_world):
    resp = client.get(f"/reports/projects/{report_world['project_a'].id}/progress.pdf")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_missing_project_404(client, login, report_world):
    login("admin")
    assert client.get("/reports/projects/999999/progress.pdf").status_code == 404


def test_hostile_text_prints_as_text(app, report_world, monkeypatch):
    """A problem title with markup prints literally; the fetcher is asked for nothing but the photo."""
    import renovation.core.pdf as pdf_mod

    asked = []
    real = pdf_mod.make_url_fetcher

    def spy(roots):
        fetcher = real(roots)
        inner = fetcher.fetch

        def fetch(url, headers=None):
            asked.append(url)
            return inner(url, headers)

        fetcher.fetch = fetch
        return fetcher

    monkeypatch.setattr(pdf_mod, "make_url_fetcher", spy)
    with app.test_request_context():
        ctx = services.build_report_context(report_world["project_a"], TODAY)
        html = app.jinja_env.get_template("pdf/progress_report.html").render(r=ctx)
        data = services.render_report_pdf(ctx)
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;&lt;b&gt;x&lt;/b&gt;" in html
    assert '<img src="file:///etc/passwd">' not in html
    text = _squash(_pdf_text(data))
    assert _squash('<img src="file:///etc/passwd"><b>x</b>') in text
    assert all("passwd" not in url for url in asked)
    assert len(asked) == 1 and asked[0].endswith(".thumb.jpg")  # the progress photo only


def test_fetcher_blocks_outside_roots(tmp_path):
    inside = tmp_path / "ok.png"
    inside.write_bytes(b"\x89PNG\r\n\x1a\n")
    fetcher = make_url_fetcher([tmp_path])
    assert fetcher.fetch(inside.as_uri()).read() == b"\x89PNG\r\n\x1a\n"
    escape = f"file://{tmp_path}/../../../../etc/passwd"
    for url in ("file:///etc/passwd", escape, f"file://{tmp_path}/missing.png",
                "http://127.0.0.1/x.png", "https://example.org/a.css", "data:text/plain,hi",
                "file://evil.example/etc/passwd"):
        with pytest.raises(RestrictedURLFetcherError):
            fetcher.fetch(url)


def test_render_skips_blocked_image(tmp_path):
    """An <img> pointing outside the roots is skipped and the PDF still renders."""
    data = render_pdf('<p>图片</p><img src="file:///etc/passwd">', base_dir=tmp_path, allowed_roots=[tmp_path])
    assert data.startswith(b"%PDF-")


def test_project_page_shows_panel(client, login, report_world):
    pid = report_world["project_a"].id
    login("leader_a")
    html = client.get(f"/projects/{pid}").get_data(as_text=True)
    assert "进度报告" in html and f"/reports/projects/{pid}/progress.pdf" in html


def test_project_page_hides_panel_from_residents(client, login, report_world):
    pid = report_world["project_a"].id
    login("resident_a")
    html = client.get(f"/projects/{pid}").get_data(as_text=True)
    assert "progress.pdf" not in html


def test_environment_problems_are_flashed(client, login, report_world, monkeypatch):
    from renovation.reports import views

    monkeypatch.setattr(views, "environment_problems", lambda: ["缺少中文字体"])
    login("squad_a")
    assert client.get(f"/reports/projects/{report_world['project_a'].id}/progress.pdf").status_code == 200
    html = client.get(f"/projects/{report_world['project_a'].id}").get_data(as_text=True)
    assert html.count("缺少中文字体") == 2  # the flash, and the warning in the report card


def test_content_disposition_header():
    value = content_disposition("嵩岳小区-进度报告-2026-11-29.pdf", "progress-report-1-2026-11-29.pdf")
    assert value == ("attachment; filename=\"progress-report-1-2026-11-29.pdf\"; "
                     "filename*=UTF-8''%E5%B5%A9%E5%B2%B3%E5%B0%8F%E5%8C%BA-%E8%BF%9B%E5%BA%A6%E6%8A%A5%E5%91%8A"
                     "-2026-11-29.pdf")


def test_report_without_optional_data(app, world):
    """A project with no survey, ballot, branch, photos or problems still renders (project B)."""
    with app.test_request_context():
        ctx = services.build_report_context(world["project_b"], TODAY)
        assert ctx["wishes"] is None and ctx["party"] is None and ctx["ballots"] == []
        assert ctx["works"]["overall"] is None
        data = services.render_report_pdf(ctx)
    text = _squash(_pdf_text(data))
    assert "测试B小区" in text and "尚未开展意愿征集" in text


def test_filename_uses_the_shanghai_date(client, login, report_world, monkeypatch):
    from renovation.reports import views

    monkeypatch.setattr(views, "local_today", lambda: date(2026, 11, 29))
    login("leader_a")
    resp = client.get(f"/reports/projects/{report_world['project_a'].id}/progress.pdf")
    expected = quote("测试A小区-进度报告-2026-11-29.pdf", safe="")
    assert resp.headers["Content-Disposition"] == (
        f"attachment; filename=\"progress-report-{report_world['project_a'].id}-2026-11-29.pdf\"; "
        f"filename*=UTF-8''{expected}")


def test_demo_report_renders(app):
    """The demo compound 嵩岳小区 (renovation/demo.py): 1,128 households, all eight sections, CJK text."""
    from sqlalchemy import select

    from renovation.core.timeutil import local_today
    from renovation.demo import load_demo
    from renovation.extensions import db
    from renovation.org.models import Compound
    from renovation.projects.models import Project

    load_demo()
    project = db.session.scalar(select(Project).join(Compound).where(Compound.name == "嵩岳小区"))
    today = local_today()  # the demo's story stands at the day it is loaded
    with app.test_request_context():
        ctx = services.build_report_context(project, today)
        data = services.render_report_pdf(ctx)
    assert ctx["compound"]["households"] == 1128 and ctx["compound"]["buildings"] == 33
    # one problem overdue, by weeks (27 days: deadline 2020-09-24 on the story day 2020-10-21), not years
    assert ctx["problems"]["overdue"] == 1
    assert [p["overdue_days"] for p in ctx["problems"]["listed"] if p["overdue"]] == [27]
    # the other areas' demo data reaches the report: site logs, Party tasks and activities, aftercare
    assert ctx["site_logs"]["days"] > 0 and ctx["site_logs"]["inspections"]["held"] == 2
    assert ctx["party"]["activity_counts"]["total"] == 41 and ctx["party"]["tasks"] and ctx["party"]["posts"]
    assert ctx["aftercare"]["handover"] and ctx["aftercare"]["property"] and ctx["aftercare"]["repairs"]["total"] == 8
    assert ctx["aftercare"]["activities"] and len(ctx["photos"]) == 10
    text = _squash(_pdf_text(data))
    for needed in ("施工日志摘要", "会议决定事项落实情况", "党员先锋岗", "党员活动", "资产移交", "物业管理", "居民报修",
                   "社区活动", "现场照片（10张）"):
        assert needed in text, needed
    for needed in ("嵩岳小区", "住户1,128户", "一、基本情况", "二、阶段进程", "三、居民决策", "四、施工进度",
                   "五、问题整改", "六、党建工作", "七、改造后管理", "八、下一步工作", "填报单位（盖章）"):
        assert needed in text, needed
    assert "\ufffd" not in text  # no replacement characters: every glyph mapped back to Unicode
