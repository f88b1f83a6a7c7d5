"""Objects for tests: a small world with two compounds in two subdistricts and one user per role.

World (hand-made so figures can be checked by hand):
- 中原区 > 桐柏路街道 > 西十里铺北社区 > 测试A小区: 2 buildings (1号楼, 2号楼) x 2 entrances x 3 households
  = 12 households, each 80.00 m² except 1号楼1单元101 (120.00 m²) -> total 1,000.00 m².
- 中原区 > 建设路街道 > 测试社区B > 测试B小区: 1 building, 1 entrance, 2 households of 90.00 m².
- A's project is in consultation; B's in wish solicitation.
"""

import functools
import re
from decimal import Decimal

from werkzeug.security import generate_password_hash

from renovation.accounts.models import ProjectAssignment, Role, User
from renovation.extensions import db
from renovation.org.models import (
    Building,
    Community,
    Compound,
    District,
    Entrance,
    Household,
    Owner,
    Subdistrict,
)
from renovation.projects.models import Batch, CatalogueItem, ItemCategory, Project, ProjectItem
from renovation.projects.rules import Stage

PASSWORD = "test-pass-123"


def csrf_from(html: str) -> str:
    """The CSRF token of the first form in ``html``."""
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert m, "no csrf_token in page"
    return m.group(1)


@functools.cache
def _password_hash() -> str:
    # One scrypt hash shared by every test user: hashing costs ~0.1 s, and a world has nine users.
    return generate_password_hash(PASSWORD)


def make_user(username: str, role: Role, **kw) -> User:
    """A user with the test password."""
    user = User(username=username, display_name=kw.pop("display_name", username), role=role, **kw)
    user.password_hash = _password_hash()
    db.session.add(user)
    return user


def session_user_id(user: User) -> str:
    """What Flask-Login keeps in the session cookie for ``user``: '<id>.<key>' of a new open login session
    (accounts.sessions), committed. For tests that put a user in a session without the login form."""
    from renovation.accounts import sessions

    sessions.start(user)
    db.session.commit()
    return user.get_id()


def file_url(upload_id: int, variant: str = "thumb") -> str:
    """The address of a stored file as the app links it: ``/files/<id>-<signature>/<variant>`` (the bare id
    is a 404, core.uploads.UploadRefConverter). Needs the app context."""
    from renovation.core.uploads import upload_signature

    return f"/files/{upload_id}-{upload_signature(upload_id)}/{variant}"


def make_compound(community: Community, name: str, buildings: int, entrances: int, per_entrance: int,
                  area: Decimal = Decimal("80.00")) -> Compound:
    """A compound with buildings x entrances x per_entrance households, each with its own owner."""
    compound = Compound(community=community, name=name, address=f"{name}路1号")
    db.session.add(compound)
    db.session.flush()
    for b in range(1, buildings + 1):
        building = Building(compound=compound, number=f"{b}号楼", floors=6, sort_order=b)
        db.session.add(building)
        for e in range(1, entrances + 1):
            entrance = Entrance(building=building, number=f"{e}单元", sort_order=e)
            db.session.add(entrance)
            db.session.flush()
            for r in range(1, per_entrance + 1):
                owner = Owner(compound_id=compound.id, name=f"{name}业主{b}-{e}-{r}", phone="13800000000")
                db.session.add(owner)
                db.session.flush()
                db.session.add(Household(compound_id=compound.id, building_id=building.id, entrance_id=entrance.id,
                                         floor=r, room=f"{r}01", area=area, owner_id=owner.id,
                                         voter_name=owner.name))
    db.session.flush()
    return compound


def make_world() -> dict:
    """Create the world described in the module docstring; returns its objects by name."""
    district = District(name="中原区")
    tb = Subdistrict(district=district, name="桐柏路街道")
    js = Subdistrict(district=district, name="建设路街道")
    ca = Community(subdistrict=tb, name="西十里铺北社区")
    cb = Community(subdistrict=js, name="测试社区B")
    db.session.add_all([district, tb, js, ca, cb])
    db.session.flush()
    a = make_compound(ca, "测试A小区", 2, 2, 3)
    first = db.session.query(Household).filter_by(compound_id=a.id).order_by(Household.id).first()
    first.area = Decimal("120.00")
    b = make_compound(cb, "测试B小区", 1, 1, 2, Decimal("90.00"))
    batch = Batch(name="2020年第一批", year=2020)
    cat_gas = CatalogueItem(code="T-GAS", name="天然气入户", category=ItemCategory.BASIC)
    cat_road = CatalogueItem(code="T-ROAD", name="道路改造", category=ItemCategory.BASIC)
    cat_lift = CatalogueItem(code="T-LIFT", name="加装电梯", category=ItemCategory.IMPROVEMENT)
    db.session.add_all([batch, cat_gas, cat_road, cat_lift])
    pa = Project(compound=a, batch=batch, name="测试A小区改造", stage=Stage.CONSULTATION)
    pb = Project(compound=b, batch=batch, name="测试B小区改造", stage=Stage.WISH_SOLICITATION)
    db.session.add_all([pa, pb])
    db.session.flush()
    items = [ProjectItem(project=pa, catalogue_item=c, name=c.name, sort_order=i, budget=Decimal(b))
             for i, (c, b) in enumerate([(cat_gas, "300000"), (cat_road, "100000")])]
    db.session.add_all(items)
    hh_a = db.session.query(Household).filter_by(compound_id=a.id).order_by(Household.id).all()
    hh_b = db.session.query(Household).filter_by(compound_id=b.id).order_by(Household.id).all()
    users = {
        "admin": make_user("admin", Role.ADMIN),
        "resident_a": make_user("resident_a", Role.RESIDENT, household_id=hh_a[0].id),
        "resident_a2": make_user("resident_a2", Role.RESIDENT, household_id=hh_a[1].id),
        "resident_b": make_user("resident_b", Role.RESIDENT, household_id=hh_b[0].id),
        "supervisor_a": make_user("supervisor_a", Role.SUPERVISOR, household_id=hh_a[2].id),
        "squad_a": make_user("squad_a", Role.SQUAD),
        "squad_other": make_user("squad_other", Role.SQUAD),
        "leader_a": make_user("leader_a", Role.LEADER, subdistrict_id=tb.id),
        "leader_other": make_user("leader_other", Role.LEADER, subdistrict_id=js.id),
    }
    db.session.flush()
    db.session.add(ProjectAssignment(project_id=pa.id, user_id=users["squad_a"].id))
    db.session.add(ProjectAssignment(project_id=pb.id, user_id=users["squad_other"].id))
    db.session.commit()
    return {"district": district, "tongbai": tb, "jianshe": js, "compound_a": a, "compound_b": b,
            "project_a": pa, "project_b": pb, "items_a": items, "households_a": hh_a, "households_b": hh_b,
            "catalogue": [cat_gas, cat_road, cat_lift], "batch": batch, **users}
