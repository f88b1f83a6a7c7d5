"""Read-side services of the leaders' view: one row of figures per compound under the user's node, the
dashboard's roll-ups, and the filtered, sorted, paginated compound list.

Every function runs a fixed number of SQL statements whatever the number of compounds: the figures of
all compounds come from a handful of GROUP BY queries restricted by a sub-select of the projects the
user may read (``visible_projects``), never from one query per compound. Status and search filters and
the pinyin sort run in Python on the rows (they need the computed figures or pinyin, see docs/dashboard.md).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, case, func, select

from renovation.accounts.models import Role, User
from renovation.construction.models import PROBLEM_STATUS_LABELS, ProblemReport, ProblemStatus
from renovation.construction.rules import is_overdue
from renovation.core.timeutil import to_local
from renovation.dashboard import rules
from renovation.dashboard.rules import CompoundFacts, ItemFacts, Status, Verdict
from renovation.extensions import db
from renovation.org.models import Community, Compound, Household, HouseholdStatus, Subdistrict
from renovation.planning.models import FUNDING_KIND_LABELS, FundingKind, FundingSource
from renovation.projects.access import visible_projects
from renovation.projects.models import Batch, Project, ProjectItem, ProjectItemStatus
from renovation.projects.rules import STAGE_ORDER, Stage
from renovation.voting.models import Ballot, BallotItem, BallotStatus
from renovation.wishes.models import WishResponse, WishSurvey

#: Sort orders of the compound list: value -> label (lazy, the reader's language).
SORTS = {
    "status": _l("需关注优先"),
    "name": _l("小区名称（拼音）"),
    "stage": _l("阶段"),
    "progress": _l("进度（低到高）"),
    "households": _l("户数（多到少）"),
}
#: Rows per page of the compound list (a phone screen or two).
PAGE_SIZE = 20
#: Problem statuses still open (the loop closes when a rectification is verified).
OPEN_PROBLEM = [s for s in ProblemStatus if s is not ProblemStatus.VERIFIED]
#: Problem statuses whose deadline still runs (not yet rectified).
UNRECTIFIED = [ProblemStatus.REPORTED, ProblemStatus.ASSIGNED, ProblemStatus.REOPENED]


@dataclass
class Filters:
    """Filters of the list, the dashboard and the ledgers. All optional: stage, batch id, community id,
    status (red/amber/green), q (search in name, address, community, or pinyin / initials), sort (a key
    of SORTS) and page (1-based)."""

    stage: Stage | None = None
    batch_id: int | None = None
    community_id: int | None = None
    status: Status | None = None
    q: str = ""
    sort: str = "status"
    page: int = 1


@dataclass
class CompoundRow:
    """One compound under the user's node with its project's figures.

    households / area: active households and their floor area (m²); surveyed: a wish survey exists;
    consenting: households consenting in it; items / budget: adopted items and their budgets (yuan);
    progress / planned: budget-weighted actual and planned progress (%; planned only in construction);
    spent: budget x progress estimate (yuan); open_problems / overdue_problems: problem reports not
    verified / past deadline and not rectified; ballots_closed, ballots_adopting: closed ballots and
    those adopting an item; decided / adopted: items of closed ballots and those adopted.
    """

    project_id: int
    project_name: str
    stage: Stage
    compound_id: int
    compound_name: str
    address: str | None
    community_id: int
    community_name: str
    subdistrict_id: int
    subdistrict_name: str
    batch_id: int | None
    batch_name: str | None
    started_on: date | None
    target_end_on: date | None
    households: int = 0
    area: Decimal = Decimal("0")
    surveyed: bool = False
    answered: int = 0
    consenting: int = 0
    items: int = 0
    budget: Decimal = Decimal("0")
    progress: float | None = None
    planned: float | None = None
    spent: Decimal = Decimal("0")
    open_problems: int = 0
    overdue_problems: int = 0
    ballots_closed: int = 0
    ballots_adopting: int = 0
    decided: int = 0
    adopted: int = 0
    verdict: Verdict = field(default_factory=lambda: Verdict(Status.GREEN))

    @property
    def consent_rate(self) -> Fraction | None:
        """Consenting households / active households (None without a survey or households)."""
        return rules.ratio(self.consenting, self.households) if self.surveyed else None


def node_label(user: User) -> str:
    """What the user's dashboard covers, in the reader's language: the leader's node, '全部辖区' or
    '我负责的项目'."""
    if user.role is Role.ADMIN:
        return _("全部辖区")
    if user.role is Role.LEADER:
        return user.jurisdiction_label
    return _("我负责的项目")


def scoped(user: User, filters: Filters | None = None) -> Select:
    """The SELECT of the projects ``user`` may read, narrowed by the SQL-side filters (stage, batch,
    community), joined to Compound, Community, Subdistrict."""
    stmt = visible_projects(user)
    if filters is not None:
        if filters.stage is not None:
            stmt = stmt.where(Project.stage == filters.stage)
        if filters.batch_id is not None:
            stmt = stmt.where(Project.batch_id == filters.batch_id)
        if filters.community_id is not None:
            stmt = stmt.where(Community.id == filters.community_id)
    return stmt


def _project_ids(stmt: Select) -> Select:
    return stmt.with_only_columns(Project.id)


def filter_choices(user: User) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(batches, communities) among the projects ``user`` may read, as (id, name) pairs: two statements."""
    visible = visible_projects(user)
    batches = db.session.execute(
        select(Batch.id, Batch.name).where(Batch.id.in_(visible.with_only_columns(Project.batch_id)))
        .order_by(Batch.year, Batch.name)).all()
    communities = db.session.execute(
        select(Community.id, Community.name, Subdistrict.name).join(Subdistrict)
        .where(Community.id.in_(visible.with_only_columns(Community.id)))).all()
    comm = sorted(communities, key=lambda r: (rules.pinyin_key(r[2]), rules.pinyin_key(r[1])))
    return [(r[0], r[1]) for r in batches], [(r[0], f"{r[2]} · {r[1]}") for r in comm]


def compound_rows(user: User, filters: Filters | None, today: date) -> list[CompoundRow]:
    """Every compound the user may read that passes ``filters`` (all of them, unsorted, not paginated),
    with its figures and status on ``today``. Eight SQL statements whatever the number of compounds."""
    stmt = scoped(user, filters)
    ids = _project_ids(stmt)
    base = db.session.execute(
        stmt.outerjoin(Batch, Project.batch_id == Batch.id).with_only_columns(
            Project.id, Project.name, Project.stage, Compound.id, Compound.name, Compound.address,
            Community.id, Community.name, Subdistrict.id, Subdistrict.name, Batch.id, Batch.name,
            Project.started_on, Project.target_end_on)).all()
    rows = {r[0]: CompoundRow(*r) for r in base}
    if not rows:
        return []
    by_compound = {r.compound_id: r for r in rows.values()}

    # households and floor area (m²) on the register
    for cid, n, area in db.session.execute(
            select(Household.compound_id, func.count(Household.id), func.sum(Household.area))
            .where(Household.compound_id.in_(stmt.with_only_columns(Compound.id)),
                   Household.status == HouseholdStatus.ACTIVE)
            .group_by(Household.compound_id)):
        by_compound[cid].households, by_compound[cid].area = n, Decimal(area or 0)

    # wish survey: answers and consents, less those of households moved out since (two grouped queries:
    # joining every answer to its household costs seconds at 850,000 households, the moved-out are few)
    consent = func.count(case((WishResponse.consent.is_(True), WishResponse.id)))
    for pid, answered, consenting in db.session.execute(
            select(WishSurvey.project_id, func.count(WishResponse.id), consent)
            .select_from(WishSurvey).outerjoin(WishResponse, WishResponse.survey_id == WishSurvey.id)
            .where(WishSurvey.project_id.in_(ids)).group_by(WishSurvey.project_id)):
        rows[pid].surveyed, rows[pid].answered, rows[pid].consenting = True, answered, consenting
    for pid, answered, consenting in db.session.execute(
            select(WishSurvey.project_id, func.count(WishResponse.id), consent)
            .join(WishResponse, WishResponse.survey_id == WishSurvey.id)
            .join(Household, Household.id == WishResponse.household_id)
            .where(WishSurvey.project_id.in_(ids), Household.status != HouseholdStatus.ACTIVE)
            .group_by(WishSurvey.project_id)):
        rows[pid].answered -= answered
        rows[pid].consenting -= consenting

    # closed ballots: per ballot, its items with a project item and how many were adopted
    adopted_case = case((ProjectItem.status == ProjectItemStatus.ADOPTED, 1), else_=0)
    for pid, _bid, decided, adopted in db.session.execute(
            select(Ballot.project_id, Ballot.id, func.count(ProjectItem.id), func.coalesce(func.sum(adopted_case), 0))
            .select_from(Ballot)
            .outerjoin(BallotItem, BallotItem.ballot_id == Ballot.id)
            .outerjoin(ProjectItem, ProjectItem.id == BallotItem.project_item_id)
            .where(Ballot.project_id.in_(ids), Ballot.status == BallotStatus.CLOSED)
            .group_by(Ballot.project_id, Ballot.id)):
        r = rows[pid]
        r.ballots_closed += 1
        r.ballots_adopting += 1 if adopted else 0
        r.decided += decided
        r.adopted += int(adopted)

    # adopted items: number, budget (yuan) and budget-weighted progress
    for pid, n, budget, bp, ps in db.session.execute(
            select(ProjectItem.project_id, func.count(ProjectItem.id), func.sum(ProjectItem.budget),
                   func.sum(ProjectItem.budget * ProjectItem.progress_percent), func.sum(ProjectItem.progress_percent))
            .where(ProjectItem.project_id.in_(ids), ProjectItem.status == ProjectItemStatus.ADOPTED)
            .group_by(ProjectItem.project_id)):
        r = rows[pid]
        r.items, r.budget = n, Decimal(budget or 0)
        r.progress = rules.progress_from_sums(n, budget, bp, ps)
        r.spent = (Decimal(bp or 0) / 100).quantize(Decimal("0.01"))

    # schedule of compounds under construction: planned vs actual on the scheduled items
    scheduled: dict[int, list[ItemFacts]] = defaultdict(list)
    for pid, budget, pct, start, end in db.session.execute(
            select(ProjectItem.project_id, ProjectItem.budget, ProjectItem.progress_percent,
                   ProjectItem.planned_start, ProjectItem.planned_end)
            .where(ProjectItem.project_id.in_(ids.where(Project.stage == Stage.CONSTRUCTION)),
                   ProjectItem.status == ProjectItemStatus.ADOPTED)):
        scheduled[pid].append(ItemFacts(budget, pct, start, end))
    schedule_actual: dict[int, float | None] = {}
    for pid, facts in scheduled.items():
        rows[pid].planned = rules.planned_progress(facts, today)
        schedule_actual[pid] = rules.actual_progress_of_scheduled(facts)

    # problem reports: open, and overdue (deadline passed, not rectified)
    overdue = case((and_(ProblemReport.status.in_(UNRECTIFIED), ProblemReport.deadline < today), 1), else_=0)
    for pid, n_open, n_overdue in db.session.execute(
            select(ProblemReport.project_id, func.count(ProblemReport.id), func.coalesce(func.sum(overdue), 0))
            .where(ProblemReport.project_id.in_(ids), ProblemReport.status.in_(OPEN_PROBLEM))
            .group_by(ProblemReport.project_id)):
        rows[pid].open_problems, rows[pid].overdue_problems = n_open, int(n_overdue)

    satisfaction = satisfaction_by_project(ids)
    for r in rows.values():
        r.verdict = rules.verdict(CompoundFacts(
            stage=r.stage, target_end_on=r.target_end_on, progress=schedule_actual.get(r.project_id),
            planned=r.planned, overdue_problems=r.overdue_problems, closed_ballots=r.ballots_closed,
            closed_ballots_adopting=r.ballots_adopting, satisfaction=satisfaction.get(r.project_id)), today)
    return list(rows.values())


def satisfaction_by_project(project_ids: Select) -> dict[int, Fraction]:
    """Share of satisfied households (0..1) per project after handover. No satisfaction survey is
    modelled yet (issue 5), so this is empty; the status rule already handles it (rules.verdict)."""
    return {}


def apply_python_filters(rows: list[CompoundRow], filters: Filters) -> list[CompoundRow]:
    """``rows`` passing the status filter and the search (in compound name, address, community and
    project name; ASCII letters also match the name's full pinyin or its initials, e.g. 'sy' -> 嵩岳)."""
    out = rows
    if filters.status is not None:
        out = [r for r in out if r.verdict.status is filters.status]
    q = (filters.q or "").strip()
    if q:
        ql = q.lower()
        latin = ql.isascii() and ql.isalpha()

        def hit(r: CompoundRow) -> bool:
            if any(q in (s or "") for s in (r.compound_name, r.address, r.community_name, r.project_name)):
                return True
            if latin:
                full, initials = rules.search_keys(r.compound_name)
                return full.startswith(ql) or initials.startswith(ql) or ql in full
            return False

        out = [r for r in out if hit(r)]
    return out


def sort_rows(rows: list[CompoundRow], sort: str) -> list[CompoundRow]:
    """``rows`` in the order ``sort`` (a key of SORTS); ties by name in pinyin order."""
    rows = sorted(rows, key=lambda r: rules.pinyin_key(r.compound_name))
    if sort == "status":
        rows.sort(key=lambda r: r.verdict.status.rank)
    elif sort == "stage":
        rows.sort(key=lambda r: r.stage.index)
    elif sort == "progress":
        rows.sort(key=lambda r: (r.progress is None, r.progress or 0))
    elif sort == "households":
        rows.sort(key=lambda r: -r.households)
    return rows


@dataclass
class CompoundList:
    """A page of the compound list: ``rows`` of page ``window.number``, out of ``window.total``."""

    rows: list[CompoundRow]
    window: rules.PageWindow


def compound_list(user: User, filters: Filters, today: date) -> CompoundList:
    """The filtered, sorted page of compounds for the list page (PAGE_SIZE per page)."""
    rows = sort_rows(apply_python_filters(compound_rows(user, filters, today), filters), filters.sort)
    window = rules.page_window(len(rows), filters.page, PAGE_SIZE)
    return CompoundList(rows[window.start:window.stop], window)


def filtered_rows(user: User, filters: Filters, today: date) -> list[CompoundRow]:
    """All compounds passing ``filters``, sorted, not paginated (for the ledgers)."""
    return sort_rows(apply_python_filters(compound_rows(user, filters, today), filters), filters.sort)


@dataclass
class FundingLine:
    """Funding of one source: planned (yuan, from the plan) and spent (yuan, amount x item progress:
    an estimate, no payments are recorded)."""

    kind: FundingKind | None
    label: str
    planned: Decimal
    spent: Decimal


@dataclass
class OldProblem:
    """An open problem report for the 'oldest open problems' table; ``age_days`` since it was reported."""

    id: int
    title: str
    status: ProblemStatus
    created_at: datetime
    deadline: date | None
    project_id: int
    compound_name: str
    age_days: int
    overdue: bool

    @property
    def status_label(self) -> str:
        """The status in the reader's language (已上报, 已交办... in Chinese)."""
        return str(PROBLEM_STATUS_LABELS[self.status])


@dataclass
class Dashboard:
    """The roll-up of the compounds under the user's node (see ``dashboard`` for the definitions)."""

    node: str
    rows: list[CompoundRow]
    funnel: list[rules.FunnelStep]
    compounds: int
    households: int
    area: Decimal
    surveyed_households: int
    consenting: int
    consent_rate: Fraction | None
    decided: int
    adopted: int
    pass_rate: Fraction | None
    budget: Decimal
    spent: Decimal
    progress: float | None
    funding: list[FundingLine]
    by_status: dict[Status, list[CompoundRow]]
    oldest_problems: list[OldProblem]
    breakdown: list[dict]


def funding_by_source(project_ids: Select) -> list[FundingLine]:
    """Planned and estimated spent money (yuan) per funding source of the adopted items of
    ``project_ids``, in FundingKind order, only sources with money. One statement."""
    got = {k: (Decimal(a or 0), Decimal(s or 0)) for k, a, s in db.session.execute(
        select(FundingSource.kind, func.sum(FundingSource.amount),
               func.sum(FundingSource.amount * ProjectItem.progress_percent))
        .join(ProjectItem, ProjectItem.id == FundingSource.project_item_id)
        .where(ProjectItem.project_id.in_(project_ids), ProjectItem.status == ProjectItemStatus.ADOPTED)
        .group_by(FundingSource.kind))}
    return [FundingLine(k, FUNDING_KIND_LABELS[k], got[k][0], (got[k][1] / 100).quantize(Decimal("0.01")))
            for k in FundingKind if k in got and got[k][0]]


def oldest_open_problems(project_ids: Select, today: date, limit: int = 10) -> list[OldProblem]:
    """The ``limit`` oldest problem reports not yet verified among ``project_ids``. One statement."""
    res = db.session.execute(
        select(ProblemReport.id, ProblemReport.title, ProblemReport.status, ProblemReport.created_at,
               ProblemReport.deadline, ProblemReport.project_id, Compound.name)
        .join(Project, Project.id == ProblemReport.project_id).join(Compound, Compound.id == Project.compound_id)
        .where(ProblemReport.project_id.in_(project_ids), ProblemReport.status.in_(OPEN_PROBLEM))
        .order_by(ProblemReport.created_at, ProblemReport.id).limit(limit)).all()
    out = []
    for pid, title, status, created, deadline, project_id, cname in res:
        created_local = to_local(created if created.tzinfo else created.replace(tzinfo=UTC)).date()
        out.append(OldProblem(pid, title, status, created, deadline, project_id, cname,
                              (today - created_local).days, is_overdue(status, deadline, today)))
    return out


def dashboard(user: User, today: date, filters: Filters | None = None) -> Dashboard:
    """The dashboard of ``user``'s node on ``today``:

    - funnel: compounds by stage (now in it / reached it);
    - households covered: active households of the compounds (and m²);
    - consent rate: consenting households / households of the compounds that have a wish survey;
    - vote pass rate: items adopted / items put to closed ballots (民法典 art. 278 tallies, as closed);
    - investment: budgets of adopted items (yuan) per funding source; spent estimated as amount x
      item progress (no payments are recorded: an estimate);
    - overall progress: budget-weighted progress of all adopted items (%);
    - status: compounds red/amber/green with reasons (rules.verdict); the ten oldest open problems.
    Eleven statements whatever the number of compounds (with the node's name).
    """
    filters = filters or Filters()
    rows = compound_rows(user, filters, today)
    ids = _project_ids(scoped(user, filters))
    funding = funding_by_source(ids)
    oldest = oldest_open_problems(ids, today)
    surveyed = [r for r in rows if r.surveyed]
    surveyed_households = sum(r.households for r in surveyed)
    consenting = sum(r.consenting for r in surveyed)
    decided = sum(r.decided for r in rows)
    adopted = sum(r.adopted for r in rows)
    budget = sum((r.budget for r in rows), Decimal("0"))
    spent = sum((r.spent for r in rows), Decimal("0"))
    pairs = [(r.budget, r.progress) for r in rows if r.progress is not None]
    by_status = {s: [] for s in rules.STATUS_ORDER}
    for r in sort_rows(rows, "status"):
        by_status[r.verdict.status].append(r)
    funded = sum((f.planned for f in funding), Decimal("0"))
    if budget - funded > 0:
        unfunded_spent = spent - sum((f.spent for f in funding), Decimal("0"))
        funding.append(FundingLine(None, _("未落实来源"), budget - funded, max(unfunded_spent, Decimal("0"))))
    return Dashboard(
        node=node_label(user), rows=rows, funnel=rules.stage_funnel(r.stage for r in rows), compounds=len(rows),
        households=sum(r.households for r in rows), area=sum((r.area for r in rows), Decimal("0")),
        surveyed_households=surveyed_households, consenting=consenting,
        consent_rate=rules.ratio(consenting, surveyed_households), decided=decided, adopted=adopted,
        pass_rate=rules.ratio(adopted, decided), budget=budget, spent=spent,
        progress=rules.weighted([(b, p) for b, p in pairs]) if pairs else None, funding=funding,
        by_status=by_status, oldest_problems=oldest, breakdown=breakdown(user, rows))


def breakdown(user: User, rows: list[CompoundRow]) -> list[dict]:
    """Figures per child node: per subdistrict for administrators and district leaders, per community
    for subdistrict leaders, none below (a community leader sees compounds only). Each dict: id, name,
    is_community, compounds, households, red, amber, budget (yuan), progress (%)."""
    if user.role is Role.LEADER and user.community_id:
        return []
    per_community = user.role is Role.LEADER and bool(user.subdistrict_id)
    groups: dict[tuple[int, str], list[CompoundRow]] = defaultdict(list)
    for r in rows:
        key = (r.community_id, r.community_name) if per_community else (r.subdistrict_id, r.subdistrict_name)
        groups[key].append(r)
    if user.role is Role.SQUAD or len(groups) < 2:
        return []
    out = []
    for (gid, name), rs in sorted(groups.items(), key=lambda kv: rules.pinyin_key(kv[0][1])):
        pairs = [(r.budget, r.progress) for r in rs if r.progress is not None]
        out.append({"id": gid, "name": name, "is_community": per_community, "compounds": len(rs),
                    "households": sum(r.households for r in rs),
                    "red": sum(1 for r in rs if r.verdict.status is Status.RED),
                    "amber": sum(1 for r in rs if r.verdict.status is Status.AMBER),
                    "budget": sum((r.budget for r in rs), Decimal("0")),
                    "progress": rules.weighted(pairs) if pairs else None})
    return out


def stage_counts(rows: list[CompoundRow]) -> dict[Stage, int]:
    """Compounds per current stage, in lifecycle order."""
    counts = {s: 0 for s in STAGE_ORDER}
    for r in rows:
        counts[r.stage] += 1
    return counts


