"""A closed ballot's electorate is frozen at close (BallotElector): later roster changes (move-outs,
new dwellings, corrected areas and owners) do not move its figures; an open ballot follows the roster.
And vote timestamps follow the hash chain (cast_at taken after the ballot lock)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from renovation.core.db import utcnow
from renovation.demo import load_demo
from renovation.extensions import db
from renovation.org.models import Household, HouseholdStatus
from renovation.reports.services import _ballots_section
from renovation.roster import services as org
from renovation.voting import services, votes
from renovation.voting.models import Ballot, BallotElector, BallotStatus, Choice, Vote
from renovation.wishes.models import Channel


@pytest.fixture
def ballot(world):
    """An open ordinary ballot of project A (12 households, 12 owners, 11 x 80 + 120 = 1,000 m²) on gas
    and road. Votes: hh0..hh7 agree on gas; on road hh0 against, hh1..hh7 agree."""
    b = services.create_ballot(world["squad_a"], world["project_a"], title="改造内容表决",
                               item_ids=[i.id for i in world["items_a"]], closes_at=utcnow() + timedelta(days=7))
    services.open_ballot(world["squad_a"], b)
    gas, road = b.items
    for n, h in enumerate(world["households_a"][:8]):
        services.cast_vote(world["squad_a"], b, h, {gas.id: Choice.AGREE,
                                                    road.id: Choice.AGAINST if n == 0 else Choice.AGREE},
                           channel=Channel.PAPER)
    db.session.commit()
    return b


def _change_roster(world):
    """Move out hh1 (a voter), add a 90 m² dwelling, hh2 80 -> 200 m², hh3 now held by hh4's owner."""
    squad, project, hh = world["squad_a"], world["project_a"], world["households_a"]
    org.move_out(squad, project, hh[1], reason="出售", on=date(2020, 10, 1))
    org.add_household(squad, project, entrance_id=hh[0].entrance_id, floor=6, room="601", area=Decimal("90.00"),
                      owner_name="新业主")
    hh[2].area = Decimal("200.00")
    hh[3].owner_id = hh[4].owner_id
    db.session.commit()


def _figures(tally):
    return (str(tally.eligible_area), tally.eligible_owners, str(tally.turnout_area), tally.turnout_owners,
            str(tally.agree_area), tally.agree_owners, tally.quorum_met, tally.passed)


def test_closed_ballot_figures_do_not_follow_the_roster(client, world, login, ballot):
    services.close_ballot(world["squad_a"], ballot)
    db.session.commit()
    # frozen: 12 dwellings of 12 owners, 1,000 m²
    assert db.session.scalar(select(func.count(BallotElector.id)).where(BallotElector.ballot_id == ballot.id)) == 12
    services.publish_results(world["squad_a"], ballot)
    db.session.commit()
    _change_roster(world)

    db.session.expire_all()
    closed = db.session.get(Ballot, ballot.id)
    (gas, t_gas), (road, t_road) = services.ballot_tallies(closed)
    # eligible 1,000.00 m² / 12 owners; turnout hh0..hh7 = 120 + 7 x 80 = 680 m² (68%), 8 owners (2/3)
    # gas: all 8 agree (680 m², 8) -> passed; road: hh1..hh7 agree = 560 m² (82.4%), 7/8 owners -> passed
    assert _figures(t_gas) == ("1000.00", 12, "680.00", 8, "680.00", 8, True, True)
    assert _figures(t_road) == ("1000.00", 12, "680.00", 8, "560.00", 7, True, True)

    login("squad_a")
    html = client.get(f"/voting/{ballot.id}").get_data(as_text=True)
    assert "1,000.00" in html and "参与表决的专有部分面积占比68.0%、人数占比66.7%" in html

    # the report's residents' decisions: 12 entitled, 1,000 m², 8 voted (680 m²), both items passed
    section = _ballots_section(closed.project)
    assert [(s["entitled"], str(s["entitled_area"]), s["voted"], str(s["voted_area"])) for s in section] == [
        (12, "1000.00", 8, "680.00")]
    assert [r["outcome"] for r in section[0]["rows"]] == ["通过", "通过"]


def test_open_ballot_follows_the_roster(world, ballot):
    _change_roster(world)
    db.session.expire_all()
    (gas, t_gas), (road, t_road) = services.ballot_tallies(db.session.get(Ballot, ballot.id))
    # live: 1,000 - 80 (hh1 out) + 90 (new) + 120 (hh2 80 -> 200) = 1,130 m²; owners 12 - 1 + 1 - 1 (hh3, hh4
    # one owner) = 11; turnout hh0, hh2..hh7 = 120 + 200 + 5 x 80 = 720 m², owners 6 (hh3+hh4 one) = 54.5%
    # < 2/3 -> quorum not met, both items fail
    assert _figures(t_gas) == ("1130.00", 11, "720.00", 6, "720.00", 6, False, False)
    assert _figures(t_road) == ("1130.00", 11, "720.00", 6, "600.00", 5, False, False)
    # closing now freezes the roster as it is now: 12 - 1 (hh1 out) + 1 (new) = 12 dwellings, 1,130 m²
    services.close_ballot(world["squad_a"], db.session.get(Ballot, ballot.id))
    db.session.commit()
    assert db.session.scalar(select(func.count(BallotElector.id)).where(BallotElector.ballot_id == ballot.id)) == 12
    assert db.session.scalar(select(func.sum(BallotElector.area)).where(
        BallotElector.ballot_id == ballot.id)) == Decimal("1130.00")


def test_closing_twice_is_refused_and_keeps_one_electorate(world, ballot):
    services.close_ballot(world["squad_a"], ballot)
    db.session.commit()
    with pytest.raises(Exception, match="只有进行中的表决可以结束"):
        services.close_ballot(world["squad_a"], ballot)
    with pytest.raises(Exception, match="已经固定"):
        services.freeze_electorate(ballot)
    assert db.session.scalar(select(func.count(BallotElector.id))) == 12


def test_cast_at_is_taken_after_the_lock(world, monkeypatch):
    b = services.create_ballot(world["squad_a"], world["project_a"], title="时间表决",
                               item_ids=[i.id for i in world["items_a"]], closes_at=utcnow() + timedelta(days=7))
    services.open_ballot(world["squad_a"], b)
    db.session.commit()
    ticks = []
    real_lock = votes._lock_ballot

    def lock(ballot):
        real_lock(ballot)
        ticks.append(utcnow())  # the lock is held from here on

    monkeypatch.setattr(votes, "_lock_ballot", lock)  # cast_vote lives in voting.votes
    h = world["households_a"][0]
    choices = {i.id: Choice.AGREE for i in b.items}
    v1 = services.cast_vote(world["squad_a"], b, h, choices, channel=Channel.PAPER)
    v2 = services.cast_vote(world["squad_a"], b, h, {i.id: Choice.AGAINST for i in b.items}, channel=Channel.PAPER)
    db.session.commit()
    assert v1.cast_at >= ticks[0] and v2.cast_at >= ticks[1]
    versions = db.session.scalars(select(Vote).where(Vote.ballot_id == b.id).order_by(Vote.id)).all()
    assert [v.id for v in versions] == [v1.id, v2.id]
    assert versions[0].cast_at <= versions[0].superseded_at == versions[1].cast_at
    assert services.verify_chain(b) is None


def test_demo_closed_ballots_have_their_electorate(app):
    assert load_demo() is True
    db.session.commit()
    closed = db.session.scalars(select(Ballot).where(Ballot.status == BallotStatus.CLOSED)).all()
    assert closed
    for b in closed:
        frozen = db.session.scalar(select(func.count(BallotElector.id)).where(BallotElector.ballot_id == b.id))
        assert frozen == len(services.eligible_households(b)) > 0
    # 嵩岳小区's whole-compound ballot: every dwelling active at load
    songyue = [b for b in closed if b.project.compound.name == "嵩岳小区"]
    assert songyue and max(db.session.scalar(select(func.count(BallotElector.id)).where(
        BallotElector.ballot_id == b.id)) for b in songyue) == db.session.scalar(
        select(func.count(Household.id)).where(Household.compound_id == songyue[0].project.compound_id,
                                               Household.status == HouseholdStatus.ACTIVE))
