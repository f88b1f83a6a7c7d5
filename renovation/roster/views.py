"""The household register (roster) pages of a project's compound: list with filters, add, correct, move
out, reinstate, and the import from .xlsx/.csv with a preview confirmed by the squad."""

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from renovation.accounts.privacy import record_full_view
from renovation.core.forms import ZhForm
from renovation.core.privacy import mask_names
from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.org import rules
from renovation.org.models import OWNER_TYPE_LABELS, Building, Entrance, Household, HouseholdStatus, OwnerType
from renovation.projects.access import can_edit_project
from renovation.projects.views import load_project
from renovation.roster import services
from renovation.roster.forms import HouseholdEditForm, HouseholdForm, ImportForm, MoveOutForm, ReinstateForm

bp = Blueprint("roster", __name__, url_prefix="/org")


@bp.app_context_processor
def _panel_helpers():
    return {"roster_can_edit": lambda project: can_edit_project(current_user, project)}


def _load_roster_project(project_id: int, *, edit: bool = False):
    """The project for a roster page: 403 for residents (the register holds other households' data)."""
    project = load_project(project_id, edit=edit)
    if current_user.is_resident_like():
        abort(403)
    return project


def _load_household(project, household_id: int) -> Household:
    household = db.session.get(Household, household_id)
    if household is None or household.compound_id != project.compound_id:
        abort(404)
    return household


def _entrance_choices(project) -> list[tuple[int, str]]:
    return [(e.id, f"{b.number}{e.number}") for e, b in db.session.execute(
        select(Entrance, Building).join(Building, Entrance.building_id == Building.id)
        .where(Building.compound_id == project.compound_id).order_by(Building.sort_order, Building.id,
                                                                     Entrance.sort_order, Entrance.id))]


def _import_folder() -> Path:
    return Path(current_app.config.get("ROSTER_IMPORT_FOLDER") or Path(current_app.instance_path) / "imports")


@bp.route("/project/<int:project_id>/households")
@login_required
def households(project_id: int):
    """The compound's register: filter by building/entrance/status/name, 50 per page; names and phones
    masked (王**, 138****0000) except for the project's staff, whose full view is logged. Leaders search by
    room only."""
    project = _load_roster_project(project_id)
    building_id = request.args.get("building", type=int) or None
    entrance_id = request.args.get("entrance", type=int) or None
    status = request.args.get("status", "active")
    if status not in ("active", "moved_out", "all"):
        status = "active"
    q = (request.args.get("q") or "").strip()[:32]
    can_edit = can_edit_project(current_user, project)
    page = services.roster_page(project, page=request.args.get("page", 1, type=int), building_id=building_id,
                                entrance_id=entrance_id, status=status, q=q or None, by_name=can_edit)
    buildings = services.compound_buildings(project)
    entrances = next((b.entrances for b in buildings if b.id == building_id), [])
    html = render_template(
        "roster/households.html", project=project, page=page, buildings=buildings, entrances=entrances,
        building_id=building_id, entrance_id=entrance_id, status=status, q=q, can_edit=can_edit,
        phone=(lambda p: p or "") if can_edit else rules.mask_phone,
        name=(lambda n: n or "") if can_edit else mask_names, OWNER_TYPE_LABELS=OWNER_TYPE_LABELS,
        HouseholdStatus=HouseholdStatus)
    if can_edit and page.households:  # full phones shown: one audit row for the page (个人信息保护法)
        record_full_view(current_user, project, fields=["name", "phone"], count=len(page.households),
                         project_id=project.id, household_ids=[h.id for h in page.households])
        db.session.commit()
    return html


@bp.route("/project/<int:project_id>/households/new", methods=["GET", "POST"])
@login_required
def add_household(project_id: int):
    """A squad member adds a dwelling to the register."""
    project = _load_roster_project(project_id, edit=True)
    form = HouseholdForm()
    form.entrance_id.choices = _entrance_choices(project)
    if form.validate_on_submit():
        h = services.add_household(
            current_user, project, entrance_id=form.entrance_id.data, floor=form.floor.data, room=form.room.data,
            area=form.area.data, owner_name=form.owner_name.data, owner_type=OwnerType(form.owner_type.data),
            phone=form.phone.data, id_number=(form.id_number.data or "").upper(), voter_name=form.voter_name.data,
            co_owner_names=form.co_owner_names.data)
        db.session.commit()
        flash(_("已登记 %(label)s。", label=h.label), "success")
        return redirect(url_for("roster.households", project_id=project.id, building=h.building_id))
    return render_template("roster/household_form.html", project=project, form=form, household=None), \
        400 if form.errors else 200


@bp.route("/project/<int:project_id>/households/<int:household_id>", methods=["GET", "POST"])
@login_required
def edit_household(project_id: int, household_id: int):
    """A squad member corrects a dwelling (reason required); the page shows its history."""
    project = _load_roster_project(project_id, edit=True)
    household = _load_household(project, household_id)
    form = _household_edit_form(project, household, bound=request.method == "POST")
    if form.validate_on_submit():
        services.update_household(
            current_user, project, household, entrance_id=form.entrance_id.data, floor=form.floor.data,
            room=form.room.data, area=form.area.data, owner_name=form.owner_name.data,
            owner_type=OwnerType(form.owner_type.data), phone=form.phone.data,
            id_number=(form.id_number.data or "").upper(), voter_name=form.voter_name.data,
            co_owner_names=form.co_owner_names.data, reason=form.reason.data)
        db.session.commit()
        flash(_("已更正 %(label)s，原记录已保存在历史中。", label=household.label), "success")
        return redirect(url_for("roster.edit_household", project_id=project.id, household_id=household.id))
    return _household_page(project, household, form, status=400 if form.errors else 200)


def _household_edit_form(project, household: Household, *, bound: bool) -> HouseholdEditForm:
    """The correction form: the posted data when ``bound``, else the dwelling as registered."""
    owner = household.owner
    form = HouseholdEditForm() if bound else HouseholdEditForm(formdata=None, data={
        "entrance_id": household.entrance_id, "floor": household.floor, "room": household.room,
        "area": household.area, "owner_name": owner.name if owner else "", "co_owner_names": household.co_owner_names,
        "owner_type": owner.owner_type.value if owner else OwnerType.PRIVATE.value,
        "voter_name": household.voter_name, "phone": owner.phone if owner else "",
        "id_number": owner.id_number if owner else ""})
    form.entrance_id.choices = _entrance_choices(project)
    return form


def _household_page(project, household: Household, form, *, move_form=None, reinstate_form=None, status=200):
    """A dwelling's page: the correction form, move out / reinstate, history. A form that failed its
    checks comes back as posted with each error next to its field (status 400)."""
    html = render_template("roster/household_form.html", project=project, form=form, household=household,
                           history=services.household_history(household),
                           move_form=move_form or MoveOutForm(formdata=None, on=local_today()),
                           reinstate_form=reinstate_form or ReinstateForm(formdata=None),
                           HouseholdStatus=HouseholdStatus)
    if household.owner is not None:  # the form shows the owner's phone and ID number in full (个人信息保护法)
        record_full_view(current_user, household.owner, fields=["name", "phone", "id_number"],
                         project_id=project.id, household_ids=[household.id])
        db.session.commit()
    return html, status


@bp.route("/project/<int:project_id>/households/<int:household_id>/move-out", methods=["POST"])
@login_required
def move_out(project_id: int, household_id: int):
    """Mark a dwelling moved out of the register (date and reason kept in its history)."""
    project = _load_roster_project(project_id, edit=True)
    household = _load_household(project, household_id)
    form = MoveOutForm()
    if not form.validate_on_submit():
        return _household_page(project, household, _household_edit_form(project, household, bound=False),
                               move_form=form, status=400)
    services.move_out(current_user, project, household, reason=form.reason.data, on=form.on.data)
    db.session.commit()
    flash(_("%(label)s 已标记为迁出，不再计入表决和意愿征集。", label=household.label), "success")
    return redirect(url_for("roster.edit_household", project_id=project.id, household_id=household.id))


@bp.route("/project/<int:project_id>/households/<int:household_id>/reinstate", methods=["POST"])
@login_required
def reinstate(project_id: int, household_id: int):
    """Put a moved-out dwelling back on the register."""
    project = _load_roster_project(project_id, edit=True)
    household = _load_household(project, household_id)
    form = ReinstateForm()
    if not form.validate_on_submit():
        return _household_page(project, household, _household_edit_form(project, household, bound=False),
                               reinstate_form=form, status=400)
    services.reinstate(current_user, project, household, reason=form.reason.data)
    db.session.commit()
    flash(_("%(label)s 已恢复到花名册。", label=household.label), "success")
    return redirect(url_for("roster.edit_household", project_id=project.id, household_id=household.id))


@bp.route("/project/<int:project_id>/import", methods=["GET", "POST"], endpoint="import_roster")
@login_required
def import_roster(project_id: int):
    """Upload a register (.xlsx/.csv) and see the preview: rows found and every problem by row and column.
    Nothing is written here; the file waits under a random token for the confirmation."""
    project = _load_roster_project(project_id, edit=True)
    form = ImportForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        filename = form.file.data.filename or "花名册"  # kept in the audit row: stored, so Chinese
        preview = services.preview_import(current_user, project, data, filename)
        token = services.store_import_file(_import_folder(), data, filename, project=project,
                                           user=current_user) if preview.ok else None
        html = render_template("roster/import_preview.html", project=project, preview=preview, token=token,
                               filename=filename, confirm_form=ZhForm(), FIELD_LABELS=rules.FIELD_LABELS,
                               OWNER_TYPE_LABELS={t.value: label for t, label in OWNER_TYPE_LABELS.items()})
        if preview.rows:  # the preview lists names, phones and ID numbers in full (个人信息保护法)
            record_full_view(current_user, project, fields=["name", "phone", "id_number"],
                             count=len(preview.rows), project_id=project.id,
                             household_ids=[r.household_id for r in preview.rows if r.household_id])
            db.session.commit()
        return html
    return render_template("roster/import.html", project=project, form=form,
                           aliases=rules.HEADER_ALIASES, FIELD_LABELS=rules.FIELD_LABELS), 400 if form.errors else 200


@bp.route("/project/<int:project_id>/import/<token>", methods=["POST"])
@login_required
def confirm_import(project_id: int, token: str):
    """Write the previewed file: all of it in one transaction, or nothing if it no longer checks out."""
    project = _load_roster_project(project_id, edit=True)
    if not ZhForm().validate_on_submit():
        abort(400)
    folder = _import_folder()
    data, filename = services.load_import_file(folder, token, project=project, user=current_user)
    preview = services.apply_import(current_user, project, data, filename)
    db.session.commit()
    services.discard_import_file(folder, token)
    unchanged = preview.update_count - preview.corrected
    if unchanged:
        flash(_("导入完成：新增 %(added)d 户，更正 %(corrected)d 户，%(unchanged)d 户与花名册一致未改动。",
                added=preview.added, corrected=preview.corrected, unchanged=unchanged), "success")
    else:
        flash(_("导入完成：新增 %(added)d 户，更正 %(corrected)d 户。", added=preview.added,
                corrected=preview.corrected), "success")
    return redirect(url_for("roster.households", project_id=project.id))
