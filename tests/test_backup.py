"""`flask backup` / `flask restore`: a backup restored into an EMPTY database holds every vote, with the
same hashes (the chain verifies), on SQLite (backup API) and on PostgreSQL (pg_dump/pg_restore)."""

import uuid
from datetime import timedelta

from sqlalchemy import create_engine, select, text

from renovation.core.backup import backup_database, restore_database, schema_from_engine_options
from renovation.core.db import utcnow
from renovation.extensions import db
from renovation.voting.models import Ballot, BallotItem, BallotStatus, Choice, Vote
from renovation.voting.services import cast_vote
from tests.conftest import PG_URL, _pg_url

VOTE_COLUMNS = "SELECT id, ballot_id, household_id, is_current, receipt_code, prev_hash, record_hash FROM vote ORDER BY id"


def _cast_votes(world) -> list[tuple]:
    ballot = Ballot(project_id=world["project_a"].id, title="道路改造表决", status=BallotStatus.OPEN,
                    opens_at=utcnow(), closes_at=utcnow() + timedelta(days=7))
    db.session.add(ballot)
    db.session.flush()
    item = BallotItem(ballot_id=ballot.id, title="道路改造")
    db.session.add(item)
    db.session.flush()
    hh = world["households_a"]
    cast_vote(world["resident_a"], ballot, hh[0], {item.id: Choice.AGREE})
    cast_vote(world["resident_a2"], ballot, hh[1], {item.id: Choice.AGAINST})
    cast_vote(world["supervisor_a"], ballot, hh[2], {item.id: Choice.ABSTAIN})
    cast_vote(world["resident_a"], ballot, hh[0], {item.id: Choice.AGAINST})  # a change: a 4th version
    for h in hh[3:8]:  # five paper ballots entered by the squad
        cast_vote(world["squad_a"], ballot, h, {item.id: Choice.AGREE}, channel=_paper())
    db.session.commit()
    return [tuple(r) for r in db.session.execute(text(VOTE_COLUMNS))]


def _paper():
    from renovation.voting.models import Channel

    return Channel.PAPER


def test_backup_restores_every_vote_into_an_empty_database(app, world, tmp_path):
    votes = _cast_votes(world)
    # 3 online votes + 1 changed vote + 5 paper votes = 9 vote rows, 8 of them current.
    assert len(votes) == 9 and sum(1 for v in votes if v[3]) == 8
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    schema = schema_from_engine_options(app.config.get("SQLALCHEMY_ENGINE_OPTIONS"))
    dump = backup_database(url, tmp_path / "backup.dump", schema=schema)
    assert dump.stat().st_size > 0

    if url.startswith("sqlite"):
        target_url = f"sqlite:///{tmp_path / 'empty.db'}"
        restore_database(target_url, dump)
        engine = create_engine(target_url)
    else:
        name = f"restore_{uuid.uuid4().hex[:10]}"
        admin = create_engine(_pg_url(PG_URL), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        target_url = admin.url.set(database=name).render_as_string(hide_password=False)
        restore_database(target_url, dump)
        engine = create_engine(target_url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        with engine.connect() as conn:
            restored = [tuple(r) for r in conn.execute(text(VOTE_COLUMNS))]
            choices = conn.execute(text("SELECT count(*) FROM vote_choice")).scalar()
    finally:
        engine.dispose()
        if not url.startswith("sqlite"):
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            admin.dispose()
    assert restored == votes and choices == 9
    # The chain still verifies on the restored rows: each prev_hash is the previous record's hash.
    chain = [(v[5], v[6]) for v in restored]
    assert all(chain[i][0] == chain[i - 1][1] for i in range(1, len(chain)))


def test_cli_backup_then_restore_brings_back_the_backed_up_state(app, world, tmp_path):
    _cast_votes(world)
    runner = app.test_cli_runner()
    path = tmp_path / "cli.dump"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0 and "已备份到" in result.output
    # A vote row added after the backup disappears with the restore.
    db.session.execute(text("DELETE FROM vote_choice WHERE vote_id = (SELECT max(id) FROM vote)"))
    db.session.execute(text("DELETE FROM vote WHERE id = (SELECT max(id) FROM vote)"))
    db.session.commit()
    assert len(db.session.scalars(select(Vote.id)).all()) == 8
    db.session.remove()
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert len(db.session.scalars(select(Vote.id)).all()) == 9


def test_restore_refuses_a_missing_file(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "none.dump"), "--yes"])
    assert result.exit_code != 0
