"""The summary report across compounds (辖区汇总) for leaders and administrators: its scope (the
reader's jurisdiction or a node in it), context (one row per compound, four statements) and PDF. Like the
progress report it is an official document, built and rendered in Chinese whatever the reader's language.
"""

from datetime import date
from decimal import Decimal

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import case, func, select

from renovation.accounts.models import Role, User
from renovation.construction.models import ProblemReport, ProblemStatus
from renovation.core.i18n import chinese
from renovation.core.pdf import render_pdf
from renovation.extensions import db
from renovation.org.models import Household, HouseholdStatus
from renovation.projects.models import Project, ProjectItem, ProjectItemStatus
from renovation.projects.rules import STAGE_ORDER
from renovation.projects.views import weighted_progress
from renovation.reports.cache import get_or_render, template_version
from renovation.reports.common import OPEN_PROBLEM_STATUSES, _resolved

SUMMARY_TEMPLATES = ("pdf/summary_report.html", "pdf/progress_report.css")


def summary_scope(user: User, district_id: int | None = None, subdistrict_id: int | None = None) -> tuple[str, object]:
    """(Chinese name of the area, SELECT of its Projects) for the summary report of ``user``. Its refusals
    are in the reader's language (call it outside ``chinese()``).

    Without ids: the user's own jurisdiction (a leader's node; everything for an administrator). With a
    district or subdistrict id: that node, which must lie within the user's jurisdiction.
    Raises PermissionDenied for users other than leaders and administrators, or a node outside their
    jurisdiction; NotFound for an unknown node.
    """
    from renovation.core.errors import NotFound, PermissionDenied
    from renovation.org.models import Community, District, Subdistrict
    from renovation.projects.access import visible_projects

    if user.role not in (Role.LEADER, Role.ADMIN):
        raise PermissionDenied(_("只有领导和管理员可以下载辖区汇总报告。"))
    stmt = visible_projects(user)
    if subdistrict_id is not None:
        node = db.session.get(Subdistrict, subdistrict_id)
        if node is None:
            raise NotFound(_("找不到该街道。"))
        if user.role is Role.LEADER and (user.community_id or (
                user.subdistrict_id and user.subdistrict_id != node.id) or (
                user.district_id and user.district_id != node.district_id)):
            raise PermissionDenied(_("该街道不在您的辖区内。"))
        return node.district.name + node.name, stmt.where(Subdistrict.id == node.id)
    if district_id is not None:
        node = db.session.get(District, district_id)
        if node is None:
            raise NotFound(_("找不到该区。"))
        if user.role is Role.LEADER and user.district_id != node.id:
            raise PermissionDenied(_("该区不在您的辖区内。"))
        return node.name, stmt.where(Subdistrict.district_id == node.id)
    if user.role is Role.ADMIN:
        return "全部辖区", stmt
    node = user.community or user.subdistrict or user.district
    if isinstance(node, Community):
        return node.subdistrict.name + node.name, stmt
    if isinstance(node, Subdistrict):
        return node.district.name + node.name, stmt
    return node.name, stmt


def build_summary_context(scope_name: str, projects_stmt, today: date) -> dict:
    """The plain context of the summary report: one row per compound of ``projects_stmt`` (a SELECT of
    Projects joined to Compound, Community, Subdistrict, e.g. from summary_scope) with its stage,
    households, investment (yuan: adopted items' budgets, or the candidates' estimates before a vote),
    progress (% budget-weighted) and open (not verified) / overdue problems on ``today``; and the totals
    (totals.investment: adopted items' budgets only, as the dashboard's 计划投资; the estimates of compounds
    not yet voted in totals.estimated_investment).

    Four statements whatever the number of compounds (projects; households; items; problems). Always in
    Chinese (built under ``chinese()``, lazy labels resolved).
    """
    with chinese():
        return _resolved(_summary_context(scope_name, projects_stmt, today))


def _summary_context(scope_name: str, projects_stmt, today: date) -> dict:
    from renovation.org.models import Community, Compound, Subdistrict

    found = db.session.execute(
        projects_stmt.add_columns(Compound.name, Community.name, Subdistrict.name)
        .order_by(Subdistrict.name, Community.name, Compound.name, Project.id)).all()
    ids = [r[0].id for r in found]
    compound_ids = [r[0].compound_id for r in found]
    households = dict(db.session.execute(
        select(Household.compound_id, func.count(Household.id))
        .where(Household.compound_id.in_(compound_ids), Household.status == HouseholdStatus.ACTIVE)
        .group_by(Household.compound_id)).all()) if ids else {}
    items: dict[int, list] = {}
    if ids:
        for item in db.session.scalars(select(ProjectItem).where(ProjectItem.project_id.in_(ids))):
            items.setdefault(item.project_id, []).append(item)
    open_p: dict[int, int] = {}
    overdue_p: dict[int, int] = {}
    if ids:
        for pid, n, late in db.session.execute(
            select(ProblemReport.project_id, func.count(ProblemReport.id),
                   func.coalesce(func.sum(case((ProblemReport.status.in_(OPEN_PROBLEM_STATUSES)
                                               & (ProblemReport.deadline < today), 1), else_=0)), 0))
            .where(ProblemReport.project_id.in_(ids), ProblemReport.status != ProblemStatus.VERIFIED)
            .group_by(ProblemReport.project_id)
        ):
            open_p[pid] = n
            overdue_p[pid] = int(late)
    rows = []
    for project, compound, community, subdistrict in found:
        its = items.get(project.id, [])
        adopted = [i for i in its if i.status is ProjectItemStatus.ADOPTED]
        counted = adopted or [i for i in its if i.status is not ProjectItemStatus.REJECTED]
        rows.append({
            "compound": compound, "community": community, "subdistrict": subdistrict,
            "stage": project.stage.label, "stage_index": project.stage.index,
            "households": households.get(project.compound_id, 0),
            "investment": sum((Decimal(i.budget or 0) for i in counted), Decimal("0")),
            "estimated": not adopted,
            "progress": weighted_progress(its),
            "open": open_p.get(project.id, 0), "overdue": overdue_p.get(project.id, 0),
        })
    by_stage = [{"label": s.label, "count": sum(1 for r in rows if r["stage_index"] == s.index)} for s in STAGE_ORDER]
    return {
        "today": today,
        "scope": scope_name,
        "rows": rows,
        "by_stage": by_stage,
        "totals": {
            "compounds": len(rows),
            "households": sum(r["households"] for r in rows),
            # 计划投资 as on the dashboard: adopted items' budgets only; the estimates of compounds
            # not yet voted are totalled apart (estimated_investment).
            "investment": sum((r["investment"] for r in rows if not r["estimated"]), Decimal("0")),
            "estimated_investment": sum((r["investment"] for r in rows if r["estimated"]), Decimal("0")),
            "open": sum(r["open"] for r in rows),
            "overdue": sum(r["overdue"] for r in rows),
        },
    }


def render_summary_pdf(context: dict) -> bytes:
    """PDF bytes of the summary report (templates/pdf/summary_report.html) for ``context`` from
    build_summary_context; same restricted fetcher as the progress report. Needs an app context. In Chinese
    whatever the reader's language."""
    static = current_app.static_folder
    with chinese():
        html = render_template("pdf/summary_report.html", r=context)
        return render_pdf(html, base_dir=static, allowed_roots=[static])


def summary_report(user: User, today: date, district_id: int | None = None,
                   subdistrict_id: int | None = None) -> tuple[dict, bytes, bool]:
    """(context, PDF bytes, from cache) of the summary report of ``user``'s jurisdiction (or a node in it).
    Raises what summary_scope raises."""
    name, stmt = summary_scope(user, district_id, subdistrict_id)
    context = build_summary_context(name, stmt, today)
    key = "summary-" + (f"d{district_id}" if district_id else f"s{subdistrict_id}" if subdistrict_id
                        else f"u{user.id}")
    data, hit = get_or_render(key, context, render_summary_pdf, template_version(*SUMMARY_TEMPLATES))
    return context, data, hit
