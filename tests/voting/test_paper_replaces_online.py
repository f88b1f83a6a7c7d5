"""A paper ballot entered over a household's own online vote (issue 15, finding 8): it needs the signed scan
and a reason, it is kept with its reason, and the household is told (event ``vote.replaced_by_paper``,
turned into a notice by the notifications area)."""

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from renovation.core import events
from renovation.core.db import utcnow
from renovation.core.errors import DomainError
from renovation.core.models import AuditLog, Upload
from renovation.core.uploads import save_image
from renovation.extensions import db
from renovation.voting import services
from renovation.voting.models import Choice, Vote
from renovation.wishes.models import Channel
from tests.factories import csrf_from


@pytest.fixture
def ballot(world):
    b = services.create_ballot(world["squad_a"], world["project_a"], title="改造内容表决",
                               item_ids=[i.id for i in world["items_a"]], closes_at=utcnow() + timedelta(days=7))
    services.open_ballot(world["squad_a"], b)
    db.session.commit()
    return b


@pytest.fixture
def announced(app):
    """The events announced during the test (a recorder subscribed to every event)."""
    seen = []
    events.subscribe(app, "*", seen.append)
    yield seen
    app.extensions[events._KEY]["*"].remove(seen.append)


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buf, "PNG")
    return buf.getvalue()


def _all(ballot, choice):
    return {i.id: choice for i in ballot.items}


def test_replacing_an_online_vote_needs_the_scan_and_a_reason(app, world, ballot, announced):
    own = world["households_a"][0]
    online = services.cast_vote(world["resident_a"], ballot, own, _all(ballot, Choice.AGREE))
    db.session.commit()
    squad = world["squad_a"]
    with pytest.raises(DomainError, match="扫描件"):
        services.cast_vote(squad, ballot, own, _all(ballot, Choice.AGAINST), channel=Channel.PAPER,
                           reason="业主到社区当面更改")
    scan = save_image(_png(), "选票.png", app.config["UPLOAD_FOLDER"], project_id=ballot.project_id, user=squad)
    with pytest.raises(DomainError, match="原因"):
        services.cast_vote(squad, ballot, own, _all(ballot, Choice.AGAINST), channel=Channel.PAPER,
                           scan_upload_id=scan.id, reason="  ")
    assert services.current_vote(ballot, own.id).id == online.id
    assert [e.name for e in announced if e.name.startswith("vote.replaced")] == []

    paper = services.cast_vote(squad, ballot, own, _all(ballot, Choice.AGAINST), channel=Channel.PAPER,
                               scan_upload_id=scan.id, reason="业主到社区当面更改，签字选票为准")
    db.session.commit()
    assert paper.reason == "业主到社区当面更改，签字选票为准" and paper.scan_upload_id == scan.id
    assert services.current_vote(ballot, own.id).id == paper.id
    replaced = [e for e in announced if e.name == "vote.replaced_by_paper"]
    assert len(replaced) == 1
    assert replaced[0].actor_id == squad.id
    assert replaced[0].facts == {"ballot_id": ballot.id, "project_id": ballot.project_id, "household_id": own.id,
                                 "vote_id": paper.id, "replaced_vote_id": online.id,
                                 "reason": "业主到社区当面更改，签字选票为准"}
    row = db.session.scalars(select(AuditLog).where(AuditLog.action == "vote.change")).one()
    assert row.after["reason"] == "业主到社区当面更改，签字选票为准" and row.after["channel"] == "paper"


def test_a_first_paper_vote_or_one_over_paper_needs_no_reason_and_tells_nobody(world, ballot, announced):
    hh = world["households_a"][5]
    squad = world["squad_a"]
    services.cast_vote(squad, ballot, hh, _all(ballot, Choice.AGREE), channel=Channel.PAPER)
    services.cast_vote(squad, ballot, hh, _all(ballot, Choice.ABSTAIN), channel=Channel.PAPER)
    db.session.commit()
    assert [e.name for e in announced if e.name.startswith("vote.")] == []


def test_the_paper_form_refuses_to_replace_an_online_vote_without_scan_and_reason(client, world, login, ballot,
                                                                                   announced):
    own = world["households_a"][0]
    services.cast_vote(world["resident_a"], ballot, own, _all(ballot, Choice.AGREE))
    db.session.commit()
    login("squad_a")
    page = client.get(f"/voting/{ballot.id}/paper").get_data(as_text=True)
    assert "已在线投票的房屋" in page                     # the form says what replacing needs
    data = {"csrf_token": csrf_from(page), "household_id": str(own.id),
            **{f"item_{i.id}": "against" for i in ballot.items}}
    resp = client.post(f"/voting/{ballot.id}/paper", data=data)
    assert resp.status_code == 400
    assert "该户已在线投票" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Vote.id))) == 1 and db.session.scalar(select(func.count(Upload.id))) == 0

    resp = client.post(f"/voting/{ballot.id}/paper", content_type="multipart/form-data", data={
        **data, "scan": (io.BytesIO(_png()), "选票.png"), "reason": "业主书面更改"})
    assert resp.status_code == 302
    assert [e.name for e in announced if e.name == "vote.replaced_by_paper"] == ["vote.replaced_by_paper"]
    # The household's receipt says its online vote was replaced, by whom and why.
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/", follow_redirects=True).get_data(
        as_text=True))})
    login("resident_a")
    current = services.current_vote(ballot, own.id)
    html = client.get(f"/voting/receipt/{current.id}").get_data(as_text=True)
    assert "业主书面更改" in html
