"""Facts that the stage areas contribute to a project's gates, registered at app creation.

The stage machine (projects) sits below the stage areas, so it must not reach up into their tables.
Instead each area says, from its ``init_app``, which facts it knows about a project: wishes the consenting
households, planning the plan's approval and notice, construction the acceptance and open problems,
aftercare the handover and the satisfaction survey. :func:`collect` merges them into the keyword
arguments of ``rules.GateFacts`` / ``rules.CloseFacts`` (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from flask import Flask, current_app

_KEY = "renovation.project_facts"

Kind = Literal["gate", "close"]
#: ``provider(project) -> {field: value}`` with fields of GateFacts ('gate') or CloseFacts ('close').
Provider = Callable[[object], dict]


def register(app: Flask, kind: Kind, provider: Provider) -> None:
    """Add ``provider`` to the facts of ``kind`` ('gate' for stage moves, 'close' for 结项)."""
    app.extensions.setdefault(_KEY, {"gate": [], "close": []})[kind].append(provider)


def collect(kind: Kind, project) -> dict:
    """The facts of ``kind`` that the registered areas know about ``project``, merged into one dict.

    Raises ValueError if two areas claim the same fact (each fact has one owner)."""
    merged: dict = {}
    for provider in current_app.extensions.get(_KEY, {}).get(kind, ()):
        facts = provider(project)
        clash = merged.keys() & facts.keys()
        if clash:
            raise ValueError(f"project facts {sorted(clash)} are provided twice")
        merged.update(facts)
    return merged
