"""Test fixtures: an app on SQLite (default) or on PostgreSQL when RENOVATION_TEST_DATABASE_URL is set.

On PostgreSQL each test session creates its own schema and drops it at the end.
"""

import os
import re
import uuid

import pytest
from sqlalchemy import create_engine, text

from renovation import create_app
from renovation.extensions import db
from tests import factories

PG_URL = os.environ.get("RENOVATION_TEST_DATABASE_URL")


def _pg_url(url: str) -> str:
    return re.sub(r"^postgres(ql)?(\+psycopg)?://", "postgresql+psycopg://", url)


@pytest.fixture(scope="session")
def db_config(tmp_path_factory):
    """Config pointing at a fresh database: a SQLite file, or a new PostgreSQL schema."""
    uploads = str(tmp_path_factory.mktemp("uploads"))
    if PG_URL:
        schema = f"test_{uuid.uuid4().hex[:12]}"
        url = _pg_url(PG_URL)
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        cfg = {
            "DATABASE_URL": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"},
                                          "pool_pre_ping": True},
            "UPLOAD_FOLDER": uploads,
            "TEST_SCHEMA": schema,
        }
        yield cfg
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    else:
        path = tmp_path_factory.mktemp("db") / "test.db"
        yield {"DATABASE_URL": f"sqlite:///{path}", "UPLOAD_FOLDER": uploads}


@pytest.fixture(scope="session")
def _app(db_config):
    app = create_app({"TESTING": True, "SECRET_KEY": "test", **db_config})
    with app.app_context():
        db.create_all()
    return app


def _wipe():
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for t in tables:
            db.session.execute(t.delete())
    db.session.commit()


@pytest.fixture
def app(_app):
    """The app with an empty database (all tables wiped after the test), inside an app context."""
    with _app.app_context():
        yield _app
        db.session.rollback()
        _wipe()
        db.session.remove()
        from renovation.core.security import limiter

        limiter.reset()  # failed-login counts (memory://) must not leak from one test into the next


@pytest.fixture
def client(app):
    """A test client (CSRF on, as in production)."""
    return app.test_client()


@pytest.fixture
def world(app):
    """The small hand-made world of tests/factories.py (two compounds, every role)."""
    return factories.make_world()


@pytest.fixture
def login(client):
    """login(username) logs the client in through the real form, CSRF token included."""

    def _login(username: str, password: str = factories.PASSWORD):
        page = client.get("/login")
        token = factories.csrf_from(page.get_data(as_text=True))
        resp = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        return resp

    return _login


@pytest.fixture
def logout(client):
    """logout() logs the current user out through the real POST form."""

    def _logout():
        token = factories.csrf_from(client.get("/", follow_redirects=True).get_data(as_text=True))
        client.post("/logout", data={"csrf_token": token})

    return _logout
