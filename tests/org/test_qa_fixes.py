"""QA fixes of the register: an import that corrects a phone is audited with the true before/after and
counted; rooms above the building's storeys are problems; full personal data views are logged.

World (tests/factories.py): 测试A小区, 1号楼/2号楼 (floors=6) x 1单元/2单元 x rooms 101/201/301, each
owner '测试A小区业主{b}-{e}-{r}' with phone 13800000000; squad_a is assigned to A's project.
"""

import io
import re

from sqlalchemy import func, select

from renovation.core.models import AuditLog
from renovation.extensions import db
from renovation.org.models import Household
from renovation.roster import services
from tests.factories import csrf_from

HEADER = "楼号,单元,房号,建筑面积（㎡）,业主姓名,联系电话,身份证号,业主类型\n"
# line 2: 2号楼1单元101 is registered (area 80.00, phone 13800000000): only the phone changes
# line 3: 2号楼1单元401 is a new dwelling
CSV = HEADER + ("2号楼,1单元,101,80.00,测试A小区业主2-1-1,13911112222,,业主\n"
                "2号楼,1单元,401,70.00,新业主,13733334444,,业主\n")


def _views():
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == "personal_data.view")))


def _upload(client, pid, data, name="r.csv"):
    page = client.get(f"/org/project/{pid}/import")
    return client.post(f"/org/project/{pid}/import", content_type="multipart/form-data",
                       data={"csrf_token": csrf_from(page.get_data(as_text=True)), "file": (io.BytesIO(data), name)})


def test_import_correcting_a_phone_is_audited_with_before_and_after(client, world, login):
    login("squad_a")
    pid = world["project_a"].id
    html = _upload(client, pid, CSV.encode("utf-8")).get_data(as_text=True)
    action = next(a for a in html.split('action="')[1:] if a.startswith(f"/org/project/{pid}/import/")).split('"')[0]
    done = client.post(action, data={"csrf_token": csrf_from(html)}, follow_redirects=True)
    assert "新增 1 户，更正 1 户。" in done.get_data(as_text=True)
    h = db.session.scalar(select(Household).where(Household.entrance_id == world["project_a"].compound.buildings[1]
                                                  .entrances[0].id, Household.room == "101"))
    assert h.owner.phone == "13911112222"
    upd = db.session.scalars(select(AuditLog).where(AuditLog.action == "household.import_update")).all()
    assert len(upd) == 1 and upd[0].object_id == h.id
    assert upd[0].before["phone"] == "13800000000" and upd[0].after["phone"] == "13911112222"
    assert upd[0].before["area"] == upd[0].after["area"] == "80.00" and upd[0].after["line"] == 2
    summary = db.session.scalar(select(AuditLog).where(AuditLog.action == "roster.import"))
    assert summary.after == {"file": "r.csv", "rows": 2, "added": 1, "corrected": 1}


def test_reimporting_identical_rows_counts_no_correction(world):
    data = (HEADER + "2号楼,1单元,101,80.00,测试A小区业主2-1-1,13800000000,,业主\n").encode()
    preview = services.apply_import(world["squad_a"], world["project_a"], data, "same.csv")
    assert (preview.update_count, preview.added, preview.corrected) == (1, 0, 0)
    assert db.session.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "household.import_update")) == 0


def test_rooms_above_the_buildings_storeys_are_problems(world):
    # 1号楼 has 6 floors: 701 -> floor 7, 9999 -> floor 99 (room column, no floor column); 601 is fine
    data = (HEADER + "1号楼,1单元,701,80,甲,,,\n1号楼,1单元,9999,80,乙,,,\n1号楼,1单元,601,80,丙,,,\n").encode()
    preview = services.preview_import(world["squad_a"], world["project_a"], data, "x.csv")
    assert [(p.line, p.column) for p in preview.problems] == [(2, "房号"), (3, "房号")]
    assert "1号楼只有 6 层，701不可能在第 7 层" in preview.problems[0].message
    assert "第 99 层" in preview.problems[1].message
    # with a floor column the floor column is blamed: line 2 floor 8 > 6
    data = "楼号,单元,房号,楼层,面积,业主\n1号楼,1单元,101,8,80,甲\n".encode()
    preview = services.preview_import(world["squad_a"], world["project_a"], data, "y.csv")
    assert [(p.line, p.column) for p in preview.problems] == [(2, "楼层")]
    # floors unknown: nothing to check against
    world["compound_a"].buildings[0].floors = None
    db.session.flush()
    data = (HEADER + "1号楼,1单元,701,80,甲,,,\n").encode()
    assert services.preview_import(world["squad_a"], world["project_a"], data, "z.csv").problems == []


def test_full_roster_view_is_logged_once_per_page_masked_view_is_not(client, world, login, logout):
    url = f"/org/project/{world['project_a'].id}/households"
    login("leader_a")
    assert client.get(url).status_code == 200
    assert _views() == []  # leader sees 138****0000: nothing to log
    logout()
    login("squad_a")
    assert client.get(url).status_code == 200
    rows = _views()
    # one row for the page, listing the 12 households shown (all of A's)
    assert len(rows) == 1 and rows[0].user_id == world["squad_a"].id and rows[0].object_type == "Project"
    assert rows[0].after["count"] == 12 and len(rows[0].after["household_ids"]) == 12
    assert "phone" in rows[0].after["fields"]


def test_edit_page_and_import_preview_views_are_logged(client, world, login):
    login("squad_a")
    pid = world["project_a"].id
    h = db.session.scalar(select(Household).where(Household.compound_id == world["compound_a"].id).limit(1))
    assert client.get(f"/org/project/{pid}/households/{h.id}").status_code == 200
    rows = _views()
    assert len(rows) == 1 and rows[0].object_type == "Owner" and rows[0].after["household_ids"] == [h.id]
    assert _upload(client, pid, CSV.encode()).status_code == 200
    rows = _views()
    # the preview: 2 rows shown, one of them registered (2号楼1单元101)
    assert len(rows) == 2 and rows[1].after["count"] == 2 and len(rows[1].after["household_ids"]) == 1


def _field_error(html, field_id):
    """The error written under the field ``field_id`` (None when there is none), after checking the field
    is marked invalid and points at it."""
    m = re.search(rf'<div id="{field_id}-err" class="invalid-feedback d-block" role="alert">(.*?)</div>', html, re.S)
    if m is None:
        return None
    tag = re.search(rf'<(?:input|textarea|select)[^>]*id="{field_id}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in tag and f'aria-describedby="{field_id}-err"' in tag
    return m.group(1)


def test_move_out_errors_are_next_to_their_fields_and_keep_what_was_typed(client, world, login):
    login("squad_a")
    pid = world["project_a"].id
    h = db.session.scalar(select(Household).where(Household.compound_id == world["compound_a"].id).limit(1))
    url = f"/org/project/{pid}/households/{h.id}"
    token = csrf_from(client.get(url).get_data(as_text=True))
    resp = client.post(f"{url}/move-out", data={"csrf_token": token, "reason": "", "on": ""})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    # each message under its own field, with its full stop; nothing joined at the top
    assert _field_error(html, "move_out_on") == "请填写迁出日期。"
    assert _field_error(html, "move_out_reason") == "请填写迁出原因。"
    assert "；" not in html.split("<main", 1)[1].split("<form", 1)[0]
    assert 'for="move_out_reason"' in html and html.count('id="reason"') == 1  # the correction form's own
    # what was typed stays; a date out of range is refused next to the date
    resp = client.post(f"{url}/move-out", data={"csrf_token": token, "reason": "已出售", "on": "1900-01-01"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and _field_error(html, "move_out_reason") is None
    assert re.search(r'<textarea[^>]*id="move_out_reason"[^>]*>\s*已出售</textarea>', html)
    assert 'value="1900-01-01"' in html and _field_error(html, "move_out_on").startswith("日期不合理")
    # the correction form above is the dwelling as registered, without errors
    assert f'value="{h.room}"' in html and _field_error(html, "room") is None
    db.session.expire_all()
    assert h.status.value == "active"
    # English: the same, in English
    client.set_cookie("lang", "en")
    html = client.post(f"{url}/move-out", data={"csrf_token": token, "reason": "x", "on": ""}).get_data(as_text=True)
    assert _field_error(html, "move_out_on") == "Enter the move-out date."


def test_reinstate_error_is_next_to_its_field(client, world, login):
    login("squad_a")
    pid = world["project_a"].id
    h = db.session.scalar(select(Household).where(Household.compound_id == world["compound_a"].id).limit(1))
    url = f"/org/project/{pid}/households/{h.id}"
    token = csrf_from(client.get(url).get_data(as_text=True))
    assert client.post(f"{url}/move-out", data={"csrf_token": token, "reason": "已出售",
                                                "on": "2020-10-01"}).status_code == 302
    resp = client.post(f"{url}/reinstate", data={"csrf_token": token, "reason": " "})
    assert resp.status_code == 400
    assert _field_error(resp.get_data(as_text=True), "reinstate_reason") == "请填写恢复原因。"
