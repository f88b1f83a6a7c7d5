"""The construction demo records of 嵩岳小区 (renovation/construction/demo.py), loaded with the demo."""

from datetime import timedelta

from sqlalchemy import func, select

from renovation.construction.models import (
    Inspection,
    InspectionResult,
    Notification,
    ProblemReport,
    SiteLog,
    SiteLogPhoto,
)
from renovation.core.timeutil import local_today
from renovation.demo import load_demo
from renovation.extensions import db


def test_demo_site_logs_inspections_and_notifications(app):
    load_demo()
    today = local_today()   # the story's 2020-10-21
    first, last = today - timedelta(days=13), today - timedelta(days=1)   # 10-08 .. 10-20: 13 days
    sundays = sum(1 for k in range(13) if (first + timedelta(days=k)).weekday() == 6)
    logs = db.session.scalars(select(SiteLog).order_by(SiteLog.log_date)).all()
    assert len(logs) == 13 - sundays and sundays in (1, 2)
    assert logs[0].log_date == first or logs[0].log_date == first + timedelta(days=1)
    assert logs[-1].log_date in (last, last - timedelta(days=1))
    assert db.session.scalar(select(func.count(SiteLogPhoto.id))) == 4   # two photos on each of the last two logs

    inspections = db.session.scalars(select(Inspection).order_by(Inspection.inspected_on)).all()
    assert [(i.template.name, i.failed_count) for i in inspections] == [("燃气管道", 0), ("外墙保温", 1)]
    failed = db.session.scalar(select(InspectionResult).where(InspectionResult.passed.is_(False)))
    problem = db.session.get(ProblemReport, failed.problem_id)
    assert problem.title == "外墙保温检查项未通过：“粘结面积和锚栓数量符合要求”"
    assert problem.inspection_id == inspections[1].id and problem.deadline is None   # not overdue: not assigned yet

    # the resident who reported the manhole problem was told of its assignment (10-09) and its fix (10-14);
    # both are more than five days old on the story day (10-21), so they are read
    manhole = db.session.scalar(select(ProblemReport).where(ProblemReport.title == "12号楼门前检查井周边积水"))
    notes = db.session.scalars(select(Notification).where(Notification.problem_id == manhole.id)
                               .order_by(Notification.created_at)).all()
    assert [n.message for n in notes] == [
        f"您反映的问题“12号楼门前检查井周边积水”已交办给郑州豫通管道工程有限公司，整改期限 {manhole.deadline:%Y-%m-%d}。",
        "您反映的问题“12号楼门前检查井周边积水”已整改，请查看并核验。"]
    assert all(n.user_id == manhole.reporter_id and n.read_at is not None for n in notes)
    # the inspector's own problem tells nobody (the reporter took the step)
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.problem_id == problem.id)) == 0
