"""The PDF progress report (进度报告) of one project: its context and its PDF.

The report and the summary are official documents: they come out in Chinese whatever the reader's
language. Their contexts are built and their HTML rendered under ``core.i18n.chinese()``, and the lazy
labels of other areas (stage names, statuses, ...) are turned into plain Chinese strings, so the cache key
(the context's fingerprint) is the same for every reader and an English reader gets the same PDF.

``build_report_context`` reads the database once per section and returns a PLAIN dict (numbers, strings,
dates, file paths; no ORM objects), so the template cannot trigger queries and tests can look at figures.
``render_report_pdf`` turns that dict into PDF bytes with templates/pdf/progress_report.html and
WeasyPrint (renovation.core.pdf: only files under the static folder and UPLOAD_FOLDER can be read).
"""

from datetime import date
from pathlib import Path

from flask import current_app, render_template
from sqlalchemy import select

from renovation.core.i18n import chinese
from renovation.core.pdf import render_pdf
from renovation.extensions import db
from renovation.planning.models import Plan, PlanStatus
from renovation.projects.models import Project
from renovation.projects.rules import STAGE_ORDER
from renovation.reports.cache import get_or_render, template_version
from renovation.reports.common import MAX_PHOTOS, _local_date, _resolved
from renovation.reports.rules import Period, whole_project
from renovation.reports.sections.aftercare import _aftercare_section, _facilities_section
from renovation.reports.sections.compound import _compound_section, _items_section, _timeline_section
from renovation.reports.sections.decisions import _ballots_section, _wish_section
from renovation.reports.sections.next_steps import _next_steps
from renovation.reports.sections.party import _party_section
from renovation.reports.sections.works import (
    _contractors_section,
    _problems_section,
    _site_logs_section,
    _updates_section,
)

REPORT_TEMPLATES = ("pdf/progress_report.html", "pdf/progress_report.css")


def build_report_context(project: Project, today: date, period: Period | None = None) -> dict:
    """The plain context of ``project``'s progress report on ``today`` (a date in Asia/Shanghai) for
    ``period`` (a week, a month, or the whole project: the default). Always in Chinese, whatever the
    reader's language (built under ``chinese()``, lazy labels resolved).

    The period narrows what happened in it: progress updates and photos, problems found, rectified and
    closed, meetings (and site logs, activities when their areas provide them); states (stage, item
    progress, open and overdue problems, votes) are those of ``today``.

    Shape (every value a str, int, float, Decimal, date, list or dict; nothing lazy):
    ``today``; ``period`` {kind, label, start, end, is_whole}; ``project`` {name, stage, stage_index,
    started_on, target_end_on, period_start}; ``stages`` [{label, state: done|current|todo}];
    ``compound`` {name, address, subdistrict, community, batch, buildings, households, area (m²)};
    ``investment`` {total (yuan), estimated, funding [{label, amount (yuan), share 0..1}], funded,
    unfunded}; ``timeline`` [{date, from, to, who, reason}]; ``wishes`` (None without a survey)
    {responses, consent_households, consent_rate_households (0..1), consent_area (m²), consent_rate_area,
    top_items}; ``ballots`` (closed ones) [{title, voted, entitled, quorum (0..1), approval (0..1), rows
    [{title, agree, against, abstain, turnout_area_rate, turnout_owner_rate, agree_area_rate,
    agree_owner_rate (0..1), outcome}]}]; ``works`` {rows [{name, status_label, rag, percent (0-100),
    budget (yuan)}], overall (% 0-100, budget-weighted) or None}; ``updates`` (latest first);
    ``photos`` [{uri, path, caption, date, item}] (thumbnails, latest first, at most MAX_PHOTOS);
    ``problems`` {total, counts, open, overdue, found_in_period, rectified_in_period, closed_in_period,
    listed (oldest first)}; ``party`` (None without a branch) {name, members, meetings [...]};
    ``facilities``; ``contractors``; ``next`` {milestones (not done, soonest first), steps};
    ``signature`` {unit, date}.
    """
    with chinese():
        return _resolved(_report_context(project, today, period or whole_project()))


def _report_context(project: Project, today: date, period: Period) -> dict:
    compound = _compound_section(project)
    investment, works = _items_section(project, today)
    problems = _problems_section(project, today, period)
    party = _party_section(project, period, today)
    timeline = _timeline_section(project)
    updates, photos = _updates_section(project, period)
    site_logs, log_photos = _site_logs_section(project, period)
    photos = sorted(photos + log_photos, key=lambda p: p["date"] or date.min, reverse=True)[:MAX_PHOTOS]
    plan = db.session.scalar(select(Plan).where(Plan.project_id == project.id))
    period_start = project.started_on or (timeline[0]["date"] if timeline else _local_date(project.created_at))
    current = project.stage.index
    return {
        "today": today,
        "period": {"kind": period.kind, "key": period.key, "label": period.label, "short": period.short,
                   "start": period.start,
                   "end": period.end, "is_whole": period.is_whole},
        "project": {
            "id": project.id,
            "name": project.name,
            "stage": project.stage.label,
            "stage_index": current,
            "started_on": project.started_on,
            "target_end_on": project.target_end_on,
            "period_start": period_start,
        },
        "stages": [{"label": s.label, "state": "done" if s.index < current else
                    ("current" if s.index == current else "todo")} for s in STAGE_ORDER],
        "compound": compound,
        "investment": investment,
        "plan": {"title": plan.title, "approved": plan.status is PlanStatus.APPROVED,
                 "approved_on": _local_date(plan.approved_at)} if plan else None,
        "timeline": timeline,
        "wishes": _wish_section(project, compound["households"], compound["area"]),
        "ballots": _ballots_section(project),
        "works": works,
        "updates": updates,
        "photos": photos,
        "problems": problems,
        "party": party,
        "site_logs": site_logs,
        "aftercare": _aftercare_section(project, period),
        "facilities": _facilities_section(project),
        "contractors": _contractors_section(project),
        "next": _next_steps(project, today, works, problems),
        "signature": {
            "unit": party["name"] if party else f"{compound['subdistrict']}老旧小区改造工作专班",
            "date": today,
        },
    }


def render_report_pdf(context: dict) -> bytes:
    """PDF bytes of the progress report for ``context`` (from build_report_context).

    Renders templates/pdf/progress_report.html (Jinja autoescape on: users' text prints as text) and
    WeasyPrint through renovation.core.pdf.render_pdf, which reads only files under the static folder
    and UPLOAD_FOLDER and nothing from the network. Needs an app context. In Chinese whatever the reader's
    language (rendered under ``chinese()``: the template's date and percent filters too).
    """
    static = current_app.static_folder
    uploads = current_app.config["UPLOAD_FOLDER"]
    Path(uploads).mkdir(parents=True, exist_ok=True)
    with chinese():
        html = render_template("pdf/progress_report.html", r=context)
        return render_pdf(html, base_dir=static, allowed_roots=[static, uploads])


def project_report(project: Project, today: date, period: Period | None = None) -> tuple[dict, bytes, bool]:
    """(context, PDF bytes, True if served from the cache) of ``project``'s progress report on ``today``
    for ``period``: the context is always built (a fixed number of statements), the PDF is rendered only
    when no cached file holds the fingerprint of that context (renovation.reports.cache)."""
    period = period or whole_project()
    context = build_report_context(project, today, period)
    data, hit = get_or_render(f"project-{project.id}-{period.key}", context, render_report_pdf,
                              template_version(*REPORT_TEMPLATES))
    return context, data, hit
