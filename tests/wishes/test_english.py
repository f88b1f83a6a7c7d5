"""The wish survey pages in English (cookie lang=en) and in Chinese (no cookie); stored titles stay Chinese."""

import pytest
from sqlalchemy import select

from renovation.extensions import db
from renovation.wishes import services
from renovation.wishes.models import WishSurvey
from tests.factories import csrf_from


@pytest.fixture
def survey_a(world):
    """Project A's survey, opened by its squad member."""
    survey = services.open_survey(world["squad_a"], world["project_a"])
    db.session.commit()
    return survey


def test_answer_page_in_english(client, world, login, survey_a):
    pid = world["project_a"].id
    client.set_cookie("lang", "en")
    login("resident_a")
    page = client.get(f"/wishes/project/{pid}/answer")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for text in ("Renovation wish solicitation", "Do you agree to the renovation of this compound?", ">I agree</label>",
                 ">I disagree</label>", "What would you like renovated? (choose any)", "Send our answer",
                 "天然气入户 (Basic)"):  # the catalogue item's name is data, its category a label
        assert text in html
    assert "您是否同意" not in html and "提交我家的意愿" not in html
    # a missing consent: the field's message in English, nothing written
    token = csrf_from(html)
    refused = client.post(f"/wishes/project/{pid}/answer", data={"csrf_token": token, "comment": "x"})
    assert refused.status_code == 400
    assert "Please choose whether you agree to the renovation." in refused.get_data(as_text=True)
    done = client.post(f"/wishes/project/{pid}/answer", data={"csrf_token": token, "consent": "yes"},
                       follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "Thank you, your answer is in! You can change it until the solicitation ends." in text
    assert "Your home agreed to the renovation (" in text and "Change our answer" in text


def test_answer_page_in_chinese_without_cookie(client, world, login, survey_a):
    login("resident_a")
    html = client.get(f"/wishes/project/{world['project_a'].id}/answer").get_data(as_text=True)
    for text in ("改造意愿征集", "您是否同意本小区实施改造？", ">同意改造</label>", ">不同意</label>", "提交我家的意愿",
                 "天然气入户（基础类）"):
        assert text in html
    assert "I agree" not in html


def test_results_and_domain_error_in_english(client, world, login, survey_a):
    pid = world["project_a"].id
    client.set_cookie("lang", "en")
    login("squad_a")
    url = f"/wishes/project/{pid}/results"
    html = client.get(url).get_data(as_text=True)
    for text in ("Wish solicitation results", "Households agreeing / all", "0.0% of households agree: below the 66.7% "
                 "threshold.", "Households not reached yet (12)", "Close the wish solicitation"):
        assert text in html
    # opening an open survey is refused by the service: a flash in English
    resp = client.post(f"/wishes/project/{pid}/open", data={"csrf_token": csrf_from(html)}, headers={"Referer": url},
                       follow_redirects=True)
    assert "The wish solicitation is already open." in resp.get_data(as_text=True)
    client.delete_cookie("lang")
    zh = client.post(f"/wishes/project/{pid}/open", data={"csrf_token": csrf_from(html)}, headers={"Referer": url},
                     follow_redirects=True).get_data(as_text=True)
    assert "意愿征集已经开启。" in zh and "同意户数占比 0.0%，未达到 66.7% 的门槛。" in zh


def test_survey_opened_by_an_english_reader_is_titled_in_chinese(client, world, login):
    pid = world["project_b"].id
    client.set_cookie("lang", "en")
    login("squad_other")
    page = client.get(f"/projects/{pid}").get_data(as_text=True)
    assert "Open the wish solicitation" in page
    resp = client.post(f"/wishes/project/{pid}/open", data={"csrf_token": csrf_from(page)}, follow_redirects=True)
    assert "The wish solicitation is open. Residents can answer now." in resp.get_data(as_text=True)
    # the record the app creates keeps the product's language
    assert db.session.scalar(select(WishSurvey.title).where(WishSurvey.project_id == pid)) == "测试B小区改造意愿征集"
