"""Post-handover pages: the compound's facilities and the partners running them."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from renovation.aftercare import services
from renovation.aftercare.forms import FacilityForm
from renovation.aftercare.models import Facility
from renovation.extensions import db
from renovation.projects.access import can_edit_project
from renovation.projects.views import load_project

bp = Blueprint("aftercare", __name__, url_prefix="/aftercare")


@bp.route("/projects/<int:project_id>/facilities", methods=["GET", "POST"])
@login_required
def facilities(project_id: int):
    """List the compound's facilities; the project's squad adds new ones."""
    project = load_project(project_id)
    can_edit = can_edit_project(current_user, project)
    form = FacilityForm()
    if form.is_submitted():
        if not can_edit:
            return render_template("errors/error.html", code=403, title="没有权限",
                                   text="只有本项目的专班成员可以登记设施。"), 403
        if form.validate():
            services.add_facility(project, current_user, name=form.name.data, kind=form.kind.data,
                                  partner_name=form.partner_name.data, area=form.area.data,
                                  provision=form.provision.data, opening_hours=form.opening_hours.data)
            db.session.commit()
            flash("设施已登记。", "success")
            return redirect(url_for("aftercare.facilities", project_id=project.id))
    rows = db.session.scalars(
        select(Facility).options(joinedload(Facility.partner)).where(Facility.compound_id == project.compound_id)
        .order_by(Facility.id)
    ).all()
    return render_template("aftercare/facilities.html", project=project, facilities=rows, form=form,
                           can_edit=can_edit)
