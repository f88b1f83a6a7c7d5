"""The wish survey through its services and pages: own answer, change, paper entry, results figures."""

import pytest
from sqlalchemy import func, select

from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.models import AuditLog
from renovation.extensions import db
from renovation.wishes import services
from renovation.wishes.models import Channel, WishResponse
from tests.factories import csrf_from


@pytest.fixture
def survey_a(world):
    """Project A's survey, opened by its squad member."""
    survey = services.open_survey(world["squad_a"], world["project_a"])
    db.session.commit()
    return survey


def _responses():
    return db.session.scalar(select(func.count(WishResponse.id)))


def _answer_page(client, pid):
    resp = client.get(f"/wishes/project/{pid}/answer")
    assert resp.status_code == 200
    return csrf_from(resp.get_data(as_text=True))


def test_resident_answers_for_own_household_and_changes_the_answer(client, world, login, survey_a):
    pid = world["project_a"].id
    gas, road, _ = world["catalogue"]
    login("resident_a")
    token = _answer_page(client, pid)
    resp = client.post(f"/wishes/project/{pid}/answer", data={
        "csrf_token": token, "consent": "yes", "items": [str(gas.id), str(road.id)], "comment": "尽快通气"})
    assert resp.status_code == 302
    r = db.session.scalar(select(WishResponse))
    assert r.household_id == world["households_a"][0].id and r.consent is True
    assert r.channel is Channel.ONLINE and r.entered_by_id == world["resident_a"].id
    assert sorted(i.id for i in r.items) == sorted([gas.id, road.id]) and r.comment == "尽快通气"
    # change: still one answer per household
    token = _answer_page(client, pid)
    client.post(f"/wishes/project/{pid}/answer", data={"csrf_token": token, "consent": "no", "items": []})
    db.session.expire_all()
    assert _responses() == 1
    r = db.session.scalar(select(WishResponse))
    assert r.consent is False and r.items == []
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action.like("wish.%"))) == 2


def test_missing_consent_rerenders_with_message_and_writes_nothing(client, world, login, survey_a):
    pid = world["project_a"].id
    login("resident_a")
    token = _answer_page(client, pid)
    resp = client.post(f"/wishes/project/{pid}/answer", data={"csrf_token": token, "comment": "x"})
    assert resp.status_code == 400 and "请选择是否同意改造。" in resp.get_data(as_text=True)
    assert _responses() == 0


def test_online_answer_only_for_own_household_and_only_while_open(world, survey_a):
    pa = world["project_a"]
    with pytest.raises(PermissionDenied):
        services.answer(world["resident_a"], pa, world["households_a"][1], consent=True, item_ids=[], comment=None)
    # resident of compound B cannot answer compound A's survey even for their own household
    with pytest.raises(DomainError):
        services.answer(world["resident_b"], pa, world["households_b"][0], consent=True, item_ids=[], comment=None)
    services.close_survey(world["squad_a"], pa)
    with pytest.raises(DomainError, match="意愿征集未开启或已结束"):
        services.answer(world["resident_a"], pa, world["households_a"][0], consent=True, item_ids=[], comment=None)
    db.session.rollback()
    assert _responses() == 0


def test_paper_answer_by_squad_for_any_household(client, world, login, survey_a):
    pid = world["project_a"].id
    hh = world["households_a"][5]
    login("squad_a")
    page = client.get(f"/wishes/project/{pid}/paper")
    token = csrf_from(page.get_data(as_text=True))
    resp = client.post(f"/wishes/project/{pid}/paper", data={
        "csrf_token": token, "household_id": hh.id, "consent": "yes", "items": [str(world["catalogue"][2].id)]})
    assert resp.status_code == 302
    r = db.session.scalar(select(WishResponse))
    assert r.household_id == hh.id and r.channel is Channel.PAPER and r.entered_by_id == world["squad_a"].id


def test_residents_and_other_squads_cannot_enter_paper_or_see_results(client, world, login, survey_a):
    pid = world["project_a"].id
    login("resident_a")
    assert client.get(f"/wishes/project/{pid}/paper").status_code == 403
    assert client.get(f"/wishes/project/{pid}/results").status_code == 403


def test_results_figures_on_the_world(client, world, login, survey_a):
    pa, hh = world["project_a"], world["households_a"]
    gas, road, lift = world["catalogue"]
    services.answer(world["resident_a"], pa, hh[0], consent=True, item_ids=[gas.id, road.id], comment=None)
    services.answer(world["resident_a2"], pa, hh[1], consent=False, item_ids=[road.id], comment=None)
    for h in hh[2:8]:
        services.answer(world["squad_a"], pa, h, consent=True, item_ids=[gas.id], comment=None,
                        channel=Channel.PAPER)
    db.session.commit()
    res = services.survey_results(pa, survey_a)
    # consenting: hh0 (120 m²) + hh2..hh7 (6 x 80 = 480 m²) = 7 households, 600 m² of 1,000 m²
    assert (res.figures.consenting, res.figures.households, res.figures.answered) == (7, 12, 8)
    assert str(res.figures.consenting_area) == "600.00" and str(res.figures.area) == "1000.00"
    assert not res.figures.meets_gate  # 7/12 = 58.3% < 2/3
    # ranked: gas 7 (hh0 + 6 paper), road 2 (hh0, hh1), lift 0
    assert [(w.name, w.count) for w in res.ranked] == [("天然气入户", 7), ("道路改造", 2), ("加装电梯", 0)]
    assert res.not_reached_count == 4 and [h.id for h in res.not_reached] == [h.id for h in hh[8:]]
    # per building: 1号楼 = hh0..hh5 (6 answered, 5 agree: hh1 refused), 2号楼 = hh6..hh11 (hh6, hh7 agree)
    assert [(b.building, b.households, b.answered, b.consenting) for b in res.by_building] == [
        ("1号楼", 6, 6, 5), ("2号楼", 6, 2, 2)]

    login("squad_a")
    html = client.get(f"/wishes/project/{pa.id}/results").get_data(as_text=True)
    assert "7 / 12" in html and "58.3%" in html and "600.00 / 1,000.00" in html and "60.0%" in html
    assert "未达到 66.7% 的门槛" in html and "尚未填写的住户（4 户）" in html
    table = html.split('id="by-building"')[1].split("</table>")[0]
    assert "<td>1号楼</td><td class=\"text-end\">6</td><td class=\"text-end\">6</td><td class=\"text-end\">5</td>" in table
    assert "83.3%" in table and "33.3%" in table  # 5/6 and 2/6

    # one more consenting household: 8/12 = 2/3 exactly meets the 2/3 gate; area 680/1,000 = 68.0%
    services.answer(world["squad_a"], pa, hh[8], consent=True, item_ids=[], comment=None, channel=Channel.PAPER)
    db.session.commit()
    html = client.get(f"/wishes/project/{pa.id}/results").get_data(as_text=True)
    assert "8 / 12" in html and "66.7%" in html and "68.0%" in html and "已达到 66.7% 的门槛" in html


def test_gate_setting_is_read_from_config(app, world, survey_a):
    from fractions import Fraction

    app.config["GATE_WISH_CONSENT_RATE"] = Fraction(4, 5)
    try:
        for h in world["households_a"][:10]:
            services.answer(world["squad_a"], world["project_a"], h, consent=True, item_ids=[], comment=None,
                            channel=Channel.PAPER)
        res = services.survey_results(world["project_a"], survey_a)
        assert res.figures.threshold == Fraction(4, 5) and res.figures.meets_gate  # 10/12 = 83.3% >= 80%
    finally:
        app.config["GATE_WISH_CONSENT_RATE"] = Fraction(2, 3)


def test_project_page_panel(client, world, login, survey_a):
    login("resident_a")
    html = client.get(f"/projects/{world['project_a'].id}").get_data(as_text=True)
    assert "填写我家的意愿" in html


def test_forged_values_get_chinese_messages(client, world, login, survey_a):
    pid = world["project_a"].id
    login("resident_a")
    token = _answer_page(client, pid)
    resp = client.post(f"/wishes/project/{pid}/answer", data={"csrf_token": token, "consent": "maybe",
                                                              "items": ["x", "99999"]})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "请选择是否同意改造。" in html and "所选改造内容不在当前清单中" in html
    assert "not a valid" not in html.lower() and _responses() == 0
