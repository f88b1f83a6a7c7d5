"""Views of the reports area: the PDF progress report of a project (进度报告)."""

import io
import time
from urllib.parse import quote

from flask import Blueprint, abort, current_app, flash, send_file
from flask_login import current_user, login_required

from renovation.core.pdf import environment_problems
from renovation.core.timeutil import local_today
from renovation.projects.views import load_project
from renovation.reports import services

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
        "pdf_environment_problems": environment_problems,
    }


@bp.route("/projects/<int:project_id>/progress.pdf")
@login_required
def project_pdf(project_id: int):
    """The project's progress report as a PDF attachment named '<compound>-进度报告-<date>.pdf'
    (date in Asia/Shanghai): leaders of the jurisdiction, the project's squad and administrators only."""
    project = load_project(project_id)
    if not services.can_download_report(current_user, project):
        abort(403)
    for problem in environment_problems():
        current_app.logger.warning(problem)
        flash(problem, "warning")
    today = local_today()
    started = time.perf_counter()
    context = services.build_report_context(project, today)
    pdf = services.render_report_pdf(context)
    current_app.logger.info("progress report of project %s: %d bytes in %.2f s", project.id, len(pdf),
                            time.perf_counter() - started)
    name = f"{context['compound']['name']}-进度报告-{today.isoformat()}.pdf"
    resp = send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True, download_name=name,
                     max_age=0)
    resp.headers["Content-Disposition"] = content_disposition(
        name, f"progress-report-{project.id}-{today.isoformat()}.pdf")
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
