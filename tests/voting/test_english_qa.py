"""QA findings on the voting pages in English: a stored rule source with a local note after the article
('民法典第二百七十八条（本单元业主表决，地方做法）') shows the article in English and the note as data; counts of
owners and households with thousands separators; the closing message counts items with plurals. Chinese
pages unchanged."""

from datetime import timedelta

from flask_babel import refresh
from sqlalchemy import select

from renovation.core.db import utcnow
from renovation.demo import DEMO_PASSWORD, load_demo
from renovation.extensions import db
from renovation.projects.models import ProjectItemStatus
from renovation.voting import rules, services
from renovation.voting.models import Ballot, BallotStatus
from tests.factories import csrf_from

LOCAL = "民法典第二百七十八条（本单元业主表决，地方做法）"


def test_source_words_translates_the_article_and_keeps_the_note(app):
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        refresh()
        assert rules.source_words(LOCAL) == "Civil Code, art. 278 (本单元业主表决，地方做法)"
        assert rules.source_words("民法典第二百七十八条") == "Civil Code, art. 278"
        assert rules.source_words("民法典第二百七十八条(试行)") == "Civil Code, art. 278 (试行)"
        assert rules.source_words("民法典第二百七十八条第二款") == "Civil Code, art. 278 (第二款)"
        assert rules.source_words("本小区议事规则") == "本小区议事规则"  # unknown: shown as stored
        assert rules.source_words(None) == "" and rules.source_words("") == ""
        # what is stored (audit, PDF) goes through _chinese: the stored text as is
        assert rules.source_words(LOCAL, rules._chinese) == LOCAL
    with app.test_request_context():
        refresh()
        assert rules.source_words(LOCAL) == LOCAL and rules.source_words("民法典第二百七十八条") == "民法典第二百七十八条"


def test_demo_ballots_in_english_and_chinese(client, app, login):
    assert load_demo()
    login("squad", DEMO_PASSWORD)
    local = db.session.scalar(select(Ballot).where(Ballot.rule_source == LOCAL))
    compound = db.session.scalar(select(Ballot).where(Ballot.status == BallotStatus.CLOSED).order_by(Ballot.id))
    client.set_cookie("lang", "en")
    html = client.get(f"/voting/{local.id}").get_data(as_text=True)
    assert "Rule (Civil Code, art. 278 (本单元业主表决，地方做法)): the voters must hold" in html
    assert "both must be at least two thirds (Civil Code, art. 278 (本单元业主表决，地方做法))." in html
    assert "Rule (民法典" not in html and "(民法典" not in html
    html = client.get(f"/voting/{compound.id}").get_data(as_text=True)
    # 1,109 owners entitled (1,128 dwellings, some owners hold several), 964 voted
    assert '<td class="text-end">1,109</td>' in html and ">964 (86.9%)</td>" in html
    assert "981 households voted." in html and ">1109<" not in html

    client.delete_cookie("lang")
    html = client.get(f"/voting/{local.id}").get_data(as_text=True)
    assert f"规则（{LOCAL}）：参与表决的专有部分面积和人数均不低于三分之二" in html
    assert f"未达到“均不低于三分之二”的参与要求（{LOCAL}）。" in html
    html = client.get(f"/voting/{compound.id}").get_data(as_text=True)
    assert '<td class="text-end">1,109</td>' in html and ">964（86.9%）</td>" in html and "已投票 981 户。" in html


def _close(client, world, items) -> str:
    """Create, open and close (through the page) a ballot on ``items``; the page after closing."""
    for i in items:
        i.status = ProjectItemStatus.CANDIDATE  # a closed ballot marks its items adopted or rejected
    ballot = services.create_ballot(world["squad_a"], world["project_a"], title="改造内容表决",
                                    item_ids=[i.id for i in items], closes_at=utcnow() + timedelta(days=7))
    services.open_ballot(world["squad_a"], ballot)
    db.session.commit()
    url = f"/voting/{ballot.id}"
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(f"{url}/close", data={"csrf_token": token}, follow_redirects=True).get_data(as_text=True)


def test_closing_message_counts_items(client, world, login):
    items = world["items_a"]
    login("squad_a")
    client.set_cookie("lang", "en")
    assert "The vote is closed: 0 of 1 item passed." in _close(client, world, items[:1])
    assert "The vote is closed: 0 of 2 items passed." in _close(client, world, items)
    client.delete_cookie("lang")
    assert "表决已结束：1 项中 0 项通过。" in _close(client, world, items[:1])
