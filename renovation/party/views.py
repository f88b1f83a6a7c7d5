"""The temporary Party branch's pages (staff and leaders only, never residents): members and posts,
weekly meetings with attendance and decisions, follow-up tasks, members' activity log with tags."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.forms import refuse_on_form
from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.party import rules, services
from renovation.party.forms import (
    BranchForm,
    CountsFilterForm,
    DecisionForm,
    MeetingForm,
    MemberActivityForm,
    MemberForm,
    PostForm,
    TagForm,
    TaskDoneForm,
)
from renovation.party.models import BranchTask, Meeting, MemberActivityKind, PartyBranch
from renovation.projects.access import can_edit_project
from renovation.projects.rules import Stage
from renovation.projects.views import load_project

bp = Blueprint("party", __name__, url_prefix="/party")


def _load(project_id: int):
    """The project (404/403 as load_project) and its branch, for users who may see branch records."""
    project = load_project(project_id)
    if not services.can_view_party(current_user, project):
        abort(403)
    return project, services.branch_of(project)




def _member_name(member) -> str:
    """'王书记（书记）': the member's name and post, in the reader's language."""
    return _("%(name)s（%(post)s）", name=member.name, post=member.post_label)


def _member_choices(branch, blank: str | None = None) -> list:
    choices = [(m.id, _member_name(m)) for m in services.members_of(branch)]
    return ([(0, blank)] if blank else []) + choices


def _field_of(err, form, default=None):
    """The field of ``form`` a refusal is about (services.FieldError names it), else ``default``."""
    name = getattr(err, "field", None)
    return getattr(form, name, default) if name else default


def _meeting_form(branch, formdata=True) -> MeetingForm:
    members = services.members_of(branch)
    kw = {} if formdata else {"formdata": None}
    form = MeetingForm(**kw, expected=sum(1 for m in members if not m.is_resident) or None)
    form.present.choices = [(m.id, _member_name(m)) for m in members]
    return form


def _branch_page(project, branch, status=200, messages=(), **forms):
    can_edit = can_edit_project(current_user, project)
    if branch is None:
        return render_template("party/branch.html", project=project, branch=None, can_edit=can_edit,
                               branch_form=forms.get("branch_form") or BranchForm(
                                   formdata=None, name=f"{project.compound.name}改造项目临时党支部",
                                   founded_on=local_today())), status
    branch = db.session.scalar(select(PartyBranch).options(selectinload(PartyBranch.members),
                                                           selectinload(PartyBranch.meetings))
                               .where(PartyBranch.id == branch.id))
    today = local_today()
    tasks = services.open_tasks(branch)
    meetings = branch.meetings
    return render_template(
        "party/branch.html", project=project, branch=branch, can_edit=can_edit, today=today,
        form=forms.get("form") or _meeting_form(branch, formdata=False), posts=services.posts_of(branch),
        tasks=tasks, overdue={t.id for t in tasks if rules.is_task_overdue(t.deadline, t.done_on, today)},
        rules=rules, counts=services.activity_counts(project, None, None), messages=messages,
        attended=sum(m.attendees for m in meetings), expected=sum(m.expected for m in meetings),
    ), status


@bp.route("/projects/<int:project_id>", methods=["GET", "POST"])
@login_required
def branch(project_id: int):
    """The branch of a project: members, posts, open follow-up tasks, meetings; the squad records meetings."""
    project, branch = _load(project_id)
    if request.method == "POST":
        if not can_edit_project(current_user, project):
            abort(403)
        if branch is None:
            abort(404)
        form = _meeting_form(branch)
        if form.validate_on_submit():
            try:
                meeting = services.record_meeting(
                    branch, project, current_user, held_on=form.held_on.data, title=form.title.data,
                    attendees=form.attendees.data, expected=form.expected.data, minutes=form.minutes.data,
                    agenda=form.agenda.data, present_ids=form.present.data, today=local_today())
            except DomainError as err:
                refuse_on_form(err, form, _field_of(err, form, form.attendees))
            else:
                db.session.commit()
                flash(_("会议已记录，可以继续登记会议决定事项。"), "success")
                return redirect(url_for("party.meeting", meeting_id=meeting.id))
        return _branch_page(project, branch, 400, form=form)
    return _branch_page(project, branch)


@bp.route("/projects/<int:project_id>/create", methods=["POST"])
@login_required
def create_branch(project_id: int):
    """Set up the project's temporary Party branch (the squad)."""
    project, branch = _load(project_id)
    if not can_edit_project(current_user, project):
        abort(403)
    form = BranchForm()
    if branch is not None:
        return _branch_page(project, branch, 400, messages=[_("本项目已成立临时党支部。")])
    if form.validate_on_submit():
        try:
            services.create_branch(project, current_user, name=form.name.data, founded_on=form.founded_on.data,
                                   with_five_threads=form.five_threads.data)
        except DomainError as err:
            refuse_on_form(err, form)
        else:
            db.session.commit()
            flash(_("临时党支部已成立。"), "success")
            return redirect(url_for("party.branch", project_id=project.id))
    return _branch_page(project, services.branch_of(project), 400, branch_form=form)


# --- members, posts, tags ------------------------------------------------------------------------------------

def _manage_page(project, branch, status=200, **forms):
    post_form = forms.get("post_form") or PostForm(formdata=None)
    post_form.holder_id.choices = _member_choices(branch, _("（暂不指定）"))
    return render_template(
        "party/manage.html", project=project, branch=branch, members=services.members_of(branch),
        posts=services.posts_of(branch), tags=services.tags_of(branch),
        can_edit=can_edit_project(current_user, project),
        member_form=forms.get("member_form") or MemberForm(formdata=None), post_form=post_form,
        tag_form=forms.get("tag_form") or TagForm(formdata=None)), status


def _load_editable(project_id: int):
    project, branch = _load(project_id)
    if not can_edit_project(current_user, project):
        abort(403)
    if branch is None:
        abort(404)
    return project, branch


@bp.route("/projects/<int:project_id>/manage")
@login_required
def manage(project_id: int):
    """Members (with home unit, resident or not), vanguard posts and the branch's tags."""
    project, branch = _load(project_id)
    if branch is None:
        return redirect(url_for("party.branch", project_id=project.id))
    return _manage_page(project, branch)


@bp.route("/projects/<int:project_id>/members", methods=["POST"])
@login_required
def add_member(project_id: int):
    """Add a member to the branch (the squad)."""
    project, branch = _load_editable(project_id)
    form = MemberForm()
    if form.validate_on_submit():
        services.add_member(branch, project, current_user, name=form.name.data, post=form.post.data,
                            home_unit=form.home_unit.data, is_resident=form.is_resident.data)
        db.session.commit()
        flash(_("成员已添加。"), "success")
        return redirect(url_for("party.manage", project_id=project.id))
    return _manage_page(project, branch, 400, member_form=form)


@bp.route("/projects/<int:project_id>/posts", methods=["POST"])
@login_required
def add_post(project_id: int):
    """Set up a vanguard post (党员先锋岗) with holder and duty (the squad)."""
    project, branch = _load_editable(project_id)
    form = PostForm()
    form.holder_id.choices = _member_choices(branch, _("（暂不指定）"))
    if form.validate_on_submit():
        try:
            services.add_post(branch, project, current_user, name=form.name.data, holder_id=form.holder_id.data,
                              duty=form.duty.data)
        except DomainError as err:
            refuse_on_form(err, form, form.holder_id)
        else:
            db.session.commit()
            flash(_("党员先锋岗已设立。"), "success")
            return redirect(url_for("party.manage", project_id=project.id))
    return _manage_page(project, branch, 400, post_form=form)


@bp.route("/projects/<int:project_id>/tags", methods=["POST"])
@login_required
def add_tag(project_id: int):
    """Define a tag of the branch's method (the squad)."""
    project, branch = _load_editable(project_id)
    form = TagForm()
    if form.validate_on_submit():
        try:
            services.add_tag(branch, project, current_user, name=form.name.data, description=form.description.data)
        except DomainError as err:
            refuse_on_form(err, form, form.name)
        else:
            db.session.commit()
            flash(_("标签已添加。"), "success")
            return redirect(url_for("party.manage", project_id=project.id))
    return _manage_page(project, branch, 400, tag_form=form)


# --- meetings and follow-up tasks ------------------------------------------------------------------------------

def _load_meeting(meeting_id: int):
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        abort(404)
    branch = db.session.get(PartyBranch, meeting.branch_id)
    project, _ = _load(branch.project_id)
    return meeting, branch, project


def _meeting_page(meeting, branch, project, status=200, decision_form=None, done_form=None, done_task_id=None):
    """The meeting page; ``done_form`` (with its errors) is the completion form of task ``done_task_id``
    as posted, the other tasks' forms are blank."""
    form = decision_form or DecisionForm(formdata=None)
    form.owner_id.choices = _member_choices(branch)
    today = local_today()
    tasks = list(db.session.scalars(select(BranchTask).where(BranchTask.meeting_id == meeting.id)
                                    .options(selectinload(BranchTask.owner)).order_by(BranchTask.id)))
    return render_template(
        "party/meeting.html", project=project, branch=branch, meeting=meeting, tasks=tasks, form=form,
        done_form=done_form or TaskDoneForm(formdata=None, done_on=today), done_task_id=done_task_id,
        today=today, rules=rules,
        rate=rules.attendance_rate(meeting.attendees, meeting.expected),
        can_edit=can_edit_project(current_user, project)), status


@bp.route("/meetings/<int:meeting_id>")
@login_required
def meeting(meeting_id: int):
    """One meeting: attendees (and rate), agenda, minutes, decisions with their follow-up tasks."""
    return _meeting_page(*_load_meeting(meeting_id))


@bp.route("/meetings/<int:meeting_id>/decisions", methods=["POST"])
@login_required
def add_decision(meeting_id: int):
    """A decision of the meeting becomes a follow-up task with owner and deadline (the squad)."""
    meeting, branch, project = _load_meeting(meeting_id)
    if not can_edit_project(current_user, project):
        abort(403)
    form = DecisionForm()
    form.owner_id.choices = _member_choices(branch)
    if form.validate_on_submit():
        try:
            services.add_decision(meeting, project, current_user, decision=form.decision.data,
                                  owner_id=form.owner_id.data, deadline=form.deadline.data)
        except DomainError as err:
            refuse_on_form(err, form, _field_of(err, form, form.deadline))
        else:
            db.session.commit()
            flash(_("决定事项已登记为督办任务。"), "success")
            return redirect(url_for("party.meeting", meeting_id=meeting.id))
    return _meeting_page(meeting, branch, project, 400, decision_form=form)


@bp.route("/tasks/<int:task_id>/done", methods=["POST"])
@login_required
def complete_task(task_id: int):
    """Mark a follow-up task done (the squad); back to the page it was done from."""
    task = db.session.get(BranchTask, task_id)
    if task is None:
        abort(404)
    branch = db.session.get(PartyBranch, task.branch_id)
    project, _ = _load(branch.project_id)
    if not can_edit_project(current_user, project):
        abort(403)
    form = TaskDoneForm()
    back = (url_for("party.meeting", meeting_id=task.meeting_id)
            if task.meeting_id and request.form.get("back") == "meeting" else url_for("party.branch", project_id=project.id))
    if form.validate_on_submit():
        try:
            services.complete_task(task, project, current_user, note=form.note.data, done_on=form.done_on.data,
                                   today=local_today())
        except DomainError as err:
            if task.done_on is not None and not isinstance(err, PermissionDenied):  # done meanwhile
                db.session.rollback()
                flash(err.message, "danger")
                return redirect(back)
            # otherwise the refusal is about the date (later than today): next to the date field
            refuse_on_form(err, form, _field_of(err, form, form.done_on))
        else:
            db.session.commit()
            flash(_("督办事项已办结。"), "success")
            return redirect(back)
    if task.meeting_id:  # the meeting page again, as typed, each error next to its field
        meeting, branch, project = _load_meeting(task.meeting_id)
        return _meeting_page(meeting, branch, project, 400, done_form=form, done_task_id=task.id)
    for message in [*form.form_errors, *(e for errs in form.errors.values() for e in errs)]:
        flash(message, "danger")
    return redirect(back)


# --- members' activity log -----------------------------------------------------------------------------------

def _activity_form(project, branch, formdata=True) -> MemberActivityForm:
    from renovation.construction.models import ProblemReport

    kw = {} if formdata else {"formdata": None, "stage": project.stage.value, "happened_on": local_today()}
    form = MemberActivityForm(**kw)
    form.member_id.choices = _member_choices(branch)
    problems = db.session.execute(select(ProblemReport.id, ProblemReport.title)
                                  .where(ProblemReport.project_id == project.id).order_by(ProblemReport.id.desc()))
    form.problem_id.choices = [(0, _("（不涉及）"))] + [(pid, f"#{pid} {title}") for pid, title in problems]
    form.tags.choices = [(t.id, t.name) for t in services.tags_of(branch)]
    return form


@bp.route("/projects/<int:project_id>/activities", methods=["GET", "POST"])
@login_required
def activities(project_id: int):
    """Members' activity log (visits, mediation, supervision, volunteer service) with counts by type and
    by tag for a period (?start=YYYY-MM-DD&end=YYYY-MM-DD); the squad logs activities."""
    project, branch = _load(project_id)
    if branch is None:
        return redirect(url_for("party.branch", project_id=project.id))
    can_edit = can_edit_project(current_user, project)
    status = 200
    if request.method == "POST":
        if not can_edit:
            abort(403)
        form = _activity_form(project, branch)
        if form.validate_on_submit():
            try:
                services.log_activity(
                    branch, project, current_user, member_id=form.member_id.data,
                    kind=MemberActivityKind(form.kind.data), stage=Stage(form.stage.data),
                    happened_on=form.happened_on.data, summary=form.summary.data,
                    household_label=form.household.data, problem_id=form.problem_id.data or None,
                    tag_ids=form.tags.data, today=local_today())
            except DomainError as err:
                refuse_on_form(err, form, _field_of(err, form))
            else:
                db.session.commit()
                flash(_("活动已记录。"), "success")
                return redirect(url_for("party.activities", project_id=project.id))
        status = 400
    else:
        form = _activity_form(project, branch, formdata=False)
    period = CountsFilterForm(request.args)
    start = end = None
    if request.args and period.validate():
        start, end = period.start.data, period.end.data
    return render_template(
        "party/activities.html", project=project, branch=branch, form=form, can_edit=can_edit, period=period,
        rows=services.activity_log(project, start, end), counts=services.activity_counts(project, start, end),
        start=start, end=end, stages={s.value: s.label for s in Stage}), status
