"""The temporary Party branch's page: members, posts and meetings (staff and leaders only)."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from renovation.extensions import db
from renovation.party import services
from renovation.party.forms import MeetingForm
from renovation.party.models import PartyBranch
from renovation.projects.access import can_edit_project
from renovation.projects.views import load_project

bp = Blueprint("party", __name__, url_prefix="/party")


@bp.route("/projects/<int:project_id>", methods=["GET", "POST"])
@login_required
def branch(project_id: int):
    """The branch of a project with its members and meetings; the squad records meetings."""
    project = load_project(project_id)
    if not services.can_view_party(current_user, project):
        abort(403)
    branch = db.session.scalar(
        select(PartyBranch).options(selectinload(PartyBranch.members), selectinload(PartyBranch.meetings))
        .where(PartyBranch.project_id == project.id)
    )
    can_edit = can_edit_project(current_user, project)
    form = MeetingForm()
    if form.is_submitted() and branch is not None:
        if not can_edit:
            abort(403)
        if form.validate():
            services.record_meeting(branch, project, current_user, held_on=form.held_on.data,
                                    title=form.title.data, attendees=form.attendees.data,
                                    expected=form.expected.data, minutes=form.minutes.data)
            db.session.commit()
            flash("会议已记录。", "success")
            return redirect(url_for("party.branch", project_id=project.id))
    return render_template("party/branch.html", project=project, branch=branch, form=form, can_edit=can_edit)
