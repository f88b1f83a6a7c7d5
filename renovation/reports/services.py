"""The PDF progress report (进度报告) for the temporary Party branch and leaders.

The report and the summary are official documents: they come out in Chinese whatever the reader's
language. Their contexts are built and their HTML rendered under ``core.i18n.chinese()``, and the lazy
labels of other areas (stage names, statuses, ...) are turned into plain Chinese strings, so the cache key
(the context's fingerprint) is the same for every reader and an English reader gets the same PDF.

``build_report_context`` reads the database once per section and returns a PLAIN dict (numbers, strings,
dates, file paths; no ORM objects), so the template cannot trigger queries and tests can look at figures.
``render_report_pdf`` turns that dict into PDF bytes with templates/pdf/progress_report.html and
WeasyPrint (renovation.core.pdf: only files under the static folder and UPLOAD_FOLDER can be read).
"""

import importlib
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

from flask import current_app, render_template
from flask_babel import LazyString
from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, selectinload

from renovation.accounts.models import ProjectAssignment, Role, User
from renovation.aftercare.models import Facility
from renovation.construction.models import (
    PROBLEM_STATUS_LABELS,
    ProblemReport,
    ProblemStatus,
    ProgressUpdate,
    Rectification,
)
from renovation.construction.rules import item_rag
from renovation.core.i18n import chinese
from renovation.core.models import Upload
from renovation.core.pdf import render_pdf
from renovation.core.timeutil import SHANGHAI, to_local
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
from renovation.reports.cache import get_or_render, template_version
from renovation.reports.rules import Period, whole_project
from renovation.voting import rules as voting_rules
from renovation.voting.models import (
    MATTER_CLASS_LABELS,
    Ballot,
    BallotElector,
    BallotScope,
    BallotStatus,
    Choice,
    Vote,
    VoteChoice,
    ballot_building,
)
from renovation.voting.services import ballot_rule
from renovation.wishes.models import WishResponse, WishSurvey, wish_response_item

#: How many progress updates the report lists for the whole project (latest first); a week or a month
#: lists all of its updates up to PERIOD_UPDATES.
RECENT_UPDATES = 10
PERIOD_UPDATES = 40
#: At most this many photos are printed (latest first), three to a row at about 150 dpi.
MAX_PHOTOS = 20
#: How many open problems are listed one by one (the counts always cover all of them).
OPEN_PROBLEMS_LISTED = 40
#: How many of the latest branch meetings are listed for the whole project (totals cover all of them).
MEETINGS_LISTED = 12
OPEN_PROBLEM_STATUSES = (ProblemStatus.REPORTED, ProblemStatus.ASSIGNED, ProblemStatus.REOPENED)


def _optional(module: str, name: str):
    """``module.name`` if a colleague's area already provides it, else None: the report guards the
    sections built on models and services that are still being written, so it always renders."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError:
        return None
    return getattr(mod, name, None)


def _bounds(period: Period) -> tuple[datetime | None, datetime | None]:
    """UTC datetimes [start, end) of a period's local days (Asia/Shanghai); (None, None) for the whole
    project."""
    if period.is_whole:
        return None, None
    start = datetime.combine(period.start, time.min, SHANGHAI).astimezone(UTC)
    end = datetime.combine(period.end, time.max, SHANGHAI).astimezone(UTC)
    return start, end


def _in_period(column, period: Period):
    """A SQL condition: ``column`` (a UTC datetime) within ``period``; True for the whole project."""
    start, end = _bounds(period)
    if start is None:
        return column.is_not(None)
    return column.between(start, end)


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


def _frac(value) -> float | None:
    """A Fraction ratio as a float 0..1 (None stays None)."""
    return float(value) if value is not None else None


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


def _items_section(project: Project, today: date) -> tuple[dict, dict]:
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
            "rag": (rag := item_rag(int(i.progress_percent), i.planned_start, i.planned_end, today)).value,
            "rag_label": rag.label,
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
        "gate": float(current_app.config["GATE_WISH_CONSENT_RATE"]),
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
        # the electorate frozen at close (BallotElector); the live roster only for a ballot closed before it
        dwellings = [voting_rules.Dwelling(hid, oid, Decimal(area)) for hid, oid, area in db.session.execute(
            select(BallotElector.household_id, BallotElector.owner_id, BallotElector.area)
            .where(BallotElector.ballot_id == b.id))] or [
            voting_rules.Dwelling(hid, oid, Decimal(area)) for hid, oid, area in db.session.execute(_eligible_stmt(b, project))]
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
                "turnout_area_rate": _frac(tally.turnout_area_ratio),
                "turnout_owner_rate": _frac(tally.turnout_owner_ratio),
                "agree_area": tally.agree_area,
                "agree_area_rate": _rate(tally.agree_area, tally.turnout_area),
                "agree_owner_rate": _rate(tally.agree_owners, tally.turnout_owners),
                "quorum_met": tally.quorum_met,
                "approved": tally.approved,
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
            "quorum": float(rule.quorum),
            "quorum_label": voting_rules.share_label(rule.quorum),
            "approval": float(rule.approval),
            "approval_strict": rule.approval_strict,
            "approval_label": ("超过" if rule.approval_strict else "不低于") + voting_rules.share_label(rule.approval),
            "rows": rows,
        })
    return out


def _photo(folder: str, upload, *, caption: str, day: date | None, item: str, source: str) -> dict | None:
    """A printable photo: the stored 320 px thumbnail (EXIF orientation already applied when stored),
    printed 55 mm wide, i.e. about 150 dpi: print resolution at a fraction of the original's bytes."""
    thumb = variant_path(folder, upload, "thumb")
    if not thumb.is_file():
        return None
    return {"path": str(thumb), "uri": thumb.resolve().as_uri(), "sha": upload.sha256,
            "caption": caption, "date": day, "item": item, "source": source}


def _updates_section(project: Project, period: Period) -> tuple[list[dict], list[dict]]:
    """(progress updates, photos) of ``period``: for the whole project the latest RECENT_UPDATES updates,
    for a week or a month all of its updates (up to PERIOD_UPDATES); photos (latest first, at most
    MAX_PHOTOS) from the period's progress updates."""
    folder = current_app.config["UPLOAD_FOLDER"]
    base = (select(ProgressUpdate).join(ProjectItem, ProgressUpdate.project_item_id == ProjectItem.id)
            .where(ProjectItem.project_id == project.id, _in_period(ProgressUpdate.created_at, period))
            .options(joinedload(ProgressUpdate.photo), joinedload(ProgressUpdate.project_item),
                     joinedload(ProgressUpdate.author))
            .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc()))
    rows = db.session.scalars(base.limit(RECENT_UPDATES if period.is_whole else PERIOD_UPDATES)).all()
    photo_rows = db.session.scalars(
        base.where(ProgressUpdate.photo_id.is_not(None)).limit(MAX_PHOTOS)).all()
    updates = [
        {
            "item": u.project_item.name,
            "date": _local_date(u.created_at),
            "percent": u.percent,
            "status_label": PROGRESS_STATUS_LABELS[u.status],
            "note": u.note or "",
            "author": u.author.display_name if u.author else "",
        }
        for u in rows
    ]
    photos = []
    for u in photo_rows:
        caption = u.photo.caption or u.note or ""
        if caption.startswith(u.project_item.name + "："):
            caption = caption[len(u.project_item.name) + 1:]
        photo = _photo(folder, u.photo, caption=caption, day=_local_date(u.created_at),
                       item=f"{u.project_item.name} · {u.percent}%", source="进度")
        if photo:
            photos.append(photo)
    return updates, photos


def _problems_section(project: Project, today: date, period: Period) -> dict:
    """Problem reports: counts by status now; found, rectified and closed (verified) within ``period``;
    open ones listed oldest first with their overdue days on ``today``. ``open`` (未办结) counts every
    problem not verified, as the project page and the ledger do; ``awaiting_verification`` the rectified
    ones among them; ``overdue`` the reported/assigned/reopened ones past their deadline."""
    by_status = dict(db.session.execute(
        select(ProblemReport.status, func.count(ProblemReport.id))
        .where(ProblemReport.project_id == project.id).group_by(ProblemReport.status)
    ).all())
    total = sum(by_status.values())
    # 未办结 = not verified, the same definition as the project page and the problem ledger
    # (dashboard.services.OPEN_PROBLEM); the rectified ones awaiting verification are also given apart.
    open_total = total - by_status.get(ProblemStatus.VERIFIED, 0)
    awaiting = by_status.get(ProblemStatus.RECTIFIED, 0)
    overdue_total = db.session.scalar(
        select(func.count(ProblemReport.id)).where(
            ProblemReport.project_id == project.id, ProblemReport.status.in_(OPEN_PROBLEM_STATUSES),
            ProblemReport.deadline < today))
    found = db.session.scalar(select(func.count(ProblemReport.id)).where(
        ProblemReport.project_id == project.id, _in_period(ProblemReport.created_at, period)))
    closed = db.session.scalar(select(func.count(ProblemReport.id)).where(
        ProblemReport.project_id == project.id, ProblemReport.status == ProblemStatus.VERIFIED,
        _in_period(ProblemReport.closed_at, period)))
    rectified = db.session.scalar(
        select(func.count(func.distinct(Rectification.problem_id)))
        .join(ProblemReport, Rectification.problem_id == ProblemReport.id)
        .where(ProblemReport.project_id == project.id, Rectification.to_status == ProblemStatus.RECTIFIED,
               _in_period(Rectification.at, period)))
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
    unresolved = open_total
    return {
        "total": total,
        "counts": [{"label": PROBLEM_STATUS_LABELS[s], "count": by_status.get(s, 0)} for s in ProblemStatus],
        "open": open_total,
        "awaiting_verification": awaiting,
        "verified": by_status.get(ProblemStatus.VERIFIED, 0),
        "closed_rate": _rate(by_status.get(ProblemStatus.VERIFIED, 0), total),
        "overdue": overdue_total,
        "found_in_period": found,
        "rectified_in_period": rectified,
        "closed_in_period": closed,
        "listed": listed,
        "unlisted": max(0, unresolved - len(listed)),
    }


def _party_extras(project: Project, branch_id: int, period: Period, today: date) -> dict:
    """The parts of the Party section built on the party area's newer models and services (vanguard posts,
    meeting decisions and their tasks, members' activities by type and by the branch's tags). Each is
    None while the party area does not provide it (the template then leaves it out)."""
    extras: dict = {"posts": None, "tasks": None, "activity_counts": None}
    counts = _optional("renovation.party.services", "activity_counts")
    if counts is not None:
        c = counts(project, period.start, period.end)
        extras["activity_counts"] = {
            "total": sum(c["by_type"].values()),
            "by_type": [{"label": k, "count": n} for k, n in c["by_type"].items()],
            "by_tag": [{"label": k, "count": n} for k, n in c["by_tag"].items()],
        }
    post_model = _optional("renovation.party.models", "VanguardPost")
    if post_model is not None:
        extras["posts"] = [
            {"name": p.name, "holder": p.holder.name if p.holder else "", "duty": p.duty or ""}
            for p in db.session.scalars(select(post_model).where(post_model.branch_id == branch_id)
                                        .options(joinedload(post_model.holder)).order_by(post_model.id))]
    task_model = _optional("renovation.party.models", "BranchTask")
    if task_model is not None:
        stmt = (select(task_model).where(task_model.branch_id == branch_id)
                .options(joinedload(task_model.owner), joinedload(task_model.meeting))
                .order_by(task_model.deadline, task_model.id))
        if not period.is_whole:  # open ones, and those created or done within the period
            start, end = _bounds(period)
            stmt = stmt.where(task_model.done_on.is_(None) | task_model.done_on.between(period.start, period.end)
                              | task_model.created_at.between(start, end))
        extras["tasks"] = []
        for t in db.session.scalars(stmt.limit(OPEN_PROBLEMS_LISTED)):
            overdue = t.done_on is None and t.deadline < today
            extras["tasks"].append({
                "title": t.decision, "owner": t.owner.name if t.owner else "",
                "meeting": f"{t.meeting.held_on.month}月{t.meeting.held_on.day}日{t.meeting.title}" if t.meeting else "",
                "deadline": t.deadline, "overdue": overdue,
                "status": ("已完成" if t.done_on else (f"逾期{(today - t.deadline).days}天" if overdue else "办理中")),
            })
    return extras


def _party_section(project: Project, period: Period, today: date) -> dict | None:
    branch = db.session.scalar(
        select(PartyBranch).where(PartyBranch.project_id == project.id).order_by(PartyBranch.id).limit(1))
    if branch is None:
        return None
    members = db.session.scalars(
        select(PartyMember).where(PartyMember.branch_id == branch.id).order_by(PartyMember.id)).all()
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.branch_id == branch.id).order_by(Meeting.held_on, Meeting.id)).all()
    in_period = [m for m in meetings if period.contains(m.held_on)]
    attended = sum(m.attendees for m in in_period)
    expected = sum(m.expected for m in in_period)
    officers = [{"name": m.name, "post": m.post, "home_unit": m.home_unit or ""}
                for m in members if m.post and m.post != "党员"]
    listed = in_period[-MEETINGS_LISTED:] if period.is_whole else in_period
    return {
        "name": branch.name,
        "founded_on": branch.founded_on,
        "members": len(members),
        "resident_members": sum(1 for m in members if m.is_resident),
        "officers": officers,
        "meetings_all": len(meetings),
        "meetings_total": len(in_period),
        "attendance_rate": _rate(attended, expected),
        "meetings": [
            {"date": m.held_on, "title": m.title, "attendees": m.attendees, "expected": m.expected,
             "rate": _rate(m.attendees, m.expected), "minutes": m.minutes or ""}
            for m in listed
        ],
        **_party_extras(project, branch.id, period, today),
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


#: Site-log days listed one by one (latest first); the summary counts them all.
SITE_LOGS_LISTED = 14


def _site_logs_section(project: Project, period: Period) -> tuple[dict | None, list[dict]]:
    """(summary, photos) of the period's daily site logs (施工日志) and inspections: days logged, people
    on site (person-days), safety notes, the latest days listed; inspections held and checklist lines
    failed. (None, []) while the construction area has no SiteLog model."""
    log = _optional("renovation.construction.models", "SiteLog")
    if log is None:
        return None, []
    cond = [log.project_id == project.id]
    if not period.is_whole:
        cond.append(log.log_date.between(period.start, period.end))
    days, workers, safety = db.session.execute(
        select(func.count(log.id), func.coalesce(func.sum(log.workforce), 0),
               func.count(log.safety_notes)).where(*cond)).one()
    rows = db.session.scalars(select(log).where(*cond).options(selectinload(log.photos))
                              .order_by(log.log_date.desc()).limit(SITE_LOGS_LISTED)).all()
    folder = current_app.config["UPLOAD_FOLDER"]
    photos = []
    photo_model = _optional("renovation.construction.models", "SiteLogPhoto")
    if photo_model is not None:
        for day, upload in db.session.execute(
            select(log.log_date, Upload).join(photo_model, photo_model.site_log_id == log.id)
            .join(Upload, Upload.id == photo_model.upload_id).where(*cond)
            .order_by(log.log_date.desc(), photo_model.id).limit(MAX_PHOTOS)
        ):
            photo = _photo(folder, upload, caption=upload.caption or "", day=day, item="施工日志", source="日志")
            if photo:
                photos.append(photo)
    summary = {
        "days": days, "workers": int(workers), "safety_notes": safety,
        "rows": [{"date": g.log_date, "weather": g.weather, "workers": g.workforce, "work": g.work_done,
                  "safety": g.safety_notes or ""} for g in rows],
        "inspections": None,
    }
    insp = _optional("renovation.construction.models", "Inspection")
    result = _optional("renovation.construction.models", "InspectionResult")
    if insp is not None and result is not None:
        icond = [insp.project_id == project.id]
        if not period.is_whole:
            icond.append(insp.inspected_on.between(period.start, period.end))
        held = db.session.scalar(select(func.count(insp.id)).where(*icond))
        failed = db.session.scalar(select(func.count(result.id)).join(insp, result.inspection_id == insp.id)
                                   .where(*icond, result.passed.is_(False)))
        summary["inspections"] = {"held": held, "failed": failed}
    return summary, photos


def _aftercare_section(project: Project, period: Period) -> dict:
    """Post-handover management (长效管理): handover checklist, property-management contract, repair
    requests (all of them: counts, overdue open ones, mean hours to close), satisfaction survey (means
    1-5 by dimension), community activities of the period. Each part is None while the aftercare area
    does not provide it or has no record; ``reached`` is True in the aftercare stage."""
    out: dict = {"reached": project.stage.value == "aftercare", "handover": None, "property": None,
                 "repairs": None, "satisfaction": None, "activities": None}
    handovers = _optional("renovation.aftercare.services", "handovers")
    if handovers is not None:
        out["handover"] = [
            {"asset": h.asset, "operator": h.receiver, "date": h.handed_on or h.planned_on,
             "status": h.status_label, "signed_by": h.receiver_signatory or ""}
            for h in handovers(project)] or None
    contract_of = _optional("renovation.aftercare.services", "current_contract")
    contract = contract_of(project) if contract_of is not None else None
    if contract is not None:
        out["property"] = {"company": contract.company,
                           "period": f"{contract.starts_on:%Y年%m月%d日}至{contract.ends_on:%Y年%m月%d日}",
                           "fee": f"{contract.fee_per_m2}元/平方米·月", "scope": contract.scope or ""}
    stats_of = _optional("renovation.aftercare.services", "repair_stats")
    if stats_of is not None:
        st = stats_of(project)
        if st.total:
            out["repairs"] = {"total": st.total, "closed": st.done, "open": st.total - st.done,
                              "overdue": st.overdue_open, "mean_hours": st.mean_hours,
                              "on_time_rate": _frac(st.on_time_rate)}
    survey_of = _optional("renovation.aftercare.services", "survey_of")
    result_of = _optional("renovation.aftercare.services", "survey_result")
    survey = survey_of(project) if survey_of is not None else None
    if survey is not None and result_of is not None:
        agg = result_of(project, survey).overall
        out["satisfaction"] = {
            "title": survey.title, "responses": agg.responses, "households": agg.households,
            "response_rate": _frac(agg.response_rate), "overall": _frac(agg.overall_mean), "scale": 5,
            "satisfied_rate": _rate(agg.satisfied, agg.responses),
            "scores": [{"label": label, "mean": _frac(mean)} for label, mean in (
                ("改造内容", agg.content_mean), ("改造过程", agg.process_mean), ("长效管理", agg.management_mean))],
        }
    activity = _optional("renovation.aftercare.models", "CommunityActivity")
    if activity is not None:
        cond = [activity.project_id == project.id]
        if not period.is_whole:
            cond.append(activity.held_on.between(period.start, period.end))
        out["activities"] = [
            {"date": a.held_on, "title": a.title, "organiser": a.organiser, "participants": a.participants}
            for a in db.session.scalars(select(activity).where(*cond)
                                        .order_by(activity.held_on.desc(), activity.id.desc()).limit(20))] or None
    return out


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


def _resolved(value):
    """``value`` with every lazy string in it (a label of another area's dict) turned into a plain str now,
    in the current language (Chinese under ``chinese()``); dicts, lists and tuples are walked."""
    if isinstance(value, LazyString):
        return str(value)
    if isinstance(value, dict):
        return {_resolved(k): _resolved(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolved(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_resolved(v) for v in value)
    return value


def build_report_context(project: Project, today: date, period: Period | None = None) -> dict:
    """The plain context of ``project``'s progress report on ``today`` (a date in Asia/Shanghai) for
    ``period`` (a week, a month, or the whole project: the default). Always in Chinese, whatever the
    reader's language (built under ``chinese()``, lazy labels resolved).

    The period narrows what happened in it: progress updates and photos, problems found, rectified and
    closed, meetings (and site logs, activities when their areas provide them); states (stage, item
    progress, open and overdue problems, votes) are those of ``today``.

    Shape (every value a str, int, float, Decimal, date, list or dict; nothing lazy):
    ``today``; ``period`` {kind, label, start, end, is_whole}; ``project`` {name, stage, stage_index,
    started_on, target_end_on, period_start}; ``stages`` [{label, state: done|current|todo}];
    ``compound`` {name, address, subdistrict, community, batch, buildings, households, area (m²)};
    ``investment`` {total (yuan), estimated, funding [{label, amount (yuan), share 0..1}], funded,
    unfunded}; ``timeline`` [{date, from, to, who, reason}]; ``wishes`` (None without a survey)
    {responses, consent_households, consent_rate_households (0..1), consent_area (m²), consent_rate_area,
    top_items}; ``ballots`` (closed ones) [{title, voted, entitled, quorum (0..1), approval (0..1), rows
    [{title, agree, against, abstain, turnout_area_rate, turnout_owner_rate, agree_area_rate,
    agree_owner_rate (0..1), outcome}]}]; ``works`` {rows [{name, status_label, rag, percent (0-100),
    budget (yuan)}], overall (% 0-100, budget-weighted) or None}; ``updates`` (latest first);
    ``photos`` [{uri, path, caption, date, item}] (thumbnails, latest first, at most MAX_PHOTOS);
    ``problems`` {total, counts, open, overdue, found_in_period, rectified_in_period, closed_in_period,
    listed (oldest first)}; ``party`` (None without a branch) {name, members, meetings [...]};
    ``facilities``; ``contractors``; ``next`` {milestones (not done, soonest first), steps};
    ``signature`` {unit, date}.
    """
    with chinese():
        return _resolved(_report_context(project, today, period or whole_project()))


def _report_context(project: Project, today: date, period: Period) -> dict:
    compound = _compound_section(project)
    investment, works = _items_section(project, today)
    problems = _problems_section(project, today, period)
    party = _party_section(project, period, today)
    timeline = _timeline_section(project)
    updates, photos = _updates_section(project, period)
    site_logs, log_photos = _site_logs_section(project, period)
    photos = sorted(photos + log_photos, key=lambda p: p["date"] or date.min, reverse=True)[:MAX_PHOTOS]
    plan = db.session.scalar(select(Plan).where(Plan.project_id == project.id))
    period_start = project.started_on or (timeline[0]["date"] if timeline else _local_date(project.created_at))
    current = project.stage.index
    return {
        "today": today,
        "period": {"kind": period.kind, "key": period.key, "label": period.label, "short": period.short,
                   "start": period.start,
                   "end": period.end, "is_whole": period.is_whole},
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
        "updates": updates,
        "photos": photos,
        "problems": problems,
        "party": party,
        "site_logs": site_logs,
        "aftercare": _aftercare_section(project, period),
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
    and UPLOAD_FOLDER and nothing from the network. Needs an app context. In Chinese whatever the reader's
    language (rendered under ``chinese()``: the template's date and percent filters too).
    """
    static = current_app.static_folder
    uploads = current_app.config["UPLOAD_FOLDER"]
    Path(uploads).mkdir(parents=True, exist_ok=True)
    with chinese():
        html = render_template("pdf/progress_report.html", r=context)
        return render_pdf(html, base_dir=static, allowed_roots=[static, uploads])


REPORT_TEMPLATES = ("pdf/progress_report.html", "pdf/progress_report.css")
SUMMARY_TEMPLATES = ("pdf/summary_report.html", "pdf/progress_report.css")


def project_report(project: Project, today: date, period: Period | None = None) -> tuple[dict, bytes, bool]:
    """(context, PDF bytes, True if served from the cache) of ``project``'s progress report on ``today``
    for ``period``: the context is always built (a fixed number of statements), the PDF is rendered only
    when no cached file holds the fingerprint of that context (renovation.reports.cache)."""
    period = period or whole_project()
    context = build_report_context(project, today, period)
    data, hit = get_or_render(f"project-{project.id}-{period.key}", context, render_report_pdf,
                              template_version(*REPORT_TEMPLATES))
    return context, data, hit


# --- the summary across compounds, for leaders ------------------------------------------------------

def summary_scope(user: User, district_id: int | None = None, subdistrict_id: int | None = None) -> tuple[str, object]:
    """(Chinese name of the area, SELECT of its Projects) for the summary report of ``user``. Its refusals
    are in the reader's language (call it outside ``chinese()``).

    Without ids: the user's own jurisdiction (a leader's node; everything for an administrator). With a
    district or subdistrict id: that node, which must lie within the user's jurisdiction.
    Raises PermissionDenied for users other than leaders and administrators, or a node outside their
    jurisdiction; NotFound for an unknown node.
    """
    from renovation.core.errors import NotFound, PermissionDenied
    from renovation.org.models import Community, District, Subdistrict
    from renovation.projects.access import visible_projects

    if user.role not in (Role.LEADER, Role.ADMIN):
        raise PermissionDenied(_("只有领导和管理员可以下载辖区汇总报告。"))
    stmt = visible_projects(user)
    if subdistrict_id is not None:
        node = db.session.get(Subdistrict, subdistrict_id)
        if node is None:
            raise NotFound(_("找不到该街道。"))
        if user.role is Role.LEADER and (user.community_id or (
                user.subdistrict_id and user.subdistrict_id != node.id) or (
                user.district_id and user.district_id != node.district_id)):
            raise PermissionDenied(_("该街道不在您的辖区内。"))
        return node.district.name + node.name, stmt.where(Subdistrict.id == node.id)
    if district_id is not None:
        node = db.session.get(District, district_id)
        if node is None:
            raise NotFound(_("找不到该区。"))
        if user.role is Role.LEADER and user.district_id != node.id:
            raise PermissionDenied(_("该区不在您的辖区内。"))
        return node.name, stmt.where(Subdistrict.district_id == node.id)
    if user.role is Role.ADMIN:
        return "全部辖区", stmt
    node = user.community or user.subdistrict or user.district
    if isinstance(node, Community):
        return node.subdistrict.name + node.name, stmt
    if isinstance(node, Subdistrict):
        return node.district.name + node.name, stmt
    return node.name, stmt


def build_summary_context(scope_name: str, projects_stmt, today: date) -> dict:
    """The plain context of the summary report: one row per compound of ``projects_stmt`` (a SELECT of
    Projects joined to Compound, Community, Subdistrict, e.g. from summary_scope) with its stage,
    households, investment (yuan: adopted items' budgets, or the candidates' estimates before a vote),
    progress (% budget-weighted) and open (not verified) / overdue problems on ``today``; and the totals
    (totals.investment: adopted items' budgets only, as the dashboard's 计划投资; the estimates of compounds
    not yet voted in totals.estimated_investment).

    Four statements whatever the number of compounds (projects; households; items; problems). Always in
    Chinese (built under ``chinese()``, lazy labels resolved).
    """
    with chinese():
        return _resolved(_summary_context(scope_name, projects_stmt, today))


def _summary_context(scope_name: str, projects_stmt, today: date) -> dict:
    from renovation.org.models import Community, Compound, Subdistrict

    found = db.session.execute(
        projects_stmt.add_columns(Compound.name, Community.name, Subdistrict.name)
        .order_by(Subdistrict.name, Community.name, Compound.name, Project.id)).all()
    ids = [r[0].id for r in found]
    compound_ids = [r[0].compound_id for r in found]
    households = dict(db.session.execute(
        select(Household.compound_id, func.count(Household.id))
        .where(Household.compound_id.in_(compound_ids), Household.status == HouseholdStatus.ACTIVE)
        .group_by(Household.compound_id)).all()) if ids else {}
    items: dict[int, list] = {}
    if ids:
        for item in db.session.scalars(select(ProjectItem).where(ProjectItem.project_id.in_(ids))):
            items.setdefault(item.project_id, []).append(item)
    open_p: dict[int, int] = {}
    overdue_p: dict[int, int] = {}
    if ids:
        for pid, n, late in db.session.execute(
            select(ProblemReport.project_id, func.count(ProblemReport.id),
                   func.coalesce(func.sum(case((ProblemReport.status.in_(OPEN_PROBLEM_STATUSES)
                                               & (ProblemReport.deadline < today), 1), else_=0)), 0))
            .where(ProblemReport.project_id.in_(ids), ProblemReport.status != ProblemStatus.VERIFIED)
            .group_by(ProblemReport.project_id)
        ):
            open_p[pid] = n
            overdue_p[pid] = int(late)
    rows = []
    for project, compound, community, subdistrict in found:
        its = items.get(project.id, [])
        adopted = [i for i in its if i.status is ProjectItemStatus.ADOPTED]
        counted = adopted or [i for i in its if i.status is not ProjectItemStatus.REJECTED]
        rows.append({
            "compound": compound, "community": community, "subdistrict": subdistrict,
            "stage": project.stage.label, "stage_index": project.stage.index,
            "households": households.get(project.compound_id, 0),
            "investment": sum((Decimal(i.budget or 0) for i in counted), Decimal("0")),
            "estimated": not adopted,
            "progress": weighted_progress(its),
            "open": open_p.get(project.id, 0), "overdue": overdue_p.get(project.id, 0),
        })
    by_stage = [{"label": s.label, "count": sum(1 for r in rows if r["stage_index"] == s.index)} for s in STAGE_ORDER]
    return {
        "today": today,
        "scope": scope_name,
        "rows": rows,
        "by_stage": by_stage,
        "totals": {
            "compounds": len(rows),
            "households": sum(r["households"] for r in rows),
            # 计划投资 as on the dashboard: adopted items' budgets only; the estimates of compounds
            # not yet voted are totalled apart (estimated_investment).
            "investment": sum((r["investment"] for r in rows if not r["estimated"]), Decimal("0")),
            "estimated_investment": sum((r["investment"] for r in rows if r["estimated"]), Decimal("0")),
            "open": sum(r["open"] for r in rows),
            "overdue": sum(r["overdue"] for r in rows),
        },
    }


def render_summary_pdf(context: dict) -> bytes:
    """PDF bytes of the summary report (templates/pdf/summary_report.html) for ``context`` from
    build_summary_context; same restricted fetcher as the progress report. Needs an app context. In Chinese
    whatever the reader's language."""
    static = current_app.static_folder
    with chinese():
        html = render_template("pdf/summary_report.html", r=context)
        return render_pdf(html, base_dir=static, allowed_roots=[static])


def summary_report(user: User, today: date, district_id: int | None = None,
                   subdistrict_id: int | None = None) -> tuple[dict, bytes, bool]:
    """(context, PDF bytes, from cache) of the summary report of ``user``'s jurisdiction (or a node in it).
    Raises what summary_scope raises."""
    name, stmt = summary_scope(user, district_id, subdistrict_id)
    context = build_summary_context(name, stmt, today)
    key = "summary-" + (f"d{district_id}" if district_id else f"s{subdistrict_id}" if subdistrict_id
                        else f"u{user.id}")
    data, hit = get_or_render(key, context, render_summary_pdf, template_version(*SUMMARY_TEMPLATES))
    return context, data, hit
