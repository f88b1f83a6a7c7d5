"""Satisfaction survey (满意度测评): opened by the squad with its setting, answered by residents for their
own household, results by building and overall, gate or report figure."""

from decimal import Decimal
from fractions import Fraction

from sqlalchemy import func, select

from renovation.aftercare import services
from renovation.aftercare.models import SatisfactionMode, SatisfactionResponse, SatisfactionSurvey
from renovation.extensions import db
from tests.factories import csrf_from


def _open(client, pid, **data):
    token = csrf_from(client.get(f"/aftercare/projects/{pid}/satisfaction").get_data(as_text=True))
    return client.post(f"/aftercare/projects/{pid}/satisfaction/open", data={
        "csrf_token": token, "title": "改造满意度测评", "mode": "gate", "min_mean": "4", "min_response_rate": "50",
        **data})


def _rate(client, pid, c, p, m, comment=""):
    token = csrf_from(client.get(f"/aftercare/projects/{pid}/satisfaction/rate").get_data(as_text=True))
    return client.post(f"/aftercare/projects/{pid}/satisfaction/rate", data={
        "csrf_token": token, "content_score": str(c), "process_score": str(p), "management_score": str(m),
        "comment": comment})


def test_whole_survey_through_the_pages(client, world, login, logout):
    pid = world["project_a"].id
    login("squad_a")
    bad = _open(client, pid, min_mean="6")
    assert bad.status_code == 400 and "达标平均分须在1到5分之间" in bad.get_data(as_text=True)
    assert _open(client, pid).status_code == 302
    survey = db.session.scalars(select(SatisfactionSurvey)).one()
    assert (survey.mode, survey.min_mean, survey.min_response_rate) == (
        SatisfactionMode.GATE, Decimal("4.00"), Decimal("0.500"))
    logout()
    # resident_a (1号楼1单元101) answers, then changes the answer; resident_a2 (1号楼1单元201) and the
    # supervisor (1号楼1单元301) answer too
    login("resident_a")
    assert _rate(client, pid, 3, 3, 3).status_code == 302
    assert "您家已评价" in client.get(f"/aftercare/projects/{pid}/satisfaction/rate").get_data(as_text=True)
    assert _rate(client, pid, 5, 4, 3, "路面平整多了").status_code == 302
    bad = _rate(client, pid, 7, 4, 3)
    assert bad.status_code == 400 and "不是有效的选择" in bad.get_data(as_text=True)
    assert client.get(f"/aftercare/projects/{pid}/satisfaction").status_code == 403
    logout()
    login("resident_a2")
    _rate(client, pid, 4, 4, 4)
    logout()
    login("supervisor_a")
    _rate(client, pid, 2, 3, 1, "物业还没到位")
    logout()
    assert db.session.scalar(select(func.count(SatisfactionResponse.id))) == 3
    # 1号楼: 3 of 6 answered; content (5+4+2)/3 = 3.67, process (4+4+3)/3 = 3.67, management (3+4+1)/3 = 2.67,
    # overall 30/9 = 3.33; satisfied: (5,4,3) mean 4 and (4,4,4) mean 4 -> 2 of 3 = 66.7%.
    # 2号楼: 0 of 6. Overall 3 of 12 = 25% < 50% and 3.33 < 4: the gate is not met.
    result = services.survey_result(world["project_a"], survey)
    assert result.overall.overall_mean == Fraction(30, 9)
    login("leader_a")
    html = client.get(f"/aftercare/projects/{pid}/satisfaction").get_data(as_text=True)
    assert '<div class="value" id="overall-mean">3.33</div>' in html
    assert "3/12" in html and "25.0%" in html and "66.7%" in html and ">3.67<" in html and ">2.67<" in html
    assert "未达到" in html and "参评率25.0%，未达到50.0%。" in html and "综合平均分3.33，未达到4.00分。" in html
    assert "路面平整多了" in html and "物业还没到位" in html
    assert "发起测评" not in html and "修改设置" not in html  # leaders read only
    gate = services.closure_check(world["project_a"])
    assert gate is not None and not gate.passed
    logout()
    login("squad_a")
    token = csrf_from(client.get(f"/aftercare/projects/{pid}/satisfaction").get_data(as_text=True))
    client.post(f"/aftercare/projects/{pid}/satisfaction/close", data={"csrf_token": token})
    assert not db.session.scalar(select(SatisfactionSurvey.is_open))
    logout()
    login("resident_a")
    late = _rate(client, pid, 1, 1, 1)
    assert "满意度测评已结束" in late.get_data(as_text=True)
    assert db.session.scalar(select(SatisfactionResponse.content_score).where(
        SatisfactionResponse.household_id == world["households_a"][0].id)) == 5


def test_report_mode_is_no_gate(client, world, login):
    login("squad_a")
    _open(client, world["project_a"].id, mode="report")
    assert services.closure_check(world["project_a"]) is None
    html = client.get(f"/aftercare/projects/{world['project_a'].id}/satisfaction").get_data(as_text=True)
    assert "仅作报告数据" in html and "不适用" in html


def test_staff_cannot_rate_and_outsider_resident_cannot(client, world, login, logout):
    pid = world["project_a"].id
    login("squad_a")
    _open(client, pid)
    assert client.get(f"/aftercare/projects/{pid}/satisfaction/rate").status_code == 403
    logout()
    login("resident_b")
    assert client.get(f"/aftercare/projects/{pid}/satisfaction/rate").status_code == 403


def test_a_double_tap_gives_one_answer_and_no_server_error(app, client, world, login, logout):
    # Eight simultaneous submissions of the same household's rating (a double, triple... tap): every request
    # is answered with a redirect (no 500) and the household has exactly one answer, holding one of the
    # submitted score sets.
    import threading

    from sqlalchemy import func, select

    from renovation.aftercare.models import SatisfactionResponse
    from renovation.extensions import db

    n = 8
    pid = world["project_a"].id
    login("squad_a")
    _open(client, pid)
    logout()
    login("resident_a")
    token = csrf_from(client.get(f"/aftercare/projects/{pid}/satisfaction/rate").get_data(as_text=True))
    cookie = client.get_cookie("session").value
    clients = []
    for _ in range(n):
        c = app.test_client()
        c.set_cookie("session", cookie)
        clients.append(c)
    barrier = threading.Barrier(n)
    codes: list = [None] * n

    def submit(k: int):
        score = str(1 + k % 5)
        barrier.wait()
        try:
            codes[k] = clients[k].post(f"/aftercare/projects/{pid}/satisfaction/rate", data={
                "csrf_token": token, "content_score": score, "process_score": score,
                "management_score": score}).status_code
        except Exception as err:  # noqa: BLE001 - any exception is a failure to report
            codes[k] = repr(err)

    threads = [threading.Thread(target=submit, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert codes == [302] * n, codes
    db.session.expire_all()
    rows = db.session.scalars(select(SatisfactionResponse)).all()
    assert len(rows) == 1 and rows[0].household_id == world["households_a"][0].id
    assert rows[0].content_score == rows[0].process_score == rows[0].management_score in {1, 2, 3, 4, 5}
    assert db.session.scalar(select(func.count(SatisfactionResponse.id))) == 1
