"""QA findings on the post-handover pages in English: hours counted with plurals ('1 hour', '2 hours') and
the property fee as money (CN¥0.60 per m² per month); the Chinese pages unchanged but for the fee, now ¥0.60
like the household's monthly fee next to it."""

from datetime import date, timedelta
from decimal import Decimal

from renovation.aftercare.models import PropertyContract, RepairRequest
from renovation.core.db import utcnow
from renovation.extensions import db
from tests.aftercare.factories import make_categories
from tests.factories import csrf_from


def test_target_hours_singular_and_plural(client, world, login, logout):
    cats = make_categories()
    db.session.commit()
    login("admin")
    client.set_cookie("lang", "en")
    page = client.get("/aftercare/repair-targets").get_data(as_text=True)
    for hours, text in (("1", "The target time of “水电” is now 1 hour."),
                        ("2", "The target time of “水电” is now 2 hours.")):
        done = client.post("/aftercare/repair-targets", data={"csrf_token": csrf_from(page), "name": "水电",
                                                             "target_hours": hours}, follow_redirects=True)
        assert text in done.get_data(as_text=True)
    client.delete_cookie("lang")
    done = client.post("/aftercare/repair-targets", data={"csrf_token": csrf_from(page), "name": "水电",
                                                         "target_hours": "1"}, follow_redirects=True)
    assert "“水电”的处理时限已设为 1 小时。" in done.get_data(as_text=True)
    logout()

    # the resident's choice of category and the request's page
    pid = world["project_a"].id
    login("resident_a")
    client.set_cookie("lang", "en")
    form = client.get(f"/aftercare/projects/{pid}/repairs/new").get_data(as_text=True)
    assert "水电 (handled within 1 hour)" in form and "公共设施 (handled within 72 hours)" in form
    client.delete_cookie("lang")
    form = client.get(f"/aftercare/projects/{pid}/repairs/new").get_data(as_text=True)
    assert "水电（1小时内处理）" in form and "公共设施（72小时内处理）" in form

    req = RepairRequest(project_id=pid, household_id=world["resident_a"].household_id,
                        reporter_id=world["resident_a"].id, category_id=cats["水电"].id, target_hours=1,
                        location="楼道灯", created_at=utcnow() - timedelta(minutes=10))
    db.session.add(req)
    db.session.commit()
    client.set_cookie("lang", "en")
    page = client.get(f"/aftercare/repairs/{req.id}").get_data(as_text=True)
    assert "1 hour (by " in page and "1 hours" not in page
    req.target_hours = 2
    db.session.commit()
    assert "2 hours (by " in client.get(f"/aftercare/repairs/{req.id}").get_data(as_text=True)
    client.delete_cookie("lang")
    assert "2 小时（" in client.get(f"/aftercare/repairs/{req.id}").get_data(as_text=True)


def test_property_fee_is_money_in_both_languages(client, world, login):
    pid = world["project_a"].id
    db.session.add(PropertyContract(project_id=pid, company="郑州嵩宇物业服务有限公司", starts_on=date(2020, 10, 1),
                                    ends_on=date(2023, 9, 30), fee_per_m2=Decimal("0.60")))
    db.session.commit()
    login("resident_a")
    client.set_cookie("lang", "en")
    html = client.get(f"/aftercare/projects/{pid}/property").get_data(as_text=True)
    assert ">Property fee</dt>" in html and ">CN¥0.60 per m² per month</dd>" in html
    assert "yuan/m²" not in html and "0.60 yuan" not in html
    client.delete_cookie("lang")
    html = client.get(f"/aftercare/projects/{pid}/property").get_data(as_text=True)
    assert ">物业费</dt>" in html and ">¥0.60/m²·月</dd>" in html
