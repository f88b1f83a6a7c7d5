"""Structured logs: one JSON object per line through the standard logging module, with a request id.

Every request gets an id (the proxy's ``X-Request-ID`` when it is a short token, else a new one),
sent back in the ``X-Request-ID`` response header and added to every log record written while the
request runs, so one line in nginx's log leads to the app's lines for the same request.
"""

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str | None:
    """The id of the request being served, or None outside a request."""
    if has_request_context():
        return getattr(g, "request_id", None)
    return None


class RequestIdFilter(logging.Filter):
    """Adds ``request_id``, ``method``, ``path`` and ``user_id`` to each record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        if has_request_context():
            record.method = request.method
            record.path = request.path
            record.user_id = getattr(g, "log_user_id", None)
        return True


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON line: time (UTC ISO 8601), level, logger, message, request id, and
    the exception's traceback when there is one. Chinese text is written as is (UTF-8)."""

    FIELDS = ("request_id", "method", "path", "user_id", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in self.FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                out[name] = value
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def init_app(app: Flask) -> None:
    """Give each request an id; with LOG_JSON, log JSON lines to stderr (app and request logs)."""
    request_log = logging.getLogger("renovation.request")

    @app.before_request
    def _request_id():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response):
        rid = getattr(g, "request_id", None)
        if rid:
            response.headers["X-Request-ID"] = rid
        if app.config.get("LOG_JSON") and hasattr(g, "request_started"):
            from flask_login import current_user

            g.log_user_id = getattr(current_user, "id", None) if current_user else None
            request_log.info("request", extra={
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 1)})
        return response

    if app.config.get("LOG_JSON"):
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        handler.addFilter(RequestIdFilter())
        for logger in (app.logger, request_log):
            logger.handlers[:] = [handler]
            logger.setLevel(logging.INFO)
            logger.propagate = False
