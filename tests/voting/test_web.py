"""Ballots through their services and pages: vote, confirm, receipt, permissions, versions, chain, close."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from renovation.core.db import utcnow
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.models import AuditLog
from renovation.extensions import db
from renovation.projects.models import ProjectItemStatus
from renovation.voting import services, votes
from renovation.voting.models import Ballot, BallotScope, BallotStatus, Choice, MatterClass, Vote, VoteChoice
from renovation.wishes.models import Channel
from tests.factories import csrf_from


@pytest.fixture
def ballot(world):
    """An open ordinary ballot of project A on its two candidate items (gas, road), whole compound."""
    b = services.create_ballot(world["squad_a"], world["project_a"], title="改造内容表决",
                               item_ids=[i.id for i in world["items_a"]], closes_at=utcnow() + timedelta(days=7))
    services.open_ballot(world["squad_a"], b)
    db.session.commit()
    return b


def _votes(**where):
    stmt = select(func.count(Vote.id))
    for k, v in where.items():
        stmt = stmt.where(getattr(Vote, k) == v)
    return db.session.scalar(stmt)


def _all(ballot, choice):
    return {i.id: choice for i in ballot.items}


def _form(ballot, household_id, choice="agree", step="confirm", token=""):
    data = {"csrf_token": token, "household_id": household_id, "step": step}
    data.update({f"item_{i.id}": choice for i in ballot.items})
    return data


def _token(client, ballot):
    resp = client.get(f"/voting/{ballot.id}/vote")
    assert resp.status_code == 200
    return csrf_from(resp.get_data(as_text=True))


def test_resident_votes_confirms_and_sees_receipt(client, world, login, ballot):
    login("resident_a")
    own = world["households_a"][0].id
    token = _token(client, ballot)
    html = client.get(f"/voting/{ballot.id}/vote").get_data(as_text=True)
    assert "btn-vote" in html and 'type="radio"' in html
    review = client.post(f"/voting/{ballot.id}/vote", data=_form(ballot, own, step="review", token=token))
    assert review.status_code == 200 and "请确认您的选择" in review.get_data(as_text=True)
    assert _votes() == 0  # the confirm step writes nothing
    resp = client.post(f"/voting/{ballot.id}/vote", data=_form(ballot, own, token=token))
    assert resp.status_code == 302 and "/voting/receipt/" in resp.headers["Location"]
    vote = db.session.scalar(select(Vote))
    assert vote.household_id == own and vote.channel is Channel.ONLINE and vote.entered_by_id == world["resident_a"].id
    assert len(vote.receipt_code) == 8 and vote.record_hash and vote.prev_hash is None
    receipt = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert vote.receipt_code in receipt and "天然气入户" in receipt and "同意" in receipt
    # another resident cannot read it
    client.post("/logout", data={"csrf_token": csrf_from(receipt)})
    login("resident_a2")
    assert client.get(resp.headers["Location"]).status_code == 403


def test_missing_choice_rerenders_with_message(client, world, login, ballot):
    login("resident_a")
    token = _token(client, ballot)
    data = _form(ballot, world["households_a"][0].id, step="review", token=token)
    del data[f"item_{ballot.items[1].id}"]
    resp = client.post(f"/voting/{ballot.id}/vote", data=data)
    assert resp.status_code == 400 and "请对“道路改造”选择同意、反对或弃权。" in resp.get_data(as_text=True)


def test_voting_for_another_household_is_403_and_writes_nothing(client, world, login, ballot):
    login("resident_a")
    token = _token(client, ballot)
    other = world["households_a"][1].id
    for step in ("review", "confirm"):
        resp = client.post(f"/voting/{ballot.id}/vote", data=_form(ballot, other, step=step, token=token))
        assert resp.status_code == 403
    assert _votes() == 0
    with pytest.raises(PermissionDenied):
        services.cast_vote(world["resident_a"], ballot, world["households_a"][1], _all(ballot, Choice.AGREE))
    db.session.rollback()
    assert _votes() == 0


def test_vote_after_close_is_refused_and_nothing_written(client, world, login, ballot):
    login("resident_a")
    token = _token(client, ballot)
    services.close_ballot(world["squad_a"], ballot)
    db.session.commit()
    resp = client.post(f"/voting/{ballot.id}/vote", data=_form(ballot, world["households_a"][0].id, token=token),
                       follow_redirects=True)
    assert resp.status_code == 200 and "表决已结束，不能再投票或修改。" in resp.get_data(as_text=True)
    assert _votes() == 0


def test_vote_after_closing_time_is_refused(world, ballot):
    ballot.closes_at = utcnow() + timedelta(hours=1)
    db.session.commit()
    with pytest.raises(DomainError, match="表决已结束"):
        services.cast_vote(world["resident_a"], ballot, world["households_a"][0], _all(ballot, Choice.AGREE),
                           now=utcnow() + timedelta(hours=2))
    db.session.rollback()
    assert _votes() == 0


def test_draft_ballot_refuses_votes(world):
    b = services.create_ballot(world["squad_a"], world["project_a"], title="草稿", item_ids=[world["items_a"][0].id])
    with pytest.raises(DomainError, match="表决尚未开始"):
        services.cast_vote(world["resident_a"], b, world["households_a"][0], _all(b, Choice.AGREE))


def test_changing_a_vote_keeps_two_versions_one_current(client, world, login, ballot):
    login("resident_a")
    own = world["households_a"][0].id
    token = _token(client, ballot)
    client.post(f"/voting/{ballot.id}/vote", data=_form(ballot, own, "agree", token=token))
    client.post(f"/voting/{ballot.id}/vote", data=_form(ballot, own, "against", token=token))
    db.session.expire_all()
    versions = list(db.session.scalars(select(Vote).order_by(Vote.id)))
    assert len(versions) == 2
    old, new = versions
    assert not old.is_current and old.superseded_at is not None and new.is_current
    assert old.receipt_code != new.receipt_code and new.prev_hash == old.record_hash
    assert {c.choice for c in old.choices} == {Choice.AGREE} and {c.choice for c in new.choices} == {Choice.AGAINST}
    assert services.current_vote(ballot, own).id == new.id
    actions = list(db.session.scalars(select(AuditLog.action).where(AuditLog.action.like("vote.%")).order_by(AuditLog.id)))
    assert actions == ["vote.cast", "vote.change"]


def test_concurrent_double_submit_gives_a_chinese_message_not_a_500(world, ballot, monkeypatch):
    hh = world["households_a"][0]
    services.cast_vote(world["resident_a"], ballot, hh, _all(ballot, Choice.AGREE))
    db.session.commit()
    # the second request did not see the first one's vote (it committed in between)
    monkeypatch.setattr(votes, "current_vote", lambda b, h: None)  # cast_vote lives in voting.votes
    with pytest.raises(DomainError, match="刚刚已被提交"):
        services.cast_vote(world["resident_a"], ballot, hh, _all(ballot, Choice.AGAINST))
    assert _votes() == 1 and _votes(is_current=True) == 1


def test_verify_chain_finds_a_tampered_record(world, ballot):
    hh = world["households_a"]
    votes = [services.cast_vote(world["squad_a"], ballot, h, _all(ballot, Choice.AGREE), channel=Channel.PAPER)
             for h in hh[:3]]
    db.session.commit()
    assert services.verify_chain(ballot) is None
    # someone flips vote 2's first choice directly in the database
    db.session.execute(update(VoteChoice).where(VoteChoice.vote_id == votes[1].id,
                                                VoteChoice.ballot_item_id == ballot.items[0].id)
                       .values(choice=Choice.AGAINST))
    db.session.commit()
    db.session.expire_all()
    assert services.verify_chain(ballot) == votes[1].id


def test_verify_chain_finds_a_deleted_record(world, ballot):
    votes = [services.cast_vote(world["squad_a"], ballot, h, _all(ballot, Choice.AGREE), channel=Channel.PAPER)
             for h in world["households_a"][:3]]
    db.session.commit()
    db.session.delete(votes[1])
    db.session.commit()
    assert services.verify_chain(ballot) == votes[2].id


def test_close_tallies_sets_item_status_and_shows_reasons(client, world, login, ballot):
    hh = world["households_a"]
    gas, road = ballot.items
    for n, h in enumerate(hh[:8]):
        services.cast_vote(world["squad_a"], ballot, h, {gas.id: Choice.AGREE,
                                                         road.id: Choice.AGREE if n < 4 else Choice.AGAINST},
                           channel=Channel.PAPER)
    db.session.commit()
    # residents see no running tally while open; the squad does
    login("resident_a")
    html = client.get(f"/voting/{ballot.id}").get_data(as_text=True)
    assert "结果将在表决结束后公布" in html and "参与表决" not in html.split("表决事项")[1]
    client.post("/logout", data={"csrf_token": csrf_from(html)})
    login("squad_a")
    html = client.get(f"/voting/{ballot.id}").get_data(as_text=True)
    assert "实时统计" in html and "投票记录链校验完整" in html

    tallies = dict((i.id, t) for i, t in services.close_ballot(world["squad_a"], ballot))
    db.session.commit()
    # turnout: 8 of 12 owners = 2/3; area 120 + 7 x 80 = 680 of 1,000 m² = 68% -> quorum met
    # gas: all 8 agree -> adopted. road: agree hh0..hh3 = 120 + 3 x 80 = 360/680 = 52.9% of area but
    # 4/8 = 1/2 of owners, not more than half -> rejected.
    assert tallies[gas.id].passed and not tallies[road.id].passed
    assert str(tallies[road.id].agree_area) == "360.00" and tallies[road.id].agree_owners == 4
    assert world["items_a"][0].status is ProjectItemStatus.ADOPTED
    assert world["items_a"][1].status is ProjectItemStatus.REJECTED
    assert db.session.get(Ballot, ballot.id).status is BallotStatus.CLOSED
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "ballot.close")) == 1

    client.post("/logout", data={"csrf_token": csrf_from(html)})
    login("resident_a")
    html = client.get(f"/voting/{ballot.id}").get_data(as_text=True)
    assert "表决结果" in html and "参与表决的专有部分面积占比68.0%、人数占比66.7%" in html
    assert "同意人数占参与表决人数的50.0%，未达到“均超过二分之一”的同意要求" in html


def test_ballot_scoped_to_one_entrance(world):
    hh = world["households_a"]  # hh0..hh2 are 1号楼1单元 (120 + 80 + 80 = 280 m²)
    b = services.create_ballot(world["squad_a"], world["project_a"], title="1号楼1单元加装电梯",
                               item_ids=[world["items_a"][1].id], matter_class=MatterClass.REBUILD,
                               scope=BallotScope.ENTRANCE, entrance_id=hh[0].entrance_id,
                               closes_at=utcnow() + timedelta(days=7))
    services.open_ballot(world["squad_a"], b)
    assert (b.approval_num, b.approval_den, b.approval_strict) == (3, 4, False)
    assert [h.id for h in services.eligible_households(b)] == [h.id for h in hh[:3]]
    with pytest.raises(DomainError, match="不在本次表决的范围（1号楼1单元）内"):
        services.cast_vote(world["squad_a"], b, hh[3], _all(b, Choice.AGREE), channel=Channel.PAPER)
    for h, user in ((hh[0], world["resident_a"]), (hh[1], world["resident_a2"])):
        services.cast_vote(user, b, h, _all(b, Choice.AGREE))
    (_, t), = services.close_ballot(world["squad_a"], b)
    # turnout 200/280 = 71.4% and 2/3 owners; agree 100% -> passes the 3/4 rule
    assert str(t.eligible_area) == "280.00" and t.eligible_owners == 3 and t.passed


def test_create_ballot_from_the_web_sets_the_rule(client, world, login):
    login("squad_a")
    page = client.get(f"/voting/project/{world['project_a'].id}/new")
    assert page.status_code == 200
    token = csrf_from(page.get_data(as_text=True))
    resp = client.post(f"/voting/project/{world['project_a'].id}/new", data={
        "csrf_token": token, "title": "筹集维修资金", "matter_class": "raise_fund", "scope": "buildings",
        "building_ids": [str(world["households_a"][6].building_id)], "entrance_id": "0",
        "item_ids": [str(world["items_a"][0].id)], "closes_at": "2040-01-01T10:00"})
    assert resp.status_code == 302
    b = db.session.scalar(select(Ballot))
    assert (b.quorum_num, b.quorum_den, b.approval_num, b.approval_den, b.approval_strict) == (2, 3, 3, 4, False)
    assert b.status is BallotStatus.DRAFT and [x.number for x in b.scope_buildings] == ["2号楼"]
    # missing items -> message, nothing written
    resp = client.post(f"/voting/project/{world['project_a'].id}/new", data={
        "csrf_token": token, "title": "空", "matter_class": "ordinary", "scope": "compound", "entrance_id": "0"})
    assert resp.status_code == 400 and "请至少选择一项候选改造内容。" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Ballot.id))) == 1


def test_paper_ballot_by_squad_only(client, world, login, ballot):
    hh = world["households_a"][7]
    login("resident_a")
    assert client.get(f"/voting/{ballot.id}/paper").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/", follow_redirects=True).get_data(as_text=True))})
    login("squad_a")
    token = csrf_from(client.get(f"/voting/{ballot.id}/paper").get_data(as_text=True))
    data = {"csrf_token": token, "household_id": hh.id, **{f"item_{i.id}": "abstain" for i in ballot.items}}
    resp = client.post(f"/voting/{ballot.id}/paper", data=data)
    assert resp.status_code == 302
    v = db.session.scalar(select(Vote))
    assert v.household_id == hh.id and v.channel is Channel.PAPER and v.entered_by_id == world["squad_a"].id


def test_other_squad_cannot_see_or_close(client, world, login, ballot):
    login("squad_other")
    assert client.get(f"/voting/{ballot.id}").status_code == 403
    with pytest.raises(PermissionDenied):
        services.close_ballot(world["squad_other"], ballot)


def test_project_page_lists_ballots(client, world, login, ballot):
    login("resident_a")
    html = client.get(f"/projects/{world['project_a'].id}").get_data(as_text=True)
    assert "改造内容表决" in html and "去投票" in html


def test_forged_values_get_chinese_messages_not_500(client, world, login, ballot):
    login("resident_a")
    token = _token(client, ballot)
    data = _form(ballot, world["households_a"][0].id, choice="yes", step="review", token=token)
    resp = client.post(f"/voting/{ballot.id}/vote", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "请对“天然气入户”选择同意、反对或弃权。" in html and "Not a valid" not in html
    client.post("/logout", data={"csrf_token": token})
    login("squad_a")
    token = csrf_from(client.get(f"/voting/{ballot.id}/paper").get_data(as_text=True))
    resp = client.post(f"/voting/{ballot.id}/paper", data={"csrf_token": token, "household_id": "abc",
                                                           **{f"item_{i.id}": "agree" for i in ballot.items}})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "请从列表中选择本次表决范围内的房屋。" in html and "coerce" not in html
    assert _votes() == 0


def test_project_page_ballot_panel_has_no_n_plus_1(client, world, login, ballot):
    from sqlalchemy import event

    login("resident_a")
    url = f"/projects/{world['project_a'].id}"
    hh = world["households_a"]
    statements = []
    # The entrance ballots below ask about gas again: the whole-compound one must not be open any more
    # (set directly so that the items stay candidates).
    ballot.status = BallotStatus.CLOSED
    db.session.commit()

    def count(*_args, **_kw):
        statements.append(1)

    def add_entrance_ballot(n):
        b = services.create_ballot(world["squad_a"], world["project_a"], title=f"单元表决{n}",
                                   item_ids=[world["items_a"][0].id], scope=BallotScope.ENTRANCE,
                                   entrance_id=hh[3 * n].entrance_id, closes_at=utcnow() + timedelta(days=7))
        services.open_ballot(world["squad_a"], b)
        db.session.commit()

    def page_statements():
        db.session.expire_all()
        statements.clear()
        html = client.get(url).get_data(as_text=True)
        return len(statements), html

    add_entrance_ballot(0)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        few, _ = page_statements()
        add_entrance_ballot(1)
        add_entrance_ballot(2)
        many, html = page_statements()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert "单元表决2" in html and many == few


def test_paper_ballot_with_scan(client, world, login, ballot):
    import io

    from PIL import Image

    from renovation.core.models import Upload

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buf, "PNG")
    login("squad_a")
    token = csrf_from(client.get(f"/voting/{ballot.id}/paper").get_data(as_text=True))
    hh = world["households_a"][4]
    resp = client.post(f"/voting/{ballot.id}/paper", content_type="multipart/form-data", data={
        "csrf_token": token, "household_id": str(hh.id), "scan": (io.BytesIO(buf.getvalue()), "选票.png"),
        **{f"item_{i.id}": "against" for i in ballot.items}})
    assert resp.status_code == 302
    v = db.session.scalar(select(Vote))
    upload = db.session.get(Upload, v.scan_upload_id)
    assert upload.original_name == "选票.png" and upload.project_id == world["project_a"].id


def test_open_needs_a_closing_time_and_no_clash_with_an_open_ballot(world, ballot):
    # ``ballot`` (open) asks the whole compound about gas and road. The same question to the same
    # households cannot be opened again; an entrance-only ballot on it overlaps too (its households are in
    # the compound); a ballot without a closing time cannot open at all.
    again = services.create_ballot(world["squad_a"], world["project_a"], title="重复表决",
                                   item_ids=[world["items_a"][0].id], closes_at=utcnow() + timedelta(days=3))
    with pytest.raises(DomainError, match="正在就相同内容表决"):
        services.open_ballot(world["squad_a"], again)
    undated = services.create_ballot(world["squad_a"], world["project_a"], title="无截止", item_ids=[
        world["items_a"][1].id])
    with pytest.raises(DomainError, match="请先设置截止时间"):
        services.open_ballot(world["squad_a"], undated)
