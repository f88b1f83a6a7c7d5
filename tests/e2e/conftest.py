"""End-to-end fixtures: the app in a real server process, driven by Debian's Chromium through Playwright.

``e2e_server`` (one per test session, i.e. per xdist worker that runs an e2e test) creates a fresh
database of its own (a SQLite file in tmp, or a new PostgreSQL schema when RENOVATION_TEST_DATABASE_URL
is set, as tests/conftest.py does), runs ``flask db upgrade`` and ``flask demo load`` against it, starts
``flask run`` on a free loopback port and waits for /healthz. It does not share the database of the
``app`` fixture: that one is wiped after every test.

Screenshots go to a temporary folder, so a test run leaves the work tree clean; to refresh the committed
set, run with RENOVATION_E2E_SCREENSHOTS=docs/screenshots (see docs/e2e.md). axe-core is vendored in tests/e2e/vendor/ (docs/e2e.md gives its version).
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_URL, _pg_url

ROOT = Path(__file__).resolve().parents[2]
VENDOR = Path(__file__).resolve().parent / "vendor"
SHOTS = Path(os.environ.get("RENOVATION_E2E_SCREENSHOTS")
             or Path(tempfile.gettempdir()) / "renovation-e2e-screenshots")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "demo1234"  # the demo's password (renovation/demo.py)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _flask(env: dict, *args: str) -> None:
    out = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, f"flask {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}"


@pytest.fixture(scope="session")
def e2e_server(tmp_path_factory):
    """Base URL of the demo app served by a real `flask run` process on its own fresh database."""
    tmp = tmp_path_factory.mktemp("e2e")
    env = {k: v for k, v in os.environ.items() if not k.startswith("RENOVATION_")}
    env.update({
        "RENOVATION_UPLOAD_FOLDER": str(tmp / "uploads"),
        "RENOVATION_SECRET_KEY": "e2e-" + uuid.uuid4().hex,
        "RENOVATION_RATELIMIT_STORAGE_URI": "memory://",
        "PYTHONUNBUFFERED": "1",
    })
    schema = admin = None
    if PG_URL:
        schema = f"e2e_{uuid.uuid4().hex[:12]}"
        url = _pg_url(PG_URL)
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in url else "?"
        env["RENOVATION_DATABASE_URL"] = f"{url}{sep}options={quote(f'-csearch_path={schema}')}"
    else:
        env["RENOVATION_DATABASE_URL"] = f"sqlite:///{tmp / 'e2e.db'}"
    proc = None
    try:
        _flask(env, "db", "upgrade")
        _flask(env, "demo", "load")
        port = _free_port()
        log = open(tmp / "server.log", "w")
        proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "run", "--host", "127.0.0.1",
                                 "--port", str(port), "--no-reload", "--no-debugger"],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert proc.poll() is None, (tmp / "server.log").read_text()
            assert time.monotonic() < deadline, "the server did not answer /healthz within 30 s"
            time.sleep(0.2)
        yield base
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium (never `playwright install`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def new_page(browser, e2e_server):
    """new_page(width, height) -> a Page in a fresh context (own cookies) on the e2e server."""
    contexts = []

    def _new(width: int = 1280, height: int = 900):
        ctx = browser.new_context(base_url=e2e_server, viewport={"width": width, "height": height},
                                  accept_downloads=True, locale="zh-CN", timezone_id="Asia/Shanghai")
        ctx.set_default_timeout(15_000)
        contexts.append(ctx)
        return ctx.new_page()

    yield _new
    for ctx in contexts:
        ctx.close()


# --- helpers used by the journeys ----------------------------------------------------------------

def login(page, username: str) -> None:
    """Log in through the real form; waits for the page after the redirect."""
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form:has(input[name=password]) button[type=submit]")
    assert "/login" not in page.url, page.inner_text("body")[:500]


def shot(page, journey: str, step: str) -> None:
    """Full-page screenshot to docs/screenshots/e2e-<journey>-<step>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"e2e-{journey}-{step}.png"), full_page=True)


def assert_no_hscroll(page, width: int = 375) -> None:
    """No horizontal scrolling: the document is no wider than the viewport."""
    sw = page.evaluate("document.documentElement.scrollWidth")
    assert sw <= width, f"{page.url}: scrollWidth {sw} > {width}"


_AXE = None


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run the vendored axe-core on the page; the violations of the given impacts (id, help, nodes)."""
    global _AXE
    if _AXE is None:
        _AXE = (VENDOR / "axe.min.js").read_text(encoding="utf-8")
    # evaluate() goes through DevTools, so the app's CSP (script-src 'self') stays on and still applies
    page.evaluate(_AXE)
    found = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 5).map(n => n.html.slice(0, 200))}));
    }""")
    return [v for v in found if v["impact"] in impacts]


def assert_axe_clean(page) -> None:
    """No serious or critical axe-core violations on the current page."""
    bad = axe_violations(page)
    assert bad == [], f"{page.url}: {bad}"
