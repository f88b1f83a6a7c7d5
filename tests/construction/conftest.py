"""Fixtures of construction tests: project A under construction, with a firm and planned dates."""

import io
from datetime import timedelta

import pytest
from PIL import Image

from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.planning.models import Contractor, ContractorKind
from renovation.projects.models import ProjectItemStatus
from renovation.projects.rules import Stage
from tests.factories import csrf_from


@pytest.fixture
def site(world):
    """The world with project A in construction: both items adopted, the gas item planned from 10 days
    ago to 10 days ahead (planned 50% today), and one construction firm."""
    project = world["project_a"]
    project.stage = Stage.CONSTRUCTION
    today = local_today()
    gas, road = world["items_a"]
    for item in (gas, road):
        item.status = ProjectItemStatus.ADOPTED
    gas.planned_start, gas.planned_end = today - timedelta(days=10), today + timedelta(days=10)
    firm = Contractor(project_id=project.id, name="郑州某建设工程有限公司", kind=ContractorKind.CONSTRUCTION)
    db.session.add(firm)
    db.session.commit()
    return {**world, "firm": firm, "gas": gas, "road": road}


def token(client, url="/"):
    """A CSRF token from a page (the logout form is on every page)."""
    return csrf_from(client.get(url, follow_redirects=True).get_data(as_text=True))


def png_bytes(size=(40, 30)) -> bytes:
    """A small PNG photo."""
    out = io.BytesIO()
    Image.new("RGB", size, "blue").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def switch(client, login):
    """switch(username): log out whoever is logged in and log in ``username``."""

    def _switch(username):
        client.post("/logout", data={"csrf_token": token(client)})
        login(username)

    return _switch


def statements_for(client, url) -> int:
    """SQL statements run by GET ``url`` (which must answer 200) in a fresh app context: a session of its
    own, so objects the test loaded before cannot hide queries."""
    from flask import current_app
    from sqlalchemy import event

    count = 0

    def _count(*_args):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        with current_app._get_current_object().app_context():
            assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)
    return count


def jpeg_bytes(size=(40, 30), color="green") -> bytes:
    """A small JPEG photo."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def finish_works(site) -> None:
    """Mark both items of project A completed at 100% (what a passed acceptance needs)."""
    from renovation.projects.models import ProgressStatus

    for item in (site["gas"], site["road"]):
        item.progress_percent, item.progress_status = 100, ProgressStatus.COMPLETED
    db.session.commit()
