"""Project pages: the compound's overview (stage, figures, progress), the stage move and closing (结项)."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_login import current_user, login_required
from sqlalchemy import func, select
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from renovation.accounts.models import Role
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.forms import ZhForm
from renovation.extensions import db
from renovation.org.models import Building, Household, HouseholdStatus
from renovation.projects import rules, services
from renovation.projects.access import can_edit_project, can_view_project
from renovation.projects.models import Project, ProjectItem, ProjectItemStatus
from renovation.projects.rules import STAGE_LABELS, STAGE_ORDER, Stage, next_stage

bp = Blueprint("projects", __name__, url_prefix="/projects")


def load_project(project_id: int, *, edit: bool = False) -> Project:
    """The project for a view, or abort: 404 if absent, 403 if the current user may not read (or edit) it."""
    project = db.session.get(Project, project_id)
    if project is None:
        abort(404)
    if not can_view_project(current_user, project):
        abort(403)
    if edit and not can_edit_project(current_user, project):
        abort(403)
    return project


class StageMoveForm(ZhForm):
    """Move the project to the next stage, with a reason for the history."""

    target = SelectField(_l("进入阶段"), choices=[(s.value, STAGE_LABELS[s]) for s in STAGE_ORDER],
                         validators=[DataRequired(_l("请选择阶段。"))])
    reason = TextAreaField(lazy_pgettext("stage move", "说明"), validators=[Length(max=500, message=_l("说明不能超过500字。"))])


class CloseForm(ZhForm):
    """Close the project (结项), with an optional note for the audit log."""

    note = TextAreaField(lazy_pgettext("close project", "备注（可不填）"),
                         validators=[Length(max=500, message=_l("备注不能超过500字。"))])


class ReopenForm(ZhForm):
    """Undo a close made by mistake (administrators): the reason is required."""

    reason = TextAreaField(_l("撤销结项的原因"), validators=[
        DataRequired(_l("请填写撤销结项的原因。")), Length(max=500, message=_l("原因不能超过500字。"))])


def compound_figures(project: Project) -> dict:
    """Households (active), buildings and total exclusive floor area (m²) of the project's compound."""
    row = db.session.execute(
        select(func.count(Household.id), func.coalesce(func.sum(Household.area), 0)).where(
            Household.compound_id == project.compound_id, Household.status == HouseholdStatus.ACTIVE
        )
    ).one()
    buildings = db.session.scalar(select(func.count(Building.id)).where(Building.compound_id == project.compound_id))
    return {"households": row[0], "area": row[1], "buildings": buildings}


def weighted_progress(items: list[ProjectItem]) -> float | None:
    """Project progress in % (0-100): item percentages weighted by budget (yuan); equal weights when no
    item has a budget; None when there are no adopted items."""
    return rules.rollup_progress([(i.budget, i.progress_percent) for i in items if i.status is ProjectItemStatus.ADOPTED])


def _render_show(project: Project, *, close_form: CloseForm | None = None, reopen_form: ReopenForm | None = None,
                 status: int = 200):
    """The project page, with the close (结项) card for the squad and administrators in aftercare and the
    reopen form for administrators once closed (forms given when re-rendered with their errors; errors of
    a form the page no longer shows are flashed)."""
    figures = compound_figures(project)
    items = list(project.items)
    nxt = next_stage(project.stage)
    can_edit = can_edit_project(current_user, project)
    gate = services.check_move(project, nxt) if (nxt and can_edit) else None
    form = StageMoveForm(target=nxt.value if nxt else None) if can_edit and nxt else None
    closing = can_edit and project.stage is Stage.AFTERCARE and project.closed_at is None
    close_gate = services.check_close(project) if closing else None
    if closing and close_form is None:
        close_form = CloseForm()
    reopening = project.closed_at is not None and current_user.role is Role.ADMIN
    for given, shown in ((close_form, closing), (reopen_form, reopening)):
        if given is not None and not shown:
            for error in [e for errs in given.errors.values() for e in errs]:
                flash(error, "danger")
    if reopening and reopen_form is None:
        reopen_form = ReopenForm()
    return render_template(
        "projects/show.html", project=project, figures=figures, items=items, next_stage=nxt, gate=gate,
        form=form, can_edit=can_edit, progress=weighted_progress(items), ProjectItemStatus=ProjectItemStatus,
        close_gate=close_gate, close_form=close_form if closing else None,
        reopen_form=reopen_form if reopening else None,
    ), status


@bp.route("/<int:project_id>")
@login_required
def show(project_id: int):
    """The compound's project page: stage, figures, items and progress, links to each stage's pages."""
    return _render_show(load_project(project_id))


@bp.route("/<int:project_id>/stage", methods=["POST"])
@login_required
def move_stage(project_id: int):
    """Move to the next stage through the gate (squad member of the project or administrator)."""
    project = load_project(project_id, edit=True)
    form = StageMoveForm()
    if not form.validate_on_submit():
        flash(_("提交的内容有误，请重试。"), "danger")
        return redirect(url_for("projects.show", project_id=project.id))
    services.move_stage(project, Stage(form.target.data), current_user, form.reason.data)
    db.session.commit()
    flash(_("项目已进入“%(stage)s”阶段。", stage=project.stage.label), "success")
    return redirect(url_for("projects.show", project_id=project.id))


@bp.route("/<int:project_id>/close", methods=["POST"])
@login_required
def close(project_id: int):
    """Close the project (结项) when rules.check_close allows (squad member of the project or administrator)."""
    project = load_project(project_id, edit=True)
    form = CloseForm()
    if form.validate_on_submit():
        try:
            services.close_project(project, current_user, form.note.data)
        except PermissionDenied:
            raise
        except DomainError as err:
            # the reasons are listed on the page's card as well; a double click lands here too
            db.session.rollback()
            flash(err.message, "danger")
        else:
            db.session.commit()
            flash(_("项目已结项。"), "success")
        return redirect(url_for("projects.show", project_id=project.id))
    return _render_show(project, close_form=form, status=400)


@bp.route("/<int:project_id>/reopen", methods=["POST"])
@login_required
def reopen(project_id: int):
    """Undo a close made by mistake, with a reason (administrators only)."""
    project = load_project(project_id)
    if current_user.role is not Role.ADMIN:
        abort(403)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            services.reopen_project(project, current_user, form.reason.data)
        except PermissionDenied:
            raise
        except DomainError as err:  # not closed (a double click)
            db.session.rollback()
            flash(err.message, "danger")
        else:
            db.session.commit()
            flash(_("已撤销结项。"), "success")
        return redirect(url_for("projects.show", project_id=project.id))
    return _render_show(project, reopen_form=form, status=400)
