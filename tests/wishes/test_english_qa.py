"""QA finding on the wish solicitation results: household counts with thousands separators (demo data:
1,025 of 1,128 households agree, 1,071 answered), in English and in Chinese."""

import re

from sqlalchemy import select

from renovation.demo import DEMO_PASSWORD, SONGYUE, load_demo
from renovation.extensions import db
from renovation.org.models import Compound
from renovation.projects.models import Project


def test_results_counts_have_thousands_separators(client, app, login):
    assert load_demo()
    project = db.session.scalar(select(Project).join(Compound).where(Compound.name == SONGYUE))
    login("squad", DEMO_PASSWORD)
    url = f"/wishes/project/{project.id}/results"
    client.set_cookie("lang", "en")
    html = client.get(url).get_data(as_text=True)
    assert '<div class="value" id="consent-households">1,025 / 1,128</div>' in html
    assert '<div class="value">1,071</div>' in html
    assert "Households not reached yet (57)" in html
    assert not re.search(r">\s*\d{4,}\s*<", html)  # no count of 1,000 or more without its separator
    client.delete_cookie("lang")
    html = client.get(url).get_data(as_text=True)
    assert '<div class="value" id="consent-households">1,025 / 1,128</div>' in html
    assert '<div class="value">1,071</div>' in html and "尚未填写的住户（57 户）" in html
