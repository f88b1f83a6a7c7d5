"""Write-side operations of the temporary Party branch, and the read models of its pages.

Every write takes the acting user, checks permission (the project's squad or an administrator),
raises DomainError/PermissionDenied with messages in the reader's language (records and audit rows stay
in Chinese), flushes (never commits) and writes an
audit row. Branch records are for the branch's members on the squad, leaders and administrators, not
for residents (``can_view_party``).
"""

import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from renovation.accounts.models import Role, User
from renovation.core import audit
from renovation.core.errors import DomainError, PermissionDenied
from renovation.extensions import db
from renovation.org.models import Building, Entrance, Household
from renovation.party import rules
from renovation.party.models import (
    MEMBER_ACTIVITY_LABELS,
    BranchTag,
    BranchTask,
    Meeting,
    MemberActivity,
    MemberActivityKind,
    PartyBranch,
    PartyMember,
    VanguardPost,
)
from renovation.projects.access import can_edit_project, can_view_project
from renovation.projects.models import Project
from renovation.projects.rules import Stage


class FieldError(DomainError):
    """A refusal about one form field (``field``: its name), so the view shows the message next to it."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def can_view_party(user, project) -> bool:
    """Branch records are for staff and leaders (admin, leaders of the area, the project's squad), not residents."""
    return user.is_authenticated and user.role in (Role.ADMIN, Role.LEADER, Role.SQUAD) and can_view_project(
        user, project)


def _require_edit(user: User, project: Project) -> None:
    if not can_edit_project(user, project):
        raise PermissionDenied(_("只有本项目专班成员（支部委员）或管理员可以维护党支部记录。"))


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def branch_of(project: Project) -> PartyBranch | None:
    """The project's branch (the first, when several were made), or None."""
    return db.session.scalar(select(PartyBranch).where(PartyBranch.project_id == project.id)
                             .order_by(PartyBranch.id).limit(1))


def _member_of(branch: PartyBranch, member_id: int | None, error: str) -> PartyMember | None:
    """The member ``member_id`` of ``branch`` (None for no id); DomainError(``error``) when not of the branch."""
    if not member_id:
        return None
    member = db.session.get(PartyMember, member_id)
    if member is None or member.branch_id != branch.id:
        raise DomainError(error)
    return member


# --- branch, members, posts, tags ------------------------------------------------------------------------

def create_branch(project: Project, user: User, *, name: str, founded_on: date | None,
                  with_five_threads: bool = False) -> PartyBranch:
    """Set up the project's temporary Party branch, optionally with the five 一针引五线 tags.

    Raises PermissionDenied; DomainError when the project already has one.
    """
    _require_edit(user, project)
    if branch_of(project) is not None:
        raise DomainError(_("本项目已成立临时党支部。"))
    branch = PartyBranch(project_id=project.id, name=name.strip(), founded_on=founded_on)
    db.session.add(branch)
    db.session.flush()
    if with_five_threads:
        for i, (n, d) in enumerate(rules.FIVE_THREADS):
            db.session.add(BranchTag(branch_id=branch.id, name=n, description=d, sort_order=i))
    audit.record(user, "party.branch", branch, after={"name": branch.name}, project_id=project.id)
    return branch


def add_member(branch: PartyBranch, project: Project, user: User, *, name: str, post: str, home_unit: str | None,
               is_resident: bool) -> PartyMember:
    """Add a member (post 书记/副书记/委员/党员; home unit; resident Party member or not). Raises PermissionDenied."""
    _require_edit(user, project)
    member = PartyMember(branch_id=branch.id, name=name.strip(), post=post, home_unit=_clean(home_unit),
                         is_resident=is_resident)
    db.session.add(member)
    db.session.flush()
    audit.record(user, "party.member", member, after={"name": member.name, "post": post}, project_id=project.id)
    return member


def add_post(branch: PartyBranch, project: Project, user: User, *, name: str, holder_id: int | None,
             duty: str | None) -> VanguardPost:
    """Set up a vanguard post (党员先锋岗) with its holder (a member) and duty.

    Raises PermissionDenied; DomainError when the holder is not a member of the branch.
    """
    _require_edit(user, project)
    holder = _member_of(branch, holder_id, _("所选岗位负责人不是本支部成员。"))
    post = VanguardPost(branch_id=branch.id, name=name.strip(), holder_id=holder.id if holder else None,
                        duty=_clean(duty))
    db.session.add(post)
    db.session.flush()
    audit.record(user, "party.post", post, after={"name": post.name, "holder_id": post.holder_id},
                 project_id=project.id)
    return post


def add_tag(branch: PartyBranch, project: Project, user: User, *, name: str, description: str | None) -> BranchTag:
    """Define a tag of the branch's method (e.g. 党群连心). Raises PermissionDenied; DomainError for a duplicate."""
    _require_edit(user, project)
    if db.session.scalar(select(BranchTag.id).where(BranchTag.branch_id == branch.id,
                                                    BranchTag.name == name.strip())) is not None:
        raise DomainError(_("标签“%(name)s”已存在。", name=name.strip()))
    order = (db.session.scalar(select(func.max(BranchTag.sort_order)).where(BranchTag.branch_id == branch.id))
             or 0) + 1
    tag = BranchTag(branch_id=branch.id, name=name.strip(), description=_clean(description), sort_order=order)
    db.session.add(tag)
    db.session.flush()
    audit.record(user, "party.tag", tag, after={"name": tag.name}, project_id=project.id)
    return tag


def tags_of(branch: PartyBranch) -> list[BranchTag]:
    """The branch's tags in their order."""
    return list(db.session.scalars(select(BranchTag).where(BranchTag.branch_id == branch.id)
                                   .order_by(BranchTag.sort_order, BranchTag.id)))


def members_of(branch: PartyBranch) -> list[PartyMember]:
    """The branch's members in the order they joined."""
    return list(db.session.scalars(select(PartyMember).where(PartyMember.branch_id == branch.id)
                                   .order_by(PartyMember.id)))


def posts_of(branch: PartyBranch) -> list[VanguardPost]:
    """The branch's vanguard posts with their holders."""
    return list(db.session.scalars(select(VanguardPost).options(joinedload(VanguardPost.holder))
                                   .where(VanguardPost.branch_id == branch.id).order_by(VanguardPost.id)))


# --- meetings, decisions, tasks ------------------------------------------------------------------------

def record_meeting(branch: PartyBranch, project, user, *, held_on: date, title: str, attendees: int | None = None,
                   expected: int, minutes: str | None, agenda: str | None = None,
                   present_ids: list[int] | None = None, today: date | None = None) -> Meeting:
    """Record a meeting of ``branch`` (e.g. 周例会): who came (member ids, or a head count), agenda, minutes.

    ``attendees`` (people) is the length of ``present_ids`` when that is given. Raises PermissionDenied;
    DomainError when attendees > expected, a present id is not a member, or the date is after ``today``.
    """
    _require_edit(user, project)
    not_member = _("所选出席人员不是本支部成员。")
    present = [_member_of(branch, i, not_member) for i in dict.fromkeys(present_ids or [])]
    if present:
        attendees = len(present)
    error = rules.attendance_error(attendees or 0, expected)
    if error:
        raise DomainError(error)
    if today is not None and held_on > today:
        raise FieldError(_("会议日期不能晚于今天。"), "held_on")
    meeting = Meeting(branch_id=branch.id, held_on=held_on, title=title.strip(), attendees=attendees or 0,
                      expected=expected, minutes=_clean(minutes), agenda=_clean(agenda), present=present)
    db.session.add(meeting)
    db.session.flush()
    audit.record(user, "meeting.record", meeting, after={
        "held_on": held_on.isoformat(), "title": meeting.title, "attendees": meeting.attendees,
        "expected": expected}, project_id=project.id)
    return meeting


def add_decision(meeting: Meeting, project: Project, user: User, *, decision: str, owner_id: int,
                 deadline: date) -> BranchTask:
    """A decision of ``meeting`` becomes a follow-up task with an owner (a member) and a deadline.

    Raises PermissionDenied; DomainError (owner not a member, deadline before the meeting).
    """
    _require_edit(user, project)
    branch = db.session.get(PartyBranch, meeting.branch_id)
    owner = _member_of(branch, owner_id, _("所选责任人不是本支部成员。"))
    if owner is None:
        raise FieldError(_("请选择责任人。"), "owner_id")
    if deadline < meeting.held_on:
        raise FieldError(_("完成期限不能早于会议日期。"), "deadline")
    task = BranchTask(branch_id=branch.id, meeting_id=meeting.id, decision=decision.strip(), owner_id=owner.id,
                      deadline=deadline)
    db.session.add(task)
    db.session.flush()
    audit.record(user, "task.add", task, after={"decision": task.decision, "owner_id": owner.id,
                                                "deadline": deadline.isoformat()}, project_id=project.id)
    return task


def complete_task(task: BranchTask, project: Project, user: User, *, note: str | None, done_on: date,
                  today: date) -> BranchTask:
    """Mark a follow-up task done on ``done_on`` (not after ``today``) with a note.

    Raises PermissionDenied; DomainError (already done, date in the future).
    """
    _require_edit(user, project)
    if task.done_on is not None:
        raise DomainError(_("该事项已办结。"))
    if done_on > today:
        raise DomainError(_("办结日期不能晚于今天。"))
    task.done_on, task.done_note = done_on, _clean(note)
    db.session.flush()
    audit.record(user, "task.done", task, before={"done_on": None},
                 after={"done_on": done_on.isoformat(), "overdue": done_on > task.deadline}, project_id=project.id)
    return task


def open_tasks(branch: PartyBranch) -> list[BranchTask]:
    """Tasks not yet done, earliest deadline first, with owner and meeting loaded."""
    return list(db.session.scalars(
        select(BranchTask).options(joinedload(BranchTask.owner), joinedload(BranchTask.meeting))
        .where(BranchTask.branch_id == branch.id, BranchTask.done_on.is_(None))
        .order_by(BranchTask.deadline, BranchTask.id)))


# --- members' activity log ---------------------------------------------------------------------------

_DWELLING = re.compile(r"^\s*(?P<b>\d+号楼)\s*(?P<e>\d+单元)\s*(?P<r>\w+?)(室)?\s*$")


def find_household(project: Project, label: str | None) -> Household | None:
    """The compound's household named like '3号楼2单元501' (None for a blank label).

    Raises FieldError (field 'household') when the label is not of that shape or names no dwelling of the
    compound.
    """
    if not label or not label.strip():
        return None
    m = _DWELLING.match(label)
    if not m:
        raise FieldError(_("房屋请写成“3号楼2单元501”的形式。"), "household")
    hh = db.session.scalar(
        select(Household).join(Building, Household.building_id == Building.id)
        .join(Entrance, Household.entrance_id == Entrance.id)
        .where(Household.compound_id == project.compound_id, Building.number == m["b"], Entrance.number == m["e"],
               Household.room == m["r"]))
    if hh is None:
        raise FieldError(_("本小区没有“%(label)s”这户。", label=label.strip()), "household")
    return hh


def log_activity(branch: PartyBranch, project: Project, user: User, *, member_id: int, kind: MemberActivityKind,
                 stage: Stage, happened_on: date, summary: str, household_label: str | None = None,
                 problem_id: int | None = None, tag_ids: list[int] | None = None,
                 today: date | None = None) -> MemberActivity:
    """Log a member's activity (visit, mediation, supervision, volunteer service) in a stage of the project,
    optionally about a household ('3号楼2单元501') or a problem report, with tags of the branch.

    Raises PermissionDenied; DomainError (member/tag not of the branch, household or problem not of the
    project, date after ``today``).
    """
    _require_edit(user, project)
    member = _member_of(branch, member_id, _("所选党员不是本支部成员。"))
    if member is None:
        raise FieldError(_("请选择党员。"), "member_id")
    if today is not None and happened_on > today:
        raise FieldError(_("活动日期不能晚于今天。"), "happened_on")
    household = find_household(project, household_label)
    if problem_id:
        from renovation.construction.models import ProblemReport

        problem = db.session.get(ProblemReport, problem_id)
        if problem is None or problem.project_id != project.id:
            raise FieldError(_("所选问题不属于本项目。"), "problem_id")
    tags = []
    if tag_ids:
        tags = list(db.session.scalars(select(BranchTag).where(BranchTag.id.in_(tag_ids),
                                                               BranchTag.branch_id == branch.id)))
        if len(tags) != len(set(tag_ids)):
            raise FieldError(_("所选标签不属于本支部。"), "tags")
    row = MemberActivity(branch_id=branch.id, project_id=project.id, member_id=member.id, kind=kind, stage=stage,
                         happened_on=happened_on, summary=summary.strip(),
                         household_id=household.id if household else None, problem_id=problem_id or None,
                         recorded_by_id=user.id, tags=tags)
    db.session.add(row)
    db.session.flush()
    audit.record(user, "party.activity", row, after={
        "member_id": member.id, "kind": kind.value, "stage": stage.value, "tags": [t.name for t in tags]},
        project_id=project.id)
    return row


def activity_log(project: Project, start: date | None = None, end: date | None = None,
                 limit: int = 200) -> list[MemberActivity]:
    """Members' activities of ``project`` between ``start`` and ``end`` (inclusive, None = open), newest
    first, with member, household, problem and tags loaded."""
    stmt = (select(MemberActivity).where(MemberActivity.project_id == project.id)
            .options(joinedload(MemberActivity.member), joinedload(MemberActivity.problem),
                     joinedload(MemberActivity.household).joinedload(Household.building),
                     joinedload(MemberActivity.household).joinedload(Household.entrance),
                     selectinload(MemberActivity.tags))
            .order_by(MemberActivity.happened_on.desc(), MemberActivity.id.desc()).limit(limit))
    if start is not None:
        stmt = stmt.where(MemberActivity.happened_on >= start)
    if end is not None:
        stmt = stmt.where(MemberActivity.happened_on <= end)
    return list(db.session.scalars(stmt).unique())


def activity_counts(project: Project, start: date | None, end: date | None) -> dict[str, dict[str, int]]:
    """Members' activities of ``project`` from ``start`` to ``end`` (dates, inclusive; None = open end)
    counted for the report: {"by_type": {"入户走访": n, "矛盾调解": n, "监督": n, "志愿服务": n, "其他": n},
    "by_tag": {tag name: n, ...}}; the types are named in the current language (Chinese under
    core.i18n.chinese(), as the PDF report builds them).

    Every type and every tag of the project's branch appears, 0 when unused, types in the order above and
    tags in the branch's order; an activity with two tags counts once under each (so by_tag need not sum
    to the total). Four queries, whatever the number of activities.
    """
    stmt = select(MemberActivity.id, MemberActivity.kind).where(MemberActivity.project_id == project.id)
    if start is not None:
        stmt = stmt.where(MemberActivity.happened_on >= start)
    if end is not None:
        stmt = stmt.where(MemberActivity.happened_on <= end)
    acts = db.session.execute(stmt).all()
    from renovation.party.models import member_activity_tag

    tag_rows = db.session.execute(
        select(member_activity_tag.c.activity_id, BranchTag.name)
        .join(BranchTag, BranchTag.id == member_activity_tag.c.tag_id)
        .where(member_activity_tag.c.activity_id.in_(stmt.with_only_columns(MemberActivity.id).scalar_subquery()))
    ).all()
    by_act: dict[int, list[str]] = {}
    for aid, name in tag_rows:
        by_act.setdefault(aid, []).append(name)
    branch = branch_of(project)
    tag_names = [t.name for t in tags_of(branch)] if branch else []
    labels = {kind: str(label) for kind, label in MEMBER_ACTIVITY_LABELS.items()}
    return rules.count_activities(
        [(labels[kind], by_act.get(aid, [])) for aid, kind in acts], labels.values(), tag_names)
