"""Administration pages: the audit log (administrators; leaders for their jurisdiction) and personal-data
requests (administrators): find an owner, view, export as JSON, erase (anonymise)."""

import json
from datetime import datetime, time, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from renovation.accounts.models import Role, User
from renovation.accounts.privacy import record_full_view
from renovation.admin import services
from renovation.admin.forms import AuditFilterForm, EraseForm, OwnerSearchForm
from renovation.core.audit import AuditFilter, audit_query
from renovation.core.timeutil import SHANGHAI
from renovation.extensions import db
from renovation.org.models import Compound, Household, Owner
from renovation.projects.access import visible_projects
from renovation.projects.models import Project

bp = Blueprint("admin", __name__, url_prefix="/admin")

PER_PAGE = 50

#: Names of the audit actions written by the areas, in the reader's language (others are shown as they are).
ACTION_LABELS = {
    "stage.move": _l("阶段推进"), "plan.create": _l("创建方案"), "plan.item_update": _l("修改方案条目"),
    "plan.contractor_add": _l("添加参建单位"), "plan.milestone_add": _l("添加节点"), "plan.notice": _l("方案公示"),
    "plan.objection": _l("提出异议"), "plan.objection_paper": _l("录入书面异议"),
    "plan.objection_answer": _l("答复异议"), "plan.approve": _l("批准方案"), "progress.update": _l("更新进度"),
    "acceptance.record": _l("竣工验收"), "meeting.record": _l("记录例会"), "ballot.create": _l("创建表决"),
    "ballot.open": _l("开始表决"), "ballot.close": _l("结束表决"), "vote.cast": _l("投票"), "vote.change": _l("改票"),
    "facility.add": _l("添加设施"), "wish_survey.open": _l("开始意愿征集"), "wish_survey.close": _l("结束意愿征集"),
    "wish.answer": _l("填写意愿"), "wish.change": _l("修改意愿"), "personal_data.view": _l("查看完整个人信息"),
    "personal_data.export": _l("导出个人信息"), "personal_data.erase": _l("匿名处理个人信息"),
    "personal_data.retention_purge": _l("名册到期匿名"),
}


def _admin_only() -> None:
    if current_user.role is not Role.ADMIN:
        abort(403)


def _load_owner(owner_id: int) -> Owner:
    owner = db.session.get(Owner, owner_id)
    if owner is None:
        abort(404)
    return owner


@bp.route("/")
@login_required
def index():
    """The administrator's start page."""
    _admin_only()
    return render_template("admin/index.html")


@bp.route("/audit")
@login_required
def audit_log():
    """The audit log: who changed what, before and after; filter by project, user, action, dates
    (Beijing calendar days); 50 rows a page. Administrators see everything, leaders the projects
    under their node; others get 403. Read-only: there is no route that edits or deletes a row."""
    if current_user.role not in (Role.ADMIN, Role.LEADER):
        abort(403)
    scope = None if current_user.role is Role.ADMIN else visible_projects(current_user).with_only_columns(Project.id)
    projects = db.session.execute(
        (visible_projects(current_user)).with_only_columns(Project.id, Project.name).order_by(Project.name)).all()
    form = AuditFilterForm(request.args)
    form.project.choices = [(0, _("全部项目"))] + [(pid, name) for pid, name in projects]
    rows, pagination, users, project_names = [], None, {}, dict(projects)
    if form.validate():
        flt = AuditFilter(project_id=form.project.data or None, action=(form.action.data or "").strip() or None)
        if form.user.data and form.user.data.strip():
            uid = db.session.scalar(select(User.id).where(User.username == form.user.data.strip()))
            flt.user_id = uid if uid is not None else -1
        if form.since.data:
            flt.since = datetime.combine(form.since.data, time(), SHANGHAI)
        if form.until.data:
            flt.until = datetime.combine(form.until.data + timedelta(days=1), time(), SHANGHAI)
        pagination = db.paginate(audit_query(flt, scope), page=form.page.data or 1, per_page=PER_PAGE,
                                 error_out=False, count=True)
        rows = pagination.items
        ids = {r.user_id for r in rows if r.user_id}
        if ids:
            users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("admin/audit.html", form=form, rows=rows, pagination=pagination, users=users,
                           projects=project_names, labels=ACTION_LABELS, args=args,
                           dumps=lambda d: json.dumps(d, ensure_ascii=False, sort_keys=True) if d else "")


@bp.route("/owners")
@login_required
def owners():
    """Find an owner of any roster by name, phone or room, to answer a personal-data request."""
    _admin_only()
    form = OwnerSearchForm(request.args)
    found = []
    if form.validate() and form.q.data and form.q.data.strip():
        q = form.q.data.strip()
        like = f"%{q}%"
        found = db.session.execute(
            select(Owner, Compound.name).join(Compound, Owner.compound_id == Compound.id)
            .outerjoin(Household, Household.owner_id == Owner.id)
            .where(or_(Owner.name.contains(q, autoescape=True), Owner.phone.contains(q, autoescape=True),
                       Household.room == q, Household.voter_name.like(like)))
            .distinct().order_by(Owner.id).limit(50)).all()
    return render_template("admin/owners.html", form=form, found=found)


@bp.route("/owners/<int:owner_id>")
@login_required
def owner(owner_id: int):
    """One owner's personal data in full, with export and erase buttons. The view is audited."""
    _admin_only()
    owner = _load_owner(owner_id)
    households = services.owner_households(owner)
    accounts = services.owner_accounts(owner)
    record_full_view(current_user, owner, fields=["name", "phone", "id_number"])
    db.session.commit()
    return render_template("admin/owner.html", owner=owner, households=households, accounts=accounts,
                           form=EraseForm(), anonymised=services.is_anonymised(owner))


@bp.route("/owners/<int:owner_id>/export.json")
@login_required
def export_owner(owner_id: int):
    """Everything held on one owner as a JSON file (PIPL art. 45); audited."""
    _admin_only()
    owner = _load_owner(owner_id)
    data = services.export_owner(current_user, owner)
    db.session.commit()
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename=owner-{owner.id}.json"})


@bp.route("/owners/<int:owner_id>/erase", methods=["POST"])
@login_required
def erase_owner(owner_id: int):
    """Anonymise one owner's personal data (PIPL art. 47); votes and their counts are kept."""
    _admin_only()
    owner = _load_owner(owner_id)
    form = EraseForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for e in errors:
                flash(e, "danger")
        return redirect(url_for("admin.owner", owner_id=owner.id))
    done = services.erase_owner(current_user, owner)
    db.session.commit()
    flash(_("已匿名处理：%(households)d 户的姓名、%(accounts)d 个账号；表决记录保持不变。",
            households=done["households"], accounts=done["accounts"]), "success")
    return redirect(url_for("admin.owner", owner_id=owner.id))

