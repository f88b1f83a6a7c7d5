"""Post-handover pages (改造后管理): facilities and partners, the handover checklist, property management
and residents' repair requests, community activities, and the satisfaction survey."""

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from renovation.accounts.models import Role
from renovation.aftercare import rules, services
from renovation.aftercare.forms import (
    ActivityForm,
    ContractForm,
    FacilityForm,
    HandoverDocumentForm,
    HandoverForm,
    HandoverSignForm,
    RepairForm,
    RepairHandleForm,
    RepairTargetForm,
    SatisfactionForm,
    SurveySettingsForm,
)
from renovation.aftercare.models import (
    ACTIVITY_KIND_LABELS,
    REPAIR_STATUS_LABELS,
    SATISFACTION_MODE_LABELS,
    ActivityKind,
    Facility,
    Handover,
    RepairRequest,
    RepairStatus,
    SatisfactionMode,
)
from renovation.core.db import utcnow
from renovation.core.errors import DomainError
from renovation.core.forms import is_upload_error, refuse_on_form, uploaded_file, uploaded_files
from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.projects.access import can_edit_project
from renovation.projects.views import load_project

bp = Blueprint("aftercare", __name__, url_prefix="/aftercare")


@bp.app_template_global("aftercare_panel")
def aftercare_panel(project) -> dict:
    """For the project page: open and overdue repair requests, and whether a property company is in."""
    stats = services.repair_stats(project)
    return {"repairs_open": stats.total - stats.done, "repairs_overdue": stats.overdue_open,
            "contract": services.current_contract(project)}










def _status(form) -> int:
    return 400 if form.is_submitted() else 200


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
                           form=form, can_edit=can_edit), _status(form)


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
                           form=form), _status(form)


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
                           today=local_today()), _status(form)


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
                           defaults=rules.DEFAULT_REPAIR_TARGETS, today=local_today()), _status(form)


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
                           defaults=rules.DEFAULT_REPAIR_TARGETS, form=form), _status(form)


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
    return render_template("aftercare/repair_new.html", project=project, form=form), _status(form)


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
                           participants=sum(a.participants for a in rows)), _status(form)


# --- satisfaction survey ------------------------------------------------------------------------------------

def _can_read_results(project) -> bool:
    return current_user.role in (Role.ADMIN, Role.LEADER) or can_edit_project(current_user, project)


@bp.route("/projects/<int:project_id>/satisfaction")
@login_required
def satisfaction(project_id: int):
    """Survey results by building and overall, its setting (gate or report) and the gate's verdict:
    the squad, leaders and administrators."""
    project = load_project(project_id)
    if not _can_read_results(project):
        abort(403)
    return _satisfaction_page(project)


def _satisfaction_page(project, form=None, status=200):
    survey = services.survey_of(project)
    result = services.survey_result(project, survey) if survey else None
    gate = None
    if result is not None:
        gate = rules.satisfaction_gate(result.overall, survey.min_mean, survey.min_response_rate)
    if form is None:
        form = SurveySettingsForm(formdata=None)
        if survey is not None:
            form.title.data, form.mode.data = survey.title, survey.mode.value
            form.min_mean.data = survey.min_mean
            form.min_response_rate.data = int(survey.min_response_rate * 100)
    return render_template(
        "aftercare/satisfaction.html", project=project, survey=survey, result=result, gate=gate, form=form,
        can_edit=can_edit_project(current_user, project), score=rules.score_text,
        comments=services.survey_comments(survey) if survey else [], SatisfactionMode=SatisfactionMode,
        SATISFACTION_MODE_LABELS=SATISFACTION_MODE_LABELS), status


@bp.route("/projects/<int:project_id>/satisfaction/open", methods=["POST"])
@login_required
def open_survey(project_id: int):
    """Open (or reopen with new settings) the satisfaction survey: the project's squad."""
    project = load_project(project_id, edit=True)
    form = SurveySettingsForm()
    if form.validate_on_submit():
        try:
            services.open_survey(project, current_user, title=form.title.data, mode=SatisfactionMode(form.mode.data),
                                 min_mean=form.min_mean.data,
                                 min_response_rate=Decimal(form.min_response_rate.data) / 100)
        except DomainError as err:
            refuse_on_form(err, form)
        else:
            db.session.commit()
            flash(_("满意度测评已发起，居民可在手机上参评。"), "success")
            return redirect(url_for("aftercare.satisfaction", project_id=project.id))
    return _satisfaction_page(project, form, 400)


@bp.route("/projects/<int:project_id>/satisfaction/close", methods=["POST"])
@login_required
def close_survey(project_id: int):
    """Close the satisfaction survey: the project's squad."""
    project = load_project(project_id, edit=True)
    survey = services.survey_of(project)
    if survey is None:
        abort(404)
    from renovation.core.forms import ZhForm

    if not ZhForm().validate_on_submit():
        flash(_("页面已过期，请刷新后重试。"), "danger")
    else:
        services.close_survey(survey, project, current_user)
        db.session.commit()
        flash(_("满意度测评已结束。"), "success")
    return redirect(url_for("aftercare.satisfaction", project_id=project.id))


@bp.route("/projects/<int:project_id>/satisfaction/rate", methods=["GET", "POST"])
@login_required
def rate(project_id: int):
    """A resident rates the renovation for their own household (three scores 1-5 and a comment)."""
    project = load_project(project_id)
    if not current_user.is_resident_like():
        abort(403)
    survey = services.survey_of(project)
    mine = services.my_answer(survey, current_user) if survey else None
    if mine is not None and request.method == "GET":
        form = SatisfactionForm(formdata=None, content_score=str(mine.content_score),
                                process_score=str(mine.process_score),
                                management_score=str(mine.management_score), comment=mine.comment)
    else:
        form = SatisfactionForm()
    if survey is not None and form.validate_on_submit():
        try:
            services.answer_survey(survey, project, current_user, content=int(form.content_score.data),
                                   process=int(form.process_score.data),
                                   management=int(form.management_score.data),
                                   comment=form.comment.data)
        except DomainError as err:
            refuse_on_form(err, form)
        else:
            db.session.commit()
            flash(_("感谢您的评价！"), "success")
            return redirect(url_for("aftercare.rate", project_id=project.id))
    return render_template("aftercare/rate.html", project=project, survey=survey, form=form,
                           mine=mine), _status(form)
