"""A disk cache of rendered reports, keyed by the fingerprint of the data they show.

A report's plain context (renovation.reports.services) is cheap to build (tens of milliseconds, a fixed
number of statements) while WeasyPrint takes about a second for a large compound. So each request builds
the context, hashes it (renovation.reports.rules.fingerprint, salted with the template's own hash) and
returns the PDF stored under that hash if there is one; otherwise it renders, stores and returns it.
The file is found again exactly when nothing the report shows has changed, whatever table the change
was in and whether that table has timestamps or not (docs/reports.md compares this with a timestamp
fingerprint).

Layout: ``<REPORT_CACHE_FOLDER or instance/report-cache>/<name>-<fingerprint[:32]>.pdf``; ``name`` says
which report and period (e.g. ``project-7-2020-W43``). Only the newest file of a name is kept. Two
requests for the same missing report wait on one lock file and render once. Files are written to a
temporary name and renamed, so a reader never sees half a PDF.
"""

import fcntl
import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

from flask import current_app

from renovation.reports.rules import fingerprint

_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


def cache_folder() -> Path:
    """The cache folder: config REPORT_CACHE_FOLDER, else ``<instance>/report-cache`` (created)."""
    folder = Path(current_app.config.get("REPORT_CACHE_FOLDER") or Path(current_app.instance_path) / "report-cache")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def template_version(*names: str) -> str:
    """SHA-256 of the templates ``names`` (e.g. 'pdf/progress_report.html'): a new template changes
    every key, so a deployment never serves a PDF drawn by the old layout."""
    env = current_app.jinja_env
    h = hashlib.sha256()
    for name in names:
        h.update(env.loader.get_source(env, name)[0].encode())
    return h.hexdigest()


def get_or_render(name: str, context: dict, render: Callable[[dict], bytes], *salt: str) -> tuple[bytes, bool]:
    """(PDF bytes, True if it came from the cache) for the report ``name`` with ``context``.

    ``render(context)`` is called only when no file holds this fingerprint. ``name`` must be a short ASCII
    name ([A-Za-z0-9_.-]); raises ValueError otherwise (it becomes part of a file name).
    """
    if not _SAFE_NAME.match(name):
        raise ValueError(f"bad cache name {name!r}")
    folder = cache_folder()
    key = fingerprint(context, *salt)[:32]
    path = folder / f"{name}-{key}.pdf"
    if path.is_file():
        return path.read_bytes(), True
    with open(folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a second request for the same report waits for the first
        try:
            if path.is_file():
                return path.read_bytes(), True
            data = render(context)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
            for old in folder.glob(f"{name}-*.pdf"):
                if old != path and re.fullmatch(re.escape(name) + r"-[0-9a-f]{32}\.pdf", old.name):
                    old.unlink(missing_ok=True)
            return data, False
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
