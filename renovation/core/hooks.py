"""Hooks that feature areas fill at app creation, so that core never imports an area.

Core serves things whose rules belong to an area: a stored file is core's (``/files/<id>``), but who
may fetch it is decided by the area that owns what the file belongs to (a project's photo, a household's
ballot scan: ``Upload.owner_kind``). The area registers its answer here from its ``init_app``; core asks through
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
    hooks = app.extensions.setdefault(_KEY, {})
    hooks.setdefault("upload_access", {})
    hooks.setdefault("personal_uploads", set())
    return hooks


def register_upload_access(app: Flask, kind: str, check: UploadAccess, *, personal: bool = False) -> None:
    """Say who may fetch stored uploads of ``kind`` (e.g. 'project': files attached to a project;
    'vote_scan': the signed paper ballot of one vote). ``personal``: the files are a household's personal
    documents (a ballot scan, a proxy letter with an ID-card copy, a photo taken inside a home): every
    fetch by someone other than the household is written to the audit log (``personal_data.view``).

    Raises ValueError if ``kind`` already has a check (two areas must not both decide for one kind).
    """
    hooks = _hooks(app)
    checks = hooks["upload_access"]
    if kind in checks:
        raise ValueError(f"upload access for {kind!r} is already registered")
    checks[kind] = check
    if personal:
        hooks["personal_uploads"].add(kind)


def registered_upload_kinds(app: Flask) -> list[str]:
    """The kinds of upload that have an access rule, sorted (the access matrix has a row for each)."""
    return sorted(_hooks(app)["upload_access"])


def upload_kind(upload) -> str:
    """The kind of owner an upload belongs to (``Upload.owner_kind``); 'project' when it has none."""
    return getattr(upload, "owner_kind", None) or "project"


def is_personal_upload(upload) -> bool:
    """True when ``upload``'s kind was registered as a household's personal documents."""
    return upload_kind(upload) in _hooks(current_app)["personal_uploads"]


def may_fetch_upload(user, upload) -> bool:
    """True when the check registered for the upload's kind allows ``user``; False when no area has
    registered one (deny by default)."""
    check = _hooks(current_app)["upload_access"].get(upload_kind(upload))
    return bool(check and check(user, upload))
