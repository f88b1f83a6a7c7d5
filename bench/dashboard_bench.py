"""Benchmark of the leaders' dashboard and compound list on PostgreSQL (not part of the test suite).

Generates compounds with about 170 households each (5,000 compounds -> 850,000 households) with COPY
into a schema of its own on a loopback PostgreSQL, measures the home page (dashboard) and the compound
list as the administrator (who sees every compound) at 50 and at 5,000 compounds, and prints per page:
the median time of 5 requests after a warm-up, the number of SQL statements, and the ratio of the time
at 5,000 to the time at 50. The schema is dropped at the end.

    .venv/bin/python bench/dashboard_bench.py [--compounds 5000] [--small 50]
    RENOVATION_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test (default)

Figures are recorded in docs/dashboard.md.
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlparse

from sqlalchemy import create_engine, event, text

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from renovation import create_app  # noqa: E402
from renovation.accounts.models import Role, User  # noqa: E402
from renovation.extensions import db  # noqa: E402
from renovation.projects.rules import STAGE_ORDER  # noqa: E402

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_COMPOUNDS = 20_000
HOUSEHOLDS = 170          # per compound (domain.md: an average compound has about 170 households)
BUILDINGS = 6
ENTRANCES = 2             # per building
ITEMS = 6                 # adopted items per project past consultation
FUNDING = ["central_subsidy", "local_government", "residents"]


def _url() -> str:
    url = os.environ.get("RENOVATION_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    if urlparse(url).hostname not in LOOPBACK:
        sys.exit(f"refusing a non-loopback database: {urlparse(url).hostname}")
    import re

    return re.sub(r"^postgres(ql)?(\+psycopg)?://", "postgresql+psycopg://", url)


class Ids:
    """Next id per table (COPY writes explicit ids; sequences are set afterwards)."""

    def __init__(self):
        self.n: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        self.n[table] = self.n.get(table, 0) + 1
        return self.n[table]


def generate(conn, ids: Ids, start: int, stop: int, rng: random.Random, community_ids: list[int], batch_id: int,
             today: date) -> None:
    """COPY compounds ``start``..``stop``-1 with their buildings, households, projects, surveys, answers,
    ballots, items, funding and problems into the connection's schema."""
    rows: dict[str, list[tuple]] = {t: [] for t in (
        "compound", "building", "entrance", "household", "project", "wish_survey", "wish_response", "ballot",
        "ballot_item", "project_item", "funding_source", "problem_report")}
    now = datetime.now(UTC)
    for i in range(start, stop):
        cid = ids("compound")
        rows["compound"].append((cid, community_ids[i % len(community_ids)], f"生成{i}号院", f"生成路{i}号"))
        hh = []
        for b in range(BUILDINGS):
            bid = ids("building")
            rows["building"].append((bid, cid, f"{b + 1}号楼", 6, b))
            for e in range(ENTRANCES):
                eid = ids("entrance")
                rows["entrance"].append((eid, bid, f"{e + 1}单元", e))
                per = HOUSEHOLDS // (BUILDINGS * ENTRANCES) + (1 if (b * ENTRANCES + e) < HOUSEHOLDS % 12 else 0)
                for r in range(per):
                    hid = ids("household")
                    hh.append(hid)
                    rows["household"].append((hid, cid, bid, eid, r // 2 + 1, f"{r // 2 + 1}0{r % 2 + 1}",
                                              "75.50", "active"))
        stage = STAGE_ORDER[i % 5]
        pid = ids("project")
        started = today - timedelta(days=rng.randint(30, 200))
        rows["project"].append((pid, cid, batch_id, f"生成{i}号院改造", stage.value, started,
                                started + timedelta(days=rng.randint(120, 240)), now))
        if stage.index > 0 or i % 10 < 5:
            sid = ids("wish_survey")
            rows["wish_survey"].append((sid, pid, "意愿征集", stage.index == 0, now))
            for hid in hh:
                if rng.random() < 0.9:
                    rows["wish_response"].append((ids("wish_response"), sid, hid, rng.random() < 0.85, "online", now))
        if stage.index >= 1:
            item_status = "adopted" if stage.index >= 2 else "candidate"
            items = []
            for k in range(ITEMS):
                iid = ids("project_item")
                pct = 0 if stage.index < 3 else (100 if stage.index == 4 else rng.randint(0, 100))
                budget = rng.randint(50, 500) * 1000
                s = started + timedelta(days=10 * k)
                rows["project_item"].append((iid, pid, f"改造项目{k + 1}", item_status, budget, pct,
                                             "completed" if pct == 100 else ("in_progress" if pct else "not_started"),
                                             s, s + timedelta(days=90), k, 10, "项", budget / 10))
                items.append(iid)
                if item_status == "adopted":
                    for kind in FUNDING[: 1 + k % 3]:
                        rows["funding_source"].append((ids("funding_source"), iid, kind, budget // 3))
            if stage.index >= 2:
                bal = ids("ballot")
                rows["ballot"].append((bal, pid, "改造内容表决", "closed", now, "ordinary", "compound", 2, 3, 1, 2,
                                           True, "民法典第二百七十八条", False))
                for k, iid in enumerate(items):
                    rows["ballot_item"].append((ids("ballot_item"), bal, iid, f"改造项目{k + 1}", k))
            if stage.index >= 3:
                for _ in range(rng.randint(0, 4)):
                    created = now - timedelta(days=rng.randint(1, 90))
                    status = rng.choice(["reported", "assigned", "rectified", "verified"])
                    rows["problem_report"].append((ids("problem_report"), pid, "生成的问题", status,
                                                   today - timedelta(days=rng.randint(-10, 30)), created))
    cols = {
        "compound": "id, community_id, name, address",
        "building": "id, compound_id, number, floors, sort_order",
        "entrance": "id, building_id, number, sort_order",
        "household": "id, compound_id, building_id, entrance_id, floor, room, area, status",
        "project": "id, compound_id, batch_id, name, stage, started_on, target_end_on, created_at",
        "wish_survey": "id, project_id, title, is_open, opened_at",
        "wish_response": "id, survey_id, household_id, consent, channel, answered_at",
        "project_item": ("id, project_id, name, status, budget, progress_percent, progress_status, planned_start, "
                         "planned_end, sort_order, quantity, unit, unit_price"),
        "funding_source": "id, project_item_id, kind, amount",
        "ballot": ("id, project_id, title, status, created_at, matter_class, scope, quorum_num, quorum_den, "
                   "approval_num, approval_den, approval_strict, rule_source, hide_tally"),
        "ballot_item": "id, ballot_id, project_item_id, title, sort_order",
        "problem_report": "id, project_id, title, status, deadline, created_at",
    }
    with conn.cursor() as cur:
        for table in cols:
            with cur.copy(f"COPY {table} ({cols[table]}) FROM STDIN") as copy:
                for row in rows[table]:
                    copy.write_row(row)


#: Seconds spent in SQL during the last measured request, per statement (first 60 characters).
SQL_TIMES: dict[str, float] = {}


def measure(app, client, path: str, runs: int = 5) -> tuple[float, int]:
    """(median seconds, statements) of GET ``path``, after one warm-up request."""
    counted = []
    started: list[float] = []

    def before(conn, cursor, statement, *a, **k):
        counted.append(1)
        started.append(time.perf_counter())

    def after(conn, cursor, statement, *a, **k):
        key = " ".join(statement.split())[:60]
        SQL_TIMES[key] = SQL_TIMES.get(key, 0.0) + time.perf_counter() - started.pop()

    assert client.get(path).status_code == 200
    times = []
    for _ in range(runs):
        counted.clear()
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", before)
            event.listen(db.engine, "after_cursor_execute", after)
            SQL_TIMES.clear()
            try:
                t = time.perf_counter()
                resp = client.get(path)
                times.append(time.perf_counter() - t)
            finally:
                event.remove(db.engine, "before_cursor_execute", before)
                event.remove(db.engine, "after_cursor_execute", after)
        assert resp.status_code == 200, resp.status_code
    return statistics.median(times), len(counted)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--compounds", type=int, default=5000)
    ap.add_argument("--small", type=int, default=50)
    args = ap.parse_args()
    if not 1 <= args.small < args.compounds <= MAX_COMPOUNDS:
        sys.exit(f"need 1 <= small < compounds <= {MAX_COMPOUNDS}")
    url = _url()
    schema = f"bench_dash_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-" + os.urandom(32).hex(), "WTF_CSRF_ENABLED": False,
                          "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}}})
        ids = Ids()
        rng = random.Random(7)
        today = date.today()
        with app.app_context():
            db.create_all()
            conn = db.engine.raw_connection()
            try:
                with conn.cursor() as cur:
                    cur.execute("INSERT INTO district (id, name, city) VALUES (1, '中原区', '郑州市')")
                    comm_ids = []
                    for s in range(10):
                        cur.execute("INSERT INTO subdistrict (id, district_id, name) VALUES (%s, 1, %s)",
                                    (s + 1, f"生成{s + 1}街道"))
                        for k in range(25):
                            cid = ids("community")
                            cur.execute("INSERT INTO community (id, subdistrict_id, name) VALUES (%s, %s, %s)",
                                        (cid, s + 1, f"生成{s + 1}-{k + 1}社区"))
                            comm_ids.append(cid)
                    cur.execute("INSERT INTO batch (id, name, year) VALUES (1, '2020年第一批', 2020)")
                conn.commit()
            finally:
                conn.close()
            user = User(username="bench-admin", display_name="管理员", role=Role.ADMIN)
            user.set_password("bench-pass-123")
            db.session.add(user)
            db.session.commit()
        results = {}
        done = 0
        for target in (args.small, args.compounds):
            t = time.perf_counter()
            with app.app_context():
                conn = db.engine.raw_connection()
                try:
                    generate(conn, ids, done, target, rng, comm_ids, 1, today)
                    conn.commit()
                    with conn.cursor() as cur:
                        cur.execute("ANALYZE")
                    conn.commit()
                finally:
                    conn.close()
            done = target
            print(f"{target} compounds, {ids.n.get('household', 0):,} households generated "
                  f"in {time.perf_counter() - t:.1f} s", flush=True)
            client = app.test_client()
            client.post("/login", data={"username": "bench-admin", "password": "bench-pass-123"})
            results[target] = {}
            for p in ("/", "/compounds", "/compounds?sort=name&page=7"):
                results[target][p] = measure(app, client, p)
                sql = sum(SQL_TIMES.values())
                print(f"  {p}: last request {sql * 1000:.0f} ms in SQL; slowest: "
                      + "; ".join(f"{k}... {v * 1000:.0f} ms" for k, v in
                                  sorted(SQL_TIMES.items(), key=lambda kv: -kv[1])[:2]), flush=True)
        print(f"\n{'page':32} {'n=' + str(args.small):>16} {'n=' + str(args.compounds):>16} {'ratio':>7}")
        for p in results[args.small]:
            (ts, ns), (tl, nl) = results[args.small][p], results[args.compounds][p]
            print(f"{p:32} {ts * 1000:9.0f} ms {ns:3d} st {tl * 1000:9.0f} ms {nl:3d} st {tl / ts:7.1f}")
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
