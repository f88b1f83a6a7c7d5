"""Register import with real-shaped files made here: a GBK CSV, a UTF-8-BOM CSV, an .xlsx with merged
building cells and long numbers, and a file full of errors that writes nothing and lists each error.

World (tests/factories.py): 测试A小区 has 1号楼 and 2号楼, each with 1单元 and 2单元, rooms 101/201/301 in each
entrance (12 households); 测试B小区's one building is 1号楼 too (must not be matched from A).
"""

import io

import openpyxl
import pytest
from sqlalchemy import func, select

from renovation.core.errors import DomainError
from renovation.core.models import AuditLog
from renovation.extensions import db
from renovation.org import importer
from renovation.org.models import Household, Owner, OwnerType
from renovation.roster import services
from tests.factories import csrf_from

HEADER = "楼号,单元,房号,建筑面积（㎡）,业主姓名,联系电话,身份证号,业主类型\n"


def _count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _hh(world, label):
    return next(h for h in db.session.scalars(select(Household).where(
        Household.compound_id == world["compound_a"].id)) if h.label == label)


def test_gbk_csv_is_read_and_imported(world):
    text = HEADER + (
        "1号楼,1单元,401,85.5,张卫国,13912345678,410102199001011234,业主\n"
        "1号楼,1单元,402,85.50,张卫国,13912345678,410102199001011234,业主\n"  # same buyer, two dwellings
        "1,2,401,90,李秀英,0371-61234567,,公房承租人\n")
    data = text.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really GBK, not UTF-8 by accident
    preview = services.preview_import(world["squad_a"], world["project_a"], data, "花名册.csv")
    assert preview.problems == [] and [r.label for r in preview.rows] == ["1号楼1单元401", "1号楼1单元402",
                                                                        "1号楼2单元401"]
    assert _count(Household) == 14  # the preview wrote nothing (12 in A + 2 in B)
    services.apply_import(world["squad_a"], world["project_a"], data, "花名册.csv")
    db.session.commit()
    assert _count(Household) == 17  # 14 + 3
    h = _hh(world, "1号楼1单元401")
    assert h.floor == 4 and str(h.area) == "85.50" and h.owner.phone == "13912345678"
    assert h.owner.id_number == "410102199001011234"
    # one buyer of two dwellings is one Owner (art. 278 headcount)
    assert _hh(world, "1号楼1单元402").owner_id == h.owner_id
    assert _hh(world, "1号楼2单元401").owner.owner_type is OwnerType.PUBLIC_TENANT
    actions = list(db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)))
    assert actions == ["household.import"] * 3 + ["roster.import"]


def test_utf8_bom_csv_with_excel_numbers_and_a_correction(world):
    text = ("\ufeff楼栋,单元号,室号,专有面积,业主,电话,证件号,类型\n"
            "2号楼,1单元,401.0,70.25,王建军,13800001111.0,,\n"          # numbers as Excel writes them to CSV
            "2号楼,1单元,101,81.00,测试A小区业主2-1-1,13800000000,,业主\n")  # already registered: corrected
    data = text.encode("utf-8-sig")
    assert data[:3] == b"\xef\xbb\xbf"
    preview = services.preview_import(world["squad_a"], world["project_a"], data, "register.csv")
    assert preview.problems == []
    assert (preview.new_count, preview.update_count) == (1, 1)
    row = preview.rows[0]
    assert (row.room, row.phone, row.owner_type) == ("401", "13800001111", "private")
    services.apply_import(world["squad_a"], world["project_a"], data, "register.csv")
    db.session.commit()
    corrected = _hh(world, "2号楼1单元101")
    assert str(corrected.area) == "81.00"  # was 80.00
    log = db.session.scalar(select(AuditLog).where(AuditLog.action == "household.import_update"))
    assert log.object_id == corrected.id and log.before["area"] == "80.00" and log.after["area"] == "81.00"


def _xlsx_with_merged_buildings() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["测试A小区住户登记表"])          # a title row above the header
    ws.merge_cells("A1:G1")
    ws.append(["楼栋", "单元", "房号", "面积", "业主姓名", "手机号", "身份证号"])
    ws.append(["1号楼", "1单元", "401", 88.8, "赵大明", 13987654321, "41010219850505123X"])
    ws.append([None, "1单元", 402, 88.8, "钱小红", 15838383838, "410102198505051234"])
    ws.append([None, "2单元", 401, 92, "孙开发", 18600001111, None])
    ws.append(["2号楼", "2单元", 401, 75.5, "郑州某置业公司", 1037161234567, None])
    ws["G6"] = None
    ws.merge_cells("A3:A5")                        # 1号楼 written once over three rows
    # the developer row: owner type column added at the right
    ws["H2"] = "业主类型"
    ws["H6"] = "开发商未售"
    ws["F6"] = None
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_merged_building_cells_filled_down_and_long_numbers_kept(world):
    data = _xlsx_with_merged_buildings()
    preview = services.preview_import(world["squad_a"], world["project_a"], data, "登记表.xlsx")
    assert preview.problems == []
    assert [(r.line, r.label) for r in preview.rows] == [
        (3, "1号楼1单元401"), (4, "1号楼1单元402"), (5, "1号楼2单元401"), (6, "2号楼2单元401")]
    assert [r.phone for r in preview.rows] == ["13987654321", "15838383838", "18600001111", None]
    assert preview.rows[0].id_number == "41010219850505123X"
    assert preview.rows[3].owner_type == "developer"
    services.apply_import(world["squad_a"], world["project_a"], data, "登记表.xlsx")
    db.session.commit()
    assert _hh(world, "1号楼2单元401").owner.phone == "18600001111"  # never 1.86E+10 nor 18600001111.0
    dev = _hh(world, "2号楼2单元401").owner
    assert dev.owner_type is OwnerType.DEVELOPER
    assert _count(Owner, Owner.owner_type == OwnerType.DEVELOPER) == 1


def test_file_with_errors_lists_each_and_writes_nothing(world):
    text = HEADER + (
        "1号楼,1单元,401,85.5,甲,13912345678,,\n"           # line 2: fine
        "1号楼,1单元,401,86,乙,13912345679,,\n"             # line 3: duplicate of line 2
        "1号楼,1单元,402,八十,丙,,,\n"                       # line 4: area not a number
        "9号楼,1单元,101,80,丁,,,\n"                         # line 5: unknown building
        "2号楼,5单元,101,80,戊,,,\n"                         # line 6: unknown entrance
        "2号楼,1单元,402,80,己,1.39123E+10,,\n"              # line 7: phone in scientific notation
        "2号楼,1单元,403,80,,,4.10102E+17,外星人\n")         # line 8: no owner, ID mangled, unknown type
    data = text.encode("gb18030")
    before = (_count(Household), _count(Owner), _count(AuditLog))
    preview = services.preview_import(world["squad_a"], world["project_a"], data, "bad.csv")
    got = [(p.line, p.column) for p in preview.problems]
    assert got == [(3, "房号"), (4, "建筑面积（㎡）"), (5, "楼号"), (6, "单元"), (7, "联系电话"),
                   (8, "业主姓名"), (8, "身份证号"), (8, "业主类型")]
    msgs = {(p.line, p.column): p.message for p in preview.problems}
    assert "与第 2 行重复" in msgs[(3, "房号")]
    assert "面积不是有效的数字（八十）" in msgs[(4, "建筑面积（㎡）")]
    assert "本小区没有“9号楼”" in msgs[(5, "楼号")]
    assert "科学计数法" in msgs[(7, "联系电话")]
    assert not preview.ok
    with pytest.raises(DomainError, match="8 个问题，未导入任何数据"):
        services.apply_import(world["squad_a"], world["project_a"], data, "bad.csv")
    db.session.rollback()
    assert (_count(Household), _count(Owner), _count(AuditLog)) == before


def test_missing_columns_and_unreadable_files(world):
    p = importer.build_preview(importer.read_table("楼号,业主\n1,张三\n".encode(), "x.csv"),
                               services.register_snapshot(world["project_a"]))
    assert p.problems[0].line == 1 and "单元、房号、面积" in p.problems[0].message
    with pytest.raises(DomainError, match="旧版 .xls"):
        importer.read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old.xls")
    with pytest.raises(DomainError, match="无法打开该 Excel"):
        importer.read_table(b"PK\x03\x04garbage", "broken.xlsx")
    with pytest.raises(DomainError, match="空的"):
        importer.read_table(b"", "empty.csv")


def _upload(client, project_id, data, name):
    page = client.get(f"/org/project/{project_id}/import")
    assert page.status_code == 200
    token = csrf_from(page.get_data(as_text=True))
    return client.post(f"/org/project/{project_id}/import", data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_upload_preview_confirm_through_the_pages(client, world, login, import_folder):
    login("squad_a")
    pid = world["project_a"].id
    data = (HEADER + "1号楼,1单元,401,85.5,张卫国,13912345678,,\n").encode("gbk")
    resp = _upload(client, pid, data, "花名册.csv")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "确认导入" in html and "1号楼1单元401" in html
    assert _count(Household) == 14  # nothing written by the preview
    stored = list(import_folder.glob("*.bin"))
    assert len(stored) == 1 and stored[0].read_bytes() == data  # kept on disk, not in the cookie
    action = next(a for a in html.split('action="')[1:] if a.startswith(f"/org/project/{pid}/import/")).split('"')[0]
    done = client.post(action, data={"csrf_token": csrf_from(html)})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/org/project/{pid}/households")
    assert _count(Household) == 15 and list(import_folder.glob("*")) == []
    # the same token again: refused with a message, nothing more written
    again = client.post(action, data={"csrf_token": csrf_from(html)}, follow_redirects=True)
    assert "导入文件已失效" in again.get_data(as_text=True) and _count(Household) == 15


def test_errors_shown_on_the_preview_page_with_row_and_column(client, world, login, import_folder):
    login("squad_a")
    data = (HEADER + "1号楼,1单元,401,abc,张卫国,,,\n").encode("utf-8")
    html = _upload(client, world["project_a"].id, data, "bad.csv").get_data(as_text=True)
    assert "发现 1 个问题，未导入任何数据" in html and "面积不是有效的数字（abc）" in html
    assert "确认导入" not in html and list(import_folder.glob("*")) == []


def test_confirm_is_all_or_nothing(client, world, login, monkeypatch):
    login("squad_a")
    pid = world["project_a"].id
    data = (HEADER + "".join(f"1号楼,1单元,{r},80,业主{r},,,\n" for r in (401, 402, 403, 501))).encode("gbk")
    html = _upload(client, pid, data, "four.csv").get_data(as_text=True)
    action = next(a for a in html.split('action="')[1:] if a.startswith(f"/org/project/{pid}/import/")).split('"')[0]
    real = services.audit.record
    calls = []

    def failing(user, act, obj, **kw):
        calls.append(act)
        if len(calls) == 3:  # the third dwelling fails after two were flushed
            raise DomainError("模拟写入失败")
        return real(user, act, obj, **kw)

    monkeypatch.setattr(services.audit, "record", failing)
    resp = client.post(action, data={"csrf_token": csrf_from(html)}, follow_redirects=True)
    assert "模拟写入失败" in resp.get_data(as_text=True)
    # the two flushed rows were rolled back (the only audit rows left record who viewed the preview)
    assert _count(Household) == 14 and _count(AuditLog, AuditLog.action != "personal_data.view") == 0


def test_other_squad_and_residents_cannot_import(client, world, login):
    login("squad_other")
    assert client.get(f"/org/project/{world['project_a'].id}/import").status_code == 403
    with pytest.raises(Exception, match="专班成员"):
        services.preview_import(world["squad_other"], world["project_a"], HEADER.encode(), "x.csv")
