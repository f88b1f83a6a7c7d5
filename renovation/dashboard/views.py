"""Home page: the projects the user may see, with their stage and figures (one query, no N+1)."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from renovation.extensions import db
from renovation.org.models import Building, Community, Compound, Household, HouseholdStatus, Subdistrict
from renovation.projects.access import visible_projects
from renovation.projects.models import Project

bp = Blueprint("dashboard", __name__)


def project_rows(user) -> list[dict]:
    """One dict per visible project: project, compound, community, subdistrict, households, buildings,
    area (m²). Three statements whatever the number of projects."""
    projects = db.session.execute(
        visible_projects(user).add_columns(Compound, Community, Subdistrict).order_by(Project.id)
    ).all()
    ids = [p.Project.compound_id for p in projects]
    hh = dict()
    bld = dict()
    if ids:
        hh = {r[0]: (r[1], r[2]) for r in db.session.execute(
            select(Household.compound_id, func.count(Household.id), func.sum(Household.area))
            .where(Household.compound_id.in_(ids), Household.status == HouseholdStatus.ACTIVE)
            .group_by(Household.compound_id))}
        bld = dict(db.session.execute(
            select(Building.compound_id, func.count(Building.id)).where(Building.compound_id.in_(ids))
            .group_by(Building.compound_id)).all())
    return [
        {"project": r.Project, "compound": r.Compound, "community": r.Community, "subdistrict": r.Subdistrict,
         "households": hh.get(r.Project.compound_id, (0, 0))[0], "area": hh.get(r.Project.compound_id, (0, 0))[1],
         "buildings": bld.get(r.Project.compound_id, 0)}
        for r in projects
    ]


@bp.route("/")
@login_required
def index():
    """Residents go to their compound's page; everyone else sees the list of their projects."""
    rows = project_rows(current_user)
    if current_user.is_resident_like() and len(rows) == 1:
        return redirect(url_for("projects.show", project_id=rows[0]["project"].id))
    return render_template("dashboard/index.html", rows=rows)
