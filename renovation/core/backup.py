"""Backups: PostgreSQL through pg_dump/pg_restore (custom format), SQLite through its online backup API.

Both produce one file that ``restore_database`` loads into an empty (or existing) database of the same
kind. A PostgreSQL restore runs in a single transaction: if it fails or is killed half way, the
database is left as it was. Passwords are passed to pg_dump through PGPASSWORD, never on the command
line (where ``ps`` would show them).
"""

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from renovation.core.errors import DomainError


def _sqlite_path(url: str) -> str:
    path = make_url(url).database
    if not path or path == ":memory:":
        raise DomainError("内存数据库无法备份。")
    return path


def _libpq(url: str) -> tuple[str, dict]:
    """(libpq connection string without the password, environment with PGPASSWORD)."""
    u = make_url(url).set(drivername="postgresql")
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = u.password
    return u.set(password=None).render_as_string(hide_password=False), env


def schema_from_engine_options(options: dict | None) -> str | None:
    """The schema named by ``-csearch_path=NAME`` in SQLALCHEMY_ENGINE_OPTIONS' connect_args, if any."""
    raw = ((options or {}).get("connect_args") or {}).get("options") or ""
    m = re.search(r"-csearch_path=([A-Za-z_][A-Za-z0-9_]*)", raw)
    return m.group(1) if m else None


def _run(cmd: list[str], env: dict) -> None:
    tool = cmd[0]
    if shutil.which(tool) is None:
        raise DomainError(f"找不到 {tool}：请安装 PostgreSQL 客户端（Debian: apt-get install postgresql-client）。")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise DomainError(f"{tool} 失败：{done.stderr.strip()[:500]}")


def backup_database(url: str, out_path: str | Path, *, schema: str | None = None) -> Path:
    """Write a backup of the database at ``url`` (SQLAlchemy URL) to ``out_path``; returns the path.

    SQLite: a consistent copy through sqlite3's backup API (safe while the app writes). PostgreSQL:
    ``pg_dump --format=custom`` (only ``schema`` when given). Raises DomainError on failure.
    """
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        src = sqlite3.connect(_sqlite_path(url))
        dst = sqlite3.connect(out)
        try:
            with dst:
                src.backup(dst)
        finally:
            dst.close()
            src.close()
        return out
    conn, env = _libpq(url)
    cmd = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={out}", f"--dbname={conn}"]
    if schema:
        cmd.append(f"--schema={schema}")
    _run(cmd, env)
    return out


def restore_database(url: str, in_path: str | Path) -> None:
    """Load the backup ``in_path`` into the database at ``url``, replacing what is there.

    SQLite: the backup API copies the file's pages over the target (created if missing). PostgreSQL:
    ``pg_restore --clean --if-exists --single-transaction`` (all or nothing). Stop the app's use of the
    database first (the CLI disposes its engine). Raises DomainError on failure.
    """
    src_path = Path(in_path)
    if not src_path.is_file():
        raise DomainError(f"备份文件不存在：{src_path}")
    if url.startswith("sqlite"):
        src = sqlite3.connect(f"file:{src_path}?mode=ro", uri=True)
        dst = sqlite3.connect(_sqlite_path(url))
        try:
            with dst:
                src.backup(dst)
        finally:
            dst.close()
            src.close()
        return
    conn, env = _libpq(url)
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", f"--dbname={conn}", str(src_path)], env)
