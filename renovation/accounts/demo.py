"""Demo accounts: the nine logins of ``flask demo load`` (one password for all), the table it prints, and
the users behind them (the resident and the supervisor live in 嵩岳小区, see renovation/org/demo.py).

Called by renovation.demo.load_demo; flushes only.
"""

import unicodedata
from dataclasses import dataclass

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from renovation.accounts.models import Role, User
from renovation.extensions import db
from renovation.org.demo import RESIDENT_DWELLING, SUPERVISOR_DWELLING, Register
from renovation.org.models import District, Subdistrict

#: The one password of every demo account (printed by ``flask demo load``).
DEMO_PASSWORD = "demo1234"


@dataclass(frozen=True)
class DemoLogin:
    """One demo account as printed: role label (Chinese), username and what the account sees."""

    role_label: str
    username: str
    sees: str


DEMO_LOGINS = [
    DemoLogin("系统管理员", "admin", "全部小区、用户、角色与设置"),
    DemoLogin("区领导", "district", "中原区全部小区的看板与PDF报告"),
    DemoLogin("街道领导（临时党支部书记）", "leader", "桐柏路街道：嵩岳小区、电缆厂家属院"),
    DemoLogin("街道领导", "jianshe", "建设路街道：百花小区、绿东村小区"),
    DemoLogin("专班成员（组长）", "squad", "嵩岳小区、电缆厂家属院：花名册、意愿征集、表决、方案、进度、问题"),
    DemoLogin("专班成员", "squad2", "嵩岳小区：同上"),
    DemoLogin("专班成员", "squad3", "棉纺西路12号院、西站路6号院、百花小区、秦岭路3号院、绿东村小区"),
    DemoLogin("居民", "resident", "嵩岳小区3号楼2单元502：可参加正在进行的加装电梯表决"),
    DemoLogin("居民监督员", "supervisor", "嵩岳小区12号楼1单元301：上报问题、核验整改"),
]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def print_logins(echo) -> None:
    """Print the demo accounts as a table (role, username, password, what they see) through ``echo``."""
    rows = [("角色", "用户名", "密码", "可以看到")] + [
        (lg.role_label, lg.username, DEMO_PASSWORD, lg.sees) for lg in DEMO_LOGINS]
    widths = [max(_width(r[i]) for r in rows) + 2 for i in range(3)]
    for i, row in enumerate(rows):
        echo("".join(_pad(cell, w) for cell, w in zip(row[:3], widths, strict=True)) + row[3])
        if i == 0:
            echo("-" * (sum(widths) + 40))


def create_users(subs: dict[str, Subdistrict], zy: District, reg: Register) -> dict[str, User]:
    """The demo accounts by username (existing users with those names are reused), flushed.

    ``subs`` maps subdistrict names to rows, ``zy`` is 中原区 and ``reg`` 嵩岳小区's register (the
    resident's and the supervisor's homes). One password hash is computed once: scrypt is slow by design.
    """
    pw = generate_password_hash(DEMO_PASSWORD)
    resident_home = reg.dwelling(*RESIDENT_DWELLING)
    supervisor_home = reg.dwelling(*SUPERVISOR_DWELLING)
    specs = {
        "admin": dict(display_name="系统管理员", role=Role.ADMIN),
        "district": dict(display_name="郭振华（中原区）", role=Role.LEADER, district_id=zy.id),
        "leader": dict(display_name="赵立群（桐柏路街道党工委副书记）", role=Role.LEADER,
                       subdistrict_id=subs["桐柏路街道"].id),
        "jianshe": dict(display_name="钱淑敏（建设路街道）", role=Role.LEADER, subdistrict_id=subs["建设路街道"].id),
        "squad": dict(display_name="孙志远", role=Role.SQUAD),
        "squad2": dict(display_name="何晓燕", role=Role.SQUAD),
        "squad3": dict(display_name="宋卫东", role=Role.SQUAD),
        "resident": dict(display_name=reg.owner_of[id(resident_home)].name, role=Role.RESIDENT,
                         household_id=resident_home.id),
        "supervisor": dict(display_name=reg.owner_of[id(supervisor_home)].name, role=Role.SUPERVISOR,
                           household_id=supervisor_home.id),
    }
    users = {}
    for username, kw in specs.items():
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(username=username, password_hash=pw, **kw)
            db.session.add(user)
        users[username] = user
    db.session.flush()
    return users
