"""gunicorn settings for production: `make serve` or `gunicorn -c gunicorn.conf.py wsgi:app`.

Override with environment variables: RENOVATION_BIND (default 127.0.0.1:8000), RENOVATION_WORKERS.
RENOVATION_SECRET_KEY (at least 32 bytes) must be in the environment: without it gunicorn does not start.
Production defaults set here unless already in the environment (docs/deploy.md):
- RENOVATION_SESSION_COOKIE_SECURE=1: cookies only over HTTPS (nginx terminates TLS);
- RENOVATION_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379: failed-login counts shared by every worker;
- RENOVATION_LOG_JSON=1: one JSON object per log line, with the request id;
- RENOVATION_PROXY_COUNT=1: trust X-Forwarded-For/-Proto from the one nginx in front.
"""

import multiprocessing
import os
import sys

# Production never signs cookies with the development key file: the key comes from the environment
# (EnvironmentFile of the systemd unit, docs/deploy.md), at least 32 bytes, or gunicorn does not start.
if len(os.environ.get("RENOVATION_SECRET_KEY", "").encode()) < 32:
    sys.exit("RENOVATION_SECRET_KEY 未设置或短于 32 字节，拒绝启动（见 docs/deploy.md）。 / "
             "RENOVATION_SECRET_KEY is missing or shorter than 32 bytes: refusing to start.")

for _name, _value in (("RENOVATION_SESSION_COOKIE_SECURE", "1"),
                      ("RENOVATION_RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379"),
                      ("RENOVATION_LOG_JSON", "1"),
                      ("RENOVATION_PROXY_COUNT", "1")):
    os.environ.setdefault(_name, _value)

bind = os.environ.get("RENOVATION_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("RENOVATION_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = 2
timeout = 60
accesslog = "-"
errorlog = "-"
# Behind a reverse proxy (nginx) that sets X-Forwarded-*; see docs/deploy.md.
forwarded_allow_ips = os.environ.get("RENOVATION_FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Render a tiny Chinese PDF once per worker: loading the CJK font costs ~1-2 s, paid here instead of by
    the first leader who downloads a report."""
    try:
        from renovation.core.pdf import render_pdf

        render_pdf('<p style="font-family: \'Noto Sans CJK SC\'">预热</p>', base_dir="/tmp", allowed_roots=[])
    except Exception as exc:  # noqa: BLE001 - a warm-up failure must never stop a worker
        worker.log.warning("PDF warm-up failed: %s", exc)
