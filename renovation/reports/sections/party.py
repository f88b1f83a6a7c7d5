"""The report's Party section: the temporary branch (临时党支部), its members and meetings, and the
parts built on the party area's newer models (vanguard posts, tasks, activities).
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from renovation.extensions import db
from renovation.party.models import Meeting, PartyBranch, PartyMember
from renovation.projects.models import Project
from renovation.reports import common
from renovation.reports.common import OPEN_PROBLEMS_LISTED, _bounds, _rate
from renovation.reports.rules import Period

#: How many of the latest branch meetings are listed for the whole project (totals cover all of them).
MEETINGS_LISTED = 12


def _party_extras(project: Project, branch_id: int, period: Period, today: date) -> dict:
    """The parts of the Party section built on the party area's newer models and services (vanguard posts,
    meeting decisions and their tasks, members' activities by type and by the branch's tags). Each is
    None while the party area does not provide it (the template then leaves it out)."""
    extras: dict = {"posts": None, "tasks": None, "activity_counts": None}
    counts = common.optional("renovation.party.services", "activity_counts")
    if counts is not None:
        c = counts(project, period.start, period.end)
        extras["activity_counts"] = {
            "total": sum(c["by_type"].values()),
            "by_type": [{"label": k, "count": n} for k, n in c["by_type"].items()],
            "by_tag": [{"label": k, "count": n} for k, n in c["by_tag"].items()],
        }
    post_model = common.optional("renovation.party.models", "VanguardPost")
    if post_model is not None:
        extras["posts"] = [
            {"name": p.name, "holder": p.holder.name if p.holder else "", "duty": p.duty or ""}
            for p in db.session.scalars(select(post_model).where(post_model.branch_id == branch_id)
                                        .options(joinedload(post_model.holder)).order_by(post_model.id))]
    task_model = common.optional("renovation.party.models", "BranchTask")
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
