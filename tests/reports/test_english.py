"""English readers (cookie lang=en): the download card and the refusals follow the reader's language, but
the PDF progress report and the summary are official documents and come out in Chinese, the very same
file (same cache entry) as for a Chinese reader."""

import re
from datetime import date

from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.party.models import MemberActivity, MemberActivityKind, PartyMember
from renovation.projects.rules import Stage
from tests.reports.conftest import pdf_pages, squash

#: English labels the report would print if it followed the reader's language: stage names, a funding
#: source, a problem status, a Party activity type (this area's own label), an English month.
ENGLISH_LABELS = ("Wish solicitation", "Consultation", "Construction oversight", "Central subsidy", "Assigned",
                  "Household visit", "Progress report", "November", "Whole project")


def _english(client):
    client.set_cookie("lang", "en")


def _add_activity(report_world):
    branch = report_world["branch"]
    member = db.session.query(PartyMember).filter_by(branch_id=branch.id, name="李秀兰").one()
    db.session.add(MemberActivity(branch_id=branch.id, project_id=report_world["project_a"].id, member_id=member.id,
                                  kind=MemberActivityKind.VISIT, stage=Stage.CONSULTATION,
                                  happened_on=date(2026, 3, 10), summary="入户讲解改造方案"))
    db.session.commit()


def test_english_reader_gets_the_chinese_report(client, login, report_world):
    _add_activity(report_world)
    pid = report_world["project_a"].id
    login("leader_a")
    _english(client)
    english = client.get(f"/reports/projects/{pid}/progress.pdf")
    assert english.status_code == 200 and english.headers["X-Report-Cache"] == "miss"  # rendered for this reader
    text = squash("\n".join(pdf_pages(english.data)))
    today = local_today()
    for needed in ("老旧小区改造项目进度报告", "测试A小区", "一、基本情况", "六、党建工作",
                   "当前阶段内容协商", "意愿征集→内容协商",  # stage names (projects' lazy labels)
                   "中央补助资金",  # a funding source (planning's labels)
                   "入户走访1",  # the Party activity type of this area
                   f"报告日期{today.year}年{today.month}月{today.day}日"):  # dates through date_cn, in Chinese
        assert needed in text, needed
    flat = "\n".join(pdf_pages(english.data))
    for label in ENGLISH_LABELS:
        assert label not in flat, label
    # the file name stays Chinese as well
    assert "filename*=UTF-8''%E6%B5%8B%E8%AF%95A%E5%B0%8F%E5%8C%BA-" in english.headers["Content-Disposition"]

    # A Chinese reader then gets the same file from the cache: the key does not depend on the language.
    client.delete_cookie("lang")
    chinese = client.get(f"/reports/projects/{pid}/progress.pdf")
    assert chinese.headers["X-Report-Cache"] == "hit"
    assert chinese.data == english.data


def test_chinese_reader_first_then_english_reader_hits_the_cache(client, login, report_world):
    pid = report_world["project_a"].id
    login("squad_a")
    first = client.get(f"/reports/projects/{pid}/progress.pdf?period=month&day=2026-03-15")
    assert first.headers["X-Report-Cache"] == "miss"
    _english(client)
    again = client.get(f"/reports/projects/{pid}/progress.pdf?period=month&day=2026-03-15")
    assert again.headers["X-Report-Cache"] == "hit" and again.data == first.data
    assert "2026年3月" in squash("\n".join(pdf_pages(again.data)))


def test_english_reader_gets_the_chinese_summary(client, login, report_world):
    login("leader_a")
    _english(client)
    resp = client.get("/reports/summary.pdf")
    assert resp.status_code == 200
    text = "\n".join(pdf_pages(resp.data))
    assert "老旧小区改造进度汇总" in squash(text)
    assert "内容协商" in text  # the stage of project A
    for label in ENGLISH_LABELS:
        assert label not in text, label
    client.delete_cookie("lang")
    again = client.get("/reports/summary.pdf")
    assert again.headers["X-Report-Cache"] == "hit" and again.data == resp.data


def test_download_card_in_english_and_in_chinese(client, login, report_world):
    pid = report_world["project_a"].id
    login("leader_a")
    html = client.get(f"/projects/{pid}").get_data(as_text=True)
    assert "进度报告" in html and "项目全过程" in html and "下载 PDF" in html
    assert "Download PDF" not in html
    _english(client)
    html = client.get(f"/projects/{pid}").get_data(as_text=True)
    card = html.split('id="report-panel-title"', 1)[1].split("</section>", 1)[0]
    assert "Progress report" in card and "Whole project" in card and "Download PDF" in card
    assert "Weekly (the week of the chosen date)" in card and "Report period" in card
    assert "always produced in Chinese" in card
    # only what the machine lacks (core's warnings, none here) could still be Chinese in the card
    assert not re.search(r"[\u4e00-\u9fff]", card), card
    home = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Download the summary report (PDF)" in home


def test_bad_period_is_refused_in_english(client, login, report_world):
    pid = report_world["project_a"].id
    login("leader_a")
    _english(client)
    resp = client.get(f"/reports/projects/{pid}/progress.pdf?period=year", follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "The report period can only be “whole project”, “monthly” or “weekly”." in html
    resp = client.get(f"/reports/projects/{pid}/progress.pdf?period=week&day=2999-01-01", follow_redirects=True)
    today = local_today()
    assert f"The report period cannot be later than today ({today:%B} {today.day}, {today.year})." in (
        resp.get_data(as_text=True))
    client.delete_cookie("lang")
    resp = client.get(f"/reports/projects/{pid}/progress.pdf?period=year", follow_redirects=True)
    assert "报告期只能选择“项目全过程”“月度”或“周”。" in resp.get_data(as_text=True)


def test_summary_refusal_in_english(client, login, report_world):
    login("squad_a")
    _english(client)
    resp = client.get("/reports/summary.pdf")
    assert resp.status_code == 403
    assert "Only leaders and administrators can download the jurisdiction summary report." in (
        resp.get_data(as_text=True))
