"""Structured logs: JSON lines with the request id, and the id sent back in X-Request-ID."""

import json
import logging

from renovation import create_app
from renovation.core.logs import JsonFormatter, RequestIdFilter


def test_request_id_is_echoed_or_made(client):
    assert client.get("/healthz", headers={"X-Request-ID": "nginx-abc-12345"}).headers["X-Request-ID"] == \
        "nginx-abc-12345"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id; with spaces"}).headers["X-Request-ID"]
    assert len(made) == 32 and made != "bad id; with spaces"


def test_json_lines_carry_the_request_id_and_status(db_config, capsys):
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": "sqlite://", "LOG_JSON": True})
    app.test_client().get("/healthz", headers={"X-Request-ID": "req-0001-abcd"})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    request_line = next(line for line in lines if line["logger"] == "renovation.request")
    assert request_line["request_id"] == "req-0001-abcd" and request_line["path"] == "/healthz"
    assert request_line["status"] == 200 and request_line["method"] == "GET" and request_line["duration_ms"] >= 0


def test_formatter_writes_chinese_and_tracebacks():
    record = logging.LogRecord("renovation", logging.ERROR, __file__, 1, "导入失败：%s", ("名册.csv",), None)
    try:
        raise ValueError("坏数据")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    RequestIdFilter().filter(record)
    out = json.loads(JsonFormatter().format(record))
    assert out["message"] == "导入失败：名册.csv" and out["level"] == "ERROR"
    assert "ValueError: 坏数据" in out["exception"] and "request_id" not in out
