"""20 concurrent submissions for one household: exactly one current vote, no server error, a clear answer
for each. Every request runs in its own thread with its own app context and database session; on
PostgreSQL the ballot row lock serialises them, on SQLite the write lock does."""

import threading
from datetime import timedelta

from sqlalchemy import func, select

from renovation.core.db import utcnow
from renovation.extensions import db
from renovation.voting import services
from renovation.voting.models import Vote
from tests.factories import csrf_from

N = 20


def test_twenty_concurrent_submissions_for_one_household(app, client, world, login):
    ballot = services.create_ballot(world["squad_a"], world["project_a"], title="并发表决",
                                    item_ids=[i.id for i in world["items_a"]], closes_at=utcnow() + timedelta(days=7))
    services.open_ballot(world["squad_a"], ballot)
    db.session.commit()
    ballot_id, household_id = ballot.id, world["households_a"][0].id
    item_ids = [i.id for i in ballot.items]
    login("resident_a")
    token = csrf_from(client.get(f"/voting/{ballot_id}/vote").get_data(as_text=True))
    cookie = client.get_cookie("session").value

    clients = []
    for _ in range(N):
        c = app.test_client()
        c.set_cookie("session", cookie)
        clients.append(c)
    barrier = threading.Barrier(N)
    results: list = [None] * N

    def submit(n: int):
        data = {"csrf_token": token, "household_id": household_id, "step": "confirm"}
        data.update({f"item_{i}": ("agree" if n % 2 else "against") for i in item_ids})
        barrier.wait()
        try:
            resp = clients[n].post(f"/voting/{ballot_id}/vote", data=data)
            results[n] = (resp.status_code, resp.headers.get("Location", ""))
        except Exception as err:  # noqa: BLE001 - any exception is a failure we want to report
            results[n] = (0, repr(err))

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(r is not None for r in results), results
    assert {code for code, _ in results} == {302}, results  # no 500, no exception
    receipts = [loc for _, loc in results if "/voting/receipt/" in loc]
    # the others got the Chinese "already submitted" message (flash, shown on their next page)
    for n, (_, loc) in enumerate(results):
        if "/voting/receipt/" not in loc:
            html = clients[n].get(f"/voting/{ballot_id}").get_data(as_text=True)
            assert "刚刚已被提交" in html
    db.session.expire_all()
    current = db.session.scalar(select(func.count(Vote.id)).where(
        Vote.ballot_id == ballot_id, Vote.household_id == household_id, Vote.is_current.is_(True)))
    versions = db.session.scalar(select(func.count(Vote.id)).where(Vote.ballot_id == ballot_id))
    assert current == 1
    assert versions == len(receipts) >= 1  # every success is a kept version; each loser wrote nothing
    assert services.verify_chain(db.session.get(type(ballot), ballot_id)) is None  # the chain stays linear
    # timestamps follow the chain: cast_at non-decreasing in id order; each superseded_at is the next cast_at
    versions = db.session.scalars(select(Vote).where(Vote.ballot_id == ballot_id).order_by(Vote.id)).all()
    assert all(a.cast_at <= b.cast_at for a, b in zip(versions, versions[1:], strict=False))
    assert all(a.superseded_at == b.cast_at for a, b in zip(versions, versions[1:], strict=False))
