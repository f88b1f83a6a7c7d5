"""Site pages of construction oversight: the daily site logs (施工日志) and inspections from checklists,
whose failed lines open problem reports."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from renovation.construction import services
from renovation.construction.blueprint import bp
from renovation.construction.forms import SiteLogForm, inspection_form_for
from renovation.construction.models import (
    PROBLEM_STATUS_LABELS,
    ChecklistTemplate,
    Inspection,
    InspectionResult,
)
from renovation.core.errors import DomainError
from renovation.core.forms import is_upload_error, refuse_on_form, uploaded_files
from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.projects.access import can_edit_project
from renovation.projects.models import ProjectItem, ProjectItemStatus
from renovation.projects.rules import Stage
from renovation.projects.views import load_project

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
