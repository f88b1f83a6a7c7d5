"""The PDFs count open problems and planned investment as the pages do: 未办结 = every problem not verified
(the project page, the ledger: dashboard.services.OPEN_PROBLEM); 计划投资 = adopted items' budgets (the
dashboard), the estimates of compounds not yet voted totalled apart.

report_world (tests/reports/data.py): project A has one ASSIGNED problem, deadline 2026-04-01 (overdue on
TODAY), and adopted items budgeted 300,000 + 100,000 yuan; project B (测试B小区) has no item.
"""

from datetime import date
from decimal import Decimal

from renovation.construction.models import ProblemReport, ProblemStatus
from renovation.extensions import db
from renovation.projects.models import ProjectItem
from renovation.reports import services
from tests.reports.conftest import pdf_pages, squash

TODAY = date(2026, 11, 29)


def _more_problems(world):
    # + one RECTIFIED (awaiting verification, deadline past: not counted overdue) and one VERIFIED
    for status in (ProblemStatus.RECTIFIED, ProblemStatus.VERIFIED):
        db.session.add(ProblemReport(project_id=world["project_a"].id, title=f"问题{status.value}", status=status,
                                     reporter_id=world["supervisor_a"].id, deadline=date(2026, 4, 1)))
    db.session.flush()


def test_project_report_counts_every_unverified_problem_open(app, report_world):
    _more_problems(report_world)
    with app.test_request_context():
        ctx = services.build_report_context(report_world["project_a"], TODAY)
        pdf = squash("".join(pdf_pages(services.render_report_pdf(ctx))))
    p = ctx["problems"]
    # 3 problems: assigned + rectified open (2), 1 of them awaiting verification, 1 verified;
    # overdue: only the assigned one (a rectified problem waits for the squad, not the contractor)
    assert (p["total"], p["open"], p["awaiting_verification"], p["verified"], p["overdue"]) == (3, 2, 1, 1, 1)
    assert len(p["listed"]) == 2 and p["unlisted"] == 0
    assert "尚未办结2件（其中已整改待核验1件）" in pdf


def test_summary_open_problems_and_planned_investment_match_the_dashboard(app, report_world):
    _more_problems(report_world)
    db.session.add(ProjectItem(project=report_world["project_b"], name="外墙保温", budget=Decimal("250000")))
    db.session.flush()
    ctx = services.build_summary_context(*services.summary_scope(report_world["admin"]), TODAY)
    a = next(r for r in ctx["rows"] if r["compound"] == "测试A小区")
    assert (a["open"], a["overdue"]) == (2, 1)  # assigned + rectified; only the assigned one overdue
    # 计划投资 = adopted budgets of A only (300,000 + 100,000); B's candidate estimate apart
    assert ctx["totals"]["investment"] == Decimal("400000")
    assert ctx["totals"]["estimated_investment"] == Decimal("250000")
    assert (ctx["totals"]["open"], ctx["totals"]["overdue"]) == (2, 1)
    with app.test_request_context():
        pdf = squash("".join(pdf_pages(services.render_summary_pdf(ctx))))
    assert "另有未表决小区估算25.00万元" in pdf
