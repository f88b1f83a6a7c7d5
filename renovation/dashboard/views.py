"""Home page (the dashboard of the user's node), the compound list and the ledger download.

Residents and supervisors are sent from the home page to their compound's page; the list and the
ledgers are for leaders, squad members and administrators (read-only: nothing here writes).
"""

from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from renovation.core.timeutil import local_today
from renovation.dashboard import charts, ledgers, services
from renovation.dashboard.forms import CompoundFilterForm
from renovation.dashboard.rules import Status
from renovation.extensions import db
from renovation.projects.access import visible_projects
from renovation.projects.models import Project
from renovation.reports.views import content_disposition

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@login_required
def index():
    """Residents go to their compound's page; everyone else sees the dashboard of their node."""
    if current_user.is_resident_like():
        ids = db.session.scalars(visible_projects(current_user).with_only_columns(Project.id).limit(2)).all()
        if len(ids) == 1:
            return redirect(url_for("projects.show", project_id=ids[0]))
        return render_template("dashboard/index.html", board=None)
    board = services.dashboard(current_user, local_today())
    counts = {s: len(board.by_status[s]) for s in Status}
    svgs = {"funnel": charts.funnel(board.funnel), "status": charts.status_bar(counts),
            "progress": charts.progress(board.rows), "funding": charts.funding(board.funding)}
    return render_template("dashboard/index.html", board=board, svgs=svgs, counts=counts, Status=Status)


def _filter_form() -> CompoundFilterForm:
    """The filter form bound to the query string, with the user's batches and communities as choices."""
    if current_user.is_resident_like():
        abort(403)
    form = CompoundFilterForm(request.args)
    form.set_choices(*services.filter_choices(current_user))
    return form


@bp.route("/compounds")
@login_required
def compounds():
    """The compound list: filters (stage, batch, community, status), search, sort (pinyin order by
    name), pagination. Bad filter values: 400 with the message beside the field."""
    form = _filter_form()
    if not form.validate():
        return render_template("dashboard/compounds.html", form=form, page=None, args={}), 400
    filters = form.to_filters()
    page = services.compound_list(current_user, filters, local_today())
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("dashboard/compounds.html", form=form, page=page, args=args,
                           node=services.node_label(current_user))


@bp.route("/compounds/ledger.xlsx")
@login_required
def ledger():
    """The ledgers (台账) of the listed compounds, same filters as the list, as an .xlsx attachment
    named '<node>-老旧小区改造台账-<date>.xlsx' (RFC 5987)."""
    form = _filter_form()
    if not form.validate():
        return render_template("dashboard/compounds.html", form=form, page=None, args={}), 400
    today = local_today()
    data = ledgers.build_ledger(current_user, form.to_filters(), today)
    name, fallback = ledgers.ledger_filename(current_user, today)
    resp = make_response(data)
    resp.headers["Content-Type"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    resp.headers["Content-Disposition"] = content_disposition(name, fallback)
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
