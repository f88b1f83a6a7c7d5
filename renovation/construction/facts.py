"""What construction tells the stage gates and the close check (registered with projects.facts in
construction.init_app)."""

from sqlalchemy import func, select

from renovation.construction.models import Acceptance, ProblemReport, ProblemStatus
from renovation.extensions import db


def acceptance_passed(project) -> bool:
    """True when a completion acceptance (竣工验收) of ``project`` is recorded as passed."""
    return (db.session.scalar(
        select(func.count(Acceptance.id)).where(Acceptance.project_id == project.id, Acceptance.passed.is_(True))
    ) or 0) > 0


def gate_facts(project) -> dict:
    """{'acceptance_passed'} for the move to aftercare."""
    return {"acceptance_passed": acceptance_passed(project)}


def close_facts(project) -> dict:
    """{'acceptance_passed', 'open_problems' (problem reports not yet verified)} for 结项."""
    open_problems = db.session.scalar(
        select(func.count(ProblemReport.id)).where(ProblemReport.project_id == project.id,
                                                   ProblemReport.status != ProblemStatus.VERIFIED)
    ) or 0
    return {"acceptance_passed": acceptance_passed(project), "open_problems": open_problems}
