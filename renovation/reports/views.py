"""Views of the reports area: the PDF progress report of a project (进度报告) for a period, and the
summary across the compounds of a jurisdiction for leaders (辖区汇总)."""

import io
import time
from urllib.parse import quote

from flask import Blueprint, abort, current_app, flash, redirect, request, send_file, url_for
from flask_login import current_user, login_required

from renovation.accounts.models import Role
from renovation.core.pdf import environment_problems
from renovation.core.timeutil import local_today
from renovation.projects.views import load_project
from renovation.reports import services
from renovation.reports.rules import PERIOD_KINDS, PeriodError, parse_period

bp = Blueprint("reports", __name__, url_prefix="/reports")


def content_disposition(filename: str, fallback: str) -> str:
    """An ``attachment`` Content-Disposition with an ASCII ``filename`` fallback and the UTF-8 name as
    ``filename*`` (RFC 6266 and RFC 5987), so Chinese names arrive intact in browsers."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@bp.app_context_processor
def _report_helpers():
    """Lets templates/reports/_project_panel.html (included on every project page) decide whether to
    show the download card and the PDF environment warnings."""
    return {
        "can_download_report": lambda project: services.can_download_report(current_user, project),
        "can_download_summary": lambda: getattr(current_user, "role", None) in (Role.LEADER, Role.ADMIN),
        "pdf_environment_problems": environment_problems,
        "report_period_kinds": PERIOD_KINDS,
        "report_today": local_today,
    }


def _pdf_response(pdf: bytes, name: str, fallback: str, hit: bool):
    resp = send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True, download_name=fallback,
                     max_age=0)
    resp.headers["Content-Disposition"] = content_disposition(name, fallback)
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["X-Report-Cache"] = "hit" if hit else "miss"
    return resp


@bp.route("/projects/<int:project_id>/progress.pdf")
@login_required
def project_pdf(project_id: int):
    """The project's progress report as a PDF attachment named '<compound>-进度报告-<date>.pdf' (a week or
    a month: '<compound>-进度报告-<2020-W43|2020-10>-<date>.pdf'; date in Asia/Shanghai). Query args:
    ``period`` (all, month, week) and ``day`` (YYYY-MM-DD within the week or month); a bad value is
    flashed in the reader's language and the project page shown again. The PDF and its file name are in
    Chinese whatever the reader's language (an official document; services renders it under chinese()). Leaders of the jurisdiction, the project's
    squad and administrators only. Served from the report cache when the data has not changed."""
    project = load_project(project_id)
    if not services.can_download_report(current_user, project):
        abort(403)
    today = local_today()
    try:
        period = parse_period(request.args.get("period"), request.args.get("day"), today)
    except PeriodError as err:
        flash(err.args[0], "danger")
        return redirect(url_for("projects.show", project_id=project.id))
    for problem in environment_problems():
        current_app.logger.warning(problem)
        flash(problem, "warning")
    started = time.perf_counter()
    context, pdf, hit = services.project_report(project, today, period)
    current_app.logger.info("progress report of project %s (%s): %d bytes in %.2f s (%s)", project.id, period.key,
                            len(pdf), time.perf_counter() - started, "cached" if hit else "rendered")
    tag = "" if period.is_whole else f"-{period.key}"
    name = f"{context['compound']['name']}-进度报告{tag}-{today.isoformat()}.pdf"
    return _pdf_response(pdf, name, f"progress-report-{project.id}{tag}-{today.isoformat()}.pdf", hit)


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 9:
        abort(404)
    return int(value)


@bp.route("/summary.pdf")
@login_required
def summary_pdf():
    """The summary across the compounds of the leader's jurisdiction (or of ``district``/``subdistrict``
    given by id within it) as a PDF: one row per compound with stage, households, investment, progress,
    open and overdue problems. Leaders and administrators only (403 for others and for nodes outside
    the jurisdiction, 404 for unknown nodes)."""
    today = local_today()
    context, pdf, hit = services.summary_report(current_user, today, district_id=_int_arg("district"),
                                                subdistrict_id=_int_arg("subdistrict"))
    name = f"{context['scope']}-改造进度汇总-{today.isoformat()}.pdf"
    return _pdf_response(pdf, name, f"summary-report-{today.isoformat()}.pdf", hit)
