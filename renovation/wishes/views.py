"""Views of the wish survey (意愿征集): a resident's own answer, paper entry and results for the squad."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from renovation.extensions import db
from renovation.org.models import Household
from renovation.projects.access import can_edit_project
from renovation.projects.views import load_project
from renovation.wishes import services
from renovation.wishes.forms import PaperWishForm, WishAnswerForm
from renovation.wishes.models import CHANNEL_LABELS, Channel

bp = Blueprint("wishes", __name__, url_prefix="/wishes")


@bp.app_context_processor
def _panel_helpers():
    """Give the project page's wish panel its data without touching the projects view."""

    def wish_panel(project):
        survey = services.get_survey(project)
        own = None
        if current_user.is_authenticated and current_user.is_resident_like():
            own = services.response_for(survey, current_user.household_id)
        return {"survey": survey, "own": own, "can_edit": can_edit_project(current_user, project)}

    return {"wish_panel": wish_panel}


@bp.route("/project/<int:project_id>/answer", methods=["GET", "POST"])
@login_required
def answer(project_id: int):
    """A resident (or supervisor) answers the survey for their own household; can change it while open."""
    project = load_project(project_id)
    if not current_user.is_resident_like() or current_user.household is None:
        abort(403)
    household = current_user.household
    survey = services.get_survey(project)
    existing = services.response_for(survey, household.id)
    form = WishAnswerForm()
    form.set_catalogue(services.active_catalogue())
    if request.method == "GET" and existing is not None:
        form.consent.data = "yes" if existing.consent else "no"
        form.items.data = [i.id for i in existing.items]
        form.comment.data = existing.comment
    if form.validate_on_submit():
        services.answer(current_user, project, household, consent=form.consent.data == "yes",
                        item_ids=form.items.data or [], comment=form.comment.data, channel=Channel.ONLINE)
        db.session.commit()
        flash(_("您的意愿已提交，谢谢！征集结束前可以随时修改。"), "success")
        return redirect(url_for("projects.show", project_id=project.id))
    status = 400 if form.errors else 200
    return render_template("wishes/answer.html", project=project, survey=survey, form=form, existing=existing,
                           household=household, CHANNEL_LABELS=CHANNEL_LABELS), status


@bp.route("/project/<int:project_id>/open", methods=["POST"], endpoint="open")
@login_required
def open_survey(project_id: int):
    """Open (or reopen) the survey (squad member of the project or administrator)."""
    project = load_project(project_id, edit=True)
    if not FlaskForm().validate_on_submit():
        abort(400)
    services.open_survey(current_user, project)
    db.session.commit()
    flash(_("意愿征集已开启，居民现在可以填写。"), "success")
    return redirect(url_for("wishes.results", project_id=project.id))


@bp.route("/project/<int:project_id>/close", methods=["POST"], endpoint="close")
@login_required
def close_survey(project_id: int):
    """Close the survey (squad member of the project or administrator)."""
    project = load_project(project_id, edit=True)
    if not FlaskForm().validate_on_submit():
        abort(400)
    services.close_survey(current_user, project)
    db.session.commit()
    flash(_("意愿征集已结束。"), "success")
    return redirect(url_for("wishes.results", project_id=project.id))


@bp.route("/project/<int:project_id>/paper", methods=["GET", "POST"])
@login_required
def paper(project_id: int):
    """A squad member enters a paper questionnaire for any household of the compound."""
    project = load_project(project_id, edit=True)
    survey = services.get_survey(project)
    households = services.compound_households(project)
    form = PaperWishForm()
    form.set_catalogue(services.active_catalogue())
    form.set_households(households)
    if request.method == "GET" and request.args.get("household_id", type=int):
        form.household_id.data = request.args.get("household_id", type=int)
    if form.validate_on_submit():
        household = db.session.get(Household, form.household_id.data)
        services.answer(current_user, project, household, consent=form.consent.data == "yes",
                        item_ids=form.items.data or [], comment=form.comment.data, channel=Channel.PAPER)
        db.session.commit()
        flash(_("已录入 %(household)s 的纸质问卷。", household=household.label), "success")
        return redirect(url_for("wishes.paper", project_id=project.id))
    status = 400 if form.errors else 200
    return render_template("wishes/paper.html", project=project, survey=survey, form=form), status


@bp.route("/project/<int:project_id>/results")
@login_required
def results(project_id: int):
    """Consent rate (households, m²) against the gate, ranked wishes, households not reached.

    The project's squad and administrators; leaders of the jurisdiction read it too. Not residents.
    """
    project = load_project(project_id)
    if current_user.is_resident_like():
        abort(403)
    survey = services.get_survey(project)
    res = services.survey_results(project, survey)
    return render_template("wishes/results.html", project=project, survey=survey, res=res,
                           can_edit=can_edit_project(current_user, project), form=FlaskForm())
