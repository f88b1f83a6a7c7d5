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
