"""Login and logout."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from renovation.accounts.forms import LoginForm
from renovation.accounts.models import User
from renovation.extensions import db, login_manager

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Flask-Login hook: the User with this id, or None."""
    try:
        return db.session.get(User, int(user_id))
    except ValueError:
        return None


def is_safe_next(target: str | None) -> bool:
    """True for a same-site path like '/projects/1'; False for '//host', '/\\host', absolute URLs."""
    if not target or not target.startswith("/") or target.startswith("//") or target.startswith("/\\"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and "\\" not in target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The login page."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data.strip()))
        if user is None or not user.check_password(form.password.data) or not user.is_active:
            flash("用户名或密码不正确。", "danger")
        else:
            login_user(user, remember=form.remember.data)
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("dashboard.index"))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out (POST with CSRF token), clearing the remember-me cookie."""
    logout_user()
    flash("您已退出登录。", "info")
    return redirect(url_for("accounts.login"))
