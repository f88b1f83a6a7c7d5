"""The dashboard and list pages: jurisdiction, filters, pinyin sort, search, pagination, bad input, read-only."""

import io
import re

from openpyxl import load_workbook

from renovation.extensions import db
from renovation.org.models import Community
from tests.dashboard.test_statements import bulk_compounds

TONGBAI = ["测试A小区", "长青小区", "东风小区", "银杏小区", "枫林小区", "白杨小区"]


def _names(html: str) -> list[str]:
    return re.findall(r'class="fw-bold fs-5 me-auto">([^<]+)</a>', html)


def test_tongbai_leader_sees_nothing_of_jianshe(client, jurisdiction, login):
    login("leader_a")
    home = client.get("/").get_data(as_text=True)
    listing = client.get("/compounds").get_data(as_text=True)
    for html in (home, listing):
        assert "测试B小区" not in html and "测试社区B" not in html and "建设路街道" not in html
    assert sorted(_names(listing)) == sorted(TONGBAI)
    wb = load_workbook(io.BytesIO(client.get("/compounds/ledger.xlsx").data))
    cells = {str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c}
    assert not {"测试B小区", "测试社区B", "建设路街道"} & cells
    assert "长青小区" in cells
    # B's community is not a choice for this leader: a forged filter is refused, not obeyed
    cb = db.session.query(Community).filter_by(name="测试社区B").one()
    resp = client.get(f"/compounds?community={cb.id}")
    assert resp.status_code == 400 and "测试B小区" not in resp.get_data(as_text=True)
    assert client.get(f"/compounds/ledger.xlsx?community={cb.id}").status_code == 400
    # and the compound's own pages stay closed
    assert client.get(f"/projects/{jurisdiction['project_b'].id}").status_code == 403
    assert client.get(f"/reports/projects/{jurisdiction['project_b'].id}/progress.pdf").status_code == 403


def test_jianshe_leader_sees_only_b(client, jurisdiction, login):
    login("leader_other")
    assert _names(client.get("/compounds").get_data(as_text=True)) == ["测试B小区"]
    html = client.get("/").get_data(as_text=True)
    assert not any(n in html for n in TONGBAI)


def test_filters_sort_and_search(client, jurisdiction, login):
    login("leader_a")
    html = client.get("/compounds?sort=name").get_data(as_text=True)
    assert _names(html) == ["白杨小区", "测试A小区", "长青小区", "东风小区", "枫林小区", "银杏小区"]  # pinyin
    # pages use the real today, long after the fixture's 2020 dates: 长青 is past its 2020-12-31 target too
    assert _names(client.get("/compounds?status=red&sort=name").get_data(as_text=True)) == [
        "长青小区", "东风小区", "银杏小区"]
    assert _names(client.get("/compounds?status=amber").get_data(as_text=True)) == ["枫林小区"]
    assert _names(client.get("/compounds?stage=consultation&sort=name").get_data(as_text=True)) == ["测试A小区", "枫林小区"]
    batch = jurisdiction["batch"].id
    assert len(_names(client.get(f"/compounds?batch={batch}").get_data(as_text=True))) == 6
    # status first: red (长青, 东风, 银杏), amber (枫林), green (白杨, 测试A), each in pinyin order
    assert _names(client.get("/compounds").get_data(as_text=True)) == [
        "长青小区", "东风小区", "银杏小区", "枫林小区", "白杨小区", "测试A小区"]
    assert _names(client.get("/compounds?q=长青").get_data(as_text=True)) == ["长青小区"]
    assert _names(client.get("/compounds?q=yx").get_data(as_text=True)) == ["银杏小区"]  # initials
    assert _names(client.get("/compounds?q=dongfeng").get_data(as_text=True)) == ["东风小区"]  # full pinyin
    assert "没有符合条件的小区" in client.get("/compounds?q=不存在").get_data(as_text=True)


def test_bad_filters_are_a_chinese_400(client, jurisdiction, login):
    login("leader_a")
    for query, message in [("stage=nonsense", "不是有效的选择"), ("page=0", "页码须在1到100000之间"),
                           ("page=abc", "页码"), ("q=" + "长" * 51, "搜索词不能超过50个字"),
                           ("sort=id", "不是有效的选择"), ("batch=99999", "不是有效的选择")]:
        resp = client.get("/compounds?" + query)
        html = resp.get_data(as_text=True)
        assert resp.status_code == 400 and "筛选条件有误" in html, query
        assert message in html, (query, html[html.find("invalid-feedback"):][:300])


def test_pagination(client, world, login):
    comm = db.session.query(Community).filter_by(name="西十里铺北社区").one()
    bulk_compounds(45, comm.id, world["batch"].id)
    login("leader_a")
    first = client.get("/compounds?sort=name").get_data(as_text=True)
    # 45 + 测试A小区 = 46 compounds, 20 per page -> 3 pages; page 3 holds 6
    assert "共46个小区，第1 / 3页" in first and len(_names(first)) == 20
    third = client.get("/compounds?sort=name&page=3").get_data(as_text=True)
    assert len(_names(third)) == 6 and "第3 / 3页" in third
    # digits compare as numbers: 批量2号院 before 批量10号院
    names = _names(first)
    assert names.index("批量2号院") < names.index("批量10号院")
    assert "第3 / 3页" in client.get("/compounds?sort=name&page=99").get_data(as_text=True)  # clamped
    assert 'href="/compounds?page=2&amp;sort=name"' in first or "page=2" in first


def test_leader_reads_but_cannot_edit(client, jurisdiction, login):
    login("leader_a")
    pid = jurisdiction["projects"]["C"].id
    page = client.get(f"/projects/{pid}")
    assert page.status_code == 200
    assert client.get(f"/reports/projects/{pid}/progress.pdf").status_code == 200
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
    assert client.post(f"/projects/{pid}/stage", data={"csrf_token": token, "target": "aftercare"}).status_code == 403


def test_residents_are_sent_to_their_compound(client, jurisdiction, login):
    login("resident_a")
    resp = client.get("/")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/projects/{jurisdiction['project_a'].id}")
    assert client.get("/compounds").status_code == 403
    assert client.get("/compounds/ledger.xlsx").status_code == 403
