"""What the wish survey tells the stage gates (registered with projects.facts in wishes.init_app)."""

from sqlalchemy import func, select

from renovation.extensions import db
from renovation.org.models import Household, HouseholdStatus
from renovation.wishes.models import WishResponse, WishSurvey


def gate_facts(project) -> dict:
    """{'consenting': households (active) that answered "agree" in the project's wish survey}."""
    consenting = db.session.scalar(
        select(func.count(WishResponse.id))
        .join(WishSurvey, WishResponse.survey_id == WishSurvey.id)
        .join(Household, WishResponse.household_id == Household.id)
        .where(WishSurvey.project_id == project.id, WishResponse.consent.is_(True),
               Household.status == HouseholdStatus.ACTIVE)
    ) or 0
    return {"consenting": consenting}
