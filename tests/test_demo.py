"""The demo data (renovation.demo, ``flask demo load``).

Design figures of 嵩岳小区 (see the docstring of renovation/demo.py):
- 33 buildings: 4 x (6 floors, 2 entrances), 6 x (7, 2), 17 x (6, 3), 6 x (7, 3), two dwellings per floor
  and entrance -> 4*24 + 6*28 + 17*36 + 6*42 = 96 + 168 + 612 + 252 = 1,128 households in
  4*2 + 6*2 + 17*3 + 6*3 = 89 entrances;
- total exclusive area 92,411.91 m² (unit-type pairs per building, +3.12 m² for gable-end dwellings);
- 1,109 owners: 1,097 with one dwelling, 8 with two, 3 with three, one developer with 6 unsold dwellings
  (1,097 + 16 + 9 + 6 = 1,128);
- adopted items' budget 2,256,000 + 2,132,000 + 1,108,800 + 696,000 + 676,000 + 158,400 + 230,400
  = 7,257,600.00 yuan.
The story is written as of STORY_TODAY = 2020-10-21 and moved to the load day (today in Shanghai):
created 229 days before (2020-03-06 -> 10-21: 25 + 30 + 31 + 30 + 31 + 31 + 30 + 21), works started
128 days before (06-15 -> 10-21: 15 + 31 + 31 + 30 + 21), target end 71 days after (10-21 -> 12-31:
10 + 30 + 31).
Each test loads the demo itself (about 1-2 s): the ``app`` fixture wipes the tables after every test.
"""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

import renovation.demo as demo_module
from renovation.accounts.models import ProjectAssignment, Role, User
from renovation.aftercare.models import Facility
from renovation.construction import rules as construction_rules
from renovation.construction.models import Acceptance, ProblemReport, ProblemStatus, ProgressUpdate
from renovation.core.db import utcnow
from renovation.core.timeutil import SHANGHAI, local_today
from renovation.demo import DEMO_LOGINS, DEMO_PASSWORD, SONGYUE, load_demo, print_logins
from renovation.extensions import db
from renovation.org.models import Building, Compound, Entrance, Household, Owner, OwnerType
from renovation.party.models import Meeting, PartyBranch
from renovation.planning.models import Milestone, Plan, PlanStatus
from renovation.projects.catalogue import seed_catalogue
from renovation.projects.models import Project, ProjectItemStatus, StageTransition
from renovation.projects.rules import Stage
from renovation.voting import services as voting
from renovation.voting.models import Ballot, BallotScope, BallotStatus, Choice, MatterClass, Vote
from renovation.voting.rules import iso_utc, vote_record_hash
from renovation.wishes.models import WishResponse, WishSurvey
from tests.factories import csrf_from

DELIVERED = ["天然气入户", "楼体综合改造（外立面及节能）", "内部道路改造（沥青化）", "管线入地（架空线缆入地）",
             "雨污分流", "视频监控", "夜间照明"]


def _local_date(moment: datetime) -> date:
    """The Shanghai date of a stored datetime (SQLite gives naive UTC back)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SHANGHAI).date()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _songyue() -> tuple[Compound, Project]:
    compound = db.session.scalar(select(Compound).where(Compound.name == SONGYUE))
    return compound, db.session.scalar(select(Project).where(Project.compound_id == compound.id))


def test_songyue_register_and_project_figures(app):
    assert load_demo() is True
    compound, project = _songyue()
    assert (compound.address, compound.built_year, compound.community.name,
            compound.community.subdistrict.name, compound.community.subdistrict.district.name) == (
        "农业路198号", 1998, "西十里铺北社区", "桐柏路街道", "中原区")
    buildings = db.session.scalars(select(Building).where(Building.compound_id == compound.id)
                                   .order_by(Building.sort_order)).all()
    assert [b.number for b in buildings] == [f"{i}号楼" for i in range(1, 34)]
    assert {b.floors for b in buildings} == {6, 7}
    entrances = db.session.scalars(select(Entrance).join(Building).where(Building.compound_id == compound.id)).all()
    assert len(entrances) == 89  # 4*2 + 6*2 + 17*3 + 6*3
    assert Counter(Counter(e.building_id for e in entrances).values()) == {2: 10, 3: 23}

    households = db.session.scalars(select(Household).where(Household.compound_id == compound.id)).all()
    assert len(households) == 1128  # 96 + 168 + 612 + 252
    assert sum(h.area for h in households) == Decimal("92411.91")
    assert min(h.area for h in households) == Decimal("55.86")  # smallest unit type
    assert max(h.area for h in households) == Decimal("109.50")  # 106.38 + 3.12 gable end
    assert len({h.area for h in households}) >= 12  # varied register, not one size
    per_owner = Counter(h.owner_id for h in households)
    assert Counter(per_owner.values()) == {1: 1097, 2: 8, 3: 3, 6: 1}
    developer = db.session.scalars(select(Owner).where(Owner.owner_type == OwnerType.DEVELOPER)).all()
    assert len(developer) == 1 and per_owner[developer[0].id] == 6

    # stage history, moved to the load day: created 229 days ago in wish solicitation, then three moves
    # in order, all in the past, all by a squad member; the batch is named after the creation year
    today = local_today()
    created = today - timedelta(days=229)
    assert project.stage is Stage.CONSTRUCTION and project.batch.name == f"{created.year}年第一批"
    assert _local_date(project.created_at) == created
    assert [(t.from_stage, t.to_stage) for t in project.transitions] == [
        (None, Stage.WISH_SOLICITATION), (Stage.WISH_SOLICITATION, Stage.CONSULTATION),
        (Stage.CONSULTATION, Stage.PLANNING), (Stage.PLANNING, Stage.CONSTRUCTION)]
    moments = [_aware(t.at) for t in project.transitions]
    assert moments == sorted(moments) and len(set(moments)) == 4 and moments[-1] < utcnow()
    assert _local_date(moments[0]) == created
    assert all(t.user.role is Role.SQUAD and t.reason and "2020" not in t.reason for t in project.transitions)
    assert (project.started_on, project.target_end_on) == (today - timedelta(days=128), today + timedelta(days=71))
    assert "2020" not in compound.description and project.batch.name in compound.description

    # wish survey: ~95 % answered, ~90 % of households consenting
    survey = db.session.scalar(select(WishSurvey).where(WishSurvey.project_id == project.id))
    assert not survey.is_open
    answered = db.session.scalar(select(func.count(WishResponse.id)).where(WishResponse.survey_id == survey.id))
    consenting = db.session.scalar(select(func.count(WishResponse.id)).where(
        WishResponse.survey_id == survey.id, WishResponse.consent.is_(True)))
    assert 0.93 <= answered / 1128 <= 0.97
    assert 0.87 <= consenting / 1128 <= 0.93

    # items: seven delivered ones adopted by the closed ballot, the parking garage rejected
    items = {i.name: i for i in project.items}
    assert [n for n, i in items.items() if i.status is ProjectItemStatus.ADOPTED] == DELIVERED
    assert items["增设机械立体停车库"].status is ProjectItemStatus.REJECTED
    assert items["3号楼2单元加装电梯"].status is ProjectItemStatus.CANDIDATE
    adopted = [items[n] for n in DELIVERED]
    assert sum(i.budget for i in adopted) == Decimal("7257600.00")
    for i in adopted:
        assert i.catalogue_item is not None and i.unit and i.contractor is not None
        assert i.budget == (i.quantity * i.unit_price).quantize(Decimal("0.01"))
        assert sum(f.amount for f in i.funding_sources) == i.budget
    # gas: operator 1,350,000 + city 680,400 + residents 200 yuan x 1,128 = 225,600 -> 2,256,000
    assert {f.kind.value: f.amount for f in items["天然气入户"].funding_sources}["residents"] == Decimal("225600.00")
    assert {i.progress_status.value for i in adopted} >= {"accepted", "completed", "in_progress", "not_started"}
    closed = db.session.scalar(select(Ballot).where(Ballot.project_id == project.id,
                                                    Ballot.status == BallotStatus.CLOSED))
    # the voting module's own art. 278 tally agrees with the stored item statuses
    assert {bi.title: t.passed for bi, t in voting.ballot_tallies(closed)} == {
        **{n: True for n in DELIVERED}, "增设机械立体停车库": False}

    plan = db.session.scalar(select(Plan).where(Plan.project_id == project.id))
    assert plan.status is PlanStatus.APPROVED and plan.notice_days == 7
    assert plan.notice_starts_on < project.started_on and "2020" not in plan.summary
    assert f"工期{project.started_on.year}年{project.started_on.month}月至" in plan.summary
    assert len(plan.objections) == 1 and plan.objections[0].answer
    assert db.session.scalar(select(func.count(ProgressUpdate.id)).where(
        ProgressUpdate.photo_id.is_not(None))) == 6  # one photo per started item
    statuses = set(db.session.scalars(select(ProblemReport.status).where(ProblemReport.project_id == project.id)))
    assert {ProblemStatus.VERIFIED, ProblemStatus.REPORTED} <= statuses
    branch = db.session.scalar(select(PartyBranch).where(PartyBranch.project_id == project.id))
    assert branch.name == "嵩岳小区改造项目临时党支部"
    assert branch.members[0].post == "书记" and "副书记" in branch.members[0].home_unit
    assert any(m.is_resident for m in branch.members) and len(branch.meetings) >= 4
    assert branch.founded_on <= created and all(m.held_on < today for m in branch.meetings)
    library = db.session.scalar(select(Facility).where(Facility.name == "嵩岳小区图书服务点"))
    assert library.area == Decimal("200.00") and "3000册" in library.provision
    assert db.session.scalar(select(func.count(Facility.id)).where(Facility.compound_id == compound.id)) == 7
    squads = db.session.scalars(select(User.username).join(ProjectAssignment, ProjectAssignment.user_id == User.id)
                                .where(ProjectAssignment.project_id == project.id)).all()
    assert sorted(squads) == ["squad", "squad2"]

    # the other compounds: 6, smaller, at the other stages, their histories in the past too
    others = db.session.scalars(select(Project).where(Project.id != project.id)).all()
    assert len(others) == 6
    assert {p.batch.name for p in others} == {f"{created.year}年第一批", f"{created.year}年第二批"}
    transitions = db.session.scalars(select(StageTransition)).all()
    assert all(_aware(t.at) < utcnow() and "2020" not in t.reason for t in transitions)
    accepted = db.session.scalar(select(Acceptance))  # 秦岭路3号院, now in aftercare
    assert accepted.passed and accepted.accepted_on < today
    assert {p.stage for p in others} == {Stage.WISH_SOLICITATION, Stage.CONSULTATION, Stage.PLANNING,
                                         Stage.AFTERCARE}
    for p in others:
        n = db.session.scalar(select(func.count(Household.id)).where(Household.compound_id == p.compound_id))
        assert 60 <= n <= 300


def test_loading_twice_creates_nothing(app):
    assert load_demo() is True
    counts = {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}
    assert counts["household"] == 1128 + 956  # others: 120 + 76 + 132 + 124 + 216 + 288
    # Every stored file knows its owner, so /files asks the owner's rule (issue 15, finding 1).
    from renovation.core.models import Upload

    owners = dict(db.session.execute(select(Upload.owner_kind, func.count()).group_by(Upload.owner_kind)).all())
    assert None not in owners and set(owners) <= {"site_log", "progress", "handover", "activity"}, owners
    assert load_demo() is False
    assert seed_catalogue() == 0
    db.session.commit()
    again = {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}
    assert again == counts


def test_open_lift_ballot_is_for_one_entrance_and_the_resident_has_not_voted(app):
    load_demo()
    compound, project = _songyue()
    ballot = db.session.scalar(select(Ballot).where(Ballot.project_id == project.id,
                                                    Ballot.status == BallotStatus.OPEN))
    assert ballot.scope is BallotScope.ENTRANCE and ballot.matter_class is MatterClass.REBUILD
    # 民法典 art. 278: quorum 2/3; rebuilding needs at least 3/4 (inclusive)
    assert (ballot.quorum_num, ballot.quorum_den, ballot.approval_num, ballot.approval_den) == (2, 3, 3, 4)
    assert ballot.approval_strict is False
    assert ballot.closes_at - ballot.opens_at == timedelta(days=14)
    assert ballot.opens_at <= utcnow() < ballot.closes_at and voting.is_open_for_votes(ballot)
    entrance = ballot.scope_entrance
    assert (entrance.building.number, entrance.number) == ("3号楼", "2单元")
    in_entrance = set(db.session.scalars(select(Household.id).where(Household.entrance_id == entrance.id)))
    assert len(in_entrance) == 14  # 7 floors x 2 dwellings
    assert {h.id for h in voting.eligible_households(ballot)} == in_entrance
    resident = db.session.scalar(select(User).where(User.username == "resident"))
    assert resident.household_id in in_entrance and resident.household.label == "3号楼2单元502"
    assert voting.current_vote(ballot, resident.household_id) is None


def test_vote_hash_chains_verify(app):
    load_demo()
    _, project = _songyue()
    ballots = db.session.scalars(select(Ballot).order_by(Ballot.id)).all()
    checked = 0
    for ballot in ballots:
        votes = db.session.scalars(select(Vote).options(selectinload(Vote.choices))
                                   .where(Vote.ballot_id == ballot.id).order_by(Vote.id)).all()
        prev = None
        for v in votes:
            expected = vote_record_hash(prev, ballot_id=v.ballot_id, household_id=v.household_id,
                                        channel=v.channel.value, cast_at_iso=iso_utc(v.cast_at),
                                        receipt_code=v.receipt_code,
                                        choices={c.ballot_item_id: c.choice.value for c in v.choices})
            assert v.prev_hash == prev and v.record_hash == expected
            assert ballot.opens_at <= v.cast_at <= ballot.closes_at
            prev = v.record_hash
            checked += 1
        assert voting.verify_chain(ballot) is None
    assert checked > 1000
    closed = next(b for b in ballots if b.project_id == project.id and b.status is BallotStatus.CLOSED)
    votes = db.session.scalars(select(Vote).options(selectinload(Vote.choices))
                               .where(Vote.ballot_id == closed.id)).all()
    assert all(v.receipt_code and len(v.choices) == 8 for v in votes)
    # the closed ballot lies in the past, between the consultation and the planning stage
    moves = {t.to_stage: _aware(t.at) for t in project.transitions}
    assert moves[Stage.CONSULTATION] < _aware(closed.opens_at) < _aware(closed.closes_at) < moves[Stage.PLANNING]
    current = [v for v in votes if v.is_current]
    assert len({v.household_id for v in current}) == len(current)  # one current vote per household
    superseded = [v for v in votes if not v.is_current]
    assert len(superseded) == 12 and all(v.superseded_at is not None for v in superseded)
    # quorum of households reached (2/3 of 1,128 = 752)
    assert len(current) >= 752
    # tampering with one stored choice breaks the chain
    victim = current[len(current) // 2]
    choice = victim.choices[0]
    choice.choice = Choice.ABSTAIN if choice.choice is not Choice.ABSTAIN else Choice.AGREE
    db.session.flush()
    assert voting.verify_chain(closed) is not None
    db.session.rollback()


def test_every_demo_account_logs_in(app):
    load_demo()
    printed = []
    print_logins(printed.append)
    assert len(printed) == len(DEMO_LOGINS) + 2  # header, rule, one line per account
    _, project = _songyue()
    users = {u.username: u for u in db.session.scalars(select(User))}
    assert {lg.username for lg in DEMO_LOGINS} == set(users)
    assert users["leader"].subdistrict.name == "桐柏路街道" and users["jianshe"].subdistrict.name == "建设路街道"
    assert users["district"].district.name == "中原区" and users["admin"].role is Role.ADMIN
    assert users["supervisor"].role is Role.SUPERVISOR and users["supervisor"].household.compound.name == SONGYUE
    project_id = project.id
    for lg in DEMO_LOGINS:
        assert any(lg.username in line and DEMO_PASSWORD in line for line in printed)
        # a fresh client in a fresh app context: Flask-Login caches the user in ``g`` of the context
        with app.app_context():
            client = app.test_client()
            token = csrf_from(client.get("/login").get_data(as_text=True))
            resp = client.post("/login", data={"username": lg.username, "password": DEMO_PASSWORD,
                                               "csrf_token": token})
            assert resp.status_code == 302, lg.username
            assert client.get("/", follow_redirects=True).status_code == 200, lg.username
            if lg.username in ("admin", "leader", "district", "squad", "resident", "supervisor"):
                assert client.get(f"/projects/{project_id}").status_code == 200, lg.username


def test_story_stands_at_the_load_day(app):
    """On the load day the works are under way: a few items behind plan (not all), most milestones done
    and the last ones ahead, and open problems overdue by days or weeks, not years."""
    load_demo()
    _, project = _songyue()
    today = local_today()
    now = utcnow()
    rags = {i.name: construction_rules.item_rag(i.progress_percent, i.planned_start, i.planned_end, today)
            for i in project.items if i.name in DELIVERED}
    behind = {n for n, r in rags.items() if r in (construction_rules.Rag.AMBER, construction_rules.Rag.RED)}
    # story day 2020-10-21: facade planned 112/137 = 81.8 % vs 65 %, road 50/90 = 55.6 % vs 35 %,
    # rain/sewage separation planned 100 % (ended the day before) vs 80 % -> amber; the rest on track
    assert behind == {"楼体综合改造（外立面及节能）", "内部道路改造（沥青化）", "雨污分流"}
    assert all(r is not construction_rules.Rag.RED for r in rags.values())

    milestones = db.session.scalars(select(Milestone).where(Milestone.project_id == project.id)
                                    .order_by(Milestone.due_on)).all()
    assert len(milestones) == 7
    done = [m for m in milestones if m.done_on is not None]
    assert len(done) == 3 and all(m.done_on <= today for m in done)
    assert not [m for m in milestones if m.done_on is None and m.due_on < today - timedelta(days=60)]
    ahead = [m for m in milestones if m.due_on > today]
    assert [m.title for m in ahead] == ["楼体外立面改造完成", "道路沥青铺设完成", "竣工验收"]

    problems = db.session.scalars(select(ProblemReport).where(ProblemReport.project_id == project.id)).all()
    assert all(_aware(p.created_at) < now and all(_aware(s.at) < now for s in p.steps) for p in problems)
    overdue = {p.title: (today - p.deadline).days for p in problems
               if construction_rules.is_overdue(p.status, p.deadline, today)}
    # the fire lane one: deadline 2020-09-24, reopened, 27 days before the story day 2020-10-21
    assert overdue == {"施工材料占用消防通道": 27}

    updates = db.session.scalars(select(ProgressUpdate)).all()
    assert updates and all(_aware(u.created_at) < now for u in updates)
    assert max(_local_date(u.created_at) for u in updates) == today - timedelta(days=2)  # 2020-10-19
    assert db.session.scalar(select(func.max(Meeting.held_on))) == today - timedelta(days=9)  # 10-12


@pytest.mark.parametrize(("load_day", "created", "batch", "works", "period"), [
    # loaded on the story day itself: the dates as written
    (date(2020, 10, 21), date(2020, 3, 6), "2020年第一批", (date(2020, 6, 15), date(2020, 12, 31)),
     "工期2020年6月至12月"),
    # loaded on 2027-01-10: created 229 days before (2026-05-26), so 2026's batch; works from 128 days
    # before (2026-09-04) to 71 days after (2027-03-22), across the new year
    (date(2027, 1, 10), date(2026, 5, 26), "2026年第一批", (date(2026, 9, 4), date(2027, 3, 22)),
     "工期2026年9月至2027年3月"),
])
def test_story_dates_follow_the_load_day(app, monkeypatch, load_day, created, batch, works, period):
    monkeypatch.setattr(demo_module, "local_today", lambda: load_day)
    load_demo()
    _, project = _songyue()
    assert project.batch.name == batch and _local_date(project.created_at) == created
    assert (project.started_on, project.target_end_on) == works
    plan = db.session.scalar(select(Plan).where(Plan.project_id == project.id))
    assert period in plan.summary
    assert plan.notice_starts_on == load_day - timedelta(days=142)  # 2020-06-01 -> 10-21: 30+31+31+30+20
