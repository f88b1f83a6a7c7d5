"""Migrations: a single head; upgrading an empty database to head gives exactly the models' schema."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from renovation import create_app
from renovation.extensions import db
from tests.conftest import PG_URL, _pg_url


@pytest.fixture
def empty_db_config(tmp_path):
    if PG_URL:
        schema = f"mig_{uuid.uuid4().hex[:12]}"
        url = _pg_url(PG_URL)
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield {"DATABASE_URL": url,
               "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}}}
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    else:
        yield {"DATABASE_URL": f"sqlite:///{tmp_path / 'mig.db'}"}


def test_single_head():
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        assert len(script.get_heads()) == 1


def test_upgrade_from_empty_matches_models(empty_db_config):
    app = create_app({"TESTING": True, **empty_db_config})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, db.metadata)
        db.engine.dispose()
    assert diff == []


def test_0020_gives_old_uploads_their_owner_and_takes_choices_out_of_vote_audit_rows(empty_db_config):
    """Rows written before 0020: a paper ballot's scan and a repair photo become personal documents of their
    vote and repair request; a vote's audit row loses its choices and receipt code and gains the hash."""
    import json

    app = create_app({"TESTING": True, **empty_db_config})
    with app.app_context():
        upgrade(revision="0004")
        pg = db.engine.dialect.name == "postgresql"
        with db.engine.begin() as conn:
            # Only the rows the migration reads; their parents are left out (foreign keys off for the set-up).
            conn.execute(text("SET session_replication_role = replica" if pg else "PRAGMA foreign_keys=OFF"))
            for uid in (1, 2, 3):
                conn.execute(text(
                    "INSERT INTO upload (id, sha256, original_name, content_type, extension, size, uploaded_at) "
                    "VALUES (:id, 'ab', '选票.jpg', 'image/jpeg', 'jpg', 10, CURRENT_TIMESTAMP)"), {"id": uid})
            conn.execute(text(
                "INSERT INTO vote (id, ballot_id, household_id, channel, cast_at, is_current, receipt_code, "
                "scan_upload_id, record_hash) VALUES (7, 1, 1, 'paper', CURRENT_TIMESTAMP, :t, 'ABCD2345', 1, 'h7')"),
                {"t": True})
            conn.execute(text(
                "INSERT INTO repair_request (id, project_id, category_id, target_hours, location, photo_id, status, "
                "created_at) VALUES (3, 1, 1, 24, '厨房', 2, 'submitted', CURRENT_TIMESTAMP)"))
            after = json.dumps({"household_id": 1, "channel": "paper", "receipt": "ABCD2345", "choices": {"5": "agree"}})
            conn.execute(text("INSERT INTO audit_log (id, at, action, object_type, object_id, after) "
                              "VALUES (1, CURRENT_TIMESTAMP, 'vote.cast', 'Vote', 7, :after)"), {"after": after})
            if pg:
                conn.execute(text("SET session_replication_role = origin"))
        upgrade()
        with db.engine.connect() as conn:
            owners = conn.execute(text("SELECT id, owner_kind, owner_id FROM upload ORDER BY id")).all()
            row = conn.execute(text("SELECT after FROM audit_log WHERE id = 1")).scalar()
        db.engine.dispose()
    assert [tuple(r) for r in owners] == [(1, "vote_scan", 7), (2, "repair", 3), (3, None, None)]
    row = row if isinstance(row, dict) else json.loads(row)
    assert row == {"household_id": 1, "channel": "paper", "record_hash": "h7"}
