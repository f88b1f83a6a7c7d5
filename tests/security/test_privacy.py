"""Personal information (PIPL): masking by role, the notice, export and erasure of one owner, roster
retention, and the audit row for every full view."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from renovation.accounts.privacy import may_see_full_personal_data, shown_phone
from renovation.admin.services import erase_owner, export_owner, purge_rosters
from renovation.core.db import utcnow
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.models import AuditLog
from renovation.core.privacy import mask_id_number, mask_name, mask_phone
from renovation.extensions import db
from renovation.org.models import Owner
from renovation.voting.models import Ballot, BallotItem, BallotStatus, Choice, Vote
from renovation.voting.services import ballot_tallies, cast_vote, verify_chain
from tests.factories import csrf_from


@pytest.mark.parametrize("raw,masked", [
    ("13812345678", "138****5678"), ("0371-66881234", "0371****1234"), (" 13800000000 ", "138****0000"),
    ("12345", "***45"), ("", ""), (None, ""),
])
def test_mask_phone(raw, masked):
    assert mask_phone(raw) == masked


@pytest.mark.parametrize("raw,masked", [
    ("410102199001011234", "410102********1234"), ("41010219900101123X", "410102********123X"),
    ("410102900101123", "410102*****1123"), ("AB12", "**12"), (None, ""),
])
def test_mask_id_number(raw, masked):
    assert mask_id_number(raw) == masked


def test_mask_name():
    assert (mask_name("张小明"), mask_name("王五"), mask_name("李"), mask_name(None)) == ("张**", "王*", "李", "")


def test_who_sees_full_personal_data(world):
    pa, hh = world["project_a"].id, world["households_a"][0].id
    seen = {u: may_see_full_personal_data(world[u], project_id=pa, household_id=hh)
            for u in ["admin", "squad_a", "squad_other", "leader_a", "leader_other", "resident_a", "resident_a2",
                      "resident_b", "supervisor_a"]}
    # Administrators, the project's squad, and the household's own resident; never leaders.
    assert seen == {"admin": True, "squad_a": True, "squad_other": False, "leader_a": False, "leader_other": False,
                    "resident_a": True, "resident_a2": False, "resident_b": False, "supervisor_a": False}
    assert shown_phone(world["leader_a"], "13812345678", project_id=pa) == "138****5678"
    assert shown_phone(world["squad_a"], "13812345678", project_id=pa) == "13812345678"


def test_notice_is_linked_from_login_and_footer(client, world):
    html = client.get("/login").get_data(as_text=True)
    assert html.count('href="/privacy"') == 2  # the login page's sentence and the footer
    page = client.get("/privacy").get_data(as_text=True)
    assert "个人信息处理告知" in page and "手机号码" in page and "365 天" in page


def _votes(world):
    ballot = Ballot(project_id=world["project_a"].id, title="天然气入户表决", status=BallotStatus.OPEN,
                    opens_at=utcnow(), closes_at=utcnow() + timedelta(days=7))
    db.session.add(ballot)
    db.session.flush()
    item = BallotItem(ballot_id=ballot.id, title="天然气入户")
    db.session.add(item)
    db.session.flush()
    hh = world["households_a"]
    cast_vote(world["resident_a"], ballot, hh[0], {item.id: Choice.AGREE})
    cast_vote(world["resident_a2"], ballot, hh[1], {item.id: Choice.AGREE})
    cast_vote(world["supervisor_a"], ballot, hh[2], {item.id: Choice.AGAINST})
    db.session.commit()
    return ballot


def test_erase_keeps_votes_counts_and_chain(world):
    ballot = _votes(world)
    owner = db.session.get(Owner, world["households_a"][0].owner_id)
    owner.id_number = "410102199001011234"
    db.session.commit()
    # 101 (120 m²) and 102 (80 m²) agree, 103 (80 m²) against: 2 of 3 owners, 200.00 of 280.00 m².
    tally = [(t.agree_owners, t.agree_area, t.turnout_owners, t.turnout_area) for _, t in ballot_tallies(ballot)]
    assert tally == [(2, Decimal("200.00"), 3, Decimal("280.00"))]
    hashes_before = db.session.scalars(select(Vote.record_hash).order_by(Vote.id)).all()

    done = erase_owner(world["admin"], owner)
    db.session.commit()

    assert done["households"] == 1 and done["accounts"] == 1
    assert (owner.name, owner.phone, owner.id_number) == (f"已匿名业主#{owner.id}", None, None)
    assert world["households_a"][0].voter_name is None
    resident = world["resident_a"]
    assert (resident.display_name, resident.username, resident.is_active) == ("已注销居民", f"erased-{resident.id}",
                                                                             False)
    # Votes untouched: 3 rows, the same hashes, an intact chain and the same tally (2 agree of 3 owners).
    assert db.session.scalars(select(Vote.record_hash).order_by(Vote.id)).all() == hashes_before
    assert verify_chain(ballot) is None
    assert [(t.agree_owners, t.agree_area, t.turnout_owners, t.turnout_area)
            for _, t in ballot_tallies(ballot)] == tally
    row = db.session.scalars(select(AuditLog).where(AuditLog.action == "personal_data.erase")).one()
    assert row.after == done and "13800000000" not in json.dumps(row.after)
    with pytest.raises(DomainError):
        erase_owner(world["admin"], owner)


def test_only_admins_export_or_erase(world):
    owner = db.session.get(Owner, world["households_a"][0].owner_id)
    for user in ("squad_a", "leader_a", "resident_a"):
        with pytest.raises(PermissionDenied):
            export_owner(world[user], owner)
        with pytest.raises(PermissionDenied):
            erase_owner(world[user], owner)


def test_export_page_gives_everything_as_json_and_is_audited(client, world, login):
    _votes(world)
    owner_id = world["households_a"][0].owner_id
    login("admin")
    resp = client.get(f"/admin/owners/{owner_id}/export.json")
    data = json.loads(resp.get_data(as_text=True))
    assert resp.mimetype == "application/json" and "attachment" in resp.headers["Content-Disposition"]
    assert data["owner"]["name"] == "测试A小区业主1-1-1" and data["owner"]["phone"] == "13800000000"
    assert [h["label"] for h in data["households"]] == ["1号楼1单元101"] and data["households"][0]["area_m2"] == "120.00"
    assert [a["username"] for a in data["accounts"]] == ["resident_a"]
    assert len(data["votes"]) == 1 and list(data["votes"][0]["choices"].values()) == ["agree"]
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.object_type == "Owner")).all()
    assert actions == ["personal_data.export"]


def test_viewing_an_owner_in_full_is_audited_and_erase_needs_the_box(client, world, login):
    owner_id = world["households_a"][0].owner_id
    login("admin")
    html = client.get(f"/admin/owners/{owner_id}").get_data(as_text=True)
    assert "13800000000" in html
    view = db.session.scalars(select(AuditLog).where(AuditLog.action == "personal_data.view")).one()
    assert (view.user_id, view.object_type, view.object_id) == (world["admin"].id, "Owner", owner_id)
    token = csrf_from(html)
    client.post(f"/admin/owners/{owner_id}/erase", data={"csrf_token": token})  # box not ticked
    assert db.session.get(Owner, owner_id).name == "测试A小区业主1-1-1"
    resp = client.post(f"/admin/owners/{owner_id}/erase", data={"csrf_token": token, "confirm": "y"},
                       follow_redirects=True)
    assert "已匿名处理" in resp.get_data(as_text=True)
    assert db.session.get(Owner, owner_id).name == f"已匿名业主#{owner_id}"


def test_search_shows_masked_phones(client, world, login):
    login("admin")
    html = client.get("/admin/owners?q=测试B小区").get_data(as_text=True)
    assert html.count("138****0000") == 2 and "13800000000" not in html


def test_roster_retention_anonymises_only_long_closed_projects(world, app):
    pa, pb = world["project_a"], world["project_b"]
    pa.closed_at = utcnow() - timedelta(days=400)   # closed 400 days ago: past 365
    pb.closed_at = utcnow() - timedelta(days=100)   # closed 100 days ago: kept
    db.session.commit()
    assert purge_rosters(retention_days=365) == {"projects": 1, "owners": 12}
    db.session.commit()
    names_a = db.session.scalars(select(Owner.name).where(Owner.compound_id == pa.compound_id)).all()
    phones_b = db.session.scalars(select(Owner.phone).where(Owner.compound_id == pb.compound_id)).all()
    assert all(n.startswith("已匿名业主#") for n in names_a) and phones_b == ["13800000000"] * 2
    # Idempotent; the CLI reads RENOVATION_ROSTER_RETENTION_DAYS (here overridden with --days 50).
    result = app.test_cli_runner().invoke(args=["privacy", "purge-rosters", "--days", "50"])
    assert result.exit_code == 0 and "匿名处理 2 位业主" in result.output
    assert db.session.scalar(select(func.count(Owner.id)).where(Owner.phone.is_not(None))) == 0
