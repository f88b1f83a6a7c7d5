"""Hooks that feature areas fill at app creation, so that core never imports an area.

Core serves things whose rules belong to an area: a stored file is core's (``/files/<id>``), but who
may fetch it is decided by the area that owns what the file belongs to (a project's photo, later a
household's ballot scan). The area registers its answer here from its ``init_app``; core asks through
:func:`may_fetch_upload`. See docs/architecture.md.

The hooks live on the app (``app.extensions``), not in module globals, so two apps in one process (the
tests build several) do not share them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

_KEY = "renovation.hooks"

#: ``check(user, upload) -> bool``: True when ``user`` may fetch ``upload``.
UploadAccess = Callable[[Any, Any], bool]


def _hooks(app: Flask) -> dict:
    return app.extensions.setdefault(_KEY, {"upload_access": {}})


def register_upload_access(app: Flask, kind: str, check: UploadAccess) -> None:
    """Say who may fetch stored uploads of ``kind`` (e.g. 'project': files attached to a project).

    Raises ValueError if ``kind`` already has a check (two areas must not both decide for one kind).
    """
    checks = _hooks(app)["upload_access"]
    if kind in checks:
        raise ValueError(f"upload access for {kind!r} is already registered")
    checks[kind] = check


def upload_kind(upload) -> str:
    """The kind of owner an upload belongs to; every upload today is a project's ('project')."""
    return getattr(upload, "owner_kind", None) or "project"


def may_fetch_upload(user, upload) -> bool:
    """True when the check registered for the upload's kind allows ``user``; False when no area has
    registered one (deny by default)."""
    check = _hooks(current_app).get("upload_access", {}).get(upload_kind(upload))
    return bool(check and check(user, upload))
