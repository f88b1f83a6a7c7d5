"""The exported ledger opened with openpyxl: sheets, headers, types, frozen header row and totals."""

import io
from datetime import datetime
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from renovation.dashboard import ledgers
from renovation.dashboard.services import Filters
from renovation.projects.rules import Stage
from tests.dashboard.conftest import TODAY


@pytest.fixture
def book(jurisdiction):
    data = ledgers.build_ledger(jurisdiction["leader_a"], Filters(sort="name"), TODAY)
    return load_workbook(io.BytesIO(data))


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_sheets_headers_and_frozen_row(book):
    assert book.sheetnames == ["项目台账", "改造内容", "资金来源", "进度", "问题台账"]
    assert _rows(book["项目台账"])[0] == ledgers.PROJECT_HEADERS
    assert _rows(book["改造内容"])[0] == ledgers.ITEM_HEADERS
    assert _rows(book["资金来源"])[0][:4] == ["序号", "街道", "小区", "中央补助资金(元)"]
    assert _rows(book["问题台账"])[0] == ledgers.PROBLEM_HEADERS
    assert all(book[name].freeze_panes == "A2" for name in book.sheetnames)


def test_projects_sheet_types_order_and_totals(book):
    rows = _rows(book["项目台账"])
    body, total = rows[1:-1], rows[-1]
    # pinyin order: bai(白杨) < ce(测试A) < chang(长青) < dong(东风) < feng(枫林) < yin(银杏); by character
    # code 东 (U+4E1C) would come first and 长 (U+957F) last
    names = [r[3] for r in body]
    assert names == ["白杨小区", "测试A小区", "长青小区", "东风小区", "枫林小区", "银杏小区"]
    changqing = body[2]
    assert changqing[6] == Stage.CONSTRUCTION.label
    assert changqing[7] == 10 and isinstance(changqing[7], int)            # households
    assert changqing[9] == 1.0                                                 # consent 10/10
    assert changqing[11] == 300000 and changqing[12] == 130000                 # budget, spent estimate (yuan)
    assert changqing[13] == pytest.approx(0.4333)                              # progress as a fraction
    assert isinstance(changqing[14], datetime) and changqing[14].date().isoformat() == "2020-09-01"
    assert changqing[18] == "关注"
    assert book["项目台账"].cell(row=3, column=12).number_format == ledgers.MONEY
    # totals: 35 households, 2,840 m², 5 adopted items (1+2+1+1), 730,000 yuan planned, 180,000 spent,
    # open problems 2 + 3 = 5, overdue 1 + 3 = 4
    assert total[0] == "合计"
    assert (total[7], total[8], total[10], total[11], total[12], total[16], total[17]) == (
        35, 2840, 5, 730000, 180000, 5, 4)


def test_items_funding_progress_and_problems_sheets(book):
    items = _rows(book["改造内容"])
    # adopted items in the compounds' order: 白杨 none; A 天然气入户; 长青 外立面, 道路; 东风 绿化提升; 银杏 停车位施划
    assert [r[4] for r in items[1:-1]] == ["天然气入户", "外立面改造", "道路改造", "绿化提升", "停车位施划"]
    assert items[2][6] == 10 and items[2][9] == 200000 and items[2][12] == 0.5
    assert items[-1][9] == 730000
    funding = _rows(book["资金来源"])
    head, total = funding[0], funding[-1]
    col = {h: i for i, h in enumerate(head)}
    # central 150,000 + 50,000; local 130,000; residents 20,000; funded 350,000; budget 730,000; unfunded 380,000
    assert total[col["中央补助资金(元)"]] == 200000
    assert total[col["省市财政资金(元)"]] == 130000
    assert total[col["居民出资(元)"]] == 20000
    assert (total[col["已落实合计(元)"]], total[col["计划投资(元)"]], total[col["未落实(元)"]]) == (350000, 730000, 380000)
    progress = _rows(book["进度"])
    changqing = next(r for r in progress if r[2] == "长青小区")
    assert changqing[7] == pytest.approx(0.6481) and changqing[8] == pytest.approx(21.5, abs=0.05)
    assert progress[-1][4:6] == [5, 1]  # 5 adopted items, 1 completed (东风's 绿化提升 at 100%)
    problems = _rows(book["问题台账"])
    # all six problems, oldest first; 东风's 草坪枯死: deadline 10-01, 20 days overdue on 10-21
    assert len(problems) == 1 + 6 + 1 and problems[-1][3] == "6个问题"
    first = problems[1]
    assert first[3] == "材料堆放" and first[4] == "已核验" and first[7] == 0
    grass = next(r for r in problems if r[3] == "草坪枯死")
    assert isinstance(grass[5], datetime) and grass[6].date().isoformat() == "2020-10-01" and grass[7] == 20


def test_download_name_and_filters(client, jurisdiction, login):
    login("leader_a")
    resp = client.get("/compounds/ledger.xlsx?stage=construction")
    assert resp.status_code == 200
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    cd = resp.headers["Content-Disposition"]
    assert cd.startswith('attachment; filename="renovation-ledger-') and "filename*=UTF-8''" in cd
    assert quote("桐柏路街道-老旧小区改造台账-") in cd
    wb = load_workbook(io.BytesIO(resp.data))
    assert [r[3] for r in _rows(wb["项目台账"])[1:-1]] == ["长青小区"]  # the same filters as the list
    assert client.get("/compounds/ledger.xlsx?stage=nonsense").status_code == 400
