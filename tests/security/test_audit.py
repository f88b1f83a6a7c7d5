"""The audit log: append-only through the ORM for everyone, the page's filters, leader scope, pages."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, update

from renovation.core import audit
from renovation.core.audit import AuditLogIsAppendOnly
from renovation.core.models import AuditLog
from renovation.core.timeutil import SHANGHAI
from renovation.extensions import db


def _rows(world):
    a, b = world["project_a"], world["project_b"]
    audit.record(world["squad_a"], "stage.move", a, before={"stage": "consultation"}, after={"stage": "planning"})
    audit.record(world["squad_other"], "wish_survey.open", b, after={"is_open": True})
    old = audit.record(world["admin"], "plan.create", a, after={"title": "方案"})
    old.at = datetime(2020, 10, 21, 9, 30, tzinfo=SHANGHAI)
    db.session.commit()


def test_audit_rows_cannot_be_changed_or_deleted_through_the_orm(world):
    _rows(world)
    row = db.session.scalars(select(AuditLog).order_by(AuditLog.id)).first()
    row.action = "forged"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.scalars(select(AuditLog)).first())
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    for stmt in (update(AuditLog).values(action="forged"), delete(AuditLog)):
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.execute(stmt)
        db.session.rollback()
    assert db.session.scalar(select(func.count(AuditLog.id))) == 3
    assert "forged" not in db.session.scalars(select(AuditLog.action)).all()


def test_no_route_edits_or_deletes_the_audit_log(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("admin.audit")]
    assert [sorted(r.methods - {"HEAD", "OPTIONS"}) for r in rules] == [["GET"]]


def test_admin_sees_all_rows_with_before_and_after(client, world, login):
    _rows(world)
    login("admin")
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "共 3 条" in html and "阶段推进" in html and "&#34;stage&#34;: &#34;planning&#34;" in html


def test_filters_project_user_action_and_dates(client, world, login):
    _rows(world)
    login("admin")
    pa = world["project_a"].id
    assert "共 2 条" in client.get(f"/admin/audit?project={pa}").get_data(as_text=True)
    assert "共 1 条" in client.get("/admin/audit?user=squad_other").get_data(as_text=True)
    assert "共 0 条" in client.get("/admin/audit?user=nobody").get_data(as_text=True)
    assert "共 1 条" in client.get("/admin/audit?action=plan.").get_data(as_text=True)
    # 2020-10-21 09:30 Beijing time is the only row of that day.
    assert "共 1 条" in client.get("/admin/audit?since=2020-10-21&until=2020-10-21").get_data(as_text=True)
    bad = client.get("/admin/audit?since=2020-10-22&until=2020-10-21")
    assert bad.status_code == 200 and "截止日期不能早于起始日期" in bad.get_data(as_text=True)
    # a date out of range: the form-wide message (core.forms), once, next to the field
    html = client.get("/admin/audit?since=1900-01-01").get_data(as_text=True)
    assert html.count("日期不合理：请填写 2000年1月1日 至 ") == 1 and "日期超出范围" not in html
    assert 'id="since-err"' in html and "共 " not in html  # nothing listed


def test_leaders_see_only_their_jurisdiction(client, world, login, logout):
    _rows(world)
    login("leader_a")  # 桐柏路街道: project A only
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "共 2 条" in html and "开始意愿征集" not in html
    # Asking for B's project is not offered and finds nothing.
    assert "共 2 条" not in client.get(f"/admin/audit?project={world['project_b'].id}").get_data(as_text=True)
    logout()
    login("leader_other")
    assert "共 1 条" in client.get("/admin/audit").get_data(as_text=True)


def test_pages_of_fifty(client, world, login):
    for _ in range(120):
        audit.record(world["admin"], "facility.add", world["project_a"])
    db.session.commit()
    login("admin")
    first = client.get("/admin/audit").get_data(as_text=True)
    # 120 rows: pages of 50, 50 and 20.
    assert "共 120 条，第 1/3 页" in first and first.count("添加设施") == 50
    last = client.get("/admin/audit?page=3").get_data(as_text=True)
    assert last.count("添加设施") == 20
    assert client.get("/admin/audit?page=99999999999").status_code == 200


def test_the_page_runs_a_fixed_number_of_statements(client, world, login, app):
    from sqlalchemy import event

    for _ in range(60):
        audit.record(world["squad_a"], "facility.add", world["project_a"], after={"at": str(timedelta(1))})
    db.session.commit()
    login("admin")
    count = []
    listener = lambda *a, **k: count.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        client.get("/admin/audit")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    # projects + count + page + users of the page: 4, whatever the number of rows (no N+1).
    assert len(count) == 4
