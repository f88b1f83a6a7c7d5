"""Administration pages: the audit log (administrators; leaders for their jurisdiction) and personal-data
requests (administrators): find an owner, view, export as JSON, erase (anonymise)."""

import json
from datetime import datetime, time, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from renovation.accounts.models import Role, User
from renovation.accounts.privacy import record_full_view
from renovation.admin import services
from renovation.admin.forms import AuditFilterForm, EraseForm, OwnerSearchForm
from renovation.core.audit import AuditFilter, audit_query
from renovation.core.privacy import mask_name, mask_record, personal_fields
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
    "personal_data.retention_purge": _l("名册到期匿名"), "vote.choices_view": _l("查看一户的选择（核对争议）"),
    "project.close": _l("项目结项"), "project.reopen": _l("重新开启已结项目"),
    "household.add": _l("登记住户"), "household.update": _l("更正住户信息"), "household.move_out": _l("住户迁出"),
    "household.reinstate": _l("住户恢复在册"), "household.import": _l("导入新增住户"),
    "household.import_update": _l("导入更正住户"), "roster.import": _l("花名册导入"),
    "progress.accepted": _l("条目验收完成"), "problem.report": _l("上报问题"), "problem.assign": _l("交办整改"),
    "problem.rectify": _l("提交整改"), "problem.verify": _l("核验整改"), "problem.reopen": _l("问题重新打开"),
    "site_log.add": _l("填写施工日志"), "inspection.record": _l("记录质量检查"),
    "party.branch": _l("成立临时党支部"), "party.member": _l("添加支部成员"), "party.post": _l("设立先锋岗"),
    "party.tag": _l("添加活动标签"), "task.add": _l("登记督办事项"), "task.done": _l("督办事项办结"),
    "party.activity": _l("登记党员活动"), "ballot.publish": _l("表决结果公示"),
    "ballot.objection": _l("对表决结果提出异议"), "ballot.objection_answer": _l("答复表决异议"),
    "facility.update": _l("更新设施"), "handover.add": _l("添加移交事项"),
    "handover.sign": _l("签署资产移交"), "handover.document": _l("上传移交资料"), "property.contract": _l("登记物业合同"),
    "repair.target": _l("设定报修时限"), "repair.file": _l("提交报修"), "repair.accept": _l("受理报修"),
    "repair.done": _l("报修办结"), "activity.add": _l("登记社区活动"), "satisfaction.open": _l("开始满意度测评"),
    "satisfaction.close": _l("结束满意度测评"), "satisfaction.answer": _l("填写满意度评价"),
}


def object_type_labels() -> dict[str, str]:
    """The object types audit rows store (the model's class name, core.audit.record) in the reader's
    language: every type the areas record; the page shows any other as stored."""
    return {
        "Owner": pgettext("audit object", "业主"), "Project": pgettext("audit object", "项目"),
        "Household": pgettext("audit object", "房屋"), "Plan": pgettext("audit object", "改造方案"),
        "ProjectItem": pgettext("audit object", "改造条目"), "Contractor": pgettext("audit object", "参建单位"),
        "Milestone": pgettext("audit object", "工期节点"), "Objection": pgettext("audit object", "方案异议"),
        "ProblemReport": pgettext("audit object", "问题"), "Acceptance": pgettext("audit object", "竣工验收"),
        "SiteLog": pgettext("audit object", "施工日志"), "Inspection": pgettext("audit object", "质量检查"),
        "PartyBranch": pgettext("audit object", "临时党支部"), "PartyMember": pgettext("audit object", "支部成员"),
        "VanguardPost": pgettext("audit object", "党员先锋岗"), "BranchTag": pgettext("audit object", "活动标签"),
        "Meeting": pgettext("audit object", "会议"), "BranchTask": pgettext("audit object", "督办事项"),
        "MemberActivity": pgettext("audit object", "党员活动"), "Ballot": pgettext("audit object", "表决"),
        "Vote": pgettext("audit object", "投票"), "BallotObjection": pgettext("audit object", "表决异议"),
        "Facility": pgettext("audit object", "设施"), "Handover": pgettext("audit object", "资产移交"),
        "PropertyContract": pgettext("audit object", "物业服务合同"), "RepairCategory": pgettext("audit object", "报修类别"),
        "RepairRequest": pgettext("audit object", "报修"), "CommunityActivity": pgettext("audit object", "社区活动"),
        "SatisfactionSurvey": pgettext("audit object", "满意度测评"), "SatisfactionResponse": pgettext("audit object", "满意度评价"),
        "WishSurvey": pgettext("audit object", "意愿征集"), "WishResponse": pgettext("audit object", "意愿"),
        "User": pgettext("audit object", "账号"), "Compound": pgettext("audit object", "小区"),
        "Upload": pgettext("audit object", "文件"), "AuditLog": pgettext("audit object", "审计记录"),
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
    under their node, with residents' names and numbers masked (王**, 138****5678); others get 403. An
    administrator's page that shows names or numbers in full is logged (personal_data.view). Read-only:
    there is no route that edits or deletes a row."""
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
    full = current_user.role is Role.ADMIN
    shown = [(r, r.before if full else mask_record(r.before), r.after if full else mask_record(r.after)) for r in rows]
    actors = {uid: (u.display_name if full or not u.is_resident_like() else mask_name(u.display_name))
              for uid, u in users.items()}
    args = {k: v for k, v in request.args.items() if k != "page"}
    html = render_template("admin/audit.html", form=form, rows=shown, pagination=pagination, actors=actors,
                           projects=project_names, labels=ACTION_LABELS, object_types=object_type_labels(), args=args,
                           dumps=lambda d: json.dumps(d, ensure_ascii=False, sort_keys=True) if d else "")
    personal = [r for r in rows if personal_fields(r.before) or personal_fields(r.after)]
    if full and personal:  # an administrator saw names and numbers in full: one row for the page (PIPL)
        fields = sorted({f for r in personal for f in personal_fields(r.before) + personal_fields(r.after)})
        record_full_view(current_user, personal[0], fields=fields, count=len(personal), project_id=None)
        db.session.commit()
    return html


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

