"""Every form refuses absurd dates (core.forms.ZhForm): earlier than 2000-01-01 or later than 31 December
of this year + 20, with a message next to the field, nothing saved, and the date picker bounded."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from renovation.construction.models import SiteLog
from renovation.core.forms import date_bounds
from renovation.core.timeutil import local_today
from renovation.extensions import db
from tests.construction.conftest import token


def test_bounds_from_today():
    assert date_bounds(date(2026, 11, 29)) == (date(2000, 1, 1), date(2046, 12, 31))


def _post_log(client, project, log_date: str):
    url = f"/construction/projects/{project.id}/logs/new"
    return client.post(url, content_type="multipart/form-data", data={
        "csrf_token": token(client, url), "log_date": log_date, "weather": "晴", "workforce": "10",
        "work_done": "外墙保温", "materials": "", "safety_notes": ""})


@pytest.mark.parametrize("typed", ["1900-01-01", "1999-12-31", "0202-10-01"])
def test_site_log_dated_long_ago_is_refused(client, site, login, typed):
    login("squad_a")
    resp = _post_log(client, site["project_a"], typed)
    html = resp.get_data(as_text=True)
    earliest, latest = date_bounds()
    assert resp.status_code == 400
    assert f"日期不合理：请填写 2000年1月1日 至 {latest.year}年12月31日 之间的日期。" in html
    assert db.session.scalar(select(func.count(SiteLog.id))) == 0


def test_first_day_of_2000_and_today_are_accepted(client, site, login):
    login("squad_a")
    assert _post_log(client, site["project_a"], "2000-01-01").status_code == 302
    assert _post_log(client, site["project_a"], local_today().isoformat()).status_code == 302
    assert db.session.scalar(select(func.count(SiteLog.id))) == 2


def test_date_picker_is_bounded(client, site, login):
    login("squad_a")
    html = client.get(f"/construction/projects/{site['project_a'].id}/logs/new").get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="log_date"[^>]*>', html).group(0)
    assert 'min="2000-01-01"' in tag and f'max="{local_today().year + 20}-12-31"' in tag


def test_english_message(client, site, login):
    client.set_cookie("lang", "en")
    login("squad_a")
    html = _post_log(client, site["project_a"], "1900-01-01").get_data(as_text=True)
    assert f"Please enter a date between January 1, 2000 and December 31, {local_today().year + 20}." in html
