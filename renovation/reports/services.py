"""The PDF progress report (进度报告) for the temporary Party branch and leaders.

``build_report_context`` reads the database once per section and returns a PLAIN dict (numbers, strings,
dates, file paths; no ORM objects), so the template cannot trigger queries and tests can look at figures.
``render_report_pdf`` turns that dict into PDF bytes with templates/pdf/progress_report.html and
WeasyPrint (renovation.core.pdf: only files under the static folder and UPLOAD_FOLDER can be read).
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

from flask import current_app, render_template
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from renovation.accounts.models import ProjectAssignment, Role, User
from renovation.aftercare.models import Facility
from renovation.construction.models import PROBLEM_STATUS_LABELS, ProblemReport, ProblemStatus, ProgressUpdate
from renovation.core.pdf import render_pdf
from renovation.core.timeutil import to_local
from renovation.core.uploads import variant_path
from renovation.extensions import db
from renovation.org.models import Household, HouseholdStatus
from renovation.party.models import Meeting, PartyBranch, PartyMember
from renovation.planning.models import (
    CONTRACTOR_KIND_LABELS,
    FUNDING_KIND_LABELS,
    Contractor,
    FundingSource,
    Milestone,
    Plan,
    PlanStatus,
)
from renovation.projects.models import (
    CATEGORY_LABELS,
    PROGRESS_STATUS_LABELS,
    CatalogueItem,
    Project,
    ProjectItem,
    ProjectItemStatus,
    StageTransition,
)
from renovation.projects.rules import STAGE_ORDER, next_stage
from renovation.projects.views import compound_figures, weighted_progress
from renovation.voting import rules as voting_rules
from renovation.voting.models import (
    MATTER_CLASS_LABELS,
    Ballot,
    BallotScope,
    BallotStatus,
    Choice,
    Vote,
    VoteChoice,
    ballot_building,
)
from renovation.voting.services import ballot_rule
from renovation.wishes.models import WishResponse, WishSurvey, wish_response_item

#: How many recent progress updates (and photos) the report shows.
RECENT_UPDATES = 8
#: How many open problems are listed one by one (the counts always cover all of them).
OPEN_PROBLEMS_LISTED = 40
#: How many of the latest branch meetings are listed (totals cover all of them).
MEETINGS_LISTED = 12
OPEN_PROBLEM_STATUSES = (ProblemStatus.REPORTED, ProblemStatus.ASSIGNED, ProblemStatus.REOPENED)


def can_download_report(user: User, project: Project) -> bool:
    """True if ``user`` may download ``project``'s PDF report: an administrator, a leader whose jurisdiction
    holds the compound, or a squad member assigned to the project. Residents and supervisors may not.

    The caller has already checked that ``user`` may read the project (load_project), which is what
    limits a leader to their own jurisdiction.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role in (Role.ADMIN, Role.LEADER):
        return True
    if user.role is Role.SQUAD:
        return db.session.scalar(select(ProjectAssignment.id).where(
            ProjectAssignment.project_id == project.id, ProjectAssignment.user_id == user.id)) is not None
    return False


def _rate(part, whole) -> float | None:
    """part / whole as a fraction 0..1 (for the ``percent`` filter), None when whole is 0."""
    return float(part) / float(whole) if whole else None


def _local_date(value) -> date | None:
    return to_local(value).date() if value is not None else None


def _compound_section(project: Project) -> dict:
    compound = project.compound
    community = compound.community
    subdistrict = community.subdistrict
    figures = compound_figures(project)
    return {
        "name": compound.name,
        "address": compound.address or "",
        "built_year": compound.built_year,
        "city": subdistrict.district.city,
        "district": subdistrict.district.name,
        "subdistrict": subdistrict.name,
        "community": community.name,
        "batch": project.batch.name if project.batch else "",
        "buildings": figures["buildings"],
        "households": figures["households"],
        "area": Decimal(figures["area"]),
    }


def _items_section(project: Project) -> tuple[dict, dict]:
    items = db.session.scalars(
        select(ProjectItem).where(ProjectItem.project_id == project.id)
        .options(joinedload(ProjectItem.catalogue_item), joinedload(ProjectItem.contractor))
        .order_by(ProjectItem.sort_order, ProjectItem.id)
    ).all()
    adopted = [i for i in items if i.status is ProjectItemStatus.ADOPTED]
    counted = adopted or [i for i in items if i.status is not ProjectItemStatus.REJECTED]
    total = sum((Decimal(i.budget or 0) for i in counted), Decimal("0"))
    funding_rows = db.session.execute(
        select(FundingSource.kind, func.sum(FundingSource.amount))
        .join(ProjectItem, FundingSource.project_item_id == ProjectItem.id)
        .where(ProjectItem.id.in_([i.id for i in counted]))
        .group_by(FundingSource.kind)
    ).all() if counted else []
    order = list(FUNDING_KIND_LABELS)
    funding = [
        {"label": FUNDING_KIND_LABELS[kind], "amount": Decimal(amount or 0), "share": _rate(amount or 0, total)}
        for kind, amount in sorted(funding_rows, key=lambda r: order.index(r[0]))
    ]
    funded = sum((f["amount"] for f in funding), Decimal("0"))
    investment = {
        "total": total,
        "estimated": not adopted,  # no item adopted yet: the figure sums the candidates' estimates
        "funding": funding,
        "funded": funded,
        "unfunded": total - funded if total > funded else Decimal("0"),
    }
    work_items = [
        {
            "name": i.name,
            "category": CATEGORY_LABELS[i.catalogue_item.category] if i.catalogue_item else "",
            "status_label": i.progress_status_label,
            "percent": int(i.progress_percent),
            "budget": Decimal(i.budget) if i.budget is not None else None,
            "contractor": i.contractor.name if i.contractor else "",
            "planned_start": i.planned_start,
            "planned_end": i.planned_end,
        }
        for i in adopted
    ]
    overall = weighted_progress(items)
    works = {
        "rows": work_items,
        "overall": overall,
        "completed": sum(1 for i in adopted if i.progress_percent >= 100),
        "candidates": sum(1 for i in items if i.status is ProjectItemStatus.CANDIDATE),
        "rejected": sum(1 for i in items if i.status is ProjectItemStatus.REJECTED),
    }
    return investment, works


def _timeline_section(project: Project) -> list[dict]:
    rows = db.session.scalars(
        select(StageTransition).where(StageTransition.project_id == project.id)
        .options(joinedload(StageTransition.user)).order_by(StageTransition.at, StageTransition.id)
    ).all()
    return [
        {
            "date": _local_date(t.at),
            "from": t.from_stage.label if t.from_stage else "立项",
            "to": t.to_stage.label,
            "who": t.user.display_name if t.user else "",
            "reason": t.reason or "",
        }
        for t in rows
    ]


def _wish_section(project: Project, households: int, area: Decimal) -> dict | None:
    survey = db.session.scalar(select(WishSurvey).where(WishSurvey.project_id == project.id))
    if survey is None:
        return None
    rows = db.session.execute(
        select(WishResponse.consent, func.count(WishResponse.id), func.coalesce(func.sum(Household.area), 0))
        .join(Household, WishResponse.household_id == Household.id)
        .where(WishResponse.survey_id == survey.id, Household.status == HouseholdStatus.ACTIVE)
        .group_by(WishResponse.consent)
    ).all()
    responses = sum(r[1] for r in rows)
    consent_hh = sum(r[1] for r in rows if r[0])
    consent_area = sum((Decimal(r[2]) for r in rows if r[0]), Decimal("0"))
    wished = db.session.execute(
        select(CatalogueItem.name, func.count(wish_response_item.c.response_id).label("n"))
        .join(wish_response_item, wish_response_item.c.catalogue_item_id == CatalogueItem.id)
        .join(WishResponse, WishResponse.id == wish_response_item.c.response_id)
        .where(WishResponse.survey_id == survey.id)
        .group_by(CatalogueItem.id, CatalogueItem.name)
        .order_by(func.count(wish_response_item.c.response_id).desc(), CatalogueItem.name)
        .limit(8)
    ).all()
    return {
        "title": survey.title,
        "is_open": survey.is_open,
        "opened_on": _local_date(survey.opened_at),
        "closed_on": _local_date(survey.closed_at),
        "responses": responses,
        "response_rate": _rate(responses, households),
        "consent_households": consent_hh,
        "consent_rate_households": _rate(consent_hh, households),
        "consent_area": consent_area,
        "consent_rate_area": _rate(consent_area, area),
        "top_items": [{"name": name, "count": n, "rate": _rate(n, responses)} for name, n in wished],
    }


def _eligible_stmt(ballot: Ballot, project: Project):
    """SELECT (household id, owner id, area m²) of the households entitled to vote on ``ballot``: active
    ones of the compound, narrowed to the ballot's buildings or entrance."""
    stmt = select(Household.id, Household.owner_id, Household.area).where(
        Household.compound_id == project.compound_id, Household.status == HouseholdStatus.ACTIVE)
    if ballot.scope is BallotScope.ENTRANCE:
        stmt = stmt.where(Household.entrance_id == ballot.scope_entrance_id)
    elif ballot.scope is BallotScope.BUILDINGS:
        stmt = stmt.where(Household.building_id.in_(
            select(ballot_building.c.building_id).where(ballot_building.c.ballot_id == ballot.id)))
    return stmt


def _ballots_section(project: Project) -> list[dict]:
    """Closed ballots with each item's current agree/against/abstain counts (households) and its result.

    The result is the official 民法典 art. 278 tally of the voting area (renovation.voting.rules.tally_item
    under the ballot's stored rule: area and owner headcount), fed with plain rows: two statements per
    ballot (eligible households; current choices), no ORM objects per vote.
    """
    ballots = db.session.scalars(
        select(Ballot).where(Ballot.project_id == project.id, Ballot.status == BallotStatus.CLOSED)
        .options(selectinload(Ballot.items)).order_by(Ballot.closes_at, Ballot.id)
    ).all()
    out = []
    for b in ballots:
        dwellings = [voting_rules.Dwelling(hid, oid, Decimal(area))
                     for hid, oid, area in db.session.execute(_eligible_stmt(b, project))]
        area_of = {d.household_id: d.area for d in dwellings}
        per_item: dict[int, dict[int, str]] = {it.id: {} for it in b.items}
        voters: set[int] = set()
        for household_id, item_id, choice in db.session.execute(
            select(Vote.household_id, VoteChoice.ballot_item_id, VoteChoice.choice)
            .join(VoteChoice, VoteChoice.vote_id == Vote.id)
            .where(Vote.ballot_id == b.id, Vote.is_current.is_(True))
        ):
            if household_id in area_of:
                per_item.setdefault(item_id, {})[household_id] = choice.value
                voters.add(household_id)
        rule = ballot_rule(b)
        entitled_area = sum(area_of.values(), Decimal("0"))
        voted_area = sum((area_of[h] for h in voters), Decimal("0"))
        rows = []
        for it in b.items:
            choices = per_item.get(it.id, {})
            tally = voting_rules.tally_item(dwellings, choices, rule)
            counts = {c: sum(1 for v in choices.values() if v == c.value) for c in Choice}
            rows.append({
                "title": it.title,
                "agree": counts[Choice.AGREE], "against": counts[Choice.AGAINST], "abstain": counts[Choice.ABSTAIN],
                "agree_area": tally.agree_area,
                "agree_area_rate": _rate(tally.agree_area, tally.turnout_area),
                "agree_owner_rate": _rate(tally.agree_owners, tally.turnout_owners),
                "quorum_met": tally.quorum_met,
                "outcome": "通过" if tally.passed else "未通过",
                "reason": tally.reason,
            })
        out.append({
            "title": b.title,
            "matter": MATTER_CLASS_LABELS[b.matter_class],
            "rule_source": b.rule_source,
            "closed_on": _local_date(b.closes_at),
            "entitled": len(dwellings),
            "entitled_area": entitled_area,
            "voted": len(voters),
            "voted_area": voted_area,
            "turnout_rate": _rate(len(voters), len(dwellings)),
            "turnout_area_rate": _rate(voted_area, entitled_area),
            "rows": rows,
        })
    return out


def _updates_section(project: Project) -> list[dict]:
    folder = current_app.config["UPLOAD_FOLDER"]
    rows = db.session.scalars(
        select(ProgressUpdate).join(ProjectItem, ProgressUpdate.project_item_id == ProjectItem.id)
        .where(ProjectItem.project_id == project.id)
        .options(joinedload(ProgressUpdate.photo), joinedload(ProgressUpdate.project_item),
                 joinedload(ProgressUpdate.author))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        .limit(RECENT_UPDATES)
    ).all()
    out = []
    for u in rows:
        photo = None
        if u.photo is not None:
            thumb = variant_path(folder, u.photo, "thumb")
            display = variant_path(folder, u.photo, "display")
            if thumb.is_file():
                photo = {"thumb": str(thumb), "display": str(display), "uri": thumb.resolve().as_uri(),
                         "caption": u.photo.caption or ""}
        out.append({
            "item": u.project_item.name,
            "date": _local_date(u.created_at),
            "percent": u.percent,
            "status_label": PROGRESS_STATUS_LABELS[u.status],
            "note": u.note or "",
            "author": u.author.display_name if u.author else "",
            "photo": photo,
        })
    return out


def _problems_section(project: Project, today: date) -> dict:
    by_status = dict(db.session.execute(
        select(ProblemReport.status, func.count(ProblemReport.id))
        .where(ProblemReport.project_id == project.id).group_by(ProblemReport.status)
    ).all())
    total = sum(by_status.values())
    open_total = sum(by_status.get(s, 0) for s in OPEN_PROBLEM_STATUSES)
    rows = db.session.scalars(
        select(ProblemReport)
        .where(ProblemReport.project_id == project.id, ProblemReport.status != ProblemStatus.VERIFIED)
        .options(joinedload(ProblemReport.building), joinedload(ProblemReport.entrance),
                 joinedload(ProblemReport.contractor))
        .order_by(ProblemReport.created_at, ProblemReport.id)
        .limit(OPEN_PROBLEMS_LISTED)
    ).all()
    listed = []
    for p in rows:
        where = "".join(x for x in (p.building.number if p.building else "", p.entrance.number if p.entrance else ""))
        overdue = bool(p.deadline and p.deadline < today and p.status in OPEN_PROBLEM_STATUSES)
        listed.append({
            "title": p.title,
            "location": where,
            "status_label": p.status_label,
            "reported_on": _local_date(p.created_at),
            "deadline": p.deadline,
            "overdue": overdue,
            "overdue_days": (today - p.deadline).days if overdue else 0,
            "contractor": p.contractor.name if p.contractor else "",
        })
    unresolved = by_status.get(ProblemStatus.RECTIFIED, 0) + open_total
    return {
        "total": total,
        "counts": [{"label": PROBLEM_STATUS_LABELS[s], "count": by_status.get(s, 0)} for s in ProblemStatus],
        "open": open_total,
        "verified": by_status.get(ProblemStatus.VERIFIED, 0),
        "closed_rate": _rate(by_status.get(ProblemStatus.VERIFIED, 0), total),
        "overdue": sum(1 for p in listed if p["overdue"]),
        "listed": listed,
        "unlisted": max(0, unresolved - len(listed)),
    }


def _party_section(project: Project) -> dict | None:
    branch = db.session.scalar(
        select(PartyBranch).where(PartyBranch.project_id == project.id).order_by(PartyBranch.id).limit(1))
    if branch is None:
        return None
    members = db.session.scalars(
        select(PartyMember).where(PartyMember.branch_id == branch.id).order_by(PartyMember.id)).all()
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.branch_id == branch.id).order_by(Meeting.held_on, Meeting.id)).all()
    attended = sum(m.attendees for m in meetings)
    expected = sum(m.expected for m in meetings)
    officers = [{"name": m.name, "post": m.post, "home_unit": m.home_unit or ""}
                for m in members if m.post and m.post != "党员"]
    return {
        "name": branch.name,
        "founded_on": branch.founded_on,
        "members": len(members),
        "resident_members": sum(1 for m in members if m.is_resident),
        "officers": officers,
        "meetings_total": len(meetings),
        "attendance_rate": _rate(attended, expected),
        "meetings": [
            {"date": m.held_on, "title": m.title, "attendees": m.attendees, "expected": m.expected,
             "rate": _rate(m.attendees, m.expected), "minutes": m.minutes or ""}
            for m in meetings[-MEETINGS_LISTED:]
        ],
    }


def _facilities_section(project: Project) -> list[dict]:
    rows = db.session.scalars(
        select(Facility).where(Facility.compound_id == project.compound_id)
        .options(joinedload(Facility.partner)).order_by(Facility.id)
    ).all()
    return [
        {"name": f.name, "kind": f.kind or "", "area": Decimal(f.area) if f.area is not None else None,
         "provision": f.provision or "", "status": f.status, "opening_hours": f.opening_hours or "",
         "partner": f.partner.name if f.partner else "", "partner_kind": (f.partner.kind or "") if f.partner else ""}
        for f in rows
    ]


def _contractors_section(project: Project) -> list[dict]:
    rows = db.session.scalars(
        select(Contractor).where(Contractor.project_id == project.id).order_by(Contractor.kind, Contractor.id)).all()
    return [{"kind": CONTRACTOR_KIND_LABELS[c.kind], "name": c.name, "contact": c.contact_name or ""} for c in rows]


def _next_steps(project: Project, today: date, works: dict, problems: dict) -> dict:
    milestones = db.session.scalars(
        select(Milestone).where(Milestone.project_id == project.id).order_by(Milestone.due_on, Milestone.id)).all()
    upcoming = [{"title": m.title, "due_on": m.due_on, "overdue": m.due_on < today,
                 "days_left": (m.due_on - today).days} for m in milestones if m.done_on is None]
    done = [{"title": m.title, "due_on": m.due_on, "done_on": m.done_on} for m in milestones if m.done_on]
    steps = []
    nxt = next_stage(project.stage)
    if nxt is not None:
        steps.append(f"做好“{project.stage.label}”阶段收尾，具备条件后进入“{nxt.label}”阶段。")
    unfinished = [i for i in works["rows"] if i["percent"] < 100]
    if unfinished:
        names = "、".join(i["name"] for i in unfinished[:6]) + ("等" if len(unfinished) > 6 else "")
        steps.append(f"加快推进{names}共{len(unfinished)}项未完工内容。")
    if problems["open"]:
        steps.append(f"督促整改未办结问题{problems['open']}件"
                     + (f"，其中逾期{problems['overdue']}件须限期销号。" if problems["overdue"] else "。"))
    return {"milestones": upcoming, "done_milestones": done, "steps": steps}


def build_report_context(project: Project, today: date) -> dict:
    """The plain context of ``project``'s progress report on ``today`` (a date in Asia/Shanghai).

    Shape (every value a str, int, float, Decimal, date, list or dict; nothing lazy):
    ``today``; ``project`` {name, stage, stage_index, started_on, target_end_on, period_start};
    ``stages`` [{label, state: done|current|todo}]; ``compound`` {name, address, subdistrict, community,
    batch, buildings, households, area (m²)}; ``investment`` {total (yuan), estimated, funding [{label,
    amount (yuan), share 0..1}], funded, unfunded}; ``timeline`` [{date, from, to, who, reason}];
    ``wishes`` (None without a survey) {responses, consent_households, consent_rate_households (0..1),
    consent_area (m²), consent_rate_area, top_items}; ``ballots`` (closed ones) [{title, voted, entitled,
    rows [{title, agree, against, abstain, outcome}]}]; ``works`` {rows [{name, status_label, percent
    (0-100), budget (yuan)}], overall (% 0-100, budget-weighted) or None}; ``updates`` (latest first,
    photos as file paths and file:// URIs); ``problems`` {total, counts, open, overdue, listed (oldest
    first)}; ``party`` (None without a branch) {name, members, meetings [...]}; ``facilities``;
    ``contractors``; ``next`` {milestones (not done, soonest first), steps}; ``signature`` {unit, date}.
    """
    compound = _compound_section(project)
    investment, works = _items_section(project)
    problems = _problems_section(project, today)
    party = _party_section(project)
    timeline = _timeline_section(project)
    plan = db.session.scalar(select(Plan).where(Plan.project_id == project.id))
    period_start = project.started_on or (timeline[0]["date"] if timeline else _local_date(project.created_at))
    current = project.stage.index
    return {
        "today": today,
        "project": {
            "id": project.id,
            "name": project.name,
            "stage": project.stage.label,
            "stage_index": current,
            "started_on": project.started_on,
            "target_end_on": project.target_end_on,
            "period_start": period_start,
        },
        "stages": [{"label": s.label, "state": "done" if s.index < current else
                    ("current" if s.index == current else "todo")} for s in STAGE_ORDER],
        "compound": compound,
        "investment": investment,
        "plan": {"title": plan.title, "approved": plan.status is PlanStatus.APPROVED,
                 "approved_on": _local_date(plan.approved_at)} if plan else None,
        "timeline": timeline,
        "wishes": _wish_section(project, compound["households"], compound["area"]),
        "ballots": _ballots_section(project),
        "works": works,
        "updates": _updates_section(project),
        "problems": problems,
        "party": party,
        "facilities": _facilities_section(project),
        "contractors": _contractors_section(project),
        "next": _next_steps(project, today, works, problems),
        "signature": {
            "unit": party["name"] if party else f"{compound['subdistrict']}老旧小区改造工作专班",
            "date": today,
        },
    }


def render_report_pdf(context: dict) -> bytes:
    """PDF bytes of the progress report for ``context`` (from build_report_context).

    Renders templates/pdf/progress_report.html (Jinja autoescape on: users' text prints as text) and
    WeasyPrint through renovation.core.pdf.render_pdf, which reads only files under the static folder
    and UPLOAD_FOLDER and nothing from the network. Needs an app context.
    """
    html = render_template("pdf/progress_report.html", r=context)
    static = current_app.static_folder
    uploads = current_app.config["UPLOAD_FOLDER"]
    Path(uploads).mkdir(parents=True, exist_ok=True)
    return render_pdf(html, base_dir=static, allowed_roots=[static, uploads])
