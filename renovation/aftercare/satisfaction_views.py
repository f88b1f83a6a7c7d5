"""Satisfaction-survey pages of aftercare: results by building and overall with the gate's verdict,
opening and closing the survey, and a resident's own answer."""

from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from renovation.accounts.models import Role
from renovation.aftercare import rules, services
from renovation.aftercare.blueprint import bp, form_status
from renovation.aftercare.forms import SatisfactionForm, SurveySettingsForm
from renovation.aftercare.models import SATISFACTION_MODE_LABELS, SatisfactionMode
from renovation.core.errors import DomainError
from renovation.core.forms import refuse_on_form
from renovation.extensions import db
from renovation.projects.access import can_edit_project
from renovation.projects.views import load_project

# --- satisfaction survey ------------------------------------------------------------------------------------

def _can_read_results(project) -> bool:
    return current_user.role in (Role.ADMIN, Role.LEADER) or can_edit_project(current_user, project)


@bp.route("/projects/<int:project_id>/satisfaction")
@login_required
def satisfaction(project_id: int):
    """Survey results by building and overall, its setting (gate or report) and the gate's verdict:
    the squad, leaders and administrators."""
    project = load_project(project_id)
    if not _can_read_results(project):
        abort(403)
    return _satisfaction_page(project)


def _satisfaction_page(project, form=None, status=200):
    survey = services.survey_of(project)
    result = services.survey_result(project, survey) if survey else None
    gate = None
    if result is not None:
        gate = rules.satisfaction_gate(result.overall, survey.min_mean, survey.min_response_rate)
    if form is None:
        form = SurveySettingsForm(formdata=None)
        if survey is not None:
            form.title.data, form.mode.data = survey.title, survey.mode.value
            form.min_mean.data = survey.min_mean
            form.min_response_rate.data = int(survey.min_response_rate * 100)
    return render_template(
        "aftercare/satisfaction.html", project=project, survey=survey, result=result, gate=gate, form=form,
        can_edit=can_edit_project(current_user, project), score=rules.score_text,
        comments=services.survey_comments(survey) if survey else [], SatisfactionMode=SatisfactionMode,
        SATISFACTION_MODE_LABELS=SATISFACTION_MODE_LABELS), status


@bp.route("/projects/<int:project_id>/satisfaction/open", methods=["POST"])
@login_required
def open_survey(project_id: int):
    """Open (or reopen with new settings) the satisfaction survey: the project's squad."""
    project = load_project(project_id, edit=True)
    form = SurveySettingsForm()
    if form.validate_on_submit():
        try:
            services.open_survey(project, current_user, title=form.title.data, mode=SatisfactionMode(form.mode.data),
                                 min_mean=form.min_mean.data,
                                 min_response_rate=Decimal(form.min_response_rate.data) / 100)
        except DomainError as err:
            refuse_on_form(err, form)
        else:
            db.session.commit()
            flash(_("满意度测评已发起，居民可在手机上参评。"), "success")
            return redirect(url_for("aftercare.satisfaction", project_id=project.id))
    return _satisfaction_page(project, form, 400)


@bp.route("/projects/<int:project_id>/satisfaction/close", methods=["POST"])
@login_required
def close_survey(project_id: int):
    """Close the satisfaction survey: the project's squad."""
    project = load_project(project_id, edit=True)
    survey = services.survey_of(project)
    if survey is None:
        abort(404)
    from renovation.core.forms import ZhForm

    if not ZhForm().validate_on_submit():
        flash(_("页面已过期，请刷新后重试。"), "danger")
    else:
        services.close_survey(survey, project, current_user)
        db.session.commit()
        flash(_("满意度测评已结束。"), "success")
    return redirect(url_for("aftercare.satisfaction", project_id=project.id))


@bp.route("/projects/<int:project_id>/satisfaction/rate", methods=["GET", "POST"])
@login_required
def rate(project_id: int):
    """A resident rates the renovation for their own household (three scores 1-5 and a comment)."""
    project = load_project(project_id)
    if not current_user.is_resident_like():
        abort(403)
    survey = services.survey_of(project)
    mine = services.my_answer(survey, current_user) if survey else None
    if mine is not None and request.method == "GET":
        form = SatisfactionForm(formdata=None, content_score=str(mine.content_score),
                                process_score=str(mine.process_score),
                                management_score=str(mine.management_score), comment=mine.comment)
    else:
        form = SatisfactionForm()
    if survey is not None and form.validate_on_submit():
        try:
            services.answer_survey(survey, project, current_user, content=int(form.content_score.data),
                                   process=int(form.process_score.data),
                                   management=int(form.management_score.data),
                                   comment=form.comment.data)
        except DomainError as err:
            refuse_on_form(err, form)
        else:
            db.session.commit()
            flash(_("感谢您的评价！"), "success")
            return redirect(url_for("aftercare.rate", project_id=project.id))
    return render_template("aftercare/rate.html", project=project, survey=survey, form=form,
                           mine=mine), form_status(form)
