"""Members' activity log (入户走访, 矛盾调解, 监督, 志愿服务) linked to a household or a problem report, with
the branch's tags, and ``activity_counts`` for the report."""

from datetime import date

from sqlalchemy import select

from renovation.construction.models import ProblemReport
from renovation.extensions import db
from renovation.party import services
from renovation.party.models import MemberActivity, MemberActivityKind
from renovation.projects.rules import Stage
from tests.aftercare.factories import make_branch
from tests.factories import csrf_from


def test_log_through_the_page_with_household_problem_and_tags(client, world, login):
    objs = make_branch(world)
    problem = ProblemReport(project_id=world["project_a"].id, title="井盖松动")
    db.session.add(problem)
    db.session.commit()
    pid = world["project_a"].id
    login("squad_a")
    page = client.get(f"/party/projects/{pid}/activities").get_data(as_text=True)
    token = csrf_from(page)
    base = {"csrf_token": token, "member_id": str(objs["squad_member"].id), "kind": "visit", "stage": "construction",
            "happened_on": "2020-10-12", "summary": "入户讲解燃气安全", "problem_id": "0"}
    bad = client.post(f"/party/projects/{pid}/activities", data={**base, "household": "9号楼1单元101"})
    assert bad.status_code == 400 and "本小区没有“9号楼1单元101”这户" in bad.get_data(as_text=True)
    bad = client.post(f"/party/projects/{pid}/activities", data={**base, "household": "一楼东边"})
    assert bad.status_code == 400 and "3号楼2单元501" in bad.get_data(as_text=True)
    assert db.session.scalar(select(MemberActivity.id)) is None
    resp = client.post(f"/party/projects/{pid}/activities", data={
        **base, "household": "1号楼1单元101", "problem_id": str(problem.id),
        "tags": [str(t.id) for t in objs["tags"]]})
    assert resp.status_code == 302
    a = db.session.scalars(select(MemberActivity)).one()
    assert (a.household_id, a.problem_id, a.stage, [t.name for t in a.tags]) == (
        world["households_a"][0].id, problem.id, Stage.CONSTRUCTION, ["党群连心", "民生实事"])
    html = client.get(f"/party/projects/{pid}/activities").get_data(as_text=True)
    assert "李委员 · 入户走访" in html and "住户 1号楼1单元101" in html and f"#{problem.id} 井盖松动" in html


def test_activity_counts_by_type_and_tag_for_a_period(world):
    objs = make_branch(world)
    pa = world["project_a"]
    lianxin, minsheng = objs["tags"]
    member = objs["squad_member"]

    def act(kind, day, tags):
        db.session.add(MemberActivity(branch_id=objs["branch"].id, project_id=pa.id, member_id=member.id, kind=kind,
                                      stage=Stage.CONSTRUCTION, happened_on=day, summary="x", tags=tags))

    K = MemberActivityKind
    act(K.VISIT, date(2020, 9, 30), [lianxin])              # before the period
    act(K.VISIT, date(2020, 10, 1), [lianxin, minsheng])    # first day: in
    act(K.VISIT, date(2020, 10, 8), [lianxin])
    act(K.MEDIATION, date(2020, 10, 15), [])
    act(K.VOLUNTEER, date(2020, 10, 31), [minsheng])        # last day: in
    act(K.SUPERVISION, date(2020, 11, 1), [minsheng])       # after
    db.session.commit()
    # October: visits 2, mediation 1, volunteer 1; 党群连心 on 2 of them, 民生实事 on 2
    assert services.activity_counts(pa, date(2020, 10, 1), date(2020, 10, 31)) == {
        "by_type": {"入户走访": 2, "矛盾调解": 1, "监督": 0, "志愿服务": 1, "其他": 0},
        "by_tag": {"党群连心": 2, "民生实事": 2}}
    # all time: 6 activities, 党群连心 3, 民生实事 3
    assert services.activity_counts(pa, None, None) == {
        "by_type": {"入户走访": 3, "矛盾调解": 1, "监督": 1, "志愿服务": 1, "其他": 0},
        "by_tag": {"党群连心": 3, "民生实事": 3}}
    # a project without a branch: every type at 0, no tags
    assert services.activity_counts(world["project_b"], None, None) == {
        "by_type": {"入户走访": 0, "矛盾调解": 0, "监督": 0, "志愿服务": 0, "其他": 0}, "by_tag": {}}


def test_counts_page_filters_by_period_and_rejects_bad_dates(client, world, login):
    objs = make_branch(world)
    db.session.add(MemberActivity(branch_id=objs["branch"].id, project_id=world["project_a"].id,
                                  member_id=objs["squad_member"].id, kind=MemberActivityKind.MEDIATION,
                                  stage=Stage.CONSTRUCTION, happened_on=date(2020, 10, 15), summary="调解停车纠纷"))
    db.session.commit()
    pid = world["project_a"].id
    login("leader_a")
    html = client.get(f"/party/projects/{pid}/activities?start=2020-11-01&end=2020-11-30").get_data(as_text=True)
    assert "调解停车纠纷" not in html and "记录党员活动" not in html
    html = client.get(f"/party/projects/{pid}/activities?start=2020-10-01&end=2020-10-31").get_data(as_text=True)
    assert "调解停车纠纷" in html
    resp = client.get(f"/party/projects/{pid}/activities?start=not-a-date")
    # a bad date is shown next to the filter and the counts cover all time (the activity stays listed)
    assert resp.status_code == 200 and "不是有效的日期值" in resp.get_data(as_text=True)
    assert "调解停车纠纷" in resp.get_data(as_text=True)
