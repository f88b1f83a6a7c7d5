"""The report's decision sections: the residents' wishes (意愿征集) and the closed ballots (表决)."""

from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from renovation.extensions import db
from renovation.org.models import Household, HouseholdStatus
from renovation.projects.models import CatalogueItem, Project
from renovation.reports.common import _frac, _local_date, _rate
from renovation.voting import rules as voting_rules
from renovation.voting.models import (
    MATTER_CLASS_LABELS,
    Ballot,
    BallotElector,
    BallotScope,
    BallotStatus,
    Choice,
    Vote,
    VoteChoice,
    ballot_building,
)
from renovation.voting.services import ballot_rule
from renovation.wishes.models import WishResponse, WishSurvey, wish_response_item


def _wish_section(project: Project, households: int, area: Decimal) -> dict | None:
    survey = db.session.scalar(select(WishSurvey).where(WishSurvey.project_id == project.id))
    if survey is None:
        return None
    rows = db.session.execute(
        select(WishResponse.consent, func.count(WishResponse.id), func.coalesce(func.sum(Household.area), 0))
        .join(Household, WishResponse.household_id == Household.id)
        .where(WishResponse.survey_id == survey.id, Household.status == HouseholdStatus.ACTIVE)
        .group_by(WishResponse.consent)
    ).all()
    responses = sum(r[1] for r in rows)
    consent_hh = sum(r[1] for r in rows if r[0])
    consent_area = sum((Decimal(r[2]) for r in rows if r[0]), Decimal("0"))
    wished = db.session.execute(
        select(CatalogueItem.name, func.count(wish_response_item.c.response_id).label("n"))
        .join(wish_response_item, wish_response_item.c.catalogue_item_id == CatalogueItem.id)
        .join(WishResponse, WishResponse.id == wish_response_item.c.response_id)
        .where(WishResponse.survey_id == survey.id)
        .group_by(CatalogueItem.id, CatalogueItem.name)
        .order_by(func.count(wish_response_item.c.response_id).desc(), CatalogueItem.name)
        .limit(8)
    ).all()
    return {
        "title": survey.title,
        "is_open": survey.is_open,
        "opened_on": _local_date(survey.opened_at),
        "closed_on": _local_date(survey.closed_at),
        "responses": responses,
        "response_rate": _rate(responses, households),
        "consent_households": consent_hh,
        "consent_rate_households": _rate(consent_hh, households),
        "consent_area": consent_area,
        "consent_rate_area": _rate(consent_area, area),
        "top_items": [{"name": name, "count": n, "rate": _rate(n, responses)} for name, n in wished],
        "gate": float(current_app.config["GATE_WISH_CONSENT_RATE"]),
    }


def _eligible_stmt(ballot: Ballot, project: Project):
    """SELECT (household id, owner id, area m²) of the households entitled to vote on ``ballot``: active
    ones of the compound, narrowed to the ballot's buildings or entrance."""
    stmt = select(Household.id, Household.owner_id, Household.area).where(
        Household.compound_id == project.compound_id, Household.status == HouseholdStatus.ACTIVE)
    if ballot.scope is BallotScope.ENTRANCE:
        stmt = stmt.where(Household.entrance_id == ballot.scope_entrance_id)
    elif ballot.scope is BallotScope.BUILDINGS:
        stmt = stmt.where(Household.building_id.in_(
            select(ballot_building.c.building_id).where(ballot_building.c.ballot_id == ballot.id)))
    return stmt


def _ballots_section(project: Project) -> list[dict]:
    """Closed ballots with each item's current agree/against/abstain counts (households) and its result.

    The result is the official 民法典 art. 278 tally of the voting area (renovation.voting.rules.tally_item
    under the ballot's stored rule: area and owner headcount), fed with plain rows: two statements per
    ballot (eligible households; current choices), no ORM objects per vote.
    """
    ballots = db.session.scalars(
        select(Ballot).where(Ballot.project_id == project.id, Ballot.status == BallotStatus.CLOSED)
        .options(selectinload(Ballot.items)).order_by(Ballot.closes_at, Ballot.id)
    ).all()
    out = []
    for b in ballots:
        # the electorate frozen at close (BallotElector); the live roster only for a ballot closed before it
        dwellings = [voting_rules.Dwelling(hid, oid, Decimal(area)) for hid, oid, area in db.session.execute(
            select(BallotElector.household_id, BallotElector.owner_id, BallotElector.area)
            .where(BallotElector.ballot_id == b.id))] or [
            voting_rules.Dwelling(hid, oid, Decimal(area)) for hid, oid, area in db.session.execute(_eligible_stmt(b, project))]
        area_of = {d.household_id: d.area for d in dwellings}
        per_item: dict[int, dict[int, str]] = {it.id: {} for it in b.items}
        voters: set[int] = set()
        for household_id, item_id, choice in db.session.execute(
            select(Vote.household_id, VoteChoice.ballot_item_id, VoteChoice.choice)
            .join(VoteChoice, VoteChoice.vote_id == Vote.id)
            .where(Vote.ballot_id == b.id, Vote.is_current.is_(True))
        ):
            if household_id in area_of:
                per_item.setdefault(item_id, {})[household_id] = choice.value
                voters.add(household_id)
        rule = ballot_rule(b)
        entitled_area = sum(area_of.values(), Decimal("0"))
        voted_area = sum((area_of[h] for h in voters), Decimal("0"))
        rows = []
        for it in b.items:
            choices = per_item.get(it.id, {})
            tally = voting_rules.tally_item(dwellings, choices, rule)
            counts = {c: sum(1 for v in choices.values() if v == c.value) for c in Choice}
            rows.append({
                "title": it.title,
                "agree": counts[Choice.AGREE], "against": counts[Choice.AGAINST], "abstain": counts[Choice.ABSTAIN],
                "turnout_area_rate": _frac(tally.turnout_area_ratio),
                "turnout_owner_rate": _frac(tally.turnout_owner_ratio),
                "agree_area": tally.agree_area,
                "agree_area_rate": _rate(tally.agree_area, tally.turnout_area),
                "agree_owner_rate": _rate(tally.agree_owners, tally.turnout_owners),
                "quorum_met": tally.quorum_met,
                "approved": tally.approved,
                "outcome": "通过" if tally.passed else "未通过",
                "reason": tally.reason,
            })
        out.append({
            "title": b.title,
            "matter": MATTER_CLASS_LABELS[b.matter_class],
            "rule_source": b.rule_source,
            "closed_on": _local_date(b.closes_at),
            "entitled": len(dwellings),
            "entitled_area": entitled_area,
            "voted": len(voters),
            "voted_area": voted_area,
            "turnout_rate": _rate(len(voters), len(dwellings)),
            "turnout_area_rate": _rate(voted_area, entitled_area),
            "quorum": float(rule.quorum),
            "quorum_label": voting_rules.share_label(rule.quorum),
            "approval": float(rule.approval),
            "approval_strict": rule.approval_strict,
            "approval_label": ("超过" if rule.approval_strict else "不低于") + voting_rules.share_label(rule.approval),
            "rows": rows,
        })
    return out
