"""Property-management and repair pages of aftercare: the property company's contract and fee, the
administrators' target hours per repair category, residents' repair requests and the squad's handling."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from renovation.accounts.models import Role
from renovation.aftercare import rules, services
from renovation.aftercare.blueprint import bp, form_status
from renovation.aftercare.forms import ContractForm, RepairForm, RepairHandleForm, RepairTargetForm
from renovation.aftercare.models import REPAIR_STATUS_LABELS, RepairRequest, RepairStatus
from renovation.core.db import utcnow
from renovation.core.errors import DomainError
from renovation.core.forms import is_upload_error, refuse_on_form, uploaded_file
from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.projects.access import can_edit_project
from renovation.projects.views import load_project

# --- property management and repair requests --------------------------------------------------------------

@bp.route("/projects/<int:project_id>/property", methods=["GET", "POST"])
@login_required
def property_management(project_id: int):
    """The property company (物业): contract period, fee per m² per month, scope; repair figures."""
    project = load_project(project_id)
    can_edit = can_edit_project(current_user, project)
    form = ContractForm()
    if form.is_submitted():
        if not can_edit:
            abort(403)
        if form.validate():
            try:
                services.set_property_contract(
                    project, current_user, company=form.company.data, contact_phone=form.contact_phone.data,
                    starts_on=form.starts_on.data, ends_on=form.ends_on.data, fee_per_m2=form.fee_per_m2.data,
                    scope=form.scope.data)
            except DomainError as err:
                refuse_on_form(err, form, form.fee_per_m2)
            else:
                db.session.commit()
                flash(_("物业服务合同已登记。"), "success")
                return redirect(url_for("aftercare.property_management", project_id=project.id))
    contract = services.current_contract(project)
    stats = services.repair_stats(project) if not current_user.is_resident_like() else None
    my_fee = None
    if contract is not None and current_user.is_resident_like() and current_user.household is not None:
        my_fee = services.monthly_fee(contract, current_user.household.area)
    return render_template("aftercare/property.html", project=project, contract=contract, form=form,
                           can_edit=can_edit, stats=stats, my_fee=my_fee,
                           categories=services.repair_categories() or None,
                           defaults=rules.DEFAULT_REPAIR_TARGETS, today=local_today()), form_status(form)


@bp.route("/repair-targets", methods=["GET", "POST"])
@login_required
def repair_targets():
    """Administrators set the target time to close per repair category (a setting table)."""
    if current_user.role is not Role.ADMIN:
        abort(403)
    form = RepairTargetForm()
    if form.validate_on_submit():
        services.set_repair_target(current_user, form.name.data, form.target_hours.data)
        db.session.commit()
        flash(ngettext("“%(name)s”的处理时限已设为 %(num)d 小时。", "“%(name)s”的处理时限已设为 %(num)d 小时。",
                       form.target_hours.data, name=form.name.data.strip()), "success")
        return redirect(url_for("aftercare.repair_targets"))
    return render_template("aftercare/repair_targets.html", categories=services.repair_categories(),
                           defaults=rules.DEFAULT_REPAIR_TARGETS, form=form), form_status(form)


@bp.route("/projects/<int:project_id>/repairs")
@login_required
def repairs(project_id: int):
    """Repair requests: a resident sees only their own; the squad, leaders and administrators see all,
    with overdue flags (?status=submitted|in_progress|done, ?overdue=1)."""
    project = load_project(project_id)
    try:
        status = RepairStatus(request.args.get("status", ""))
    except ValueError:
        status = None
    stmt = services.repairs_query(project, current_user)
    if status is not None:
        stmt = stmt.where(RepairRequest.status == status)
    rows = list(db.session.scalars(stmt).unique())
    now = utcnow()
    overdue = {r.id for r in rows if rules.is_overdue(r.created_at, r.target_hours, now, r.done_at)}
    if request.args.get("overdue") == "1":
        rows = [r for r in rows if r.id in overdue]
    return render_template(
        "aftercare/repairs.html", project=project, rows=rows, overdue=overdue, status=status,
        only_overdue=request.args.get("overdue") == "1", REPAIR_STATUS_LABELS=REPAIR_STATUS_LABELS,
        can_file=services.can_file_repair(current_user, project), mine=current_user.is_resident_like(),
        rules=rules, now=now)


def _category_choice(name: str, hours: int) -> str:
    """A category offered to the resident with its target time (the name is data, shown as is)."""
    return ngettext("%(name)s（%(num)d小时内处理）", "%(name)s（%(num)d小时内处理）", hours, name=name)


@bp.route("/projects/<int:project_id>/repairs/new", methods=["GET", "POST"])
@login_required
def new_repair(project_id: int):
    """A resident files a repair request for their own household, with an optional photo."""
    project = load_project(project_id)
    if not services.can_file_repair(current_user, project):
        abort(403)
    categories = services.repair_categories()
    form = RepairForm()
    if categories:
        form.category_id.choices = [(c.id, _category_choice(c.name, c.target_hours)) for c in categories]
    else:  # the setting table is still empty: offer the defaults, created on the first request
        form.category_id.choices = [(-(i + 1), _category_choice(n, h))
                                    for i, (n, h) in enumerate(rules.DEFAULT_REPAIR_TARGETS)]
    if form.validate_on_submit():
        category_id = form.category_id.data
        if category_id < 0:
            name = rules.DEFAULT_REPAIR_TARGETS[-category_id - 1][0]
            category_id = next(c.id for c in services.ensure_repair_categories() if c.name == name)
        try:
            req = services.file_repair(project, current_user, category_id=category_id, location=form.location.data,
                                       description=form.description.data, photo=uploaded_file(form.photo))
        except DomainError as err:
            refuse_on_form(err, form, form.photo if is_upload_error(err) else form.category_id)
        else:
            db.session.commit()
            flash(_("报修已提交，物业会尽快处理。"), "success")
            return redirect(url_for("aftercare.repair", repair_id=req.id))
    return render_template("aftercare/repair_new.html", project=project, form=form), form_status(form)


def _load_repair(repair_id: int):
    req = db.session.get(RepairRequest, repair_id)
    if req is None:
        abort(404)
    project = load_project(req.project_id)
    if not services.can_see_repair(current_user, req, project):
        abort(403)
    return req, project


def _repair_page(req, project, status=200, form=None):
    now = utcnow()
    return render_template(
        "aftercare/repair.html", project=project, r=req, can_handle=services.can_handle_repair(current_user, project),
        overdue=rules.is_overdue(req.created_at, req.target_hours, now, req.done_at),
        due=rules.due_at(req.created_at, req.target_hours), hours=rules.hours_to_close(req.created_at, req.done_at),
        form=form or RepairHandleForm(formdata=None,
                                      action="accept" if req.status is RepairStatus.SUBMITTED else "done"),
        RepairStatus=RepairStatus), status


@bp.route("/repairs/<int:repair_id>")
@login_required
def repair(repair_id: int):
    """One repair request: status, target time, time to close; the squad's actions."""
    return _repair_page(*_load_repair(repair_id))


@bp.route("/repairs/<int:repair_id>/handle", methods=["POST"])
@login_required
def handle_repair(repair_id: int):
    """The squad (property staff) accepts or closes a repair request."""
    req, project = _load_repair(repair_id)
    if not services.can_handle_repair(current_user, project):
        abort(403)
    form = RepairHandleForm()
    if form.validate_on_submit():
        try:
            services.handle_repair(req, current_user, action=form.action.data, note=form.note.data)
        except DomainError as err:
            refuse_on_form(err, form, form.note)
        else:
            db.session.commit()
            flash(_("报修已受理。") if form.action.data == "accept" else _("报修已办结。"), "success")
            return redirect(url_for("aftercare.repair", repair_id=req.id))
    return _repair_page(req, project, 400, form)
