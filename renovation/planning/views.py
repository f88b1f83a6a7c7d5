"""Plan pages (方案制订): the plan with items, budget and funding; firms, milestones; public notice,
objections and approval."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.forms import refuse_on_form
from renovation.extensions import db
from renovation.planning import services
from renovation.planning.forms import (
    AnswerForm,
    ContractorForm,
    ItemPlanForm,
    MilestoneForm,
    NoticeForm,
    ObjectionForm,
    PaperObjectionForm,
    PlanForm,
)
from renovation.planning.models import (
    CONTRACTOR_KIND_LABELS,
    FUNDING_KIND_LABELS,
    PLAN_STATUS_LABELS,
    ContractorKind,
    FundingKind,
    Objection,
    PlanStatus,
)
from renovation.planning.rules import notice_last_day
from renovation.projects.access import can_edit_project
from renovation.projects.models import ProjectItem
from renovation.projects.views import load_project

bp = Blueprint("planning", __name__, url_prefix="/planning")


@bp.app_template_global("planning_panel")
def planning_panel(project) -> dict:
    """For the project page: the plan's status label and notice's last day (one query)."""
    plan = services.get_plan(project)
    if plan is None:
        return {"plan": None, "label": _("尚未编制"), "notice_ends": None}
    ends = notice_last_day(plan.notice_starts_on, plan.notice_days) if plan.notice_starts_on else None
    return {"plan": plan, "label": PLAN_STATUS_LABELS[plan.status], "notice_ends": ends}


def _show(project, status: int = 200, **forms):
    page = services.plan_page(project)
    can_edit = can_edit_project(current_user, project)
    defaults = {
        # the suggested title becomes the stored title of the plan (an official document): Chinese
        "plan_form": PlanForm(formdata=None, title=f"{project.compound.name}改造方案"),
        "contractor_form": ContractorForm(formdata=None),
        "milestone_form": MilestoneForm(formdata=None),
        "notice_form": NoticeForm(formdata=None, days=page.plan.notice_days if page.plan else None),
        "objection_form": ObjectionForm(formdata=None),
        "paper_form": PaperObjectionForm(formdata=None),
        "answer_form": AnswerForm(formdata=None),
    }
    defaults.update(forms)
    approval = services.approval_check(page.plan) if (
        page.plan and page.plan.status is PlanStatus.NOTICE and can_edit) else None
    is_resident = current_user.is_resident_like() and current_user.household_id is not None
    return render_template(
        "planning/show.html", project=project, page=page, can_edit=can_edit, approval=approval,
        is_resident=is_resident, PlanStatus=PlanStatus, FUNDING_KIND_LABELS=FUNDING_KIND_LABELS,
        FundingKind=FundingKind, PLAN_STATUS_LABELS=PLAN_STATUS_LABELS,
        CONTRACTOR_KIND_LABELS=CONTRACTOR_KIND_LABELS, **defaults,
    ), status


def _plan_or_404(project):
    plan = services.get_plan(project)
    if plan is None:
        abort(404)
    return plan


def _back(project):
    return redirect(url_for("planning.show", project_id=project.id))


@bp.route("/projects/<int:project_id>")
@login_required
def show(project_id: int):
    """The plan page: items with quantity, price, budget, firm, dates and funding; totals; notice."""
    return _show(load_project(project_id))


@bp.route("/projects/<int:project_id>/plan", methods=["POST"])
@login_required
def create(project_id: int):
    """Create the plan (squad of the project or administrator)."""
    project = load_project(project_id, edit=True)
    form = PlanForm()
    if not form.validate_on_submit():
        return _show(project, 400, plan_form=form)
    try:
        services.create_plan(project, current_user, form.title.data, form.summary.data)
    except DomainError as err:
        refuse_on_form(err, form)
        return _show(project, 400, plan_form=form)
    db.session.commit()
    flash(_("改造方案已创建，请填写各项目的工程量、预算和资金来源。"), "success")
    return _back(project)


@bp.route("/projects/<int:project_id>/items/<int:item_id>", methods=["GET", "POST"])
@login_required
def edit_item(project_id: int, item_id: int):
    """Edit one adopted item's quantity, unit, unit price, budget, firm, dates and funding amounts."""
    project = load_project(project_id, edit=True)
    item = db.session.get(ProjectItem, item_id)
    if item is None or item.project_id != project.id:
        abort(404)
    plan = _plan_or_404(project)
    existing = {f.kind: f.amount for f in item.funding_sources}
    form = ItemPlanForm(obj=item, **{f"fund_{k.value}": v for k, v in existing.items()})
    form.contractor_id.choices = [(0, _("（未定）"))] + [
        (c.id, _("%(name)s（%(kind)s）", name=c.name, kind=CONTRACTOR_KIND_LABELS[c.kind])) for c in services.plan_page(project).contractors]
    if form.contractor_id.data is None:
        form.contractor_id.data = 0
    status = 200
    if form.validate_on_submit():
        try:
            services.update_item(
                project, item, current_user, quantity=form.quantity.data, unit=form.unit.data,
                unit_price=form.unit_price.data, budget=form.budget.data,
                contractor_id=form.contractor_id.data or None, planned_start=form.planned_start.data,
                planned_end=form.planned_end.data,
                funding={kind: f.data for kind, f in form.funding_fields()},
            )
        except DomainError as err:
            refuse_on_form(err, form)
            status = 400
        else:
            db.session.commit()
            flash(_("“%(name)s”已保存。", name=item.name), "success")
            return _back(project)
    elif form.is_submitted():
        status = 400
    return render_template("planning/edit_item.html", project=project, plan=plan, item=item, form=form,
                           PlanStatus=PlanStatus), status


@bp.route("/projects/<int:project_id>/contractors", methods=["POST"])
@login_required
def add_contractor(project_id: int):
    """Register a firm (design, construction, supervision) of the project."""
    project = load_project(project_id, edit=True)
    form = ContractorForm()
    if not form.validate_on_submit():
        return _show(project, 400, contractor_form=form)
    services.add_contractor(project, current_user, form.name.data, ContractorKind(form.kind.data),
                            form.contact_name.data, form.contact_phone.data)
    db.session.commit()
    flash(_("参建单位已登记。"), "success")
    return _back(project)


@bp.route("/projects/<int:project_id>/milestones", methods=["POST"])
@login_required
def add_milestone(project_id: int):
    """Add a milestone to the schedule."""
    project = load_project(project_id, edit=True)
    form = MilestoneForm()
    if not form.validate_on_submit():
        return _show(project, 400, milestone_form=form)
    services.add_milestone(project, current_user, form.title.data, form.due_on.data)
    db.session.commit()
    flash(_("工期节点已添加。"), "success")
    return _back(project)


@bp.route("/projects/<int:project_id>/notice", methods=["POST"])
@login_required
def post_notice(project_id: int):
    """Post the plan for public notice (方案公示), with an optional photo of the notice board."""
    project = load_project(project_id, edit=True)
    plan = _plan_or_404(project)
    form = NoticeForm()
    if not form.validate_on_submit():
        return _show(project, 400, notice_form=form)
    photo = None
    if form.photo.data and getattr(form.photo.data, "filename", ""):
        photo = (form.photo.data.read(), form.photo.data.filename)
    try:
        services.post_notice(plan, current_user, form.starts_on.data, form.days.data, photo)
    except DomainError as err:
        refuse_on_form(err, form)
        return _show(project, 400, notice_form=form)
    db.session.commit()
    flash(_("方案已公示。"), "success")
    return _back(project)


@bp.route("/projects/<int:project_id>/objections", methods=["POST"])
@login_required
def submit_objection(project_id: int):
    """A resident of the compound submits an objection during the notice."""
    project = load_project(project_id)
    plan = _plan_or_404(project)
    form = ObjectionForm()
    if not form.validate_on_submit():
        return _show(project, 400, objection_form=form)
    try:
        services.submit_objection(plan, current_user, form.content.data)
    except DomainError as err:
        refuse_on_form(err, form)
        return _show(project, 400, objection_form=form)
    db.session.commit()
    flash(_("您的意见已提交，专班会尽快答复。"), "success")
    return _back(project)


@bp.route("/projects/<int:project_id>/objections/paper", methods=["POST"])
@login_required
def enter_objection(project_id: int):
    """The squad enters an objection received on paper."""
    project = load_project(project_id, edit=True)
    plan = _plan_or_404(project)
    form = PaperObjectionForm()
    if not form.validate_on_submit():
        return _show(project, 400, paper_form=form)
    try:
        services.enter_paper_objection(plan, current_user, form.author_name.data, form.content.data)
    except DomainError as err:
        refuse_on_form(err, form)
        return _show(project, 400, paper_form=form)
    db.session.commit()
    flash(_("书面异议已登记。"), "success")
    return _back(project)


@bp.route("/objections/<int:objection_id>/answer", methods=["POST"])
@login_required
def answer_objection(objection_id: int):
    """The squad answers an objection."""
    objection = db.session.get(Objection, objection_id)
    if objection is None:
        abort(404)
    project = load_project(objection.plan.project_id, edit=True)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _show(project, 400, answer_form=form, answer_for=objection.id)
    try:
        services.answer_objection(objection, current_user, form.answer.data)
    except DomainError as err:
        refuse_on_form(err, form)
        return _show(project, 400, answer_form=form, answer_for=objection_id)
    db.session.commit()
    flash(_("异议已答复。"), "success")
    return _back(project)


@bp.route("/projects/<int:project_id>/approve", methods=["POST"])
@login_required
def approve(project_id: int):
    """Approve the plan when the notice is over and every objection answered; otherwise say why."""
    project = load_project(project_id, edit=True)
    plan = _plan_or_404(project)
    try:  # CSRFProtect has checked the token of this button's form
        services.approve_plan(plan, current_user)
    except DomainError as err:
        if isinstance(err, PermissionDenied):
            raise
        db.session.rollback()
        flash(err.message, "danger")
        return _back(project)
    db.session.commit()
    flash(_("方案已批准。"), "success")
    return _back(project)
