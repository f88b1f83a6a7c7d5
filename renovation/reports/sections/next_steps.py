"""The report's closing section: milestones ahead and the steps it proposes."""

from datetime import date

from sqlalchemy import select

from renovation.extensions import db
from renovation.planning.models import Milestone
from renovation.projects.models import Project
from renovation.projects.rules import next_stage


def _next_steps(project: Project, today: date, works: dict, problems: dict) -> dict:
    milestones = db.session.scalars(
        select(Milestone).where(Milestone.project_id == project.id).order_by(Milestone.due_on, Milestone.id)).all()
    upcoming = [{"title": m.title, "due_on": m.due_on, "overdue": m.due_on < today,
                 "days_left": (m.due_on - today).days} for m in milestones if m.done_on is None]
    done = [{"title": m.title, "due_on": m.due_on, "done_on": m.done_on} for m in milestones if m.done_on]
    steps = []
    nxt = next_stage(project.stage)
    if nxt is not None:
        steps.append(f"做好“{project.stage.label}”阶段收尾，具备条件后进入“{nxt.label}”阶段。")
    unfinished = [i for i in works["rows"] if i["percent"] < 100]
    if unfinished:
        names = "、".join(i["name"] for i in unfinished[:6]) + ("等" if len(unfinished) > 6 else "")
        steps.append(f"加快推进{names}共{len(unfinished)}项未完工内容。")
    if problems["open"]:
        steps.append(f"督促整改未办结问题{problems['open']}件"
                     + (f"，其中逾期{problems['overdue']}件须限期销号。" if problems["overdue"] else "。"))
    return {"milestones": upcoming, "done_milestones": done, "steps": steps}
