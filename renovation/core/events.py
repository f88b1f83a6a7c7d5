"""Domain events: services announce what happened; who is told, and how, is decided in one place.

A service calls :func:`announce` with the event's name and its facts (plain values: ids, dates, counts)
after its change is flushed, inside the same transaction. Handlers registered with :func:`subscribe`
(by the notifications area, from its ``init_app``) run at once, in that transaction: a handler writes rows
(an in-app notice, a delivery to queue) that commit or roll back with the change itself, so a refused or
failed request tells nobody. Slow work (an SMS, a PDF) is not done in a handler: it is queued.

Event names are dotted, area first: ``ballot.opened``, ``vote.replaced_by_paper``, ``problem.status``.
Each area lists the events it announces in its ``events.py`` docstring or beside the call; the catalogue
of events and who is told lives with the notifications area (docs/notifications.md, once written).

Handlers live on the app (``app.extensions``), so two apps in one process do not share them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, has_app_context

_KEY = "renovation.events"

#: ``handler(event)``; the handler may read ``event.name``, ``event.facts`` and ``event.actor_id``.
Handler = Callable[["Event"], None]


@dataclass(frozen=True)
class Event:
    """Something that happened. ``facts``: plain values (ids, ISO dates, counts), never ORM objects, so the
    event can be queued as it is. ``actor_id``: the user who caused it (None for the system)."""

    name: str
    facts: dict[str, Any] = field(default_factory=dict)
    actor_id: int | None = None


def subscribe(app: Flask, name: str, handler: Handler) -> None:
    """Call ``handler`` for every event called ``name`` (``'*'``: every event) announced in ``app``."""
    app.extensions.setdefault(_KEY, {}).setdefault(name, []).append(handler)


def announce(name: str, *, actor=None, **facts) -> Event:
    """Announce event ``name`` with ``facts`` to its handlers (none registered: nothing happens).

    ``actor``: the acting user (or None). Returns the Event. A handler's exception propagates: the
    caller's transaction then rolls back, as for any failed write."""
    event = Event(name=name, facts=facts, actor_id=getattr(actor, "id", None))
    if not has_app_context():
        return event
    handlers = current_app.extensions.get(_KEY, {})
    for handler in (*handlers.get(name, ()), *handlers.get("*", ())):
        handler(event)
    return event
