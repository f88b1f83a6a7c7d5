"""Problem pages of construction oversight: problem reports with the rectification loop (交办 > 整改 >
核验, or reopened) and the current user's notifications of its steps."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from renovation.construction import rules, services
from renovation.construction.blueprint import bp
from renovation.construction.forms import AssignForm, ProblemForm, ReopenForm, StepForm
from renovation.construction.models import PROBLEM_STATUS_LABELS, ProblemReport, ProblemStatus, Rectification
from renovation.core.errors import DomainError
from renovation.core.forms import ZhForm, is_upload_error, refuse_on_form, uploaded_file
from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.org.models import Building, Entrance
from renovation.planning.models import CONTRACTOR_KIND_LABELS, Contractor
from renovation.projects.access import can_edit_project, can_report_problem
from renovation.projects.models import ProjectItem, ProjectItemStatus
from renovation.projects.rules import Stage
from renovation.projects.views import load_project

# --- problem reports ------------------------------------------------------------------------------

@bp.route("/projects/<int:project_id>/problems")
@login_required
def problems(project_id: int):
    """Problems of the project, newest first, with a status filter (?status=reported|assigned|...)."""
    project = load_project(project_id)
    try:
        status = ProblemStatus(request.args.get("status", ""))
    except ValueError:
        status = None
    rows = list(db.session.scalars(services.problems_query(project, status)).unique())
    today = local_today()
    return render_template(
        "construction/problems.html", project=project, problems=rows, status=status,
        overdue={p.id for p in rows if rules.is_overdue(p.status, p.deadline, today)},
        PROBLEM_STATUS_LABELS=PROBLEM_STATUS_LABELS,
        can_report=can_report_problem(current_user, project) and project.stage is Stage.CONSTRUCTION,
    )


def _problem_form(project) -> ProblemForm:
    form = ProblemForm()
    buildings = db.session.scalars(
        select(Building).where(Building.compound_id == project.compound_id).order_by(Building.sort_order))
    entrances = db.session.execute(
        select(Entrance.id, Building.number, Entrance.number).join(Building, Entrance.building_id == Building.id)
        .where(Building.compound_id == project.compound_id).order_by(Building.sort_order, Entrance.sort_order))
    items = db.session.scalars(select(ProjectItem).where(
        ProjectItem.project_id == project.id, ProjectItem.status == ProjectItemStatus.ADOPTED)
        .order_by(ProjectItem.sort_order))
    form.building_id.choices = [(0, _("（不指定）"))] + [(b.id, b.number) for b in buildings]
    form.entrance_id.choices = [(0, _("（不指定）"))] + [(eid, f"{bn}{en}") for eid, bn, en in entrances]
    form.project_item_id.choices = [(0, _("（不指定）"))] + [(i.id, i.name) for i in items]
    return form


@bp.route("/projects/<int:project_id>/problems/new", methods=["GET", "POST"])
@login_required
def report_problem(project_id: int):
    """File a problem report (residents and supervisors of the compound, the project's squad)."""
    project = load_project(project_id)
    if not can_report_problem(current_user, project):
        abort(403)
    form = _problem_form(project)
    status = 200
    if form.validate_on_submit():
        try:
            problem = services.report_problem(
                project, current_user, form.title.data, form.description.data,
                building_id=form.building_id.data or None, entrance_id=form.entrance_id.data or None,
                project_item_id=form.project_item_id.data or None, photo=uploaded_file(form.photo))
        except DomainError as err:
            refuse_on_form(err, form, form.photo if is_upload_error(err) else None)
            status = 400
        else:
            db.session.commit()
            flash(_("问题已提交，专班会尽快处理。"), "success")
            return redirect(url_for("construction.problem", problem_id=problem.id))
    elif form.is_submitted():
        status = 400
    return render_template("construction/report_problem.html", project=project, form=form), status


def _load_problem(problem_id: int) -> ProblemReport:
    problem = db.session.get(ProblemReport, problem_id)
    if problem is None:
        abort(404)
    load_project(problem.project_id)  # 403 for users who may not see the compound
    return problem


def _problem_page(problem: ProblemReport, status: int = 200, **forms):
    project = problem.project
    messages = []  # errors of the submitted form shown at the top: its section may no longer be offered
    for form in forms.values():
        messages += form.form_errors
        if form.csrf_token.errors:
            messages.append(_("页面已过期，请刷新后重新提交。"))
    steps = list(db.session.scalars(
        select(Rectification).where(Rectification.problem_id == problem.id)
        .options(joinedload(Rectification.user), joinedload(Rectification.photo)).order_by(Rectification.id)))
    can_edit = can_edit_project(current_user, project)
    contractors = db.session.scalars(select(Contractor).where(Contractor.project_id == project.id)
                                     .order_by(Contractor.id))
    assign_form = forms.pop("assign_form", None) or AssignForm(formdata=None)
    assign_form.contractor_id.choices = [(c.id, _("%(name)s（%(kind)s）", name=c.name, kind=CONTRACTOR_KIND_LABELS[c.kind]))
                                         for c in contractors]
    return render_template(
        "construction/problem.html", project=project, problem=problem, steps=steps, can_edit=can_edit,
        messages=messages,
        can_verify=services.can_verify(current_user, problem),
        overdue=rules.is_overdue(problem.status, problem.deadline, local_today()),
        allowed=rules.PROBLEM_TRANSITIONS[problem.status], ProblemStatus=ProblemStatus,
        PROBLEM_STATUS_LABELS=PROBLEM_STATUS_LABELS, assign_form=assign_form,
        rectify_form=forms.pop("rectify_form", None) or StepForm(formdata=None, prefix="rectify"),
        verify_form=forms.pop("verify_form", None) or StepForm(formdata=None, prefix="verify"),
        reopen_form=forms.pop("reopen_form", None) or ReopenForm(formdata=None),
    ), status


@bp.route("/problems/<int:problem_id>")
@login_required
def problem(problem_id: int):
    """A problem with its history (each step of the rectification loop) and the next actions."""
    return _problem_page(_load_problem(problem_id))


def _after_step(problem: ProblemReport, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("construction.problem", problem_id=problem.id))


@bp.route("/problems/<int:problem_id>/assign", methods=["POST"])
@login_required
def assign(problem_id: int):
    """The squad assigns the problem to a firm with a deadline."""
    problem = _load_problem(problem_id)
    if not can_edit_project(current_user, problem.project):
        abort(403)
    form = AssignForm()
    form.contractor_id.choices = [(c.id, c.name) for c in db.session.scalars(
        select(Contractor).where(Contractor.project_id == problem.project_id))]
    if form.validate_on_submit():
        try:
            services.assign_problem(problem, current_user, form.contractor_id.data, form.deadline.data,
                                    form.note.data)
        except DomainError as err:
            refuse_on_form(err, form)
        else:
            return _after_step(problem, _("问题已交办。"))
    return _problem_page(problem, 400, assign_form=form)


@bp.route("/problems/<int:problem_id>/rectify", methods=["POST"])
@login_required
def rectify(problem_id: int):
    """The squad records the fix with a note and optional photo."""
    problem = _load_problem(problem_id)
    if not can_edit_project(current_user, problem.project):
        abort(403)
    form = StepForm(prefix="rectify")
    if form.validate_on_submit():
        try:
            services.rectify_problem(problem, current_user, form.note.data, uploaded_file(form.photo))
        except DomainError as err:
            refuse_on_form(err, form, form.photo if is_upload_error(err) else None)
        else:
            return _after_step(problem, _("整改情况已登记，等待核验。"))
    return _problem_page(problem, 400, rectify_form=form)


@bp.route("/problems/<int:problem_id>/verify", methods=["POST"])
@login_required
def verify(problem_id: int):
    """The reporter, a supervisor or the squad confirms the fix (closes the problem)."""
    problem = _load_problem(problem_id)
    if not services.can_verify(current_user, problem):
        abort(403)
    form = StepForm(prefix="verify")
    if form.validate_on_submit():
        try:
            services.verify_problem(problem, current_user, form.note.data, uploaded_file(form.photo))
        except DomainError as err:
            refuse_on_form(err, form, form.photo if is_upload_error(err) else None)
        else:
            return _after_step(problem, _("整改已核验，问题关闭。"))
    return _problem_page(problem, 400, verify_form=form)


@bp.route("/problems/<int:problem_id>/reopen", methods=["POST"])
@login_required
def reopen(problem_id: int):
    """The reporter, a supervisor or the squad reopens a fix that did not hold."""
    problem = _load_problem(problem_id)
    if not services.can_verify(current_user, problem):
        abort(403)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            services.reopen_problem(problem, current_user, form.note.data)
        except DomainError as err:
            refuse_on_form(err, form)
        else:
            return _after_step(problem, _("问题已重新打开，等待重新交办。"))
    return _problem_page(problem, 400, reopen_form=form)


# --- notifications --------------------------------------------------------------------------------

@bp.route("/notifications")
@login_required
def notifications():
    """The current user's notifications (problem steps), newest first; unread ones marked."""
    rows = services.notifications_for(current_user)
    return render_template("construction/notifications.html", notifications=rows,
                           unread=sum(1 for n in rows if n.read_at is None), form=ZhForm(formdata=None))


@bp.route("/notifications/read", methods=["POST"])
@login_required
def read_notifications():
    """Mark all the current user's notifications read."""
    form = ZhForm()  # an empty form: only its CSRF token is checked
    if not form.validate_on_submit():
        abort(400)
    count = services.mark_notifications_read(current_user)
    db.session.commit()
    flash(_("已将 %(n)d 条通知标为已读。", n=count) if count else _("没有未读通知。"), "success")
    return redirect(url_for("construction.notifications"))
