"""The temporary Party branch's pages for an English reader (cookie lang=en), and the same pages unchanged
in Chinese without the cookie. Records (names, meeting titles, tags, audit rows) stay as typed."""

import re
from datetime import date, timedelta

from sqlalchemy import select

from renovation.core.models import AuditLog
from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.party.models import MemberActivity, MemberActivityKind
from renovation.projects.rules import Stage
from tests.aftercare.factories import make_branch
from tests.factories import csrf_from


def _field_error(html: str, field: str) -> str:
    """The error shown next to form field ``field`` (its aria-describedby target)."""
    m = re.search(rf'id="{field}-err"[^>]*>([^<]*)<', html)
    return m.group(1) if m else ""


def test_branch_page_in_english_and_in_chinese(client, world, login):
    objs = make_branch(world)  # 3 members (1 resident), a meeting 2/2, one overdue task
    db.session.add(MemberActivity(branch_id=objs["branch"].id, project_id=world["project_a"].id,
                                  member_id=objs["squad_member"].id, kind=MemberActivityKind.VISIT,
                                  stage=Stage.CONSTRUCTION, happened_on=date(2020, 9, 8), summary="入户讲解",
                                  tags=objs["tags"][:1]))
    db.session.commit()
    pid = world["project_a"].id
    login("squad_a")
    overdue_days = (local_today() - date(2020, 9, 14)).days
    chinese = client.get(f"/party/projects/{pid}").get_data(as_text=True)
    assert "成员 3 人（居民党员 1 人）· 会议 1 次，平均出席率 100%" in chinese
    assert '督办事项（未办结 1 项，<span class="text-danger">超期 1 项</span>）' in chinese
    assert f"超期 {overdue_days} 天" in chinese and "责任人：李委员 · 期限 2020年9月14日" in chinese
    assert "入户走访 1 · 矛盾调解 0" in chinese and "记录会议" in chinese

    client.set_cookie("lang", "en")
    html = client.get(f"/party/projects/{pid}").get_data(as_text=True)
    assert "Founded on April 1, 2020" in html
    assert "Members: 3 (resident Party members: 1) · Meetings: 1, average attendance 100%" in html
    assert 'Follow-up tasks (open: 1, <span class="text-danger">overdue: 1</span>)' in html
    assert f"{overdue_days} days overdue" in html
    assert "Responsible: 李委员 · Deadline September 14, 2020 · From" in html
    assert "September 7, 2020 周例会" in html  # the meeting's title is a record: as typed
    assert "Household visit 1 · Mediation 0 · Supervision 0 · Volunteer service 0 · Other 0" in html
    assert "党群连心 1" in html  # the branch's own tag, as typed
    assert "Record a meeting" in html and "Members present" in html and "Number expected" in html
    assert "王书记 (Secretary)" in html and "李委员 (Committee member)" in html
    for chrome in ("督办事项", "记录会议", "入户走访", "成员、先锋岗与标签", "保存"):
        assert chrome not in html, chrome


def test_manage_and_meeting_pages_in_english(client, world, login):
    objs = make_branch(world)
    db.session.commit()
    pid = world["project_a"].id
    login("squad_a")
    client.set_cookie("lang", "en")
    html = client.get(f"/party/projects/{pid}/manage").get_data(as_text=True)
    assert "Members, vanguard posts and tags" in html and "Members (3)" in html
    assert "<td>王书记</td><td>Secretary</td>" in html and "<td>Yes</td>" in html
    assert '<option selected value="党员">Party member</option>' in html  # stored value stays Chinese
    assert "No vanguard posts set up yet." in html and "Set up a vanguard post" in html
    assert ">Description</label>" in html  # the tag's description (msgctxt "tag": other areas' 说明 differ)
    html = client.get(f"/party/meetings/{objs['meeting'].id}").get_data(as_text=True)
    assert "Attendance <strong" in html and "2/2 (100%)" in html and ": 王书记, 李委员" in html
    assert "Decisions and follow-up" in html and "Record a decision" in html and "Date completed" in html
    assert 'type="submit">Complete</button>' in html and 'type="submit">Record</button>' in html


def test_refusals_in_english(client, world, login):
    objs = make_branch(world)
    db.session.commit()
    pid = world["project_a"].id
    login("squad_a")
    client.set_cookie("lang", "en")
    token = csrf_from(client.get(f"/party/projects/{pid}").get_data(as_text=True))
    base = {"csrf_token": token, "held_on": "2020-10-12", "title": "周例会"}
    # a form check and a service refusal, each next to its field
    bad = client.post(f"/party/projects/{pid}", data={**base, "attendees": "12", "expected": "10"})
    assert bad.status_code == 400
    assert _field_error(bad.get_data(as_text=True), "attendees") == (
        "The number present cannot exceed the number expected.")
    future = (local_today() + timedelta(days=2)).isoformat()
    late = client.post(f"/party/projects/{pid}", data={**base, "held_on": future, "attendees": "1", "expected": "2"})
    assert late.status_code == 400
    assert _field_error(late.get_data(as_text=True), "held_on") == "The meeting date cannot be later than today."
    # a DomainError on the meeting page, next to the task's date field: a task cannot be completed in the future
    done = client.post(f"/party/tasks/{objs['task'].id}/done", data={"csrf_token": token, "done_on": future},
                       follow_redirects=True)
    assert done.status_code == 400
    html = done.get_data(as_text=True)
    assert _field_error(html, f"done_on-{objs['task'].id}") == "The date completed cannot be later than today."
    assert f'value="{future}" aria-invalid="true" aria-describedby="done_on-{objs["task"].id}-err"' in html
    # a tag that already exists; a household that does not
    dup = client.post(f"/party/projects/{pid}/tags", data={"csrf_token": token, "name": "党群连心"})
    assert _field_error(dup.get_data(as_text=True), "name") == "The tag “党群连心” already exists."
    activity = {"csrf_token": token, "member_id": str(objs["squad_member"].id), "kind": "visit",
                "stage": "construction", "happened_on": "2020-10-12", "summary": "入户", "problem_id": "0"}
    bad = client.post(f"/party/projects/{pid}/activities", data={**activity, "household": "9号楼1单元101"})
    assert _field_error(bad.get_data(as_text=True), "household") == (
        "There is no household “9号楼1单元101” in this compound.")
    # the refusals wrote nothing; in Chinese the same refusal reads as before
    assert db.session.scalar(select(MemberActivity.id)) is None
    assert not db.session.scalars(select(AuditLog.action).where(AuditLog.action == "party.tag")).all()
    client.delete_cookie("lang")
    done = client.post(f"/party/tasks/{objs['task'].id}/done", data={"csrf_token": token, "done_on": future},
                       follow_redirects=True)
    assert _field_error(done.get_data(as_text=True), f"done_on-{objs['task'].id}") == "办结日期不能晚于今天。"


def test_activities_page_in_english(client, world, login):
    objs = make_branch(world)
    db.session.add(MemberActivity(branch_id=objs["branch"].id, project_id=world["project_a"].id,
                                  member_id=objs["squad_member"].id, kind=MemberActivityKind.MEDIATION,
                                  stage=Stage.CONSTRUCTION, happened_on=date(2020, 9, 8), summary="调解停车纠纷",
                                  household_id=world["households_a"][0].id))
    db.session.commit()
    pid = world["project_a"].id
    login("squad_a")
    client.set_cookie("lang", "en")
    html = client.get(f"/party/projects/{pid}/activities?start=2020-09-01&end=2020-09-30").get_data(as_text=True)
    assert "Party members’ activity log" in html
    assert "By type (September 1, 2020 – September 30, 2020)" in html
    assert '<th scope="row">Mediation</th><td class="text-end">1</td>' in html
    assert "李委员 · Mediation" in html and "Household 1号楼1单元101" in html
    assert '<option value="visit">Household visit</option>' in html
    assert "Record a Party member’s activity" in html and "Household concerned (optional" in html
    assert "(none)" in html  # no problem report concerned
