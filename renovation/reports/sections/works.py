"""The report's construction sections: progress updates and their photos, problem reports, daily site
logs and inspections (with their photos), contractors.
"""

from datetime import date

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from renovation.construction.models import (
    PROBLEM_STATUS_LABELS,
    ProblemReport,
    ProblemStatus,
    ProgressUpdate,
    Rectification,
)
from renovation.core.models import Upload
from renovation.core.uploads import variant_path
from renovation.extensions import db
from renovation.planning.models import CONTRACTOR_KIND_LABELS, Contractor
from renovation.projects.models import PROGRESS_STATUS_LABELS, Project, ProjectItem
from renovation.reports import common
from renovation.reports.common import (
    MAX_PHOTOS,
    OPEN_PROBLEM_STATUSES,
    OPEN_PROBLEMS_LISTED,
    _in_period,
    _local_date,
    _rate,
)
from renovation.reports.rules import Period

#: How many progress updates the report lists for the whole project (latest first); a week or a month
#: lists all of its updates up to PERIOD_UPDATES.
RECENT_UPDATES = 10
PERIOD_UPDATES = 40
#: Site-log days listed one by one (latest first); the summary counts them all.
SITE_LOGS_LISTED = 14


def _photo(folder: str, upload, *, caption: str, day: date | None, item: str, source: str) -> dict | None:
    """A printable photo: the stored 320 px thumbnail (EXIF orientation already applied when stored),
    printed 55 mm wide, i.e. about 150 dpi: print resolution at a fraction of the original's bytes."""
    thumb = variant_path(folder, upload, "thumb")
    if not thumb.is_file():
        return None
    return {"path": str(thumb), "uri": thumb.resolve().as_uri(), "sha": upload.sha256,
            "caption": caption, "date": day, "item": item, "source": source}


def _updates_section(project: Project, period: Period) -> tuple[list[dict], list[dict]]:
    """(progress updates, photos) of ``period``: for the whole project the latest RECENT_UPDATES updates,
    for a week or a month all of its updates (up to PERIOD_UPDATES); photos (latest first, at most
    MAX_PHOTOS) from the period's progress updates."""
    folder = current_app.config["UPLOAD_FOLDER"]
    base = (select(ProgressUpdate).join(ProjectItem, ProgressUpdate.project_item_id == ProjectItem.id)
            .where(ProjectItem.project_id == project.id, _in_period(ProgressUpdate.created_at, period))
            .options(joinedload(ProgressUpdate.photo), joinedload(ProgressUpdate.project_item),
                     joinedload(ProgressUpdate.author))
            .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc()))
    rows = db.session.scalars(base.limit(RECENT_UPDATES if period.is_whole else PERIOD_UPDATES)).all()
    photo_rows = db.session.scalars(
        base.where(ProgressUpdate.photo_id.is_not(None)).limit(MAX_PHOTOS)).all()
    updates = [
        {
            "item": u.project_item.name,
            "date": _local_date(u.created_at),
            "percent": u.percent,
            "status_label": PROGRESS_STATUS_LABELS[u.status],
            "note": u.note or "",
            "author": u.author.display_name if u.author else "",
        }
        for u in rows
    ]
    photos = []
    for u in photo_rows:
        caption = u.photo.caption or u.note or ""
        if caption.startswith(u.project_item.name + "："):
            caption = caption[len(u.project_item.name) + 1:]
        photo = _photo(folder, u.photo, caption=caption, day=_local_date(u.created_at),
                       item=f"{u.project_item.name} · {u.percent}%", source="进度")
        if photo:
            photos.append(photo)
    return updates, photos


def _problems_section(project: Project, today: date, period: Period) -> dict:
    """Problem reports: counts by status now; found, rectified and closed (verified) within ``period``;
    open ones listed oldest first with their overdue days on ``today``. ``open`` (未办结) counts every
    problem not verified, as the project page and the ledger do; ``awaiting_verification`` the rectified
    ones among them; ``overdue`` the reported/assigned/reopened ones past their deadline."""
    by_status = dict(db.session.execute(
        select(ProblemReport.status, func.count(ProblemReport.id))
        .where(ProblemReport.project_id == project.id).group_by(ProblemReport.status)
    ).all())
    total = sum(by_status.values())
    # 未办结 = not verified, the same definition as the project page and the problem ledger
    # (dashboard.services.OPEN_PROBLEM); the rectified ones awaiting verification are also given apart.
    open_total = total - by_status.get(ProblemStatus.VERIFIED, 0)
    awaiting = by_status.get(ProblemStatus.RECTIFIED, 0)
    overdue_total = db.session.scalar(
        select(func.count(ProblemReport.id)).where(
            ProblemReport.project_id == project.id, ProblemReport.status.in_(OPEN_PROBLEM_STATUSES),
            ProblemReport.deadline < today))
    found = db.session.scalar(select(func.count(ProblemReport.id)).where(
        ProblemReport.project_id == project.id, _in_period(ProblemReport.created_at, period)))
    closed = db.session.scalar(select(func.count(ProblemReport.id)).where(
        ProblemReport.project_id == project.id, ProblemReport.status == ProblemStatus.VERIFIED,
        _in_period(ProblemReport.closed_at, period)))
    rectified = db.session.scalar(
        select(func.count(func.distinct(Rectification.problem_id)))
        .join(ProblemReport, Rectification.problem_id == ProblemReport.id)
        .where(ProblemReport.project_id == project.id, Rectification.to_status == ProblemStatus.RECTIFIED,
               _in_period(Rectification.at, period)))
    rows = db.session.scalars(
        select(ProblemReport)
        .where(ProblemReport.project_id == project.id, ProblemReport.status != ProblemStatus.VERIFIED)
        .options(joinedload(ProblemReport.building), joinedload(ProblemReport.entrance),
                 joinedload(ProblemReport.contractor))
        .order_by(ProblemReport.created_at, ProblemReport.id)
        .limit(OPEN_PROBLEMS_LISTED)
    ).all()
    listed = []
    for p in rows:
        where = "".join(x for x in (p.building.number if p.building else "", p.entrance.number if p.entrance else ""))
        overdue = bool(p.deadline and p.deadline < today and p.status in OPEN_PROBLEM_STATUSES)
        listed.append({
            "title": p.title,
            "location": where,
            "status_label": p.status_label,
            "reported_on": _local_date(p.created_at),
            "deadline": p.deadline,
            "overdue": overdue,
            "overdue_days": (today - p.deadline).days if overdue else 0,
            "contractor": p.contractor.name if p.contractor else "",
        })
    unresolved = open_total
    return {
        "total": total,
        "counts": [{"label": PROBLEM_STATUS_LABELS[s], "count": by_status.get(s, 0)} for s in ProblemStatus],
        "open": open_total,
        "awaiting_verification": awaiting,
        "verified": by_status.get(ProblemStatus.VERIFIED, 0),
        "closed_rate": _rate(by_status.get(ProblemStatus.VERIFIED, 0), total),
        "overdue": overdue_total,
        "found_in_period": found,
        "rectified_in_period": rectified,
        "closed_in_period": closed,
        "listed": listed,
        "unlisted": max(0, unresolved - len(listed)),
    }


def _site_logs_section(project: Project, period: Period) -> tuple[dict | None, list[dict]]:
    """(summary, photos) of the period's daily site logs (施工日志) and inspections: days logged, people
    on site (person-days), safety notes, the latest days listed; inspections held and checklist lines
    failed. (None, []) while the construction area has no SiteLog model."""
    log = common.optional("renovation.construction.models", "SiteLog")
    if log is None:
        return None, []
    cond = [log.project_id == project.id]
    if not period.is_whole:
        cond.append(log.log_date.between(period.start, period.end))
    days, workers, safety = db.session.execute(
        select(func.count(log.id), func.coalesce(func.sum(log.workforce), 0),
               func.count(log.safety_notes)).where(*cond)).one()
    rows = db.session.scalars(select(log).where(*cond).options(selectinload(log.photos))
                              .order_by(log.log_date.desc()).limit(SITE_LOGS_LISTED)).all()
    folder = current_app.config["UPLOAD_FOLDER"]
    photos = []
    photo_model = common.optional("renovation.construction.models", "SiteLogPhoto")
    if photo_model is not None:
        for day, upload in db.session.execute(
            select(log.log_date, Upload).join(photo_model, photo_model.site_log_id == log.id)
            .join(Upload, Upload.id == photo_model.upload_id).where(*cond)
            .order_by(log.log_date.desc(), photo_model.id).limit(MAX_PHOTOS)
        ):
            photo = _photo(folder, upload, caption=upload.caption or "", day=day, item="施工日志", source="日志")
            if photo:
                photos.append(photo)
    summary = {
        "days": days, "workers": int(workers), "safety_notes": safety,
        "rows": [{"date": g.log_date, "weather": g.weather, "workers": g.workforce, "work": g.work_done,
                  "safety": g.safety_notes or ""} for g in rows],
        "inspections": None,
    }
    insp = common.optional("renovation.construction.models", "Inspection")
    result = common.optional("renovation.construction.models", "InspectionResult")
    if insp is not None and result is not None:
        icond = [insp.project_id == project.id]
        if not period.is_whole:
            icond.append(insp.inspected_on.between(period.start, period.end))
        held = db.session.scalar(select(func.count(insp.id)).where(*icond))
        failed = db.session.scalar(select(func.count(result.id)).join(insp, result.inspection_id == insp.id)
                                   .where(*icond, result.passed.is_(False)))
        summary["inspections"] = {"held": held, "failed": failed}
    return summary, photos


def _contractors_section(project: Project) -> list[dict]:
    rows = db.session.scalars(
        select(Contractor).where(Contractor.project_id == project.id).order_by(Contractor.kind, Contractor.id)).all()
    return [{"kind": CONTRACTOR_KIND_LABELS[c.kind], "name": c.name, "contact": c.contact_name or ""} for c in rows]
