"""The temporary Party branch: access (staff and leaders, not residents), members, posts, tags, meetings
with attendance, decisions as follow-up tasks with overdue flags."""

from datetime import date, timedelta

from sqlalchemy import func, select

from renovation.core.models import AuditLog
from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.party.models import BranchTag, BranchTask, Meeting, PartyBranch, PartyMember, VanguardPost
from tests.aftercare.factories import make_branch
from tests.factories import csrf_from


def test_branch_visible_to_staff_and_leaders_not_residents(client, world, login, logout):
    objs = make_branch(world)
    db.session.commit()
    pid = world["project_a"].id
    urls = [f"/party/projects/{pid}", f"/party/projects/{pid}/manage", f"/party/meetings/{objs['meeting'].id}",
            f"/party/projects/{pid}/activities"]
    for user, status in [("resident_a", 403), ("supervisor_a", 403), ("resident_b", 403), ("leader_a", 200),
                         ("leader_other", 403), ("squad_a", 200), ("squad_other", 403), ("admin", 200)]:
        login(user)
        assert [client.get(u).status_code for u in urls] == [status] * 4, user
        logout()
    login("resident_a")  # nor on the project page
    assert "临时党支部" not in client.get(f"/projects/{pid}").get_data(as_text=True)


def test_squad_sets_up_branch_with_five_threads(client, world, login, logout):
    pid = world["project_a"].id
    login("leader_a")
    token = csrf_from(client.get(f"/party/projects/{pid}").get_data(as_text=True))
    assert client.post(f"/party/projects/{pid}/create", data={"csrf_token": token, "name": "x"}).status_code == 403
    logout()
    login("squad_a")
    page = client.get(f"/party/projects/{pid}").get_data(as_text=True)
    assert "成立临时党支部" in page
    client.post(f"/party/projects/{pid}/create", data={"csrf_token": csrf_from(page), "name": "测试A小区临时党支部",
                                                       "founded_on": "2020-04-01", "five_threads": "y"})
    branch = db.session.scalars(select(PartyBranch)).one()
    assert db.session.scalars(select(BranchTag.name).where(BranchTag.branch_id == branch.id)
                              .order_by(BranchTag.sort_order)).all() == ["基层堡垒", "党群连心", "共驻共建", "民生实事", "居民自治"]
    again = client.post(f"/party/projects/{pid}/create", data={"csrf_token": csrf_from(page), "name": "第二个"})
    assert again.status_code == 400 and "本项目已成立临时党支部" in again.get_data(as_text=True)
    # members, a vanguard post, a tag
    token = csrf_from(client.get(f"/party/projects/{pid}/manage").get_data(as_text=True))
    client.post(f"/party/projects/{pid}/members", data={"csrf_token": token, "name": "刘居民", "post": "党员",
                                                        "home_unit": "测试A小区", "is_resident": "y"})
    member = db.session.scalars(select(PartyMember)).one()
    assert member.is_resident
    client.post(f"/party/projects/{pid}/posts", data={"csrf_token": token, "name": "燃气入户宣传岗",
                                                      "holder_id": str(member.id), "duty": "入户讲解安全用气"})
    post = db.session.scalars(select(VanguardPost)).one()
    assert (post.holder.name, post.duty) == ("刘居民", "入户讲解安全用气")
    bad = client.post(f"/party/projects/{pid}/tags", data={"csrf_token": token, "name": "党群连心"})
    assert bad.status_code == 400 and "标签“党群连心”已存在" in bad.get_data(as_text=True)
    client.post(f"/party/projects/{pid}/tags", data={"csrf_token": token, "name": "物业融合"})
    html = client.get(f"/party/projects/{pid}/manage").get_data(as_text=True)
    assert "燃气入户宣传岗" in html and "物业融合" in html
    assert "燃气入户宣传岗" in client.get(f"/party/projects/{pid}").get_data(as_text=True)


def test_meeting_with_attendance_list_and_head_count(client, world, login):
    objs = make_branch(world)
    db.session.commit()
    pid = world["project_a"].id
    login("squad_a")
    page = client.get(f"/party/projects/{pid}").get_data(as_text=True)
    token = csrf_from(page)
    assert 'name="expected" type="text" value="2"' in page or 'value="2"' in page  # 2 non-resident members
    base = {"csrf_token": token, "held_on": "2020-10-12", "title": "周例会", "agenda": "燃气收尾\n道路施工",
            "minutes": "研究管线入地施工安排"}
    bad = client.post(f"/party/projects/{pid}", data={**base, "attendees": "12", "expected": "10"})
    assert bad.status_code == 400 and "实到人数不能多于应到人数" in bad.get_data(as_text=True)
    none = client.post(f"/party/projects/{pid}", data={**base, "expected": "10"})
    assert none.status_code == 400 and "请勾选出席人员或填写实到人数" in none.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Meeting.id))) == 1  # only the factory's
    ids = [objs["secretary"].id, objs["resident_member"].id]
    resp = client.post(f"/party/projects/{pid}", data={**base, "present": [str(i) for i in ids], "expected": "3"})
    assert resp.status_code == 302
    m = db.session.scalar(select(Meeting).order_by(Meeting.id.desc()).limit(1))
    assert (m.attendees, m.expected, [p.name for p in m.present]) == (2, 3, ["王书记", "张党员"])
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    # 2 of 3 attended: 67%
    assert "2/3（67%）" in html and "王书记、张党员" in html and "<li>道路施工</li>" in html
    head = client.post(f"/party/projects/{pid}", data={**base, "held_on": "2020-10-19", "attendees": "9",
                                                       "expected": "12"}, follow_redirects=True)
    assert "9/12（75%）" in head.get_data(as_text=True)  # 9 of 12: 75%
    future = (local_today() + timedelta(days=2)).isoformat()
    late = client.post(f"/party/projects/{pid}", data={**base, "held_on": future, "attendees": "1", "expected": "2"})
    assert late.status_code == 400 and "会议日期不能晚于今天" in late.get_data(as_text=True)


def test_decision_becomes_task_shown_until_done_with_overdue_flag(client, world, login):
    objs = make_branch(world)  # task due 2020-09-14, long past: overdue
    db.session.commit()
    pid, mid = world["project_a"].id, objs["meeting"].id
    login("squad_a")
    html = client.get(f"/party/projects/{pid}").get_data(as_text=True)
    overdue_days = (local_today() - date(2020, 9, 14)).days
    assert "逐户排查未通气住户" in html and f"超期 {overdue_days} 天" in html and "超期 1 项" in html
    page = client.get(f"/party/meetings/{mid}").get_data(as_text=True)
    token = csrf_from(page)
    bad = client.post(f"/party/meetings/{mid}/decisions", data={
        "csrf_token": token, "decision": "协调燃气公司验收", "owner_id": str(objs["secretary"].id),
        "deadline": "2020-09-01"})
    assert bad.status_code == 400 and "完成期限不能早于会议日期" in bad.get_data(as_text=True)
    deadline = (local_today() + timedelta(days=7)).isoformat()
    client.post(f"/party/meetings/{mid}/decisions", data={
        "csrf_token": token, "decision": "协调燃气公司验收", "owner_id": str(objs["secretary"].id), "deadline": deadline})
    assert db.session.scalar(select(func.count(BranchTask.id))) == 2
    html = client.get(f"/party/projects/{pid}").get_data(as_text=True)
    assert "未办结 2 项" in html and "超期 1 项" in html and "协调燃气公司验收" in html
    # the overdue one is done: it leaves the branch page, the meeting page keeps it as done late
    task = objs["task"]
    client.post(f"/party/tasks/{task.id}/done", data={"csrf_token": token, "done_on": local_today().isoformat(),
                                                      "note": "已全部排查"})
    html = client.get(f"/party/projects/{pid}").get_data(as_text=True)
    assert "逐户排查未通气住户" not in html and "未办结 1 项" in html and "超期" not in html
    assert "（超期）" in client.get(f"/party/meetings/{mid}").get_data(as_text=True)
    assert db.session.scalars(select(AuditLog.action).where(AuditLog.object_type == "BranchTask")
                              .order_by(AuditLog.id)).all() == ["task.add", "task.done"]
