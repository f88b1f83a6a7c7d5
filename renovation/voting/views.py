"""Views of the voting area (内容协商): ballots, a resident's vote with a confirm step and receipt,
receipt lookup, the squad's paper and proxy entry, opening and closing, results with their reasons,
their publication with a notice period and objections; the ``flask voting verify-chain`` command."""

import click
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from renovation.core.errors import DomainError
from renovation.core.i18n import DEFAULT_LOCALE, current_language
from renovation.core.uploads import save_image
from renovation.extensions import db
from renovation.org.models import Building, Entrance, Household
from renovation.projects.access import can_edit_project
from renovation.projects.models import ProjectItem, ProjectItemStatus
from renovation.projects.views import load_project
from renovation.voting import rules, services
from renovation.voting.forms import (
    BallotForm,
    ObjectionAnswerForm,
    ObjectionForm,
    PublishForm,
    ReceiptLookupForm,
    vote_form_class,
)
from renovation.voting.models import (
    CHOICE_LABELS,
    MATTER_CLASS_LABELS,
    Ballot,
    BallotObjection,
    BallotScope,
    BallotStatus,
    MatterClass,
    Vote,
)
from renovation.wishes.models import CHANNEL_LABELS, Channel

bp = Blueprint("voting", __name__, url_prefix="/voting")

STATUS_LABELS = {BallotStatus.DRAFT: _l("未开始"), BallotStatus.OPEN: _l("投票中"), BallotStatus.CLOSED: _l("已结束")}


@bp.app_context_processor
def _panel_helpers():
    """Give the project page's ballot panel its data without touching the projects view."""

    def voting_panel(project):
        ballots = services.project_ballots(project)
        mine = {}
        household = current_user.household if current_user.is_resident_like() else None
        if household is not None and ballots:
            mine = {v.ballot_id: v for v in db.session.scalars(select(Vote).where(
                Vote.household_id == household.id, Vote.is_current.is_(True),
                Vote.ballot_id.in_([b.id for b in ballots])))}
        if household is not None:
            ballots = [b for b in ballots if b.status is not BallotStatus.DRAFT]
        return {"ballots": ballots, "mine": mine, "household": household,
                "can_edit": can_edit_project(current_user, project)}

    return {"voting_panel": voting_panel, "ballot_status_labels": STATUS_LABELS,
            "ballot_is_eligible": services.is_eligible, "ballot_scope_label": services.scope_label}


def load_ballot(ballot_id: int, *, edit: bool = False) -> Ballot:
    """The ballot for a view (items loaded), or 404; 403 unless the user may read (or edit) its project."""
    ballot = db.session.scalar(select(Ballot).options(selectinload(Ballot.items), selectinload(Ballot.scope_buildings))
                               .where(Ballot.id == ballot_id))
    if ballot is None:
        abort(404)
    load_project(ballot.project_id, edit=edit)
    return ballot


def _fill_ballot_form(form: BallotForm, project) -> None:
    form.item_ids.choices = [(i.id, i.name) for i in db.session.scalars(
        select(ProjectItem).where(ProjectItem.project_id == project.id,
                                  ProjectItem.status == ProjectItemStatus.CANDIDATE).order_by(ProjectItem.sort_order))]
    form.building_ids.choices = [(b.id, b.number) for b in db.session.scalars(
        select(Building).where(Building.compound_id == project.compound_id).order_by(Building.sort_order))]
    form.entrance_id.choices = [(0, "—")] + [(e.id, f"{b.number}{e.number}") for e, b in db.session.execute(
        select(Entrance, Building).join(Building, Entrance.building_id == Building.id)
        .where(Building.compound_id == project.compound_id).order_by(Building.sort_order, Entrance.sort_order))]


@bp.route("/project/<int:project_id>/new", methods=["GET", "POST"], endpoint="new")
@login_required
def new_ballot(project_id: int):
    """A squad member (or administrator) creates a draft ballot on candidate items."""
    project = load_project(project_id, edit=True)
    form = BallotForm()
    _fill_ballot_form(form, project)
    if form.validate_on_submit():
        scope = BallotScope(form.scope.data)
        ballot = services.create_ballot(
            current_user, project, title=form.title.data, description=form.description.data,
            item_ids=form.item_ids.data, matter_class=MatterClass(form.matter_class.data), scope=scope,
            building_ids=form.building_ids.data or [], entrance_id=form.entrance_id.data or None,
            closes_at=form.closes_at_utc())
        db.session.commit()
        flash(_("表决已创建（未开始）。核对无误后请点击“开始投票”。"), "success")
        return redirect(url_for("voting.show", ballot_id=ballot.id))
    return render_template("voting/new.html", project=project, form=form), 400 if form.errors else 200


@bp.route("/<int:ballot_id>")
@login_required
def show(ballot_id: int):
    """The ballot: rule, scope, status; the user's own vote; tallies for the squad while open and for
    everyone after close, with the reasons."""
    ballot = load_ballot(ballot_id)
    project = ballot.project
    household = current_user.household if current_user.is_resident_like() else None
    mine = services.current_vote(ballot, household.id) if household is not None else None
    can_edit = can_edit_project(current_user, project)
    tallies = services.ballot_tallies(ballot) if services.can_see_tally(current_user, ballot) else None
    broken = services.verify_chain(ballot) if can_edit and ballot.status is not BallotStatus.DRAFT else None
    published = ballot.published_at is not None
    return render_template(
        "voting/show.html", ballot=ballot, project=project, household=household, mine=mine, can_edit=can_edit,
        objections=services.ballot_objections(ballot) if published else [],
        in_notice=services.is_in_notice(ballot), publish_form=PublishForm(formdata=None),
        objection_form=ObjectionForm(formdata=None), answer_form=ObjectionAnswerForm(formdata=None),
        tallies=tallies, broken=broken, eligible=household is not None and services.is_eligible(ballot, household),
        open_for_votes=services.is_open_for_votes(ballot), form=FlaskForm(), rule=services.ballot_rule(ballot),
        share_label=rules.share_words, source_words=rules.source_words, STATUS_LABELS=STATUS_LABELS,
        MATTER_CLASS_LABELS=MATTER_CLASS_LABELS, scope_label=services.scope_label(ballot),
        CHOICE_LABELS=CHOICE_LABELS)


@bp.route("/<int:ballot_id>/vote", methods=["GET", "POST"])
@login_required
def vote(ballot_id: int):
    """A resident votes for their own household: choose, confirm ("请确认您的选择"), submit, receipt."""
    ballot = load_ballot(ballot_id)
    if not current_user.is_resident_like() or current_user.household is None:
        abort(403)
    own = current_user.household
    form = vote_form_class(ballot)()
    mine = services.current_vote(ballot, own.id)
    if request.method == "GET":
        form.household_id.data = own.id
        if mine is not None:
            for c in mine.choices:
                if f"item_{c.ballot_item_id}" in form:
                    form[f"item_{c.ballot_item_id}"].data = c.choice.value
    ctx = {"ballot": ballot, "project": ballot.project, "form": form, "household": own, "mine": mine,
           "open_for_votes": services.is_open_for_votes(ballot), "CHOICE_LABELS": CHOICE_LABELS,
           "eligible": services.is_eligible(ballot, own)}
    if request.method == "POST" and form.step.data != "edit":
        if not form.validate_on_submit():
            return render_template("voting/vote.html", **ctx), 400
        household = db.session.get(Household, form.household_id.data)
        if household is None:
            abort(404)
        if form.step.data == "confirm":
            new_vote = services.cast_vote(current_user, ballot, household, form.choices_map(), channel=Channel.ONLINE)
            db.session.commit()
            flash(_("投票成功！请记下您的回执码。"), "success")
            return redirect(url_for("voting.receipt", vote_id=new_vote.id))
        services.check_vote_allowed(current_user, ballot, household, Channel.ONLINE)
        ctx["household"] = household
        return render_template("voting/confirm.html", **ctx)
    return render_template("voting/vote.html", **ctx)


@bp.route("/receipt/<int:vote_id>")
@login_required
def receipt(vote_id: int):
    """The receipt of one vote version: code, time, channel and the choices recorded. The choices are shown
    to the household itself, and to the squad/administrators only after the ballot closes (logged)."""
    v = db.session.scalar(select(Vote).options(selectinload(Vote.choices)).where(Vote.id == vote_id))
    if v is None:
        abort(404)
    if not services.can_view_receipt(current_user, v):
        abort(403)
    items = {i.id: i for i in v.ballot.items}
    show_choices = services.may_see_choices(current_user, v)
    html = render_template("voting/receipt.html", vote=v, ballot=v.ballot, items=items, CHOICE_LABELS=CHOICE_LABELS,
                           CHANNEL_LABELS=CHANNEL_LABELS, show_choices=show_choices)
    if show_choices:
        services.record_choices_view(current_user, v)
        db.session.commit()
    return html


def _join_errors(form) -> str:
    """A refused form's messages as one flash line ('请填写…；…' in Chinese, sentences in English)."""
    chinese = current_language() == DEFAULT_LOCALE
    messages = [str(e).rstrip("。") if chinese else str(e) for errs in form.errors.values() for e in errs]
    return ("；" if chinese else " ").join(messages) or _("提交的内容有误。")


def _post_check(ballot_id: int) -> Ballot:
    ballot = load_ballot(ballot_id, edit=True)
    if not FlaskForm().validate_on_submit():
        abort(400)
    return ballot


@bp.route("/<int:ballot_id>/open", methods=["POST"], endpoint="open")
@login_required
def open_ballot(ballot_id: int):
    """Start the vote (squad member of the project or administrator)."""
    ballot = _post_check(ballot_id)
    services.open_ballot(current_user, ballot)
    db.session.commit()
    flash(_("表决已开始，居民现在可以投票。"), "success")
    return redirect(url_for("voting.show", ballot_id=ballot.id))


@bp.route("/<int:ballot_id>/close", methods=["POST"], endpoint="close")
@login_required
def close_ballot(ballot_id: int):
    """End the vote, tally it and mark each item adopted or rejected (squad/administrator)."""
    ballot = _post_check(ballot_id)
    tallies = services.close_ballot(current_user, ballot)
    db.session.commit()
    passed = sum(1 for _item, t in tallies if t.passed)
    flash(ngettext("表决已结束：%(num)d 项中 %(passed)d 项通过。", "表决已结束：%(num)d 项中 %(passed)d 项通过。",
                   len(tallies), passed=passed), "success")
    return redirect(url_for("voting.show", ballot_id=ballot.id))


@bp.route("/<int:ballot_id>/paper", methods=["GET", "POST"])
@login_required
def paper(ballot_id: int):
    """A squad member enters a paper ballot for an eligible household (signed scan optional). Replacing the
    household's own online vote needs the scan and a reason, and the household is told (voting.votes)."""
    ballot = load_ballot(ballot_id, edit=True)
    households = services.eligible_households(ballot)
    online = services.households_voted_online(ballot)
    form = vote_form_class(ballot, paper=True)()
    form.household_id.choices = [
        (h.id, h.label + (f" · {h.voter_name}" if h.voter_name else "") + (_(" · 已在线投票") if h.id in online else ""))
        for h in households]
    failed = False
    if form.validate_on_submit():
        household = db.session.get(Household, form.household_id.data)
        services.check_vote_allowed(current_user, ballot, household, Channel.PAPER)
        try:
            # Before the scan is stored: a refused replacement writes nothing at all.
            services.check_paper_replacement(ballot, household, has_scan=bool(form.scan.data),
                                             reason=form.reason.data)
            scan_id = None
            if form.scan.data:
                upload = save_image(form.scan.data.read(), form.scan.data.filename,
                                    current_app.config["UPLOAD_FOLDER"], project_id=ballot.project_id,
                                    user=current_user, caption="纸质选票")
                scan_id = upload.id
            v = services.cast_vote(current_user, ballot, household, form.choices_map(), channel=Channel.PAPER,
                                   scan_upload_id=scan_id, reason=form.reason.data)
        except DomainError as err:
            db.session.rollback()
            flash(err.message, "danger")
            failed = True
        else:
            db.session.commit()
            flash(_("已录入 %(household)s 的纸质选票，回执码 %(code)s。", household=household.label,
                    code=v.receipt_code), "success")
            return redirect(url_for("voting.paper", ballot_id=ballot.id))
    return render_template("voting/paper.html", ballot=ballot, project=ballot.project, form=form,
                           open_for_votes=services.is_open_for_votes(ballot)), \
        400 if form.errors or failed else 200



@bp.route("/<int:ballot_id>/proxy", methods=["GET", "POST"])
@login_required
def proxy(ballot_id: int):
    """A squad member enters a proxy vote (委托投票): the household, the delegate's name, the owner's signed
    authorisation letter (image, required) and the choices. One household, one vote: it supersedes any
    earlier vote of the household, which is kept."""
    ballot = load_ballot(ballot_id, edit=True)
    households = services.eligible_households(ballot)
    form = vote_form_class(ballot, proxy=True)()
    form.household_id.choices = [(h.id, h.label + (f" · {h.voter_name}" if h.voter_name else "")) for h in households]
    if form.validate_on_submit():
        household = db.session.get(Household, form.household_id.data)
        services.check_vote_allowed(current_user, ballot, household, Channel.PROXY)
        letter = save_image(form.letter.data.read(), form.letter.data.filename, current_app.config["UPLOAD_FOLDER"],
                            project_id=ballot.project_id, user=current_user, caption="授权委托书")
        v = services.cast_vote(current_user, ballot, household, form.choices_map(), channel=Channel.PROXY,
                               proxy_name=form.proxy_name.data, letter_upload_id=letter.id)
        db.session.commit()
        flash(_("已录入 %(household)s 的委托投票（受托人 %(proxy)s），回执码 %(code)s。", household=household.label,
                proxy=v.proxy_name, code=v.receipt_code), "success")
        return redirect(url_for("voting.proxy", ballot_id=ballot.id))
    return render_template("voting/proxy.html", ballot=ballot, project=ballot.project, form=form,
                           open_for_votes=services.is_open_for_votes(ballot)), 400 if form.errors else 200


@bp.route("/receipts")
@login_required
def lookup():
    """查询回执: find a vote by its receipt code. Residents find their own household's votes, the squad
    those of their projects; any other code reads as not found."""
    form = ReceiptLookupForm(request.args)
    vote = None
    searched = "code" in request.args
    if searched and form.validate():
        vote = services.find_receipt(current_user, form.code.data)
    if vote is not None:
        return redirect(url_for("voting.receipt", vote_id=vote.id))
    return render_template("voting/lookup.html", form=form, searched=searched and not form.errors), \
        400 if form.errors else 200


@bp.route("/<int:ballot_id>/publish", methods=["POST"])
@login_required
def publish(ballot_id: int):
    """Publish a closed ballot's results (结果公示) for a notice period (squad/administrator)."""
    ballot = load_ballot(ballot_id, edit=True)
    form = PublishForm()
    if not form.validate_on_submit():
        flash(_join_errors(form), "danger")
        return redirect(url_for("voting.show", ballot_id=ballot.id))
    services.publish_results(current_user, ballot, form.notice_days.data)
    db.session.commit()
    flash(ngettext("表决结果已公示，公示期 %(num)d 天，期间业主可提出异议。",
                   "表决结果已公示，公示期 %(num)d 天，期间业主可提出异议。", ballot.notice_days), "success")
    return redirect(url_for("voting.show", ballot_id=ballot.id))


@bp.route("/<int:ballot_id>/objections", methods=["POST"], endpoint="object")
@login_required
def submit_objection(ballot_id: int):
    """A resident of the compound objects to the published results during the notice period."""
    ballot = load_ballot(ballot_id)
    if not services.can_object(current_user, ballot):
        abort(403)
    form = ObjectionForm()
    if not form.validate_on_submit():
        flash(_join_errors(form), "danger")
        return redirect(url_for("voting.show", ballot_id=ballot.id))
    services.submit_objection(current_user, ballot, form.content.data)
    db.session.commit()
    flash(_("您的异议已提交，专班将在公示期内答复。"), "success")
    return redirect(url_for("voting.show", ballot_id=ballot.id))


@bp.route("/objections/<int:ballot_objection_id>/answer", methods=["POST"])
@login_required
def answer_objection(ballot_objection_id: int):
    """The squad answers an objection to a ballot's results."""
    objection = db.session.get(BallotObjection, ballot_objection_id)
    if objection is None:
        abort(404)
    ballot = load_ballot(objection.ballot_id, edit=True)
    form = ObjectionAnswerForm()
    if not form.validate_on_submit():
        flash(_join_errors(form), "danger")
        return redirect(url_for("voting.show", ballot_id=ballot.id))
    services.answer_objection(current_user, objection, form.answer.data)
    db.session.commit()
    flash(_("已答复该异议。"), "success")
    return redirect(url_for("voting.show", ballot_id=ballot.id))


@bp.cli.command("verify-chain")
@click.argument("ballot_id", type=int)
def verify_chain_command(ballot_id: int):
    """Check the hash chain of ballot BALLOT_ID: print OK, or the first broken vote record (exit 1)."""
    ballot = db.session.get(Ballot, ballot_id)
    if ballot is None:
        click.echo(f"表决 {ballot_id} 不存在。", err=True)
        raise SystemExit(2)
    total = db.session.scalar(select(func.count(Vote.id)).where(Vote.ballot_id == ballot.id))
    broken = services.verify_chain(ballot)
    if broken is None:
        click.echo(f"OK：表决 {ballot.id}“{ballot.title}”的 {total} 条投票记录链完整。")
        return
    v = db.session.get(Vote, broken)
    click.echo(f"BROKEN：表决 {ballot.id} 的投票记录链在第 {broken} 号记录处断开"
               f"（{v.household.label}，回执 {v.receipt_code}，{rules.iso_utc(v.cast_at)}）：该记录或其前一条被改动、删除或插入。")
    raise SystemExit(1)
