"""core.events: an announced event reaches the handlers subscribed to its name (and to '*'), in the
caller's transaction; with no handler nothing happens."""

from renovation.core import events


def test_handlers_get_the_event_with_its_facts_and_actor(app, world):
    seen = []
    events.subscribe(app, "ballot.opened", lambda e: seen.append(("named", e.name, e.facts, e.actor_id)))
    events.subscribe(app, "*", lambda e: seen.append(("all", e.name)))
    try:
        events.announce("ballot.opened", actor=world["squad_a"], ballot_id=7, closes_on="2026-12-21")
        events.announce("problem.status", actor=None, problem_id=3)
    finally:
        app.extensions[events._KEY].pop("ballot.opened")
        app.extensions[events._KEY].pop("*")
    assert seen == [
        ("named", "ballot.opened", {"ballot_id": 7, "closes_on": "2026-12-21"}, world["squad_a"].id),
        ("all", "ballot.opened"),
        ("all", "problem.status"),
    ]


def test_an_event_nobody_listens_to_is_returned_and_harmless(app):
    event = events.announce("nobody.listens", answer=42)
    assert event.name == "nobody.listens" and event.facts == {"answer": 42} and event.actor_id is None
