"""Construction oversight pages (过程监督): item progress with photos and RAG (one by one or from a
spreadsheet), daily site logs, inspections from checklists, problem reports with the rectification loop
and notifications, completion acceptance."""

import json

import click
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from renovation.construction import rules, services
from renovation.construction.forms import (
    ApplyImportForm,
    AssignForm,
    ImportForm,
    ProblemForm,
    ProgressForm,
    ReopenForm,
    SiteLogForm,
    StepForm,
    acceptance_form_for,
    inspection_form_for,
)
from renovation.construction.models import (
    PROBLEM_STATUS_LABELS,
    AcceptanceRole,
    ChecklistTemplate,
    Inspection,
    InspectionResult,
    ProblemReport,
    ProblemStatus,
    Rectification,
)
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.forms import ZhForm, is_upload_error, refuse_on_form, uploaded_file, uploaded_files
from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.org.models import Building, Entrance
from renovation.planning.models import CONTRACTOR_KIND_LABELS, Contractor
from renovation.projects.access import can_edit_project, can_report_problem
from renovation.projects.models import PROGRESS_STATUS_LABELS, ProgressStatus, ProjectItem, ProjectItemStatus
from renovation.projects.rules import Stage
from renovation.projects.views import load_project

bp = Blueprint("construction", __name__, url_prefix="/construction")


@bp.app_template_global("construction_panel")
def construction_panel(project) -> dict:
    """For the project page: problem counts (total, open, overdue), whether acceptance passed and the
    current user's unread notifications of this project."""
    counts = services.problem_counts(project)
    unread = services.unread_count(current_user, project) if current_user.is_authenticated else 0
    return {**counts, "accepted": services.has_passed_acceptance(project), "unread": unread}


@bp.cli.command("seed-checklists")
def seed_checklists_command():
    """Add the inspection checklists that are missing (隐蔽工程验收, 燃气管道, 外墙保温); idempotent."""
    from renovation.construction.checklists import seed_checklists

    added = seed_checklists()
    db.session.commit()
    click.echo(f"已添加 {added} 张检查表。")










# --- overview and progress ------------------------------------------------------------------------

@bp.route("/projects/<int:project_id>")
@login_required
def show(project_id: int):
    """Construction overview: each adopted item's progress against plan (RAG), problems, acceptance."""
    return _show(load_project(project_id))


def _show(project, acceptance_form=None, status: int = 200):
    can_edit = can_edit_project(current_user, project)
    rows = services.item_rows(project)
    if acceptance_form is None:
        acceptance_form = acceptance_form_for([r.item for r in rows])(formdata=None, accepted_on=local_today())
    return render_template(
        "construction/show.html", project=project, rows=rows, progress=services.project_progress(rows),
        counts=services.problem_counts(project), acceptances=services.acceptances(project), can_edit=can_edit,
        can_report=can_report_problem(current_user, project) and project.stage is Stage.CONSTRUCTION,
        can_inspect=services.can_inspect(current_user, project) and project.stage is Stage.CONSTRUCTION,
        acceptance_form=acceptance_form, Stage=Stage, rules=rules,
    ), status


@bp.route("/items/<int:item_id>/progress", methods=["GET", "POST"])
@login_required
def progress(item_id: int):
    """An item's progress history with photos; squad/admin post a new update here."""
    item = db.session.get(ProjectItem, item_id)
    if item is None or item.status is not ProjectItemStatus.ADOPTED:
        abort(404)
    project = load_project(item.project_id)
    can_edit = can_edit_project(current_user, project)
    form = ProgressForm(status=item.progress_status.value, percent=item.progress_percent)
    status = 200
    if request.method == "POST":
        if not can_edit:
            abort(403)
        if form.validate_on_submit():
            try:
                services.post_progress(item, current_user, form.percent.data, ProgressStatus(form.status.data),
                                       form.note.data, uploaded_file(form.photo))
            except DomainError as err:
                refuse_on_form(err, form, form.photo if is_upload_error(err) else form.percent)
                status = 400
            else:
                db.session.commit()
                flash(_("“%(name)s”进度已更新为 %(percent)d%%。", name=item.name, percent=item.progress_percent), "success")
                return redirect(url_for("construction.progress", item_id=item.id))
        else:
            status = 400
    planned = rules.planned_percent(item.planned_start, item.planned_end, local_today())
    return render_template(
        "construction/progress.html", project=project, item=item, history=services.progress_history(item),
        form=form, can_edit=can_edit and project.stage is Stage.CONSTRUCTION, planned=planned,
        rag=rules.rag_status(item.progress_percent, planned), PROGRESS_STATUS_LABELS=PROGRESS_STATUS_LABELS,
    ), status


@bp.route("/projects/<int:project_id>/acceptance", methods=["POST"])
@login_required
def record_acceptance(project_id: int):
    """Record a completion acceptance (竣工验收): date, passed, participants, note."""
    project = load_project(project_id, edit=True)
    items = [r.item for r in services.item_rows(project)]
    form = acceptance_form_for(items)()
    if form.validate_on_submit():
        participants = [(role, form[f"org_{role.value}"].data, form[f"person_{role.value}"].data)
                        for role in AcceptanceRole]
        results = {i.id: (form[f"item_{i.id}"].data == "pass", form[f"item_note_{i.id}"].data) for i in items}
        try:
            services.record_acceptance(project, current_user, form.accepted_on.data, form.passed.data == "yes",
                                       participants, results, form.note.data, uploaded_files(form.documents))
        except DomainError as err:
            refuse_on_form(err, form)
        else:
            db.session.commit()
            flash(_("竣工验收已登记。"), "success")
            return redirect(url_for("construction.show", project_id=project.id))
    return _show(project, acceptance_form=form, status=400)


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


# --- daily site log -------------------------------------------------------------------------------

@bp.route("/projects/<int:project_id>/logs")
@login_required
def logs(project_id: int):
    """The daily site logs (施工日志) of the project, newest first, with photos."""
    project = load_project(project_id)
    rows = list(db.session.scalars(services.site_logs_query(project)).unique())
    return render_template("construction/logs.html", project=project, logs=rows,
                           can_edit=can_edit_project(current_user, project) and project.stage is Stage.CONSTRUCTION)


@bp.route("/projects/<int:project_id>/logs/new", methods=["GET", "POST"])
@login_required
def new_log(project_id: int):
    """Write today's (or a past day's) site log: the project's squad and administrators."""
    project = load_project(project_id, edit=True)
    form = SiteLogForm(log_date=local_today())
    status = 200
    if form.validate_on_submit():
        try:
            services.add_site_log(project, current_user, form.log_date.data, form.weather.data, form.workforce.data,
                                  form.work_done.data, form.materials.data, form.safety_notes.data,
                                  uploaded_files(form.photos))
        except DomainError as err:
            refuse_on_form(err, form, form.photos if is_upload_error(err) else (
                form.log_date if isinstance(err, services.LogDateError) else None))
            status = 400
        else:
            db.session.commit()
            flash(_("%(date)s施工日志已保存。", date=services.day_text(form.log_date.data)), "success")
            return redirect(url_for("construction.logs", project_id=project.id))
    elif form.is_submitted():
        status = 400
    return render_template("construction/new_log.html", project=project, form=form), status


# --- inspections ----------------------------------------------------------------------------------

@bp.route("/projects/<int:project_id>/inspections")
@login_required
def inspections(project_id: int):
    """Inspections of the project with their failed lines; the checklists to start a new one."""
    project = load_project(project_id)
    rows = list(db.session.scalars(services.inspections_query(project)).unique())
    can_inspect = services.can_inspect(current_user, project) and project.stage is Stage.CONSTRUCTION
    return render_template("construction/inspections.html", project=project, inspections=rows,
                           checklists=services.active_checklists() if can_inspect else [], can_inspect=can_inspect)


def _inspection_form(project, template):
    form = inspection_form_for(template.lines)(inspected_on=local_today())
    items = db.session.scalars(select(ProjectItem).where(
        ProjectItem.project_id == project.id, ProjectItem.status == ProjectItemStatus.ADOPTED)
        .order_by(ProjectItem.sort_order))
    form.project_item_id.choices = [(0, _("（不指定）"))] + [(i.id, i.name) for i in items]
    return form


@bp.route("/projects/<int:project_id>/inspections/new/<int:template_id>", methods=["GET", "POST"])
@login_required
def new_inspection(project_id: int, template_id: int):
    """Fill in a checklist: pass/fail per line with a note; failed lines open problem reports."""
    project = load_project(project_id)
    if not services.can_inspect(current_user, project):
        abort(403)
    template = db.session.get(ChecklistTemplate, template_id)
    if template is None or not template.active:
        abort(404)
    form = _inspection_form(project, template)
    status = 200
    if form.validate_on_submit():
        results = [(line.id, form[f"line_{line.id}"].data == "pass", form[f"note_{line.id}"].data)
                   for line in template.lines]
        try:
            inspection = services.record_inspection(
                project, current_user, template, form.inspected_on.data, results,
                project_item_id=form.project_item_id.data or None, location=form.location.data, note=form.note.data)
        except DomainError as err:
            refuse_on_form(err, form)
            status = 400
        else:
            db.session.commit()
            failed = inspection.failed_count
            flash(_("检查已登记，%(n)d 条不合格，已自动生成问题单。", n=failed) if failed else _("检查已登记，全部合格。"),
                  "warning" if failed else "success")
            return redirect(url_for("construction.inspection", inspection_id=inspection.id))
    elif form.is_submitted():
        status = 400
    lines = [(line, form[f"line_{line.id}"], form[f"note_{line.id}"]) for line in template.lines]
    return render_template("construction/new_inspection.html", project=project, template=template, form=form,
                           lines=lines), status


@bp.route("/inspections/<int:inspection_id>")
@login_required
def inspection(inspection_id: int):
    """One inspection: each line's result and note, with links to the problems failed lines opened."""
    row = db.session.get(Inspection, inspection_id)
    if row is None:
        abort(404)
    project = load_project(row.project_id)
    results = list(db.session.scalars(select(InspectionResult).where(InspectionResult.inspection_id == row.id)
                                      .options(joinedload(InspectionResult.problem)).order_by(InspectionResult.id)))
    return render_template("construction/inspection.html", project=project, inspection=row, results=results,
                           PROBLEM_STATUS_LABELS=PROBLEM_STATUS_LABELS)


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


# --- bulk progress from a spreadsheet -------------------------------------------------------------

@bp.route("/projects/<int:project_id>/progress.xlsx")
@login_required
def export_progress(project_id: int):
    """The progress sheet (.xlsx) of the adopted items: 编号, 改造项目, 状态, 完成进度（%）, 说明."""
    from urllib.parse import quote

    project = load_project(project_id)
    data = services.export_progress_xlsx(project)
    name = f"{project.compound.name}施工进度{local_today():%Y%m%d}.xlsx"  # a document: its name stays Chinese
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", headers={
        "Content-Disposition": f"attachment; filename=\"progress.xlsx\"; filename*=UTF-8''{quote(name)}"})


@bp.route("/projects/<int:project_id>/progress/import", methods=["GET", "POST"])
@login_required
def import_progress(project_id: int):
    """Upload a filled-in progress sheet and see, row by row, what would change and what is wrong."""
    project = load_project(project_id, edit=True)
    form = ImportForm()
    rows = None
    apply_form = None
    status = 200
    if form.validate_on_submit():
        upload = uploaded_file(form.sheet)
        if upload is None:
            form.sheet.errors.append(_("请选择要导入的进度表。"))
            status = 400
        else:
            try:
                rows = services.preview_progress_import(project, current_user, upload[0])
            except DomainError as err:
                refuse_on_form(err, form, form.sheet)
                status = 400
            else:
                if not any(r.errors for r in rows) and any(r.changed for r in rows):
                    payload = [[r.item_id, r.status.value, r.percent, r.note] for r in rows if r.changed]
                    apply_form = ApplyImportForm(formdata=None, rows=json.dumps(payload, ensure_ascii=False))
    elif form.is_submitted():
        status = 400
    return render_template("construction/import_progress.html", project=project, form=form, rows=rows,
                           apply_form=apply_form, PROGRESS_STATUS_LABELS=PROGRESS_STATUS_LABELS), status


def _parse_changes(raw: str) -> list[tuple[int, str, int, str | None]]:
    """The rows of the confirmation form: a JSON list of [id, status, percent, note]; DomainError if not."""
    try:
        data = json.loads(raw)
        return [(int(i), str(s), int(p), None if n is None else str(n)) for i, s, p, n in data]
    except (ValueError, TypeError):
        raise DomainError(_("导入数据已损坏，请重新上传表格。")) from None


@bp.route("/projects/<int:project_id>/progress/import/apply", methods=["POST"])
@login_required
def apply_import(project_id: int):
    """Apply a previewed sheet, all rows or none."""
    project = load_project(project_id, edit=True)
    form = ApplyImportForm()
    if not form.validate_on_submit():
        flash(_("提交的内容有误，请重新上传表格。"), "danger")
        return redirect(url_for("construction.import_progress", project_id=project.id))
    try:
        count = services.apply_progress_import(project, current_user, _parse_changes(form.rows.data))
    except DomainError as err:
        db.session.rollback()
        if isinstance(err, PermissionDenied):
            raise
        flash(err.message, "danger")
        return redirect(url_for("construction.import_progress", project_id=project.id))
    db.session.commit()
    flash(ngettext("已导入 %(num)d 个改造项目的进度。", "已导入 %(num)d 个改造项目的进度。", count), "success")
    return redirect(url_for("construction.show", project_id=project.id))
