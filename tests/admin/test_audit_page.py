"""The audit log page: object types and counts in the reader's language (QA: raw model names such as
'Owner #50' in the Chinese interface; '1 records')."""

import re

from renovation.admin.views import object_type_labels
from renovation.core import audit
from renovation.core.models import AuditLog
from renovation.extensions import db
from renovation.org.models import Household


def _rows(world):
    a = world["project_a"]
    household = db.session.query(Household).filter_by(compound_id=a.compound_id).first()
    audit.record(world["admin"], "personal_data.view", household.owner, after={"fields": ["name"]}, project_id=a.id)
    audit.record(world["squad_a"], "stage.move", a, before={"stage": "consultation"}, after={"stage": "planning"})
    audit.record(world["squad_a"], "household.move_out", household, after={"reason": "已出售"}, project_id=a.id)
    db.session.add(AuditLog(action="legacy.thing", object_type="LegacyThing", object_id=7, project_id=a.id))
    db.session.commit()
    return household


def _object_cells(html):
    return re.findall(r'<td class="small">([^<]*#\d+)</td>', html)


def test_object_types_in_chinese_and_in_english(client, world, login):
    household = _rows(world)
    login("admin")
    html = client.get("/admin/audit").get_data(as_text=True)
    a = world["project_a"].id
    assert sorted(_object_cells(html)) == sorted([f"业主 #{household.owner_id}", f"项目 #{a}",
                                                  f"房屋 #{household.id}", "LegacyThing #7"])
    assert "共 4 条" in html and "住户迁出" in html and "household.move_out" in html
    assert "Owner #" not in html and "Project #" not in html
    client.set_cookie("lang", "en")
    html = client.get("/admin/audit").get_data(as_text=True)
    assert sorted(_object_cells(html)) == sorted([f"Owner #{household.owner_id}", f"Project #{a}",
                                                  f"Dwelling #{household.id}", "LegacyThing #7"])
    assert "4 records" in html and "Household moved out" in html
    # one row: singular
    assert "1 record</p>" in client.get("/admin/audit?action=stage.move").get_data(as_text=True)


def test_every_object_type_label_names_a_model(app):
    with app.test_request_context():
        labels = object_type_labels()
    models = {m.class_.__name__ for m in db.Model.registry.mappers}
    assert set(labels) <= models
    # the types the areas record (core.audit.record is given these objects)
    assert {"Owner", "Project", "Household", "Plan", "ProjectItem", "Contractor", "Milestone", "Objection",
            "ProblemReport", "Acceptance", "SiteLog", "Inspection", "PartyBranch", "PartyMember", "VanguardPost",
            "BranchTag", "Meeting", "BranchTask", "MemberActivity", "Ballot", "Vote", "BallotObjection",
            "Facility", "Handover", "PropertyContract", "RepairCategory", "RepairRequest", "CommunityActivity",
            "SatisfactionSurvey", "SatisfactionResponse", "WishSurvey", "WishResponse"} <= set(labels)
    assert labels["Owner"] == "业主" and labels["Ballot"] == "表决" and labels["Vote"] == "投票"
