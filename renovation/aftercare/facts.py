"""What aftercare tells the close check (结项) (registered with projects.facts in aftercare.init_app)."""

from sqlalchemy import func, select

from renovation.aftercare.models import Handover, HandoverStatus, SatisfactionMode
from renovation.aftercare.satisfaction import closure_check, survey_of
from renovation.extensions import db


def close_facts(project) -> dict:
    """{'handovers_planned' (lines not yet handed over), 'survey_exists', 'survey_closed',
    'survey_gate_passed' (None when the survey is only a report figure), 'survey_gate_reasons'}."""
    planned = db.session.scalar(
        select(func.count(Handover.id)).where(Handover.project_id == project.id,
                                              Handover.status != HandoverStatus.HANDED)
    ) or 0
    survey = survey_of(project)
    gate = closure_check(project) if survey is not None and survey.mode is SatisfactionMode.GATE else None
    return {
        "handovers_planned": planned,
        "survey_exists": survey is not None,
        "survey_closed": survey is not None and not survey.is_open,
        "survey_gate_passed": None if gate is None else gate.passed,
        "survey_gate_reasons": tuple(gate.reasons) if gate is not None else (),
    }
