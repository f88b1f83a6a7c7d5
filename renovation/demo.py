"""Demo data: the example compound 嵩岳小区 (domain.md) at the construction stage, and a few others.

``load_demo()`` is one idempotent, deterministic command (``flask demo load``): it does nothing and
returns False when 嵩岳小区 already exists; otherwise it seeds the catalogue and creates everything
below in one transaction. Random figures come from ``random.Random(SEED)``. The story is written as of
:data:`STORY_TODAY` (2020-10-21) and every story date is moved by the same number of days so that it
stands at the day the demo is loaded: the project was created about seven months before, the works are
under way (a few items behind plan), the last milestones lie ahead, and one problem is weeks overdue.
The open lift ballot (opens now, closes in 14 days) and the other compounds' currently open survey,
ballot and plan notice are dated from the load moment itself. Batches are named after the (moved) year
in which 嵩岳小区's project was created (e.g. "2026年第一批"). All names of people and firms are invented.

Design numbers of 嵩岳小区 (asserted by tests/test_demo.py):

- 33 buildings (1号楼..33号楼) of four layouts, :data:`SONGYUE_LAYOUT`, two dwellings per floor and
  entrance (一梯两户): A = 6 floors x 2 entrances = 24 dwellings, B = 7 x 2 = 28, C = 6 x 3 = 36,
  D = 7 x 3 = 42; 4 A + 6 B + 17 C + 6 D = 96 + 168 + 612 + 252 = **1,128 households** in
  8 + 12 + 51 + 18 = **89 entrances**.
- Exclusive floor areas from the register: each building has one pair of unit types from
  :data:`UNIT_PAIRS` (x01 / x02 of every floor, 55.86-106.38 m²) and the gable-end dwellings of its
  end entrances get :data:`END_EXTRA` (3.12 m²) more; total **92,411.91 m²** (:data:`SONGYUE_TOTAL_AREA`).
- 1,109 owners: 1,097 holding one dwelling, 8 holding two, 3 holding three, and one developer Owner
  (type DEVELOPER) for the 6 unsold dwellings.
- The lift entrance is 3号楼2单元 (7 floors, 14 dwellings); the demo resident lives in 3号楼2单元502
  and the resident supervisor in 12号楼1单元301.

This module only calls each area's demo module (``renovation/<area>/demo.py``) in order: org (the
register), accounts (users and logins), projects (the story's clock, batches, projects, transitions),
wishes, voting, planning, construction, aftercare and party. One ``random.Random(SEED)`` is threaded
through them in a fixed order, so the order of the calls below is part of the data: moving one changes
every figure drawn after it. Then the areas that add records on top of the story, each with its own
seed, get a :class:`DemoContext` through their ``load(ctx)``.
"""

import random

from sqlalchemy import select

from renovation.accounts import demo as accounts_demo
from renovation.accounts.demo import DEMO_LOGINS, DEMO_PASSWORD, DemoLogin, print_logins
from renovation.aftercare import demo as aftercare_demo
from renovation.construction import demo as construction_demo
from renovation.core.db import utcnow
from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.org import demo as org_demo
from renovation.org.demo import (
    END_EXTRA,
    LIFT_ENTRANCE,
    RESIDENT_DWELLING,
    SONGYUE,
    SONGYUE_HOUSEHOLDS,
    SONGYUE_LAYOUT,
    SONGYUE_TOTAL_AREA,
    SUPERVISOR_DWELLING,
    UNIT_PAIRS,
)
from renovation.org.models import Compound
from renovation.party import demo as party_demo
from renovation.planning import demo as planning_demo
from renovation.projects import demo as projects_demo
from renovation.projects.demo import STORY_TODAY, DemoContext
from renovation.voting import demo as voting_demo
from renovation.wishes import demo as wishes_demo

__all__ = [
    "DEMO_LOGINS", "DEMO_PASSWORD", "END_EXTRA", "LIFT_ENTRANCE", "RESIDENT_DWELLING", "SEED", "SONGYUE",
    "SONGYUE_HOUSEHOLDS", "SONGYUE_LAYOUT", "SONGYUE_TOTAL_AREA", "STORY_TODAY", "SUPERVISOR_DWELLING",
    "UNIT_PAIRS", "AREA_RECORDS", "DemoContext", "DemoLogin", "load_demo", "print_logins",
]

#: Seed of the demo's random figures (so every load gives the same data).
SEED = 20200306

#: Areas that add their own records on top of the story, in this order, each a module with
#: ``load(ctx: DemoContext) -> None`` (flush only) and its own random seed.
AREA_RECORDS = (construction_demo, aftercare_demo, party_demo, voting_demo)


def load_demo() -> bool:
    """Create the demo data and commit; returns False (and does nothing) when 嵩岳小区 already exists.

    Takes a couple of seconds on SQLite or PostgreSQL (rows are added in bulk, flushed a few times).
    Writes photos under UPLOAD_FOLDER. Existing district/subdistrict/community/batch rows and users
    with the demo usernames are reused.
    """
    if db.session.scalar(select(Compound.id).where(Compound.name == SONGYUE)) is not None:
        return False
    rng = random.Random(SEED)
    names = org_demo.Names(rng)
    receipts = voting_demo.Receipts(rng)
    cat = projects_demo.catalogue()
    zy, subs, comm = org_demo.jurisdiction()
    today = local_today()
    d = projects_demo.story_dates(today)
    batch1, batch2 = projects_demo.batches(d)

    # 嵩岳小区, stage by stage
    reg = org_demo.build_songyue(comm["西十里铺北社区"], batch1.name, rng, names)
    users = accounts_demo.create_users(subs, zy, reg)
    squad = users["squad"]
    staff = [squad, users["squad2"]]
    project = projects_demo.songyue_project(reg, batch1, users, d)
    answered, consenting = wishes_demo.songyue_survey(project, reg, rng, d, cat, staff)
    firms, items = planning_demo.songyue_items(project, cat, names, d)
    content = voting_demo.songyue_ballots(project, reg, rng, receipts, d, items, staff)
    adopted = sum(content.passed.values())
    planning_demo.songyue_plan(project, reg, d, squad)
    projects_demo.songyue_transitions(project, batch1, squad, d, households=len(reg.households),
                                      answered=answered, consenting=consenting, adopted=adopted,
                                      rejected=len(content.passed) - adopted)
    construction_demo.songyue_works(project, reg, rng, d, users, firms, items)
    aftercare_demo.songyue_facilities(reg.compound)
    party_demo.songyue_branch(project, rng, names, d)

    # the other compounds, in stage order
    now = utcnow().replace(microsecond=0)
    wishes_demo.other_compounds(comm, batch2, cat, rng, names, users, today, now)
    planning_demo.other_compounds(comm, batch2, cat, rng, names, receipts, users, d, today, now)
    aftercare_demo.other_compound(comm, batch1, cat, rng, names, receipts, users, d)

    ctx = DemoContext(project=project, compound=reg.compound, users=users, d=d)
    for area in AREA_RECORDS:
        area.load(ctx)
    db.session.commit()
    return True
