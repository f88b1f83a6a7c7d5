"""Vote storm: every household of the demo compound (嵩岳小区) votes through HTTP at once.

What it does, in a bounded run (``--deadline`` seconds, default 600):
1. creates its own PostgreSQL database on the loopback server (``vote_storm_<pid>``), creates the
   tables, loads the demo and adds one resident account per active household of 嵩岳小区 (a cheap
   PBKDF2 hash: the benchmark measures voting, not password hashing) and an open compound-wide ballot;
2. starts gunicorn on 127.0.0.1 (sync workers, ``--workers``) serving the app on that database;
3. logs every household in (not timed), then fires the votes with ``--clients`` concurrent clients
   (threads + http.client, one connection per request): every household votes once and 10% vote a
   second time (a change of vote, which supersedes the first and keeps it);
4. fires as many requests at the trivial ``/healthz`` endpoint with the same concurrency;
5. prints votes/s, p50/p99 latency of both, their ratio, and checks in the database that the current
   votes equal the households that voted, the versions equal all submissions, and the hash chain holds;
6. stops gunicorn and drops the database, whatever happened.

Run: ``.venv/bin/python bench/vote_storm.py`` (needs PostgreSQL on 127.0.0.1:5432, user postgres).
Not part of the test suite.
"""

import argparse
import http.client
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PASSWORD = "storm-pass-123"


def _pg(url: str) -> str:
    return re.sub(r"^postgres(ql)?(\+psycopg)?://", "postgresql+psycopg://", url)


def create_database(admin_url: str, name: str) -> str:
    """Create database ``name`` on the server of ``admin_url``; return its SQLAlchemy URL."""
    from sqlalchemy import create_engine, text

    engine = create_engine(_pg(admin_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    parts = urllib.parse.urlsplit(_pg(admin_url))
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def drop_database(admin_url: str, name: str) -> None:
    """Drop database ``name`` (after closing other sessions on it)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(_pg(admin_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n "
                          "AND pid <> pg_backend_pid()"), {"n": name})
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    engine.dispose()


def prepare(db_url: str, uploads: str) -> tuple[int, list[tuple[int, str]], list[int]]:
    """Tables, demo data, one resident per active household of 嵩岳小区 and an open ballot.

    Returns (ballot id, [(household id, username)], [ballot item ids])."""
    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    from renovation import create_app
    from renovation.accounts.models import Role, User
    from renovation.core.db import utcnow
    from renovation.demo import SONGYUE, load_demo
    from renovation.extensions import db
    from renovation.org.models import Compound, Household, HouseholdStatus
    from renovation.projects.models import Project
    from renovation.voting.models import Ballot, BallotItem, BallotStatus

    app = create_app({"DATABASE_URL": db_url, "UPLOAD_FOLDER": uploads, "SECRET_KEY": os.urandom(32).hex()})
    with app.app_context():
        db.create_all()
        load_demo()
        compound = db.session.scalar(select(Compound).where(Compound.name == SONGYUE))
        project = db.session.scalar(select(Project).where(Project.compound_id == compound.id))
        households = list(db.session.scalars(select(Household.id).where(
            Household.compound_id == compound.id, Household.status == HouseholdStatus.ACTIVE).order_by(Household.id)))
        pw = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        accounts = [(hid, f"storm{hid}") for hid in households]
        db.session.add_all(User(username=u, display_name=u, role=Role.RESIDENT, household_id=hid, password_hash=pw)
                           for hid, u in accounts)
        ballot = Ballot(project_id=project.id, title="压力测试：公共区域照明改造", status=BallotStatus.OPEN,
                        opens_at=utcnow(), closes_at=utcnow() + timedelta(days=1))
        db.session.add(ballot)
        db.session.flush()
        items = [BallotItem(ballot_id=ballot.id, title=t, sort_order=n) for n, t in enumerate(["夜间照明", "健身器材"])]
        db.session.add_all(items)
        db.session.commit()
        return ballot.id, accounts, [i.id for i in items]


def check(db_url: str, ballot_id: int, households: int, submissions: int) -> dict:
    """Stored figures of the ballot after the storm."""
    from sqlalchemy import func, select

    from renovation import create_app
    from renovation.extensions import db
    from renovation.voting import services
    from renovation.voting.models import Ballot, Vote

    app = create_app({"DATABASE_URL": db_url, "SECRET_KEY": os.urandom(32).hex()})
    with app.app_context():
        current = db.session.scalar(select(func.count(Vote.id)).where(Vote.ballot_id == ballot_id,
                                                                      Vote.is_current.is_(True)))
        distinct = db.session.scalar(select(func.count(func.distinct(Vote.household_id))).where(
            Vote.ballot_id == ballot_id, Vote.is_current.is_(True)))
        versions = db.session.scalar(select(func.count(Vote.id)).where(Vote.ballot_id == ballot_id))
        broken = services.verify_chain(db.session.get(Ballot, ballot_id))
        db.engine.dispose()
    return {"current": current, "distinct_current": distinct, "versions": versions, "broken": broken,
            "ok": current == households == distinct and versions == submissions and broken is None}


class Client:
    """One household's browser: a cookie jar over one-request-per-connection http.client calls."""

    def __init__(self, host: str, port: int):
        self.host, self.port, self.cookies = host, port, {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, str]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8", "replace")
            for key, value in resp.getheaders():
                if key.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return resp.status, dict(resp.getheaders()), text
        finally:
            conn.close()


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) by nearest rank, in the values' unit."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def storm(host: str, port: int, ballot_id: int, accounts: list[tuple[int, str]], item_ids: list[int],
          clients: int, deadline: float) -> dict:
    """Log in every household, then the timed vote phase, then the /healthz phase; returns the figures."""
    sessions: dict[int, tuple[Client, str]] = {}
    errors: list[str] = []
    lock = threading.Lock()

    def login(account):
        hid, username = account
        c = Client(host, port)
        _, _, page = c.request("GET", "/login")
        status, _, _ = c.request("POST", "/login", {"csrf_token": CSRF.search(page).group(1), "username": username,
                                                    "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"login {username}: HTTP {status}")
        _, _, page = c.request("GET", f"/voting/{ballot_id}/vote")
        with lock:
            sessions[hid] = (c, CSRF.search(page).group(1))

    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(login, accounts))
    login_s = time.perf_counter() - t0
    if time.perf_counter() > deadline:
        raise TimeoutError("deadline passed during logins")

    # 10% of households (every tenth) vote twice: the second changes every choice.
    twice = {hid for n, (hid, _) in enumerate(accounts) if n % 10 == 0}
    latencies: list[float] = []

    def vote(hid: int, choice: str) -> None:
        c, token = sessions[hid]
        form = {"csrf_token": token, "household_id": hid, "step": "confirm"}
        form.update({f"item_{i}": choice for i in item_ids})
        start = time.perf_counter()
        status, headers, _ = c.request("POST", f"/voting/{ballot_id}/vote", form)
        elapsed = time.perf_counter() - start
        with lock:
            latencies.append(elapsed)
            if status != 302 or "/voting/receipt/" not in headers.get("Location", ""):
                errors.append(f"vote {hid}: HTTP {status} {headers.get('Location', '')}")

    def household_votes(account):
        hid = account[0]
        vote(hid, "agree")
        if hid in twice:
            vote(hid, "against")

    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(household_votes, accounts))
    vote_s = time.perf_counter() - t0
    if time.perf_counter() > deadline:
        raise TimeoutError("deadline passed during votes")

    health: list[float] = []

    def ping(_):
        c = Client(host, port)
        start = time.perf_counter()
        status, _, _ = c.request("GET", "/healthz")
        elapsed = time.perf_counter() - start
        with lock:
            health.append(elapsed)
            if status != 200:
                errors.append(f"healthz: HTTP {status}")

    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(ping, range(len(latencies))))
    health_s = time.perf_counter() - t0
    return {"households": len(accounts), "twice": len(twice), "submissions": len(latencies), "login_s": login_s,
            "vote_s": vote_s, "votes_per_s": len(latencies) / vote_s, "vote_p50": percentile(latencies, 50),
            "vote_p99": percentile(latencies, 99), "health_s": health_s, "health_per_s": len(health) / health_s,
            "health_p50": percentile(health, 50), "health_p99": percentile(health, 99), "errors": errors}


def wait_ready(host: str, port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    """Wait until gunicorn answers /healthz with 200 (or raise)."""
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            if Client(host, port).request("GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError("gunicorn did not become ready")


def main(argv: list[str] | None = None) -> int:
    """Run the storm; exit status 0 when every check passes."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--admin-url", default=os.environ.get("VOTE_STORM_ADMIN_URL",
                                                          "postgresql://postgres@127.0.0.1:5432/postgres"))
    ap.add_argument("--port", type=int, default=5193)
    ap.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    ap.add_argument("--clients", type=int, default=32, help="concurrent clients")
    ap.add_argument("--deadline", type=float, default=600, help="seconds before the run is abandoned")
    args = ap.parse_args(argv)
    host = "127.0.0.1"
    deadline = time.perf_counter() + args.deadline
    name = f"vote_storm_{os.getpid()}"
    proc = None
    with tempfile.TemporaryDirectory(prefix="vote-storm-") as tmp:
        db_url = create_database(args.admin_url, name)
        try:
            t0 = time.perf_counter()
            ballot_id, accounts, item_ids = prepare(db_url, tmp)
            print(f"准备：演示数据与 {len(accounts)} 个住户账号，用时 {time.perf_counter() - t0:.1f} s")
            env = {**os.environ, "RENOVATION_DATABASE_URL": db_url, "RENOVATION_UPLOAD_FOLDER": tmp,
                   "RENOVATION_SECRET_KEY": "vote-storm-" + os.urandom(32).hex()}
            gunicorn = str(Path(sys.executable).with_name("gunicorn"))
            log = open(Path(tmp) / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the directory
            proc = subprocess.Popen([gunicorn, "-w", str(args.workers), "-b", f"{host}:{args.port}",
                                     "--timeout", "60", "--log-level", "warning", "wsgi:app"],
                                    cwd=ROOT, env=env, start_new_session=True, stdout=log, stderr=subprocess.STDOUT)
            wait_ready(host, args.port, proc)
            r = storm(host, args.port, ballot_id, accounts, item_ids, args.clients, deadline)
            stored = check(db_url, ballot_id, len(accounts), r["submissions"])
        except BaseException:
            log_path = Path(tmp) / "gunicorn.log"
            if log_path.exists():
                sys.stderr.write(log_path.read_text("utf-8", "replace")[-4000:])
            raise
        finally:
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
            drop_database(args.admin_url, name)
    ratio = r["health_per_s"] / r["votes_per_s"]
    print(f"gunicorn {args.workers} sync workers, {args.clients} concurrent clients, PostgreSQL, 127.0.0.1; "
          f"{os.cpu_count()} CPUs, load average at the end {os.getloadavg()[0]:.1f}")
    print(f"households {r['households']}, of which {r['twice']} voted twice: {r['submissions']} vote submissions")
    print(f"logins (not timed as votes): {r['login_s']:.1f} s")
    print(f"votes:   {r['votes_per_s']:.0f} votes/s over {r['vote_s']:.1f} s; "
          f"latency p50 {r['vote_p50'] * 1000:.0f} ms, p99 {r['vote_p99'] * 1000:.0f} ms")
    print(f"/healthz: {r['health_per_s']:.0f} req/s over {r['health_s']:.1f} s; "
          f"latency p50 {r['health_p50'] * 1000:.0f} ms, p99 {r['health_p99'] * 1000:.0f} ms")
    print(f"ratio: /healthz throughput is {ratio:.1f} x the vote throughput; vote p50 is "
          f"{r['vote_p50'] / r['health_p50']:.1f} x /healthz p50")
    print(f"stored: {stored['current']} current votes for {r['households']} households "
          f"({stored['distinct_current']} distinct), {stored['versions']} versions for {r['submissions']} submissions, "
          f"hash chain {'OK' if stored['broken'] is None else 'BROKEN at vote ' + str(stored['broken'])}")
    for e in r["errors"][:10]:
        print("error:", e)
    ok = stored["ok"] and not r["errors"]
    print("CHECK OK" if ok else "CHECK FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
