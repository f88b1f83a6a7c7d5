"""The dashboard, the compound list and the ledger for a reader who chose English (cookie lang=en); the
ledger, a document, stays Chinese. Without the cookie the same pages are in Chinese."""

import io
import re
from urllib.parse import unquote

from openpyxl import load_workbook


def _english(client):
    client.set_cookie("lang", "en")


def test_dashboard_in_english(client, jurisdiction, login):
    _english(client)
    login("admin")
    html = client.get("/").get_data(as_text=True)
    assert "Overview" in html and "Whole jurisdiction" in html and "Households covered" in html
    # status labels, stage names and the reasons of a red compound (东风: three overdue problems)
    assert ">Alert</span>" in html and ">On track</span>" in html
    assert "Post-handover management" in html and "3 problems overdue for rectification" in html
    # the charts (SVG, web only) speak English too, stage names included
    assert "Stage funnel: compounds that reached each stage" in html and ">Wish solicitation</text>" in html
    assert "Compounds by red/amber/green: Alert 3" in html
    # no Chinese left in the page chrome (only data: compound, problem, subdistrict names)
    assert "辖区总览" not in html and "阶段漏斗" not in html and "逾期未整改" not in html and "预警" not in html


def test_dashboard_in_chinese_by_default(client, jurisdiction, login):
    login("admin")
    html = client.get("/").get_data(as_text=True)
    assert "辖区总览" in html and "全部辖区" in html and "3个问题逾期未整改" in html
    assert "阶段漏斗：到达各阶段的小区数" in html and ">意愿征集</text>" in html
    assert "Overview" not in html and "On track" not in html


def test_compound_list_and_its_refusals_in_english(client, jurisdiction, login):
    _english(client)
    login("leader_a")
    html = client.get("/compounds?sort=name").get_data(as_text=True)
    assert "6 compounds, page 1 of 1" in html
    assert '<option selected value="">All stages</option>' in html or ">All stages</option>" in html
    assert ">Construction oversight</option>" in html and ">Compound name (pinyin)</option>" in html
    assert 'placeholder="Compound name, address or pinyin initials"' in html
    assert "Download ledger for this filter (Excel)" in html and "12 households" in html
    bad = client.get("/compounds?page=0")
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "Some filter values are wrong" in text and "The page must be between 1 and 100000." in text
    assert "Not a valid choice" in client.get("/compounds?stage=nonsense").get_data(as_text=True)


def test_ledger_stays_chinese_for_an_english_reader(client, jurisdiction, login):
    _english(client)
    login("leader_a")
    resp = client.get("/compounds/ledger.xlsx?sort=name")
    assert resp.status_code == 200
    assert "老旧小区改造台账" in unquote(resp.headers["Content-Disposition"])
    book = load_workbook(io.BytesIO(resp.data))
    rows = [list(r) for r in book["项目台账"].iter_rows(values_only=True)]
    assert rows[0][6] == "阶段" and rows[0][18] == "状态"
    dongfeng = next(r for r in rows if r[3] == "东风小区")
    assert (dongfeng[6], dongfeng[18], dongfeng[19]) == ("改造后管理", "预警", "3个问题逾期未整改")
    items = [list(r) for r in book["改造内容"].iter_rows(values_only=True)]
    changqing = next(r for r in items if r[4] == "外立面改造")
    assert changqing[-1] == "施工中"
    cells = {str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c}
    assert not {c for c in cells if re.search(r"On track|Alert|Post-handover|overdue|In progress", c)}
