"""Smoke: login works, home lists what the role may see."""


def test_squad_member_sees_assigned_project_only(client, world, login):
    login("squad_a")
    html = client.get("/").get_data(as_text=True)
    assert "测试A小区" in html and "测试B小区" not in html


def test_leader_sees_own_subdistrict_only(client, world, login):
    login("leader_other")
    html = client.get("/").get_data(as_text=True)
    assert "测试B小区" in html and "测试A小区" not in html


def test_resident_is_sent_to_own_project(client, world, login):
    login("resident_a")
    resp = client.get("/")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/projects/{world['project_a'].id}")
    assert client.get(f"/projects/{world['project_b'].id}").status_code == 403
