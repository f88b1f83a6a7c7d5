"""QA findings on the Party branch's pages in English: plural day counts, the meeting column, the member's
organisation, no space before the attendance colon; the Chinese pages read as before."""

from datetime import timedelta

from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.party.models import BranchTask
from tests.aftercare.factories import make_branch


def _tasks_due(objs, *days_ago):
    """Replace the branch's task by open tasks due ``days_ago`` days before today."""
    today = local_today()
    objs["task"].deadline = today - timedelta(days=days_ago[0])
    for n in days_ago[1:]:
        db.session.add(BranchTask(branch_id=objs["branch"].id, meeting_id=objs["meeting"].id, decision=f"事项{n}",
                                  owner_id=objs["squad_member"].id, deadline=today - timedelta(days=n)))
    db.session.commit()


def test_days_overdue_singular_and_plural(client, world, login):
    objs = make_branch(world)
    _tasks_due(objs, 1, 2)
    pid = world["project_a"].id
    login("squad_a")
    client.set_cookie("lang", "en")
    for url in (f"/party/projects/{pid}", f"/party/meetings/{objs['meeting'].id}"):
        html = client.get(url).get_data(as_text=True)
        assert ">1 day overdue</span>" in html and ">2 days overdue</span>" in html, url
        assert "1 days" not in html
    client.delete_cookie("lang")
    for url in (f"/party/projects/{pid}", f"/party/meetings/{objs['meeting'].id}"):
        html = client.get(url).get_data(as_text=True)
        assert ">超期 1 天</span>" in html and ">超期 2 天</span>" in html, url


def test_meeting_column_organisation_and_attendance_colon(client, world, login):
    objs = make_branch(world)
    db.session.commit()
    pid = world["project_a"].id
    login("squad_a")
    client.set_cookie("lang", "en")
    html = client.get(f"/party/projects/{pid}").get_data(as_text=True)
    assert '<h2 class="h5 mt-3">Meetings</h2>' in html  # the section: several meetings
    assert '<th scope="col">Date</th><th scope="col">Meeting</th>' in html  # the column: one meeting's title
    html = client.get(f"/party/projects/{pid}/manage").get_data(as_text=True)
    assert '<th scope="col">Organisation</th>' in html and "<td>桐柏路街道党工委</td>" in html
    assert ">Organisation (subdistrict, community or compound)</label>" in html
    assert "Home unit" not in html
    html = client.get(f"/party/meetings/{objs['meeting'].id}").get_data(as_text=True)
    assert 'Attendance <strong id="attendance">2/2 (100%)</strong>: 王书记, 李委员</p>' in html

    client.delete_cookie("lang")
    html = client.get(f"/party/projects/{pid}").get_data(as_text=True)
    assert '<h2 class="h5 mt-3">会议</h2>' in html and '<th scope="col">日期</th><th scope="col">会议</th>' in html
    html = client.get(f"/party/projects/{pid}/manage").get_data(as_text=True)
    assert '<th scope="col">所在单位</th>' in html and ">所在单位（街道、社区或小区）</label>" in html
    html = client.get(f"/party/meetings/{objs['meeting'].id}").get_data(as_text=True)
    assert '出席 <strong id="attendance">2/2（100%）</strong>：王书记、李委员</p>' in html
