"""The three journeys of issue 9 in a real browser against a real server with the demo data.

1. resident: phone (375x812) -> login, wish survey, vote 同意 on the lift ballot, receipt, repair request
   with a photo; no horizontal scrolling on any page; axe on the main pages.
2. squad: roster import (CSV), new ballot opened, paper ballot, progress with a photo, a problem report
   from filing to verification.
3. leader: dashboard, filtered compound list, 嵩岳小区, the PDF report downloaded and read with pypdf.

The demo's story (renovation/demo.py) gives the expected values: 嵩岳小区 has 1,128 households; the
resident lives in 3号楼2单元502 and is in scope of the open ballot 3号楼2单元加装电梯表决.
"""

import io
import re
from datetime import date, timedelta

from PIL import Image
from pypdf import PdfReader

from tests.e2e.conftest import assert_axe_clean, assert_no_hscroll, login, shot

PHONE = (375, 812)


def _photo(tmp_path, name: str, colour=(180, 120, 60)) -> str:
    """A small real JPEG (like a phone photo, only smaller) for the upload fields."""
    path = tmp_path / name
    Image.new("RGB", (640, 480), colour).save(path, "JPEG", quality=80)
    return str(path)


def _project_id(page, name: str) -> int:
    href = page.get_by_role("link", name=name, exact=True).first.get_attribute("href")
    return int(re.search(r"/projects/(\d+)", href).group(1))


def test_resident_on_a_phone(new_page, tmp_path):
    page = new_page(*PHONE)
    page.goto("/login")
    assert_no_hscroll(page)
    assert_axe_clean(page)
    shot(page, "resident", "1-login")

    login(page, "resident")
    # one household, one project: the resident lands on 嵩岳小区's project page
    assert re.search(r"/projects/\d+$", page.url), page.url
    project_url = page.url
    main = page.locator("main")
    assert "嵩岳小区" in main.inner_text()
    assert_no_hscroll(page)
    assert_axe_clean(page)
    shot(page, "resident", "2-project")

    # wish survey: answer it when open for this household, else the page shows the recorded answer
    page.goto(project_url.replace("/projects/", "/wishes/project/") + "/answer")
    body = page.locator("main").inner_text()
    submit = page.get_by_role("button", name="提交我家的意愿")
    if submit.count():  # open for this household: consent (the first big button is 同意) and send
        page.locator("fieldset label.btn").first.click()
        submit.click()
        body = page.locator("main").inner_text()
        assert "您的意愿已提交" in body
    else:
        # the demo's survey closed in May of the story; 3号楼2单元502 answered 同意改造 online
        assert "意愿征集已结束" in body
        assert "您家的意愿：同意改造" in body
        assert "线上" in body
    assert "3号楼2单元502" in body
    assert_no_hscroll(page)
    shot(page, "resident", "3-wish")

    # the open lift ballot: 同意 -> confirm -> receipt
    page.goto(project_url)
    page.locator("a[href$='/vote']", has_text="去投票").first.click()
    assert page.locator("h1").inner_text() == "3号楼2单元加装电梯表决"
    assert "3号楼2单元502" in page.locator("main").inner_text()
    assert_no_hscroll(page)
    assert_axe_clean(page)
    page.locator("label.btn", has_text="同意").first.click()
    shot(page, "resident", "4-vote")
    page.get_by_role("button", name="下一步：确认选择").click()
    assert page.locator("h1").inner_text() == "请确认您的选择"
    assert page.locator("li.list-group-item").first.inner_text().split()[-1] == "同意"  # the choice ends the line
    assert_no_hscroll(page)
    shot(page, "resident", "5-confirm")
    page.get_by_role("button", name="确认提交").click()
    assert page.locator("h1").inner_text() == "投票回执"
    code = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{8}", code), code
    assert page.locator("#receipt-status").inner_text() == "当前有效"
    choices = page.locator("li.list-group-item").all_inner_texts()
    assert [c.split()[-1] for c in choices] == ["同意"]
    assert "3号楼2单元加装电梯" in choices[0]
    assert_no_hscroll(page)
    assert_axe_clean(page)
    shot(page, "resident", "6-receipt")
    # the ballot page shows the household's recorded choice and the same receipt code
    page.get_by_role("link", name="返回表决页").click()
    mine = page.locator("main .card", has_text="我家").inner_text()
    assert "3号楼2单元加装电梯 — 同意" in mine and f"查看回执（{code}）" in mine, mine
    assert_no_hscroll(page)

    # the approved plan with its budget table (it scrolls inside its box at 375 px, keyboard included)
    page.goto(project_url)
    page.get_by_role("link", name="查看方案、预算与资金").click()
    assert "改造项目与预算" in page.locator("main").inner_text()
    assert_no_hscroll(page)
    assert_axe_clean(page)
    page.goto(project_url)

    # a repair request with a photo (the project is past construction's start and has a property company)
    repair_link = page.get_by_role("link", name="我要报修")
    if repair_link.count():
        repair_link.first.click()
        assert page.locator("h1").inner_text() == "我要报修"
        assert_no_hscroll(page)
        page.get_by_label("报修类别").select_option(label="水电（24小时内处理）")
        page.get_by_label("位置").fill("3号楼2单元502 卫生间")
        page.get_by_label("问题描述").fill("卫生间水龙头漏水，关不紧。")
        page.get_by_label("照片（可选）").set_input_files(_photo(tmp_path, "leak.jpg"))
        shot(page, "resident", "7-repair-form")
        page.get_by_role("button", name="提交报修").click()
        body = page.locator("main").inner_text()
        assert "卫生间水龙头漏水，关不紧。" in body
        assert "3号楼2单元502 卫生间" in body
        assert page.locator("main img").count() >= 1
    else:
        page.get_by_role("link", name="问题反映").click()
        page.get_by_role("link", name="我要反映问题").click()
        page.get_by_label("问题").fill("楼道灯不亮")
        page.get_by_label("照片（可选）").set_input_files(_photo(tmp_path, "lamp.jpg"))
        page.get_by_role("button", name="提交").click()
        body = page.locator("main").inner_text()
        assert "楼道灯不亮" in body
    assert_no_hscroll(page)
    shot(page, "resident", "8-repair")


def test_squad_member_from_roster_to_closed_problem(new_page, tmp_path):
    page = new_page(1280, 900)
    login(page, "squad")
    ids = {name: _project_id(page, name) for name in ("嵩岳小区", "电缆厂家属院")}

    # --- roster import into 电缆厂家属院 (demo: 10 entrances x 12 rooms = 120 households) ---------------
    page.goto(f"/projects/{ids['电缆厂家属院']}")
    page.get_by_role("link", name="导入花名册").click()
    assert page.locator("h1").inner_text() == "导入花名册"
    assert_axe_clean(page)
    csv = tmp_path / "花名册.csv"
    csv.write_text("楼栋,单元,房号,面积（㎡）,业主姓名,联系电话\n"
                   "1号楼,1单元,103,58.60,王秀兰,13903710001\n"
                   "1号楼,1单元,104,61.20,李建国,13903710002\n"
                   "1号楼,1单元,101,72.35,张桂芳,13903710003\n", encoding="utf-8")
    page.locator("input[type=file][name=file]").set_input_files(str(csv))
    page.get_by_role("button", name="上传并预览").click()
    assert page.locator("h1").inner_text() == "导入预览"
    # two new rooms (103, 104) and one correction (101 is in the demo's roster)
    assert "新增 2 户，更正 1 户" in page.locator("main").inner_text()
    assert page.locator("#import-rows tbody tr").count() == 3
    shot(page, "squad", "1-roster-preview")
    page.get_by_role("button", name="确认导入").click()
    assert "导入完成：新增 2 户，更正 1 户。" in page.locator("main").inner_text()
    assert page.locator("#roster-total").inner_text() == "122"  # 120 + 2
    shot(page, "squad", "2-roster")

    # --- a new ballot in 嵩岳小区, one entrance, opened ---------------------------------------------------
    page.goto(f"/projects/{ids['嵩岳小区']}")
    assert_axe_clean(page)
    page.get_by_role("link", name="发起表决").click()
    assert page.locator("h1").inner_text() == "发起表决"
    assert_axe_clean(page)
    page.get_by_label("表决标题").fill("5号楼1单元楼道照明改造表决")
    page.locator("input[name=item_ids]").first.check()
    page.get_by_label("单个单元", exact=True).check()
    page.get_by_label("单元（范围为单个单元时）").select_option(label="5号楼1单元")
    closes = date.today() + timedelta(days=14)
    page.get_by_label("截止时间（北京时间）").fill(f"{closes:%Y-%m-%d}T18:00")
    shot(page, "squad", "3-new-ballot")
    page.get_by_role("button", name="创建表决").click()
    assert "表决已创建（未开始）" in page.locator("main").inner_text()
    page.get_by_role("button", name="开始投票").click()
    h1 = page.locator("h1").inner_text()
    assert "5号楼1单元楼道照明改造表决" in h1 and "投票中" in h1
    assert "范围：5号楼1单元" in page.locator("main").inner_text()
    ballot_url = page.url

    # --- a paper ballot with its scan ------------------------------------------------------------------
    page.goto(ballot_url + "/paper")
    assert page.locator("h1").inner_text() == "录入纸质选票"
    household = page.get_by_label("房屋")
    first = household.locator("option").nth(1) if household.locator("option").first.get_attribute(
        "value") in ("", None) else household.locator("option").first
    label = first.inner_text().split(" · ")[0]
    household.select_option(value=first.get_attribute("value"))
    page.locator("label.btn", has_text="同意").first.click()
    page.get_by_label("签字选票扫描件（替换该户在线投票时必填）").set_input_files(_photo(tmp_path, "paper.jpg", (240, 240, 230)))
    shot(page, "squad", "4-paper-ballot")
    page.get_by_role("button", name="保存纸质选票").click()
    flash = page.locator(".alert-success").inner_text()
    assert f"已录入 {label} 的纸质选票" in flash and re.search(r"回执码 [A-Z0-9]{8}", flash), flash
    page.goto(ballot_url)
    assert "已投票 1 户。" in page.locator("main").inner_text()
    shot(page, "squad", "5-ballot")

    # --- progress with a photo on 夜间照明 (demo: 0%, 未开工) ---------------------------------------------
    page.goto(f"/construction/projects/{ids['嵩岳小区']}")
    page.locator("tr", has_text="夜间照明").get_by_role("link").click()
    assert page.locator("h1").inner_text() == "夜间照明"
    assert "当前进度 0%" in page.locator("main").inner_text()
    page.get_by_label("完成进度（%）").fill("15")
    page.get_by_label("状态").select_option(label="施工中")
    page.get_by_label("说明").fill("3号楼至6号楼庭院灯基础浇筑完成")
    page.get_by_label("现场照片（可选）").set_input_files(_photo(tmp_path, "lamp.jpg", (90, 110, 140)))
    page.get_by_role("button", name="提交进度").click()
    main = page.locator("main").inner_text()
    assert "“夜间照明”进度已更新为 15%。" in main
    assert "当前进度 15%" in main
    assert page.locator("img[alt='夜间照明现场照片']").count() == 1
    shot(page, "squad", "6-progress")

    # --- a problem from report to verification ------------------------------------------------------
    page.goto(f"/construction/projects/{ids['嵩岳小区']}/problems/new")
    page.get_by_label("问题", exact=True).fill("5号楼北侧人行道地砖松动")
    page.get_by_label("详细描述").fill("约两平方米地砖踩上去晃动，老人容易绊倒。")
    page.get_by_label("照片（可选）").set_input_files(_photo(tmp_path, "tiles.jpg", (120, 120, 120)))
    page.get_by_role("button", name="提交").click()
    assert "问题已提交" in page.locator("main").inner_text()
    assert page.locator("h1").inner_text().startswith("5号楼北侧人行道地砖松动")
    assert page.locator("#problem-status").inner_text() == "已上报"
    assert_axe_clean(page)
    deadline = date.today() + timedelta(days=7)
    firms = page.get_by_label("责任单位").locator("option").all_inner_texts()
    choice = next((f for f in firms if "施工" in f), firms[0])  # e.g. "某某建设有限公司（施工单位）"
    page.get_by_label("责任单位").select_option(label=choice)
    firm = choice.split("（")[0]
    page.get_by_label("整改期限").fill(f"{deadline:%Y-%m-%d}")
    page.get_by_label("交办说明").fill("三天内重新铺设")
    page.get_by_role("button", name="交办", exact=True).click()
    assert page.locator("#problem-status").inner_text() == "已交办"
    meta = page.locator("main p.small").first.inner_text()
    assert f"责任单位：{firm}" in meta and f"整改期限：{deadline.year}年{deadline.month}月{deadline.day}日" in meta
    shot(page, "squad", "7-problem-assigned")
    page.locator("form[action$='/rectify'] textarea").fill("已重新铺设地砖并压实")
    page.locator("form[action$='/rectify'] input[type=file]").set_input_files(
        _photo(tmp_path, "fixed.jpg", (100, 140, 100)))
    page.get_by_role("button", name="已整改").click()
    assert page.locator("#problem-status").inner_text() == "已整改"
    page.locator("form[action$='/verify'] textarea").fill("现场核验，地砖平整")
    page.get_by_role("button", name="整改到位，关闭问题").click()
    assert page.locator("#problem-status").inner_text() == "已核验"
    steps = page.locator("#history li strong").all_inner_texts()
    assert steps == ["已上报", "已交办", "已整改", "已核验"], steps
    assert page.locator("#history img").count() == 2  # the report's photo and the fix's photo
    shot(page, "squad", "8-problem-verified")


def test_leader_dashboard_filter_compound_and_pdf(new_page, tmp_path):
    page = new_page(1280, 900)
    login(page, "leader")
    # the street leader of 桐柏路街道 sees 嵩岳小区 and 电缆厂家属院 (demo.py)
    main = page.locator("main").inner_text()
    assert "嵩岳小区" in main and "电缆厂家属院" in main
    assert "百花小区" not in main  # 建设路街道, another leader's street
    assert_axe_clean(page)
    shot(page, "leader", "1-dashboard")

    page.get_by_role("link", name="小区列表").first.click()
    names = page.locator("li.compound-card a.fw-bold").all_inner_texts()
    assert sorted(names) == sorted(["嵩岳小区", "电缆厂家属院"]), names
    page.get_by_label("阶段").select_option(label="过程监督")
    page.get_by_role("button", name="筛选").click()
    assert "stage=" in page.url
    names = page.locator("li.compound-card a.fw-bold").all_inner_texts()
    assert names == ["嵩岳小区"], names  # 电缆厂家属院 is still at 意愿征集
    assert "共1个小区" in page.locator("main").inner_text()
    assert_axe_clean(page)
    shot(page, "leader", "2-compounds-filtered")

    page.get_by_role("link", name="嵩岳小区", exact=True).click()
    assert re.search(r"/projects/\d+$", page.url)
    main = page.locator("main").inner_text()
    assert "1,128" in main  # households
    shot(page, "leader", "3-project")
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="下载 PDF").click(timeout=60_000)  # the first render of the report can take seconds on a loaded machine
    download = dl.value
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    path = tmp_path / "report.pdf"
    download.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    assert "嵩岳小区" in text
    assert "1,128" in text  # households of 嵩岳小区 in the demo
    assert len(reader.pages) >= 2
