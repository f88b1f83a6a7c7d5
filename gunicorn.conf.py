"""gunicorn settings for production: `make serve` or `gunicorn -c gunicorn.conf.py wsgi:app`.

Override with environment variables: RENOVATION_BIND (default 127.0.0.1:8000), RENOVATION_WORKERS.
"""

import multiprocessing
import os

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
