"""A process killed (SIGKILL) in the middle of a write leaves the database as it was before: a roster
import, a plan save and a vote, each killed inside its transaction after its rows were flushed.

Each write runs in a child process on the same database; ``audit.record`` (every service's last step,
after the flushes) is replaced by a SIGKILL of the child. SQLite (WAL) and PostgreSQL both drop the
uncommitted transaction. A plain exception inside the transaction is tested too (the request rolls back)."""

import json
import os
import signal
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select, text

from renovation.core.models import AuditLog
from renovation.extensions import db
from renovation.org.models import Household, Owner
from renovation.planning.models import FundingSource, Plan
from renovation.projects.models import ProjectItemStatus
from renovation.projects.rules import Stage
from renovation.voting.models import Vote, VoteChoice

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    import json, os, signal, sys
    from renovation import create_app
    from renovation.core import audit
    from renovation.extensions import db
    cfg = json.loads(os.environ["W8_CFG"])
    app = create_app({"TESTING": True, "SECRET_KEY": "t", **cfg})
    calls = []
    real = audit.record

    def kill_at_last(user, action, obj, **kw):
        calls.append(action)
        if action == os.environ["W8_KILL_AT"]:
            db.session.flush()            # everything is written inside the open transaction...
            os.kill(os.getpid(), signal.SIGKILL)   # ...and the process dies before COMMIT
        return real(user, action, obj, **kw)

    audit.record = kill_at_last
    with app.app_context():
        exec(sys.stdin.read())
        db.session.commit()
    print("not killed")
""")


def _run_killed(app, kill_at: str, code: str) -> None:
    cfg = {k: app.config[k] for k in ("DATABASE_URL", "UPLOAD_FOLDER")}
    if "SQLALCHEMY_ENGINE_OPTIONS" in app.config and app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    env = dict(os.environ, W8_CFG=json.dumps(cfg), W8_KILL_AT=kill_at)
    done = subprocess.run([sys.executable, "-c", CHILD], input=textwrap.dedent(code), cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, (done.returncode, done.stdout, done.stderr[-1500:])
    db.session.remove()  # read what is really in the database now


def _counts():
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m))
            for m in (Household, Owner, AuditLog, Vote, VoteChoice, FundingSource)}


def test_killed_roster_import_leaves_the_register_as_it_was(app, world):
    before = _counts()
    assert (before["Household"], before["Owner"]) == (14, 14)  # 12 in A + 2 in B, one owner each
    _run_killed(app, "roster.import", f"""
        from renovation.accounts.models import User
        from renovation.roster import services
        from renovation.projects.models import Project
        rows = "楼号,单元,房号,建筑面积（㎡）,业主姓名,联系电话,身份证号,业主类型\\n" + "".join(
            f"1号楼,1单元,{{r}},80,业主{{r}},13900000{{r}},,\\n" for r in range(401, 431))
        user = db.session.get(User, {world['squad_a'].id})
        services.apply_import(user, db.session.get(Project, {world['project_a'].id}), rows.encode(), "名册.csv")
    """)
    assert _counts() == before  # 30 dwellings and owners were flushed, none survived the kill


def _planning_world(world):
    pa = world["project_a"]
    pa.stage = Stage.PLANNING
    item = world["items_a"][0]
    item.status = ProjectItemStatus.ADOPTED
    db.session.add(Plan(project_id=pa.id, title="测试方案"))
    db.session.commit()
    return item


def test_killed_plan_save_leaves_the_item_as_it_was(app, world):
    item = _planning_world(world)
    before = _counts()
    budget_before = item.budget  # 300,000.00 yuan from the factory
    _run_killed(app, "plan.item_update", f"""
        from decimal import Decimal
        from renovation.accounts.models import User
        from renovation.planning import services
        from renovation.planning.models import FundingKind
        from renovation.projects.models import Project, ProjectItem
        services.update_item(db.session.get(Project, {world['project_a'].id}),
                             db.session.get(ProjectItem, {item.id}), db.session.get(User, {world['squad_a'].id}),
                             quantity=Decimal("1200"), unit="米", unit_price=Decimal("150"), budget=None,
                             contractor_id=None, planned_start=None, planned_end=None,
                             funding={{FundingKind.CENTRAL_SUBSIDY: Decimal("100000"), FundingKind.RESIDENTS: Decimal("80000")}})
    """)
    assert _counts() == before
    row = db.session.execute(text("SELECT budget, quantity FROM project_item WHERE id = :i"), {"i": item.id}).one()
    assert Decimal(row[0]) == budget_before == Decimal("300000.00") and row[1] is None


def test_killed_vote_leaves_no_vote(app, world):
    from datetime import timedelta

    from renovation.core.db import utcnow
    from renovation.voting.models import Ballot, BallotItem, BallotStatus

    ballot = Ballot(project_id=world["project_a"].id, title="表决", status=BallotStatus.OPEN, opens_at=utcnow(),
                    closes_at=utcnow() + timedelta(days=3))
    db.session.add(ballot)
    db.session.flush()
    bi = BallotItem(ballot_id=ballot.id, title="天然气入户")
    db.session.add(bi)
    db.session.commit()
    before = _counts()
    _run_killed(app, "vote.cast", f"""
        from renovation.accounts.models import User
        from renovation.org.models import Household
        from renovation.voting.models import Ballot, Choice
        from renovation.voting.services import cast_vote
        cast_vote(db.session.get(User, {world['resident_a'].id}), db.session.get(Ballot, {ballot.id}),
                  db.session.get(Household, {world['households_a'][0].id}), {{{bi.id}: Choice.AGREE}})
    """)
    assert _counts() == before and before["Vote"] == 0


def test_an_error_inside_the_plan_save_rolls_the_request_back(client, world, login, monkeypatch):
    from renovation.core import audit

    item = _planning_world(world)
    before = _counts()

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", boom)
    login("squad_a")
    url = f"/planning/projects/{world['project_a'].id}/items/{item.id}"
    page = client.get(url).get_data(as_text=True)
    from tests.factories import csrf_from

    resp = client.post(url, data={"csrf_token": csrf_from(page), "quantity": "1200", "unit_price": "150",
                                  "fund_central_subsidy": "100000"})
    assert resp.status_code == 500 and "服务器处理时出错" in resp.get_data(as_text=True)
    db.session.remove()
    assert _counts() == before
    assert db.session.scalar(select(func.count()).select_from(FundingSource)) == 0
