"""The voting pages in English (cookie lang=en) and in Chinese (no cookie); what is stored stays Chinese."""

from datetime import timedelta
from fractions import Fraction

import pytest
from flask_babel import refresh
from sqlalchemy import select

from renovation.core.db import utcnow
from renovation.core.models import AuditLog
from renovation.extensions import db
from renovation.voting import rules, services
from renovation.voting.models import Choice
from renovation.wishes.models import Channel
from tests.factories import csrf_from


@pytest.fixture
def ballot(world):
    """An open ordinary ballot of project A on its two candidate items, whole compound."""
    b = services.create_ballot(world["squad_a"], world["project_a"], title="改造内容表决",
                               item_ids=[i.id for i in world["items_a"]], closes_at=utcnow() + timedelta(days=7))
    services.open_ballot(world["squad_a"], b)
    db.session.commit()
    return b


def _vote_data(ballot, household_id, token, step="review", choice="agree"):
    return {"csrf_token": token, "household_id": household_id, "step": step,
            **{f"item_{i.id}": choice for i in ballot.items}}


def test_vote_buttons_and_confirm_step_in_english(client, world, login, ballot):
    client.set_cookie("lang", "en")
    login("resident_a")
    page = client.get(f"/voting/{ballot.id}/vote")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for label in (">Agree</label>", ">Disagree</label>", ">Abstain</label>", "Next: check my choices", "My home: "):
        assert label in html
    assert "同意</label>" not in html and "下一步" not in html
    token = csrf_from(html)
    own = world["households_a"][0].id
    review = client.post(f"/voting/{ballot.id}/vote", data=_vote_data(ballot, own, token, choice="abstain"))
    text = review.get_data(as_text=True)
    assert review.status_code == 200 and "Please check your choices" in text and "Confirm and send" in text
    assert ">Abstain</strong>" in text
    # a missing choice: the message names the item (data, as typed) in an English sentence
    data = _vote_data(ballot, own, token)
    del data[f"item_{ballot.items[1].id}"]
    refused = client.post(f"/voting/{ballot.id}/vote", data=data).get_data(as_text=True)
    assert "Please choose Agree, Disagree or Abstain for “道路改造”." in refused
    # submit: the flash and the receipt in English
    done = client.post(f"/voting/{ballot.id}/vote", data=_vote_data(ballot, own, token, step="confirm"),
                       follow_redirects=True)
    receipt = done.get_data(as_text=True)
    assert "Your vote is in! Please write down your receipt code." in receipt
    assert "Vote receipt" in receipt and "Choices recorded" in receipt and ">Agree</strong>" in receipt


def test_vote_page_in_chinese_without_cookie(client, world, login, ballot):
    login("resident_a")
    html = client.get(f"/voting/{ballot.id}/vote").get_data(as_text=True)
    for label in (">同意</label>", ">反对</label>", ">弃权</label>", "下一步：确认选择", "我家："):
        assert label in html
    assert "Agree" not in html and "Next: check" not in html


def test_domain_error_flash_in_english_and_chinese(client, world, login, ballot):
    login("squad_a")
    url = f"/voting/{ballot.id}"
    token = csrf_from(client.get(url).get_data(as_text=True))
    # opening an open ballot: refused by the service (DomainError), shown as a flash
    resp = client.post(f"{url}/open", data={"csrf_token": token}, headers={"Referer": url}, follow_redirects=True)
    assert "只有草稿状态的表决可以开始。" in resp.get_data(as_text=True)
    client.set_cookie("lang", "en")
    resp = client.post(f"{url}/open", data={"csrf_token": token}, headers={"Referer": url}, follow_redirects=True)
    text = resp.get_data(as_text=True)
    assert "Only a vote that has not started can be opened." in text and "只有草稿" not in text


def test_results_explained_in_english_but_stored_in_chinese(client, world, login, ballot):
    for h in world["households_a"][:3]:
        services.cast_vote(world["squad_a"], ballot, h, {i.id: Choice.AGREE for i in ballot.items},
                           channel=Channel.PAPER)
    db.session.commit()
    client.set_cookie("lang", "en")
    login("squad_a")
    url = f"/voting/{ballot.id}"
    token = csrf_from(client.get(url).get_data(as_text=True))
    resp = client.post(f"{url}/close", data={"csrf_token": token}, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "The vote is closed: 0 of 2 items passed." in html
    assert "Not passed: the voters hold" in html and "both must be at least two thirds (Civil Code, art. 278)." in html
    assert "Rule (Civil Code, art. 278): the voters must hold at least two thirds" in html
    assert ">Not passed</span>" in html and "3 households voted." in html
    assert "未通过" not in html and "民法典" not in html
    # the audit log keeps the Chinese explanation, whatever the reader's language
    after = db.session.scalar(select(AuditLog.after).where(AuditLog.action == "ballot.close"))
    reasons = [r["reason"] for r in after["results"].values()]
    assert reasons and all(r.startswith("未通过：参与表决的专有部分面积占比") and "（民法典第二百七十八条）" in r
                           for r in reasons)
    # and the same page without the cookie is Chinese
    client.delete_cookie("lang")
    zh = client.get(url).get_data(as_text=True)
    assert "未达到“均不低于三分之二”的参与要求（民法典第二百七十八条）" in zh and "Not passed" not in zh


def test_tally_reason_is_chinese_explanation_follows_the_reader(app):
    dwellings = [rules.Dwelling(i, None, 100) for i in range(1, 4)]
    t = rules.tally_item(dwellings, {1: "agree", 2: "agree", 3: "abstain"}, rules.Rule())
    chinese = ("通过：参与表决的专有部分面积占比100.0%、人数占比100.0%，均不低于三分之二；同意的面积占参与表决面积的66.7%、"
               "同意人数占参与表决人数的66.7%，均超过二分之一（民法典第二百七十八条）。")
    assert t.reason == chinese
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        refresh()  # what every request does first (the app context of the test is shared)
        assert t.reason == chinese
        assert t.explanation == ("Passed: the voters hold 100.0% of the exclusive floor area and are 100.0% of the owners, "
                                 "both at least two thirds; those who agree hold 66.7% of the voting area and are 66.7% "
                                 "of the voting owners, both more than half (Civil Code, art. 278).")
        assert rules.share_label(Fraction(3, 4)) == "四分之三" and rules.share_words(Fraction(3, 4)) == "three quarters"
    with app.test_request_context():
        refresh()
        assert t.explanation == chinese
