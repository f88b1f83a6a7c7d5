"""The household register in English (cookie lang=en) and unchanged in Chinese without it: page chrome,
form errors, refusals, and the import's problems (the file's Chinese column headers are kept as written).

World (tests/factories.py): 测试A小区, 12 households in 1号楼/2号楼 x 1单元/2单元; squad_a runs its project.
"""

import io
import re

from renovation.core.i18n import untranslated
from tests.factories import csrf_from

BAD_FILE = "楼号,单元,房号,面积,业主姓名\n9号楼,1单元,101,abc,张三\n".encode()


def _url(world, suffix=""):
    return f"/org/project/{world['project_a'].id}{suffix}"


def test_roster_page_in_english_and_in_chinese(client, world, login):
    login("squad_a")
    client.set_cookie("lang", "en")
    html = client.get(_url(world, "/households")).get_data(as_text=True)
    assert "<title>Household roster" in html or ">Household roster</h1>" in html
    assert 'Households: <strong id="roster-total">12</strong> (on the roster)' in html
    assert ">Register household</a>" in html and ">Import from Excel/CSV</a>" in html
    assert ">All buildings</option>" in html and ">Moved out</option>" in html and "住户花名册" not in html
    assert "1号楼1单元101" in html  # data stays as typed
    client.delete_cookie("lang")
    html = client.get(_url(world, "/households")).get_data(as_text=True)
    assert '共 <strong id="roster-total">12</strong> 户（在册）' in html and ">登记住户</a>" in html
    assert "Household roster" not in html


def test_form_errors_and_refusal_in_english(client, world, login):
    login("squad_a")
    client.set_cookie("lang", "en")
    page = client.get(_url(world, "/households/new")).get_data(as_text=True)
    assert "Exclusive floor area (m²)" in page and ">Register</button>" in page
    assert "<option value=\"public_tenant\">Public housing tenant</option>" in page
    resp = client.post(_url(world, "/households/new"), data={"csrf_token": csrf_from(page), "phone": "abc"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "Enter the room number, e.g. 501." in html and "Enter the owner's name." in html
    assert "Invalid phone number; e.g. 13800001111 or 0371-61234567." in html
    # moving out a household twice: the second is refused by the service (a DomainError) in English
    h = world["households_a"][0]
    edit = _url(world, f"/households/{h.id}")
    form = {"on": "2026-01-01", "reason": "已出售"}
    resp = client.post(f"{edit}/move-out", data={"csrf_token": csrf_from(client.get(edit).get_data(as_text=True)),
                                                 **form}, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert f"{h.label} marked as moved out; it no longer counts in votes or wish solicitations." in html
    assert "This household was marked as moved out on January 1, 2026" in html
    assert ">Moved out</strong>" in html and "Reason: 已出售" in html  # history; the reason is data
    resp = client.post(f"{edit}/move-out", data={"csrf_token": csrf_from(html), **form},
                       headers={"Referer": edit}, follow_redirects=True)
    assert f"{h.label} is already marked as moved out." in resp.get_data(as_text=True)
    # with no cookie the same refusal is Chinese
    client.delete_cookie("lang")
    resp = client.post(f"{edit}/move-out", data={"csrf_token": csrf_from(html), **form},
                       headers={"Referer": edit}, follow_redirects=True)
    assert f"{h.label} 已标记为迁出。" in resp.get_data(as_text=True)


def _upload(client, world, data: bytes):
    page = client.get(_url(world, "/import")).get_data(as_text=True)
    return client.post(_url(world, "/import"), content_type="multipart/form-data",
                       data={"csrf_token": csrf_from(page), "file": (io.BytesIO(data), "roster.csv")})


def test_import_problems_in_english_keep_the_files_chinese_headers(client, world, login):
    login("squad_a")
    client.set_cookie("lang", "en")
    page = client.get(_url(world, "/import")).get_data(as_text=True)
    assert ">Recognised column names</h2>" in page
    assert '<th scope="row" class="text-nowrap">Building</th><td class="small">楼栋号、楼栋' in page  # the aliases stay
    html = _upload(client, world, BAD_FILE).get_data(as_text=True)
    assert "2 problems found; nothing was imported." in html
    assert ('<tr><td>2</td><td class="text-nowrap">楼号</td><td>This compound has no building “9号楼”.</td></tr>'
            in html)
    assert "The area is not a valid number (abc); enter square metres, e.g. 78.50." in html
    assert "Columns recognised: " in html and "Building←“楼号”" in html
    # a file without the required columns names them in the reader's language
    html = _upload(client, world, "姓名\n张三\n".encode()).get_data(as_text=True)
    assert "Required columns missing: Building, Entrance, Room, Area (the header row must include" in html
    client.delete_cookie("lang")
    html = _upload(client, world, BAD_FILE).get_data(as_text=True)
    assert '<td class="text-nowrap">楼号</td><td>本小区没有“9号楼”这栋楼。</td>' in html
    assert "发现 2 个问题，未导入任何数据。" in html


def test_confirmed_import_flash_in_english(client, world, login):
    login("squad_a")
    client.set_cookie("lang", "en")
    html = _upload(client, world, "楼号,单元,房号,面积,业主姓名\n1号楼,1单元,401,80,张三\n".encode()).get_data(as_text=True)
    assert "No problems found. On confirmation all rows (1) are written at once." in html
    assert ">Confirm import</button>" in html and "<td>New</td>" in html
    action = re.search(r'action="(/org/project/\d+/import/[^"]+)"', html).group(1)
    resp = client.post(action, data={"csrf_token": csrf_from(html)}, follow_redirects=True)
    assert "Import complete. Households added: 1; corrected: 0." in resp.get_data(as_text=True)
    # the same token again: the stored file is gone, refused in English
    resp = client.post(action, data={"csrf_token": csrf_from(html)}, headers={"Referer": _url(world, "/import")},
                       follow_redirects=True)
    assert "The import file has expired (older than a day or already imported); upload it again." in resp.get_data(
        as_text=True)


def test_org_catalogue_is_complete():
    assert untranslated("org") == []
