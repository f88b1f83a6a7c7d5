"""The report's post-handover management (长效管理) and new facilities sections."""

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from renovation.aftercare.models import Facility
from renovation.extensions import db
from renovation.projects.models import Project
from renovation.reports import common
from renovation.reports.common import _frac, _rate
from renovation.reports.rules import Period


def _aftercare_section(project: Project, period: Period) -> dict:
    """Post-handover management (长效管理): handover checklist, property-management contract, repair
    requests (all of them: counts, overdue open ones, mean hours to close), satisfaction survey (means
    1-5 by dimension), community activities of the period. Each part is None while the aftercare area
    does not provide it or has no record; ``reached`` is True in the aftercare stage."""
    out: dict = {"reached": project.stage.value == "aftercare", "handover": None, "property": None,
                 "repairs": None, "satisfaction": None, "activities": None}
    handovers = common.optional("renovation.aftercare.services", "handovers")
    if handovers is not None:
        out["handover"] = [
            {"asset": h.asset, "operator": h.receiver, "date": h.handed_on or h.planned_on,
             "status": h.status_label, "signed_by": h.receiver_signatory or ""}
            for h in handovers(project)] or None
    contract_of = common.optional("renovation.aftercare.services", "current_contract")
    contract = contract_of(project) if contract_of is not None else None
    if contract is not None:
        out["property"] = {"company": contract.company,
                           "period": f"{contract.starts_on:%Y年%m月%d日}至{contract.ends_on:%Y年%m月%d日}",
                           "fee": f"{contract.fee_per_m2}元/平方米·月", "scope": contract.scope or ""}
    stats_of = common.optional("renovation.aftercare.services", "repair_stats")
    if stats_of is not None:
        st = stats_of(project)
        if st.total:
            out["repairs"] = {"total": st.total, "closed": st.done, "open": st.total - st.done,
                              "overdue": st.overdue_open, "mean_hours": st.mean_hours,
                              "on_time_rate": _frac(st.on_time_rate)}
    survey_of = common.optional("renovation.aftercare.services", "survey_of")
    result_of = common.optional("renovation.aftercare.services", "survey_result")
    survey = survey_of(project) if survey_of is not None else None
    if survey is not None and result_of is not None:
        agg = result_of(project, survey).overall
        out["satisfaction"] = {
            "title": survey.title, "responses": agg.responses, "households": agg.households,
            "response_rate": _frac(agg.response_rate), "overall": _frac(agg.overall_mean), "scale": 5,
            "satisfied_rate": _rate(agg.satisfied, agg.responses),
            "scores": [{"label": label, "mean": _frac(mean)} for label, mean in (
                ("改造内容", agg.content_mean), ("改造过程", agg.process_mean), ("长效管理", agg.management_mean))],
        }
    activity = common.optional("renovation.aftercare.models", "CommunityActivity")
    if activity is not None:
        cond = [activity.project_id == project.id]
        if not period.is_whole:
            cond.append(activity.held_on.between(period.start, period.end))
        out["activities"] = [
            {"date": a.held_on, "title": a.title, "organiser": a.organiser, "participants": a.participants}
            for a in db.session.scalars(select(activity).where(*cond)
                                        .order_by(activity.held_on.desc(), activity.id.desc()).limit(20))] or None
    return out


def _facilities_section(project: Project) -> list[dict]:
    rows = db.session.scalars(
        select(Facility).where(Facility.compound_id == project.compound_id)
        .options(joinedload(Facility.partner)).order_by(Facility.id)
    ).all()
    return [
        {"name": f.name, "kind": f.kind or "", "area": Decimal(f.area) if f.area is not None else None,
         "provision": f.provision or "", "status": f.status, "opening_hours": f.opening_hours or "",
         "partner": f.partner.name if f.partner else "", "partner_kind": (f.partner.kind or "") if f.partner else ""}
        for f in rows
    ]
