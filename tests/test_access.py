"""Access by role: every GET route of the app against every kind of user, as one table.

The routes come from the app's URL map, so a new route without a row here fails `test_every_route_has_a_row`.
Users: anonymous; resident of compound A (resident_a) and of B (resident_b); resident supervisor of A;
squad member assigned to A (squad_a) and not (squad_other); leader of A's subdistrict (leader_a) and of
another (leader_other); administrator. POST routes are checked for refusals in
`test_post_routes_refuse_outsiders` (403 and nothing written).
"""

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from renovation.construction.models import ProblemReport
from renovation.core.db import utcnow
from renovation.core.models import AuditLog
from renovation.core.uploads import save_image
from renovation.extensions import db
from renovation.planning.models import Objection, Plan
from renovation.projects.models import ProjectItemStatus
from renovation.voting.models import Ballot, BallotItem, BallotObjection, BallotStatus, Choice, Vote
from renovation.voting.services import cast_vote
from renovation.wishes.models import WishSurvey
from tests.factories import csrf_from

USERS = ["anonymous", "resident_a", "resident_b", "supervisor_a", "squad_a", "squad_other", "leader_a",
         "leader_other", "admin"]


@pytest.fixture
def objects(world, app):
    """The world plus one object of each kind in compound A (ballot, vote, survey, plan, objection, problem, upload)."""
    pa = world["project_a"]
    ballot = Ballot(project_id=pa.id, title="测试表决", status=BallotStatus.OPEN, opens_at=utcnow(),
                    closes_at=utcnow() + timedelta(days=7))
    db.session.add(ballot)
    db.session.flush()
    bi = BallotItem(ballot_id=ballot.id, project_item_id=world["items_a"][0].id, title="天然气入户")
    db.session.add(bi)
    db.session.add(WishSurvey(project_id=pa.id, title="意愿征集"))
    world["items_a"][1].status = ProjectItemStatus.ADOPTED
    plan = Plan(project_id=pa.id, title="测试方案")
    db.session.add(plan)
    db.session.flush()
    objection = Objection(plan_id=plan.id, author_name="居民甲", content="异议")
    problem = ProblemReport(project_id=pa.id, title="井盖松动", reporter_id=world["resident_a"].id)
    db.session.add_all([objection, problem])
    db.session.flush()
    vote = cast_vote(world["resident_a"], ballot, world["households_a"][0], {bi.id: Choice.AGREE})
    ballot_objection = BallotObjection(ballot_id=ballot.id, household_id=world["households_a"][0].id,
                                       author_name="居民甲", content="对结果有异议")
    db.session.add(ballot_objection)
    buf = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buf, "JPEG")
    upload = save_image(buf.getvalue(), "照片.jpg", app.config["UPLOAD_FOLDER"], project_id=pa.id,
                        user=world["squad_a"])
    db.session.commit()
    from renovation.construction.checklists import seed_checklists  # construction: checklist + inspection
    from renovation.construction.models import ChecklistTemplate, Inspection

    seed_checklists()
    template = db.session.scalar(select(ChecklistTemplate).order_by(ChecklistTemplate.id))
    inspection = Inspection(project_id=pa.id, template_id=template.id, inspected_on=utcnow().date())
    db.session.add(inspection)
    db.session.commit()
    from tests.aftercare.factories import aftercare_objects  # aftercare and Party branch (issue 5)

    extra = aftercare_objects(world)
    return {**extra, "project_id": pa.id, "template_id": template.id, "inspection_id": inspection.id, "item_id": world["items_a"][1].id, "ballot_id": ballot.id, "vote_id": vote.id,
            "problem_id": problem.id, "objection_id": objection.id, "upload_id": upload.id, "variant": "thumb",
            "filename": "css/app.css", "household_id": world["households_a"][3].id, "token": "t" * 24,
            "ballot_objection_id": ballot_objection.id, "code": "en", "size": "large",
            "owner_id": world["households_a"][0].owner_id}


# Expected status per user, in USERS order. 302 for anonymous = sent to the login page; residents and
# supervisors are sent from the home page to their compound's page (302). Receipts are personal: the
# household's resident, the project's squad and administrators only.
GET_MATRIX = {
    #                              anon res_a res_b sup_a sq_a sq_o ld_a ld_o admin
    "accounts.login":            [200, 302, 302, 302, 302, 302, 302, 302, 302],
    "accounts.privacy_notice":   [200, 200, 200, 200, 200, 200, 200, 200, 200],
    "admin.index":               [302, 403, 403, 403, 403, 403, 403, 403, 200],
    "admin.audit_log":           [302, 403, 403, 403, 403, 403, 200, 200, 200],
    "admin.owners":              [302, 403, 403, 403, 403, 403, 403, 403, 200],
    "admin.owner":               [302, 403, 403, 403, 403, 403, 403, 403, 200],
    "admin.export_owner":        [401, 403, 403, 403, 403, 403, 403, 403, 200],
    "core.health":               [200, 200, 200, 200, 200, 200, 200, 200, 200],
    # Language and text size are cookies, back to the page the reader came from (302 for everyone).
    "i18n.switch_language":      [302, 302, 302, 302, 302, 302, 302, 302, 302],
    "i18n.switch_text_size":     [302, 302, 302, 302, 302, 302, 302, 302, 302],
    "static":                    [200, 200, 200, 200, 200, 200, 200, 200, 200],
    "dashboard.index":           [302, 302, 302, 302, 200, 200, 200, 200, 200],
    "dashboard.compounds":       [302, 403, 403, 403, 200, 200, 200, 200, 200],
    "dashboard.ledger":          [302, 403, 403, 403, 200, 200, 200, 200, 200],
    "projects.show":             [302, 200, 403, 200, 200, 403, 200, 403, 200],
    "core.upload_file":          [302, 200, 403, 200, 200, 403, 200, 403, 200],
    "wishes.answer":             [302, 200, 403, 200, 403, 403, 403, 403, 403],
    "wishes.paper":              [302, 403, 403, 403, 200, 403, 403, 403, 200],
    "wishes.results":            [302, 403, 403, 403, 200, 403, 200, 403, 200],
    "voting.show":               [302, 200, 403, 200, 200, 403, 200, 403, 200],
    "voting.vote":               [302, 200, 403, 200, 403, 403, 403, 403, 403],
    "voting.receipt":            [302, 200, 403, 403, 200, 403, 403, 403, 200],
    "voting.new":                [302, 403, 403, 403, 200, 403, 403, 403, 200],
    "voting.paper":              [302, 403, 403, 403, 200, 403, 403, 403, 200],
    "voting.proxy":              [302, 403, 403, 403, 200, 403, 403, 403, 200],
    "voting.lookup":             [302, 200, 200, 200, 200, 200, 200, 200, 200],
    "planning.show":             [302, 200, 403, 200, 200, 403, 200, 403, 200],
    "planning.edit_item":        [302, 403, 403, 403, 200, 403, 403, 403, 200],
    "construction.show":         [302, 200, 403, 200, 200, 403, 200, 403, 200],
    "construction.progress":     [302, 200, 403, 200, 200, 403, 200, 403, 200],
    "construction.problems":     [302, 200, 403, 200, 200, 403, 200, 403, 200],
    "construction.problem":      [302, 200, 403, 200, 200, 403, 200, 403, 200],
    "construction.report_problem": [302, 200, 403, 200, 200, 403, 403, 403, 200],
    "construction.logs":         [302, 200, 403, 200, 200, 403, 200, 403, 200],
    "construction.new_log":      [302, 403, 403, 403, 200, 403, 403, 403, 200],
    "construction.inspections":  [302, 200, 403, 200, 200, 403, 200, 403, 200],
    "construction.new_inspection": [302, 403, 403, 200, 200, 403, 403, 403, 200],
    "construction.inspection":   [302, 200, 403, 200, 200, 403, 200, 403, 200],
    "construction.notifications": [302, 200, 200, 200, 200, 200, 200, 200, 200],
    "construction.export_progress": [302, 200, 403, 200, 200, 403, 200, 403, 200],
    "construction.import_progress": [302, 403, 403, 403, 200, 403, 403, 403, 200],
    "aftercare.facilities":      [302, 200, 403, 200, 200, 403, 200, 403, 200],
    "party.branch":              [302, 403, 403, 403, 200, 403, 200, 403, 200],
    # aftercare and Party branch (issue 5): residents see facilities, handovers, property, activities and
    # only their own repair requests; survey results and branch records are for staff and leaders.
    "aftercare.edit_facility":   [302, 403, 403, 403, 200, 403, 403, 403, 200],
    "aftercare.handovers":       [302, 200, 403, 200, 200, 403, 200, 403, 200],
    "aftercare.handover":        [302, 200, 403, 200, 200, 403, 200, 403, 200],
    "aftercare.property_management": [302, 200, 403, 200, 200, 403, 200, 403, 200],
    "aftercare.repair_targets":  [302, 403, 403, 403, 403, 403, 403, 403, 200],
    "aftercare.repairs":         [302, 200, 403, 200, 200, 403, 200, 403, 200],
    "aftercare.new_repair":      [302, 200, 403, 200, 403, 403, 403, 403, 403],
    "aftercare.repair":          [302, 200, 403, 403, 200, 403, 200, 403, 200],
    "aftercare.activities":      [302, 200, 403, 200, 200, 403, 200, 403, 200],
    "aftercare.satisfaction":    [302, 403, 403, 403, 200, 403, 200, 403, 200],
    "aftercare.rate":            [302, 200, 403, 200, 403, 403, 403, 403, 403],
    "party.manage":              [302, 403, 403, 403, 200, 403, 200, 403, 200],
    "party.meeting":             [302, 403, 403, 403, 200, 403, 200, 403, 200],
    "party.activities":          [302, 403, 403, 403, 200, 403, 200, 403, 200],
    "reports.project_pdf":       [302, 403, 403, 403, 200, 403, 200, 403, 200],
    "reports.summary_pdf":       [302, 403, 403, 403, 403, 403, 200, 200, 200],
    "roster.households":            [302, 403, 403, 403, 200, 403, 200, 403, 200],
    "roster.add_household":         [302, 403, 403, 403, 200, 403, 403, 403, 200],
    "roster.edit_household":        [302, 403, 403, 403, 200, 403, 403, 403, 200],
    "roster.import_roster":         [302, 403, 403, 403, 200, 403, 403, 403, 200],
}
POST_ONLY = {
    "accounts.logout", "admin.erase_owner", "construction.assign", "construction.record_acceptance", "construction.rectify",
    "construction.reopen", "construction.verify", "planning.add_contractor", "planning.add_milestone",
    "planning.answer_objection", "planning.approve", "planning.create", "planning.enter_objection",
    "planning.post_notice", "planning.submit_objection", "projects.move_stage", "projects.close", "projects.reopen",
    "voting.close", "voting.open",
    "wishes.close", "wishes.open",
    "roster.move_out", "roster.reinstate", "roster.confirm_import", "voting.publish", "voting.object",
    "voting.answer_objection",
    "construction.read_notifications", "construction.apply_import",
    "aftercare.sign_handover", "aftercare.add_handover_document", "aftercare.handle_repair",
    "aftercare.open_survey", "aftercare.close_survey", "party.create_branch", "party.add_member", "party.add_post",
    "party.add_tag", "party.add_decision", "party.complete_task",
}


def _url(app, endpoint, objects):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    from flask import url_for

    with app.test_request_context():
        return url_for(endpoint, **{a: objects[a] for a in rule.arguments})


def test_every_route_has_a_row(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert endpoints == set(GET_MATRIX) | POST_ONLY


@pytest.mark.parametrize("endpoint", sorted(GET_MATRIX))
def test_get_matrix(endpoint, app, client, objects, login, logout):
    url = _url(app, endpoint, objects)
    got = []
    for user in USERS:
        if user != "anonymous":
            login(user)
        got.append(client.get(url).status_code)
        if user != "anonymous":
            logout()
    assert got == GET_MATRIX[endpoint], f"{endpoint} {url}: {dict(zip(USERS, got, strict=True))}"


# POST routes that change a project: every outsider (resident of B, squad not assigned, leaders) gets 403
# and no audit row is written.
POST_OUTSIDERS = ["resident_b", "squad_other", "leader_a", "leader_other"]


@pytest.mark.parametrize("endpoint", sorted(POST_ONLY - {"accounts.logout", "planning.submit_objection",
                                                         "construction.verify", "construction.reopen",
                                                         "construction.read_notifications"}))
def test_post_routes_refuse_outsiders(endpoint, app, client, objects, login, logout):
    url = _url(app, endpoint, objects)
    before = db.session.scalar(select(func.count(AuditLog.id)))
    for user in POST_OUTSIDERS:
        login(user)
        token = csrf_from(client.get("/", follow_redirects=True).get_data(as_text=True))
        assert client.post(url, data={"csrf_token": token}).status_code == 403, (endpoint, user)
        logout()
    assert db.session.scalar(select(func.count(AuditLog.id))) == before


# Object-level checks: the right role on the wrong object. Ids of compound B's objects (or of another
# household in A) are put in URLs of A; every row is (user, endpoint, url arguments, expected status).
@pytest.fixture
def other_objects(world, app, objects):
    """Objects of compound B (problem, upload, item, household) and a vote by another household of A."""
    from renovation.projects.models import ProjectItem

    pb = world["project_b"]
    problem_b = ProblemReport(project_id=pb.id, title="B小区路灯不亮", reporter_id=world["resident_b"].id)
    item_b = ProjectItem(project=pb, catalogue_item=world["catalogue"][1], name="道路改造", sort_order=0)
    db.session.add_all([problem_b, item_b])
    buf = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buf, "JPEG")
    upload_b = save_image(buf.getvalue(), "B.jpg", app.config["UPLOAD_FOLDER"], project_id=pb.id,
                          user=world["squad_other"])
    ballot = db.session.get(Ballot, objects["ballot_id"])
    item = db.session.scalars(select(BallotItem).where(BallotItem.ballot_id == ballot.id)).first()
    vote_a2 = cast_vote(world["resident_a2"], ballot, world["households_a"][1], {item.id: Choice.AGAINST})
    db.session.commit()
    return {"problem_b": problem_b.id, "item_b": item_b.id, "upload_b": upload_b.id, "vote_a2": vote_a2.id,
            "household_b": world["households_b"][0].id}


OBJECT_CHECKS = [
    # another household's receipt, same compound: personal
    ("resident_a", "voting.receipt", {"vote_id": "vote_a2"}, 403),
    ("resident_a2", "voting.receipt", {"vote_id": "vote_a2"}, 200),
    # B's photo and problem: only those who see B
    ("squad_a", "core.upload_file", {"upload_id": "upload_b", "variant": "thumb"}, 403),
    ("squad_other", "core.upload_file", {"upload_id": "upload_b", "variant": "thumb"}, 200),
    ("leader_a", "construction.problem", {"problem_id": "problem_b"}, 403),
    ("resident_b", "construction.problem", {"problem_id": "problem_b"}, 200),
    # B's item or household through A's project (whose squad squad_a is): not found under A
    ("squad_a", "planning.edit_item", {"project_id": "project_id", "item_id": "item_b"}, 404),
    ("squad_a", "roster.edit_household", {"project_id": "project_id", "household_id": "household_b"}, 404),
]


@pytest.mark.parametrize("user,endpoint,args,expected", OBJECT_CHECKS)
def test_object_level_checks(user, endpoint, args, expected, app, client, objects, other_objects, login):
    from flask import url_for

    ids = {**objects, **other_objects}
    with app.test_request_context():
        url = url_for(endpoint, **{k: (ids[v] if v in ids else v) for k, v in args.items()})
    login(user)
    assert client.get(url).status_code == expected, (user, url)


def test_a_resident_cannot_vote_for_another_household(client, world, objects, login):
    ballot_id = objects["ballot_id"]
    item = db.session.scalars(select(BallotItem).where(BallotItem.ballot_id == ballot_id)).first()
    login("resident_a")
    token = csrf_from(client.get(f"/voting/{ballot_id}/vote").get_data(as_text=True))
    before = db.session.scalar(select(func.count()).select_from(Vote))
    resp = client.post(f"/voting/{ballot_id}/vote", data={
        "csrf_token": token, "household_id": str(world["households_a"][1].id), f"item_{item.id}": "agree",
        "step": "confirm"})
    assert resp.status_code == 403 and "您只能为自己的房屋投票" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Vote)) == before


# Files by owner (issue 15, finding 1): one stored file of every kind, attached to a real object of
# compound A, fetched by every kind of user. Personal documents (a household's paper ballot scan, its
# proxy letter, the photo of its repair request, taken inside the home) are for the household, the
# project's squad and administrators only; every other kind follows the project.
PERSONAL = [302, 200, 403, 403, 200, 403, 403, 403, 200]
PROJECT_FILE = [302, 200, 403, 200, 200, 403, 200, 403, 200]
UPLOAD_MATRIX = {
    #              anon res_a res_b sup_a sq_a sq_o ld_a ld_o admin
    "vote_scan": PERSONAL, "proxy_letter": PERSONAL, "repair": PERSONAL,
    "plan_photo": PROJECT_FILE, "progress": PROJECT_FILE, "problem": PROJECT_FILE, "site_log": PROJECT_FILE,
    "acceptance": PROJECT_FILE, "handover": PROJECT_FILE, "activity": PROJECT_FILE, "project": PROJECT_FILE,
}


@pytest.fixture
def owned_uploads(world, app, objects):
    """{kind: Upload id} with each upload attached to its owner the way its area attaches it."""
    from renovation.aftercare.models import (
        ActivityKind,
        ActivityPhoto,
        CommunityActivity,
        HandoverDocument,
        RepairRequest,
    )
    from renovation.construction.models import (
        Acceptance,
        AcceptanceDocument,
        ProgressUpdate,
        SiteLog,
        SiteLogPhoto,
    )
    from renovation.core.uploads import set_owner
    from renovation.projects.models import ProgressStatus
    from renovation.wishes.models import Channel

    pa, squad = world["project_a"], world["squad_a"]
    out = {}

    def new(kind):
        buf = io.BytesIO()
        Image.new("RGB", (12, 12), "white").save(buf, "PNG")
        upload = save_image(buf.getvalue(), f"{kind}.png", app.config["UPLOAD_FOLDER"], project_id=pa.id, user=squad)
        out[kind] = upload.id
        return upload.id

    ballot = db.session.get(Ballot, objects["ballot_id"])
    item = ballot.items[0]
    own = world["households_a"][0]           # resident_a's household, which voted online in ``objects``
    cast_vote(squad, ballot, own, {item.id: Choice.AGAINST}, channel=Channel.PAPER, scan_upload_id=new("vote_scan"),
              reason="业主到社区当面更改")
    cast_vote(squad, ballot, own, {item.id: Choice.AGREE}, channel=Channel.PROXY, proxy_name="王受托",
              letter_upload_id=new("proxy_letter"))
    repair = db.session.get(RepairRequest, objects["repair_id"])
    repair.photo_id = new("repair")
    set_owner(repair.photo_id, "repair", repair.id)
    plan = db.session.scalar(select(Plan).where(Plan.project_id == pa.id))
    plan.notice_photo_id = new("plan_photo")
    set_owner(plan.notice_photo_id, "plan_photo", plan.id)
    update = ProgressUpdate(project_item_id=world["items_a"][0].id, percent=40, status=ProgressStatus.IN_PROGRESS,
                            photo_id=new("progress"), author_id=squad.id)
    problem = db.session.get(ProblemReport, objects["problem_id"])
    problem.photo_id = new("problem")
    log = SiteLog(project_id=pa.id, log_date=utcnow().date(), weather="晴", workforce=12, work_done="燃气管道敷设")
    acceptance = Acceptance(project_id=pa.id, accepted_on=utcnow().date(), passed=True)
    activity = CommunityActivity(project_id=pa.id, kind=ActivityKind.CULTURE, title="垃圾分类宣传",
                                 held_on=utcnow().date(), organiser="社区居委会")
    db.session.add_all([update, log, acceptance, activity])
    db.session.flush()
    set_owner(update.photo_id, "progress", update.id)
    set_owner(problem.photo_id, "problem", problem.id)
    db.session.add(SiteLogPhoto(site_log_id=log.id, upload_id=new("site_log")))
    set_owner(out["site_log"], "site_log", log.id)
    db.session.add(AcceptanceDocument(acceptance_id=acceptance.id, upload_id=new("acceptance")))
    set_owner(out["acceptance"], "acceptance", acceptance.id)
    db.session.add(HandoverDocument(handover_id=objects["handover_id"], title="移交书", upload_id=new("handover")))
    set_owner(out["handover"], "handover", objects["handover_id"])
    db.session.add(ActivityPhoto(activity_id=activity.id, upload_id=new("activity")))
    set_owner(out["activity"], "activity", activity.id)
    out["project"] = objects["upload_id"]    # a project's file without a more specific owner
    db.session.commit()
    return out


def test_every_kind_of_upload_against_every_kind_of_user(app, client, owned_uploads, login, logout):
    from flask import url_for

    from renovation.core.hooks import registered_upload_kinds

    assert set(UPLOAD_MATRIX) == set(registered_upload_kinds(app)), "a kind of upload without a row"
    with app.test_request_context():
        urls = {kind: url_for("core.upload_file", upload_id=uid, variant="thumb") for kind, uid in owned_uploads.items()}
    got = {kind: [] for kind in UPLOAD_MATRIX}
    for user in USERS:
        if user != "anonymous":
            login(user)
        for kind in UPLOAD_MATRIX:
            got[kind].append(client.get(urls[kind]).status_code)
        if user != "anonymous":
            logout()
    assert got == UPLOAD_MATRIX


def test_viewing_a_personal_document_is_logged_and_nothing_is_cached(app, client, world, owned_uploads, login,
                                                                      logout):
    from flask import url_for

    with app.test_request_context():
        scan = url_for("core.upload_file", upload_id=owned_uploads["vote_scan"], variant="display")
        photo = url_for("core.upload_file", upload_id=owned_uploads["progress"], variant="original")

    def views():
        return db.session.scalars(select(AuditLog).where(AuditLog.action == "personal_data.view",
                                                         AuditLog.object_type == "Upload")).all()

    login("resident_a")                     # the household itself: its own document, not logged
    resp = client.get(scan)
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "private, no-store"
    assert views() == []
    logout()
    login("squad_a")
    assert client.get(scan).status_code == 200
    [row] = views()
    assert row.user_id == world["squad_a"].id
    assert row.object_id == owned_uploads["vote_scan"] and row.after["kind"] == "vote_scan"
    resp = client.get(photo)                # a project photo: not personal, not logged, still not cached
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "private, no-store"
    assert len(views()) == 1


def test_upload_addresses_cannot_be_guessed(app, client, owned_uploads, login):
    """/files/<id>-<signature>/...: the bare sequential id, or a signature of another id, is not found."""
    from flask import url_for

    uid = owned_uploads["project"]
    with app.test_request_context():
        good = url_for("core.upload_file", upload_id=uid, variant="thumb")
        other = url_for("core.upload_file", upload_id=uid + 1, variant="thumb")
    signature = good.split("/")[2].split("-")[1]
    login("admin")
    assert client.get(good).status_code == 200
    assert client.get(f"/files/{uid}/thumb").status_code == 404
    assert client.get(f"/files/{uid}-{other.split('/')[2].split('-')[1]}/thumb").status_code == 404
    assert client.get(f"/files/{uid + 1}-{signature}/thumb").status_code == 404
