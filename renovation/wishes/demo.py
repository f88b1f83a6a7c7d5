"""Demo wish surveys (意愿征集): 嵩岳小区's closed survey (about 95 % of households answered, about 90 % of
all households consenting) and the two compounds still at the wish-solicitation stage (电缆厂家属院 with
its survey open since ten days, 绿东村小区 just entered).

Called by renovation.demo.load_demo with the shared ``random.Random``; flushes only.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta

from renovation.accounts.models import User
from renovation.core.db import utcnow
from renovation.extensions import db
from renovation.org.demo import Names, Register, build_compound
from renovation.org.models import Community
from renovation.projects.demo import at, between, new_project, transitions
from renovation.projects.models import Batch, CatalogueItem, Project
from renovation.projects.rules import Stage
from renovation.wishes.models import Channel, WishResponse, WishSurvey, wish_response_item

#: 嵩岳小区: catalogue code -> probability that a consenting household wants the item.
SONGYUE_WANTED = {"B-GAS": 0.86, "ZZ-FACADE": 0.68, "B-ROAD": 0.74, "ZZ-CABLES": 0.52, "ZZ-RAINSEWER": 0.57,
                  "ZZ-SECURITY": 0.49, "I-LIGHT": 0.61, "I-PARKING": 0.44, "I-LIFT": 0.27, "I-ELDERLY": 0.33,
                  "I-FITNESS": 0.29, "ZZ-GREEN": 0.41, "U-ELDERLY": 0.24, "ZZ-PROPERTY": 0.31}
SONGYUE_COMMENTS = ["希望尽快通天然气，冬天做饭取暖太不方便。", "楼道灯坏了很多年，晚上上下楼很危险。",
                    "小区路面坑洼，下雨天积水严重。", "电线乱拉，存在安全隐患。", "希望能加装电梯，老人上楼困难。",
                    "停车太乱，希望规划停车位。", "希望引进物业，有人管理。", "改造期间请注意施工安全和噪音。"]
#: The other compounds' surveys: the same wishes and comments for all six.
OTHER_WANTED = {"ZZ-FACADE": 0.6, "ZZ-RAINSEWER": 0.5, "ZZ-ASPHALT": 0.55, "ZZ-CABLES": 0.4, "ZZ-SECURITY": 0.45,
                "I-PARKING": 0.5, "ZZ-GREEN": 0.35}
OTHER_COMMENTS = ["希望尽快改造。", "楼顶漏水严重。", "希望增加停车位。", "下水道经常堵。"]


def wanted_items(cat: dict[str, CatalogueItem], wanted: dict[str, float]) -> dict[CatalogueItem, float]:
    """``wanted`` (code -> probability) keyed by the catalogue rows instead, in the same order."""
    return {cat[code]: p for code, p in wanted.items()}


def wish_survey(project: Project, reg: Register, rng: random.Random, *, opened: datetime,
                closed: datetime | None, respond_p: float, consent_p: float, wanted: dict[CatalogueItem, float],
                staff: list[User], comments: list[str]) -> tuple[int, int]:
    """A wish survey with responses; returns (responses, consenting).

    Each household answers with probability ``respond_p`` and consents with ``consent_p``; a consenting
    household wants each catalogue item with its probability in ``wanted``. Answers fall between
    ``opened`` and ``closed`` (now while the survey is open), online, on paper or by proxy (45:50:5).
    """
    survey = WishSurvey(project=project, title=f"{reg.compound.name}改造意愿征集", is_open=closed is None,
                        opened_at=opened, closed_at=closed)
    db.session.add(survey)
    end = closed or utcnow()
    responses, wanted_lists = [], []
    for h in reg.households:
        if rng.random() >= respond_p:
            continue
        consent = rng.random() < consent_p
        channel = rng.choices([Channel.ONLINE, Channel.PAPER, Channel.PROXY], [45, 50, 5])[0]
        items = [c for c, p in wanted.items() if consent and rng.random() < p]
        comment = rng.choice(comments) if rng.random() < 0.08 else None
        responses.append(WishResponse(
            survey=survey, household=h, consent=consent, comment=comment, channel=channel,
            entered_by_id=None if channel is Channel.ONLINE else rng.choice(staff).id,
            answered_at=between(rng, opened, end)))
        wanted_lists.append(items)
    db.session.add_all(responses)
    db.session.flush()
    # the association rows in one executemany (thousands of rows: the ORM's per-object path is slower)
    rows = [{"response_id": r.id, "catalogue_item_id": c.id}
            for r, items in zip(responses, wanted_lists, strict=True) for c in items]
    if rows:
        db.session.execute(wish_response_item.insert(), rows)
    return len(responses), sum(r.consent for r in responses)


def songyue_survey(project: Project, reg: Register, rng: random.Random, d: Callable[[int, int, int], date],
                   cat: dict[str, CatalogueItem], staff: list[User]) -> tuple[int, int]:
    """嵩岳小区's survey, open 2020-03-09 08:00 to 04-03 18:00 (story dates); returns (answered, consenting)."""
    return wish_survey(project, reg, rng, opened=at(d(2020, 3, 9), 8), closed=at(d(2020, 4, 3), 18),
                       respond_p=0.95, consent_p=0.96, wanted=wanted_items(cat, SONGYUE_WANTED), staff=staff,
                       comments=SONGYUE_COMMENTS)


def other_compounds(comm: dict[str, Community], batch: Batch, cat: dict[str, CatalogueItem], rng: random.Random,
                    names: Names, users: dict[str, User], today: date, now: datetime) -> None:
    """The two other compounds at wish solicitation: 电缆厂家属院 (entered 20 days before ``today``, survey
    open since 10 days before ``now``) and 绿东村小区 (entered 5 days before, no survey yet)."""
    squad, squad3 = users["squad"], users["squad3"]

    r = build_compound(comm["西十里铺南社区"], "电缆厂家属院", "桐柏路88号", 1988, "CCAA", rng, names)
    p = new_project(r, batch, Stage.WISH_SOLICITATION, squad, at(today - timedelta(days=20)))
    transitions(p, [(None, Stage.WISH_SOLICITATION, at(today - timedelta(days=20)), f"纳入{batch.name}改造计划")],
                squad)
    wish_survey(p, r, rng, opened=now - timedelta(days=10), closed=None, respond_p=0.55, consent_p=0.9,
                wanted=wanted_items(cat, OTHER_WANTED), staff=[squad], comments=OTHER_COMMENTS)

    r = build_compound(comm["绿东村社区"], "绿东村小区", "建设西路31号", 1992, "AAB", rng, names)
    p = new_project(r, batch, Stage.WISH_SOLICITATION, squad3, at(today - timedelta(days=5)))
    transitions(p, [(None, Stage.WISH_SOLICITATION, at(today - timedelta(days=5)), f"纳入{batch.name}改造计划")],
                squad3)
