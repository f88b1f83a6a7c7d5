"""Post-handover pages (改造后管理): facilities and partners, the handover checklist, community
activities; the project page's panel. Property management and repair requests are in repair_views, the
satisfaction survey in satisfaction_views (the same blueprint)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from renovation.aftercare import services
from renovation.aftercare.blueprint import bp, form_status
from renovation.aftercare.forms import (
    ActivityForm,
    FacilityForm,
    HandoverDocumentForm,
    HandoverForm,
    HandoverSignForm,
)
from renovation.aftercare.models import ACTIVITY_KIND_LABELS, ActivityKind, Facility, Handover
from renovation.core.errors import DomainError
from renovation.core.forms import is_upload_error, refuse_on_form, uploaded_file, uploaded_files
from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.projects.access import can_edit_project
from renovation.projects.views import load_project


@bp.app_template_global("aftercare_panel")
def aftercare_panel(project) -> dict:
    """For the project page: open and overdue repair requests, and whether a property company is in."""
    stats = services.repair_stats(project)
    return {"repairs_open": stats.total - stats.done, "repairs_overdue": stats.overdue_open,
            "contract": services.current_contract(project)}


# --- facilities ---------------------------------------------------------------------------------------

def _facility_kwargs(form: FacilityForm) -> dict:
    return dict(name=form.name.data, kind=form.kind.data, partner_name=form.partner_name.data, area=form.area.data,
                provision=form.provision.data, opening_hours=form.opening_hours.data, status=form.status.data,
                size_note=form.size_note.data, opened_on=form.opened_on.data, counted=form.counted.data)


@bp.route("/projects/<int:project_id>/facilities", methods=["GET", "POST"])
@login_required
def facilities(project_id: int):
    """The compound's facilities and partners (residents see them); the project's squad adds new ones."""
    project = load_project(project_id)
    can_edit = can_edit_project(current_user, project)
    form = FacilityForm()
    if form.is_submitted():
        if not can_edit:
            abort(403)
        if form.validate():
            try:
                services.add_facility(project, current_user, **_facility_kwargs(form))
            except DomainError as err:
                refuse_on_form(err, form, form.counted)
            else:
                db.session.commit()
                flash(_("设施已登记。"), "success")
                return redirect(url_for("aftercare.facilities", project_id=project.id))
    return render_template("aftercare/facilities.html", project=project, facilities=services.facilities(project),
                           form=form, can_edit=can_edit), form_status(form)


@bp.route("/facilities/<int:facility_id>/edit", methods=["GET", "POST"])
@login_required
def edit_facility(facility_id: int):
    """Change a facility (opening status and hours, partner, figures): the project's squad."""
    facility = db.session.get(Facility, facility_id)
    if facility is None:
        abort(404)
    from renovation.projects.models import Project

    project_id = db.session.scalar(select(Project.id).where(Project.compound_id == facility.compound_id))
    if project_id is None:
        abort(404)
    project = load_project(project_id, edit=True)
    counted = "\n".join(f"{p.item} {p.quantity} {p.unit or ''}".strip() for p in facility.provisions)
    form = FacilityForm(obj=facility, partner_name=facility.partner.name if facility.partner else "",
                        counted=counted)
    if form.validate_on_submit():
        try:
            services.update_facility(facility, project, current_user, **_facility_kwargs(form))
        except DomainError as err:
            refuse_on_form(err, form, form.counted)
        else:
            db.session.commit()
            flash(_("设施信息已更新。"), "success")
            return redirect(url_for("aftercare.facilities", project_id=project.id))
    return render_template("aftercare/facility_edit.html", project=project, facility=facility,
                           form=form), form_status(form)


# --- handover ------------------------------------------------------------------------------------------

@bp.route("/projects/<int:project_id>/handovers", methods=["GET", "POST"])
@login_required
def handovers(project_id: int):
    """The handover checklist: assets handed to their operators, dates, signatories, documents."""
    project = load_project(project_id)
    can_edit = can_edit_project(current_user, project)
    form = HandoverForm()
    if form.is_submitted():
        if not can_edit:
            abort(403)
        if form.validate():
            services.add_handover(project, current_user, asset=form.asset.data, receiver=form.receiver.data,
                                  planned_on=form.planned_on.data, note=form.note.data)
            db.session.commit()
            flash(_("移交事项已加入清单。"), "success")
            return redirect(url_for("aftercare.handovers", project_id=project.id))
    rows = services.handovers(project)
    return render_template("aftercare/handovers.html", project=project, rows=rows, form=form, can_edit=can_edit,
                           today=local_today()), form_status(form)


def _load_handover(handover_id: int):
    handover = db.session.get(Handover, handover_id)
    if handover is None:
        abort(404)
    return handover, load_project(handover.project_id)


def _handover_page(handover, project, status=200, sign_form=None, doc_form=None):
    return render_template(
        "aftercare/handover.html", project=project, h=handover, can_edit=can_edit_project(current_user, project),
        sign_form=sign_form or HandoverSignForm(formdata=None, handed_on=local_today()),
        doc_form=doc_form or HandoverDocumentForm(formdata=None)), status


@bp.route("/handovers/<int:handover_id>")
@login_required
def handover(handover_id: int):
    """One handover: the asset, receiver, dates, who signed, scanned documents."""
    return _handover_page(*_load_handover(handover_id))


@bp.route("/handovers/<int:handover_id>/sign", methods=["POST"])
@login_required
def sign_handover(handover_id: int):
    """The squad records the signed handover (date, signatories of both sides)."""
    handover, project = _load_handover(handover_id)
    if not can_edit_project(current_user, project):
        abort(403)
    form = HandoverSignForm()
    if form.validate_on_submit():
        try:
            services.sign_handover(handover, current_user, handed_on=form.handed_on.data,
                                   giver_signatory=form.giver_signatory.data,
                                   receiver_signatory=form.receiver_signatory.data, note=form.note.data,
                                   today=local_today())
        except DomainError as err:
            refuse_on_form(err, form, form.handed_on)
        else:
            db.session.commit()
            flash(_("移交已登记。"), "success")
            return redirect(url_for("aftercare.handover", handover_id=handover.id))
    return _handover_page(handover, project, 400, sign_form=form)


@bp.route("/handovers/<int:handover_id>/documents", methods=["POST"])
@login_required
def add_handover_document(handover_id: int):
    """The squad uploads a scan of a handover document (photo of the signed sheet)."""
    handover, project = _load_handover(handover_id)
    if not can_edit_project(current_user, project):
        abort(403)
    form = HandoverDocumentForm()
    if form.validate_on_submit():
        scan = uploaded_file(form.scan)
        if scan is None:
            form.scan.errors.append(_("请选择扫描件或照片。"))
        else:
            try:
                services.add_handover_document(handover, current_user, title=form.title.data, scan=scan)
            except DomainError as err:
                refuse_on_form(err, form, form.scan)
            else:
                db.session.commit()
                flash(_("移交资料已上传。"), "success")
                return redirect(url_for("aftercare.handover", handover_id=handover.id))
    return _handover_page(handover, project, 400, doc_form=form)


# --- community activities ---------------------------------------------------------------------------------

@bp.route("/projects/<int:project_id>/activities", methods=["GET", "POST"])
@login_required
def activities(project_id: int):
    """Cultural and sports events, garbage-sorting campaigns... with photos; the squad records them."""
    project = load_project(project_id)
    can_edit = can_edit_project(current_user, project)
    form = ActivityForm()
    if form.is_submitted():
        if not can_edit:
            abort(403)
        if form.validate():
            try:
                services.add_activity(project, current_user, kind=ActivityKind(form.kind.data), title=form.title.data,
                                      held_on=form.held_on.data, organiser=form.organiser.data,
                                      participants=form.participants.data, description=form.description.data,
                                      photos=uploaded_files(form.photos), today=local_today())
            except DomainError as err:
                refuse_on_form(err, form, form.photos if is_upload_error(err) else form.held_on)
            else:
                db.session.commit()
                flash(_("活动已登记。"), "success")
                return redirect(url_for("aftercare.activities", project_id=project.id))
    rows = services.activities(project)
    return render_template("aftercare/activities.html", project=project, rows=rows, form=form, can_edit=can_edit,
                           ACTIVITY_KIND_LABELS=ACTIVITY_KIND_LABELS,
                           participants=sum(a.participants for a in rows)), form_status(form)
