"""Voting completions: proxy votes with the authorisation letter, receipt lookup, publication of results
with a notice period and objections, and the ``flask voting verify-chain`` command.

World: project A (测试A小区, 12 households) with candidate items gas and road; resident_a lives in the
first household, resident_a2 in the second; squad_a is A's squad.
"""

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select, update

from renovation.core.db import utcnow
from renovation.core.errors import DomainError, PermissionDenied
from renovation.extensions import db
from renovation.voting import services
from renovation.voting.models import BallotObjection, Choice, Vote, VoteChoice
from renovation.wishes.models import Channel
from tests.factories import csrf_from


@pytest.fixture
def ballot(world):
    """An open ordinary ballot of project A on gas and road, whole compound."""
    b = services.create_ballot(world["squad_a"], world["project_a"], title="改造内容表决",
                               item_ids=[i.id for i in world["items_a"]], closes_at=utcnow() + timedelta(days=7))
    services.open_ballot(world["squad_a"], b)
    db.session.commit()
    return b


def _all(ballot, choice):
    return {i.id: choice for i in ballot.items}


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buf, "JPEG")
    return buf.getvalue()


def _votes():
    return db.session.scalar(select(func.count(Vote.id)))


def test_proxy_vote_with_letter_through_the_page(client, world, login, ballot):
    login("squad_a")
    url = f"/voting/{ballot.id}/proxy"
    page = client.get(url)
    assert page.status_code == 200 and "授权委托书" in page.get_data(as_text=True)
    hh = world["households_a"][5]
    data = {"csrf_token": csrf_from(page.get_data(as_text=True)), "household_id": hh.id, "proxy_name": "李明（业主之子）"}
    data.update({f"item_{i.id}": "agree" for i in ballot.items})
    # without the letter: the message next to the field, nothing written
    resp = client.post(url, data=data, content_type="multipart/form-data")
    assert resp.status_code == 400 and "请上传业主签字的授权委托书。" in resp.get_data(as_text=True)
    assert _votes() == 0
    # a text file posing as the letter: refused, nothing written
    resp = client.post(url, data={**data, "letter": (io.BytesIO(b"not an image"), "letter.jpg")},
                       content_type="multipart/form-data", follow_redirects=True)
    assert "不是可识别的图片" in resp.get_data(as_text=True) and _votes() == 0
    resp = client.post(url, data={**data, "letter": (io.BytesIO(_jpeg()), "委托书.jpg")},
                       content_type="multipart/form-data")
    assert resp.status_code == 302
    v = db.session.scalar(select(Vote))
    assert v.channel is Channel.PROXY and v.proxy_name == "李明（业主之子）" and v.letter_upload_id is not None
    assert v.household_id == hh.id and v.entered_by_id == world["squad_a"].id
    receipt = client.get(f"/voting/receipt/{v.id}").get_data(as_text=True)
    assert "委托代理" in receipt and "李明（业主之子）" in receipt


def test_proxy_needs_squad_delegate_and_letter(world, ballot):
    hh = world["households_a"][0]
    with pytest.raises(PermissionDenied, match="委托投票"):
        services.cast_vote(world["resident_a"], ballot, hh, _all(ballot, Choice.AGREE), channel=Channel.PROXY,
                           proxy_name="某人", letter_upload_id=1)
    with pytest.raises(DomainError, match="受托人"):
        services.cast_vote(world["squad_a"], ballot, hh, _all(ballot, Choice.AGREE), channel=Channel.PROXY)
    with pytest.raises(DomainError, match="授权委托书"):
        services.cast_vote(world["squad_a"], ballot, hh, _all(ballot, Choice.AGREE), channel=Channel.PROXY,
                           proxy_name="某人")
    db.session.rollback()
    assert _votes() == 0


def test_receipt_lookup_finds_only_what_the_user_may_see(client, world, login, logout, ballot):
    mine = services.cast_vote(world["resident_a"], ballot, world["households_a"][0], _all(ballot, Choice.AGREE))
    other = services.cast_vote(world["resident_a2"], ballot, world["households_a"][1], _all(ballot, Choice.AGAINST))
    db.session.commit()
    login("resident_a")
    assert client.get("/voting/receipts").status_code == 200
    typed = " ".join([mine.receipt_code[:4].lower(), mine.receipt_code[4:]])  # 'abcd 2345' as typed on a phone
    resp = client.get("/voting/receipts", query_string={"code": typed})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/voting/receipt/{mine.id}")
    resp = client.get("/voting/receipts", query_string={"code": other.receipt_code})
    assert resp.status_code == 200 and "未找到该回执码" in resp.get_data(as_text=True)
    assert client.get("/voting/receipts", query_string={"code": ""}).status_code == 400
    logout()
    login("squad_a")
    resp = client.get("/voting/receipts", query_string={"code": other.receipt_code})
    assert resp.headers["Location"].endswith(f"/voting/receipt/{other.id}")
    logout()
    login("squad_other")
    assert "未找到" in client.get("/voting/receipts", query_string={"code": other.receipt_code}).get_data(as_text=True)


def test_results_published_objections_collected_and_answered(client, world, login, logout, ballot):
    services.cast_vote(world["resident_a"], ballot, world["households_a"][0], _all(ballot, Choice.AGREE))
    db.session.commit()
    with pytest.raises(DomainError, match="表决结束后才能公示"):
        services.publish_results(world["squad_a"], ballot)
    services.close_ballot(world["squad_a"], ballot)
    db.session.commit()
    login("squad_a")
    show = client.get(f"/voting/{ballot.id}").get_data(as_text=True)
    assert "公示表决结果" in show
    resp = client.post(f"/voting/{ballot.id}/publish", data={"csrf_token": csrf_from(show), "notice_days": "45"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert ballot.published_at is None  # 45 days refused by the form
    client.post(f"/voting/{ballot.id}/publish", data={"csrf_token": csrf_from(show), "notice_days": "7"})
    db.session.expire_all()
    assert ballot.notice_days == 7 and ballot.notice_ends_at - ballot.published_at == timedelta(days=7)
    logout()
    login("resident_a2")
    show = client.get(f"/voting/{ballot.id}").get_data(as_text=True)
    assert "结果公示" in show and "提交异议" in show
    resp = client.post(f"/voting/{ballot.id}/objections", data={"csrf_token": csrf_from(show),
                                                                "content": "我家投票时系统显示已截止，请核实。"})
    assert resp.status_code == 302
    objection = db.session.scalar(select(BallotObjection))
    assert objection.household_id == world["households_a"][1].id and objection.answer is None
    logout()
    login("resident_b")  # another compound: cannot even read the ballot
    assert client.get(f"/voting/{ballot.id}").status_code == 403
    logout()
    login("squad_a")
    show = client.get(f"/voting/{ballot.id}").get_data(as_text=True)
    assert "我家投票时系统显示已截止" in show and "提交答复" in show
    client.post(f"/voting/objections/{objection.id}/answer",
                data={"csrf_token": csrf_from(show), "answer": "经核查，您家于截止前未提交，记录无误。"})
    db.session.expire_all()
    assert objection.answer.startswith("经核查") and objection.answered_by_id == world["squad_a"].id
    with pytest.raises(DomainError, match="已经答复"):
        services.answer_objection(world["squad_a"], objection, "再答一次")
    # after the notice period: no more objections
    later = ballot.notice_ends_at + timedelta(seconds=1)
    with pytest.raises(DomainError, match="公示期已结束"):
        services.submit_objection(world["resident_a"], ballot, "迟到的异议", now=later)
    assert db.session.scalar(select(func.count(BallotObjection.id))) == 1


def test_verify_chain_command(app, world, ballot):
    for hh in world["households_a"][:3]:
        services.cast_vote(world["squad_a"], ballot, hh, _all(ballot, Choice.AGREE), channel=Channel.PAPER)
        db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["voting", "verify-chain", str(ballot.id)])
    assert result.exit_code == 0 and result.output.startswith("OK") and "3 条" in result.output
    # someone changes the second vote's choice directly in the database
    second = db.session.scalars(select(Vote).order_by(Vote.id)).all()[1]
    db.session.execute(update(VoteChoice).where(VoteChoice.vote_id == second.id).values(choice="against"))
    db.session.commit()
    result = runner.invoke(args=["voting", "verify-chain", str(ballot.id)])
    assert result.exit_code == 1 and f"第 {second.id} 号记录" in result.output and second.receipt_code in result.output
    result = runner.invoke(args=["voting", "verify-chain", "999999"])
    assert result.exit_code == 2 and "不存在" in result.output
