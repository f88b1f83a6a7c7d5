"""Web glue shared by every area: template filters, error pages in Chinese, start-up checks."""

import re
from urllib.parse import parse_qsl

from flask import Flask, Request, flash, jsonify, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property

from renovation.core.errors import DomainError
from renovation.core.i18n import percent, wan_yuan, yuan  # noqa: F401  (re-exported, older imports)
from renovation.core.security import is_safe_next, login_locked_message  # noqa: F401  (is_safe_next re-exported)
from renovation.extensions import db

ERROR_TITLES = {
    400: _l("请求有误"),
    401: _l("请先登录"),
    403: _l("没有权限"),
    404: _l("页面不存在"),
    405: _l("不支持的操作"),
    413: _l("文件太大"),
    429: _l("操作太频繁"),
    500: _l("服务器出错了"),
}
#: Error texts; 413's ``%(limit)s`` is the upload limit in MB.
ERROR_TEXTS = {
    400: _l("提交的内容无法处理，请返回检查后重试。"),
    403: _l("您没有权限查看或操作这个页面。"),
    404: _l("您要找的页面或记录不存在。"),
    405: _l("这个地址不支持这种操作。"),
    413: _l("上传的文件超过大小限制（%(limit)s MB），请压缩照片后再试。"),
    429: _l("操作太频繁，请稍后再试。"),
    500: _l("服务器处理时出错，已记录。您的已保存数据不受影响，请稍后重试。"),
}


#: C0 control characters except tab, newline and carriage return (and DEL): never meaningful in a form,
#: rejected by PostgreSQL (NUL) and printed as boxes in PDFs.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control_chars(value: str) -> str:
    """``value`` without C0 control characters (tab, newline and carriage return are kept)."""
    return _CONTROL_CHARS.sub("", value)


class CleanRequest(Request):
    """A request whose form fields and URL parameters are free of control characters, for every form
    and filter of the app at once (PostgreSQL refuses NUL in a query parameter with an error)."""

    @cached_property
    def args(self) -> ImmutableMultiDict:
        return ImmutableMultiDict(
            (k, strip_control_chars(v))
            for k, v in parse_qsl(self.query_string.decode(), keep_blank_values=True,
                                  errors="werkzeug.url_quote"))

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form:
            self.__dict__["form"] = ImmutableMultiDict(
                [(k, strip_control_chars(v)) for k, v in form.items(multi=True)])


class IdConverter(IntegerConverter):
    """``<int:...>`` in URLs: ids from 1 to 2^31-1 (PostgreSQL INTEGER); others are a 404, not a 500."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def wants_json() -> bool:
    """True when the caller expects JSON (an /api/ path, a .json path or an Accept header preferring
    JSON): such callers get 401/403/404 as JSON, never a redirect to the login page."""
    return request.path.startswith("/api/") or request.path.endswith(".json") or (
        request.accept_mimetypes.best == "application/json"
    )


_wants_json = wants_json

#: Form fields never shown back or re-posted after an expired token.
_SECRET_FIELDS = ("password", "csrf_token")


def _same_origin() -> bool:
    """True if the POST came from one of our own pages (Origin, else Referer, names this host)."""
    from urllib.parse import urlsplit

    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    return bool(source) and urlsplit(source).netloc == request.host


def _csrf_page():
    """The friendly page for an expired or missing CSRF token: what the user typed is shown back and, if
    the form came from our own site, can be sent again with a fresh token (files must be chosen again).

    A cross-site post never gets the resend button (that would turn a forged request into a one-click
    one); passwords are never echoed.
    """
    kept = [(k, v) for k, v in request.form.items(multi=True)
            if not any(s in k.lower() for s in _SECRET_FIELDS) and len(v) <= 20000]
    return render_template("errors/csrf.html", kept=kept, resend=_same_origin() and bool(kept),
                           action=request.full_path if request.query_string else request.path,
                           had_files=bool(request.files)), 400


def init_app(app: Flask) -> None:
    """Register filters, error handlers, input hardening and the start-up check of the PDF environment."""
    from renovation.core import i18n, logs, security
    from renovation.core.privacy import mask_id_number, mask_name, mask_names, mask_phone

    app.request_class = CleanRequest
    security.init_app(app)
    logs.init_app(app)
    app.url_map.converters["int"] = IdConverter
    from renovation.core.uploads import UploadRefConverter

    app.url_map.converters["upload"] = UploadRefConverter

    @app.template_global()
    def may_fetch_file(upload_id: int | None) -> bool:
        """In templates: show a stored file (``<img>``, a link) only to those its owner's rule lets fetch it
        (core.hooks.may_fetch_upload), so nobody is shown a broken image or a link to a 403."""
        from flask_login import current_user

        from renovation.core.hooks import may_fetch_upload
        from renovation.core.models import Upload

        upload = db.session.get(Upload, upload_id) if upload_id else None
        return upload is not None and current_user.is_authenticated and may_fetch_upload(current_user, upload)
    i18n.init_app(app)
    app.jinja_env.filters.update(mask_phone=mask_phone, mask_id_number=mask_id_number, mask_name=mask_name,
                                 mask_names=mask_names)

    @app.errorhandler(DomainError)
    def _domain_error(err: DomainError):
        db.session.rollback()
        if _wants_json():
            return jsonify(error=err.message), err.status_code
        if err.status_code in (403, 404):
            return _error_page(err.status_code, err.message)
        flash(err.message, "danger")
        return redirect(request.referrer or "/")

    @app.errorhandler(CSRFError)
    def _csrf_error(err: CSRFError):
        if wants_json():
            return jsonify(error=_("安全令牌已过期或缺失，请刷新页面后重试。")), 400
        return _csrf_page()

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        code = err.code or 500
        if code == 401 and not _wants_json():
            return err
        if code == 429 and err.description == login_locked_message():
            return _error_page(429, err.description)
        return _error_page(code)

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def _out_of_range(err: Exception):
        # A number too large for the database column (e.g. an id of 2^63 typed into a form field).
        db.session.rollback()
        return _error_page(400, _("输入的数值超出允许范围，请检查后重新填写。"))

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        return _error_page(500)

    from renovation.core.pdf import environment_problems

    for problem in environment_problems():
        app.logger.warning(problem)


def _error_page(code: int, text: str | None = None):
    from flask import current_app

    limit = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
    title = str(ERROR_TITLES.get(code, _("出错了")))
    body = text or (ERROR_TEXTS[code] % {"limit": limit} if code in ERROR_TEXTS else _("请求无法完成。"))
    if _wants_json():
        return jsonify(error=body), code
    return render_template("errors/error.html", code=code, title=title, text=body), code
