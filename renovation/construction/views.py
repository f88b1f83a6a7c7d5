"""Construction oversight pages (过程监督): the overview of item progress against plan (RAG), an item's
progress with photos (one by one or from a spreadsheet), completion acceptance; the project page's panel
and the ``flask construction seed-checklists`` command. Problems and notifications are in
problem_views, site logs and inspections in site_views (the same blueprint)."""

import json

import click
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from renovation.construction import rules, services
from renovation.construction.blueprint import bp
from renovation.construction.forms import ApplyImportForm, ImportForm, ProgressForm, acceptance_form_for
from renovation.construction.models import AcceptanceRole
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.forms import is_upload_error, refuse_on_form, uploaded_file, uploaded_files
from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.projects.access import can_edit_project, can_report_problem
from renovation.projects.models import PROGRESS_STATUS_LABELS, ProgressStatus, ProjectItem, ProjectItemStatus
from renovation.projects.rules import Stage
from renovation.projects.views import load_project


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
