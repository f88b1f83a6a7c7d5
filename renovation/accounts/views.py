"""Login, logout and the personal-information notice."""

from flask import Blueprint, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from renovation.accounts import privacy, sessions
from renovation.accounts.credentials import check_credentials
from renovation.accounts.forms import LoginForm
from renovation.accounts.models import User
from renovation.core.security import is_safe_next, login_limits  # noqa: F401  (is_safe_next: older imports)
from renovation.extensions import db, login_manager

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Flask-Login hook: the User of an open login session '<id>.<key>' (accounts.sessions.load), or None."""
    return sessions.load(user_id)


@login_manager.unauthorized_handler
def unauthorized():
    """Not logged in: JSON callers get HTTP 401 with a message in the reader's language, browsers the
    login page."""
    from renovation.core.web import wants_json

    if wants_json():
        return jsonify(error=_("请先登录。")), 401
    flash(_("请先登录。"), "warning")
    target = request.full_path if request.query_string else request.path
    return redirect(url_for("accounts.login", next=target if request.method == "GET" else None))


@bp.route("/login", methods=["GET", "POST"])
@login_limits
def login():
    """The login page. The answer takes as long for an unknown username as for a wrong password
    (accounts.credentials). Failed attempts are rate limited (core.security.login_limits): HTTP 429 after
    5 failures per address and username in 15 minutes, 10 per username from any address, 300 per address."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = check_credentials(form.username.data, form.password.data)
        if user is None:
            flash(_("用户名或密码不正确。"), "danger")
        else:
            sessions.start(user, user_agent=request.headers.get("User-Agent"))
            db.session.commit()
            session.clear()  # session fixation: nothing planted before login survives it,
            g.pop("csrf_token", None)  # not even the CSRF token (Flask-WTF caches it for the request)
            login_user(user, remember=form.remember.data)
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("dashboard.index"))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out (POST with CSRF token): the login session is ended on the server (a copied cookie stops
    working) and Flask-Login deletes the remember-me cookie in the response."""
    sessions.end_current(current_user)
    db.session.commit()
    logout_user()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/privacy")
def privacy_notice():
    """个人信息处理告知: what personal information is collected, why, who sees it, how long it is kept
    and the resident's rights (PIPL art. 17, 44-47). Public: linked from the login page and the footer."""
    from flask import current_app

    return render_template("accounts/privacy.html", retention_days=current_app.config["ROSTER_RETENTION_DAYS"])


@bp.app_template_global()
def person(user, project_id=None) -> str:
    """In templates: ``person(problem.reporter, project_id=p.id)``: an account's name, a resident's masked
    ('张**') for those who may not see their household's data (accounts.privacy.shown_person)."""
    return privacy.shown_person(current_user, user, project_id=project_id)


@bp.app_template_global()
def personal(value, kind: str = "phone", project_id=None, household_id=None) -> str:
    """In templates: ``personal(owner.phone, 'phone', project_id=p.id)`` shows the value in full to
    those allowed (accounts.privacy) and masked to everyone else; kind is 'phone', 'id_number' or 'name'."""
    shown = {"phone": privacy.shown_phone, "id_number": privacy.shown_id_number, "name": privacy.shown_name}[kind]
    return shown(current_user, value, project_id=project_id, household_id=household_id)
