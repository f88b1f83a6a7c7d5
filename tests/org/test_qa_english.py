"""QA fixes of the roster in English: the row action reads as a verb ('Edit', with the dwelling for
screen readers), import rows say 'New'/'Update', problem counts agree in number."""

import io
import re

from tests.factories import csrf_from

ONE_PROBLEM = "楼号,单元,房号,面积,业主姓名\n1号楼,1单元,401,abc,张三\n".encode()


def _url(world, suffix=""):
    return f"/org/project/{world['project_a'].id}{suffix}"


def _upload(client, world, data: bytes):
    page = client.get(_url(world, "/import")).get_data(as_text=True)
    return client.post(_url(world, "/import"), content_type="multipart/form-data",
                       data={"csrf_token": csrf_from(page), "file": (io.BytesIO(data), "roster.csv")})


def test_roster_row_action_is_edit(client, world, login):
    login("squad_a")
    client.set_cookie("lang", "en")
    html = client.get(_url(world, "/households")).get_data(as_text=True)
    links = re.findall(r'<a href="/org/project/\d+/households/\d+">(.*?)</a>', html)
    assert len(links) == 12
    assert links[0] == 'Edit<span class="visually-hidden"> 1号楼1单元101</span>'
    assert ">Correct<" not in html
    client.delete_cookie("lang")
    html = client.get(_url(world, "/households")).get_data(as_text=True)
    assert '>更正<span class="visually-hidden"> 1号楼1单元101</span></a>' in html


def test_import_counts_and_row_kinds(client, world, login):
    login("squad_a")
    client.set_cookie("lang", "en")
    html = _upload(client, world, ONE_PROBLEM).get_data(as_text=True)
    assert "1 problem found; nothing was imported." in html and "problem(s)" not in html
    html = _upload(client, world, "楼号,单元,房号,面积,业主姓名\n1号楼,1单元,101,80,张三\n1号楼,1单元,401,80,李四\n"
                   .encode()).get_data(as_text=True)
    kinds = re.findall(r"<td>(New|Update)</td></tr>", html)
    assert sorted(kinds) == ["New", "Update"]
    client.delete_cookie("lang")
    html = _upload(client, world, ONE_PROBLEM).get_data(as_text=True)
    assert "发现 1 个问题，未导入任何数据。" in html
