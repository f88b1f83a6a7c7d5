"""城镇老旧小区改造 — the renovation project tracker (Flask application package)."""

import logging
import os
from datetime import timedelta
from fractions import Fraction
from pathlib import Path

from flask import Flask

from renovation import config as default_config

ENV_PREFIX = "RENOVATION_"


def _coerce(current, raw: str):
    """Convert an environment string to the type of the default it overrides."""
    if isinstance(current, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(current, int):
        return int(raw)
    if isinstance(current, Fraction):
        return Fraction(raw.strip())
    return raw


def _settings_from_env(defaults: dict) -> dict:
    out = {}
    for key, value in os.environ.items():
        if key.startswith(ENV_PREFIX):
            name = key[len(ENV_PREFIX):]
            out[name] = _coerce(defaults.get(name), value) if name in defaults else value
    return out


def create_app(config: dict | None = None) -> Flask:
    """Build the app: defaults (renovation.config), then RENOVATION_* environment, then ``config``.

    No side effects beyond configuring: no tables are created and no data is loaded here
    (``flask db upgrade`` and ``flask demo load`` do that).
    """
    root = Path(__file__).resolve().parent.parent
    app = Flask(
        __name__,
        instance_path=str(root / "instance"),
        template_folder=str(root / "templates"),
        static_folder=str(root / "static"),
    )
    defaults = {k: v for k, v in vars(default_config).items() if k.isupper()}
    app.config.update(defaults)
    app.config.update(_settings_from_env(defaults))
    app.config.update(config or {})
    _set_secret_key(app)

    url = app.config.get("DATABASE_URL") or "sqlite:///" + str(Path(app.instance_path) / "renovation.db")
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    if url.startswith("sqlite"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"].setdefault("connect_args", {"timeout": 15})
    else:
        app.config["SQLALCHEMY_ENGINE_OPTIONS"].setdefault("pool_pre_ping", True)
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = str(Path(app.instance_path) / "uploads")
    # The remember-me cookie lives as long as its login session may (accounts.sessions).
    app.config.setdefault("REMEMBER_COOKIE_DURATION", timedelta(days=int(app.config["SESSION_DAYS"])))
    if isinstance(app.config["GATE_WISH_CONSENT_RATE"], str):
        app.config["GATE_WISH_CONSENT_RATE"] = Fraction(app.config["GATE_WISH_CONSENT_RATE"])

    from renovation.core import web

    _init_extensions(app)
    web.init_app(app)  # before the blueprints: it sets the URL converters their rules use
    _register_areas(app)
    _register_commands(app)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    return app


#: The shortest session signing key accepted outside debug and testing, in bytes (256 bits: OWASP ASVS 6.2,
#: Flask's own advice for SECRET_KEY).
MIN_SECRET_KEY_BYTES = 32


def _set_secret_key(app: Flask) -> None:
    """Pick the session signing key: SECRET_KEY (RENOVATION_SECRET_KEY), else the development key file
    (SECRET_KEY_FILE, default ``instance/secret_key``, written by `make dev-key`), else in debug or testing
    a random key for this process only.

    Raises RuntimeError, outside debug and testing, when there is no key or it is shorter than
    MIN_SECRET_KEY_BYTES: the app must not start with a key anyone could know.
    """
    import secrets

    key = app.config.get("SECRET_KEY")
    if not key:
        path = Path(app.config.get("SECRET_KEY_FILE") or Path(app.instance_path) / "secret_key")
        if path.is_file():
            key = path.read_text(encoding="utf-8").strip()
    relaxed = app.debug or app.testing
    if not key and relaxed:
        key = secrets.token_urlsafe(48)
    if not key:
        raise RuntimeError(
            "未设置会话密钥 RENOVATION_SECRET_KEY（至少 32 字节的随机字符串），应用拒绝启动。"
            "生产环境见 docs/deploy.md；开发环境运行 `make dev-key`（生成 instance/secret_key）。"
            " / RENOVATION_SECRET_KEY is not set: refusing to start.")
    if len(key.encode("utf-8")) < MIN_SECRET_KEY_BYTES and not relaxed:
        raise RuntimeError(
            f"会话密钥 RENOVATION_SECRET_KEY 太短（{len(key.encode('utf-8'))} 字节），至少需要 "
            f"{MIN_SECRET_KEY_BYTES} 字节，应用拒绝启动。 / RENOVATION_SECRET_KEY is shorter than "
            f"{MIN_SECRET_KEY_BYTES} bytes: refusing to start.")
    app.config["SECRET_KEY"] = key


def _init_extensions(app: Flask) -> None:
    from sqlalchemy import event

    from renovation import models  # noqa: F401  (complete metadata)
    from renovation.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "请先登录。"
    login_manager.login_message_category = "warning"

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            engine = db.engine

            @event.listens_for(engine, "connect")
            def _sqlite_pragmas(dbapi_conn, _record):
                # WAL + busy timeout: concurrent writers in development wait instead of failing
                # with "database is locked"; foreign keys are off by default in SQLite; secure_delete.
                cur = dbapi_conn.cursor()
                if engine.url.database not in (None, "", ":memory:"):
                    cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA busy_timeout=15000")
                cur.execute("PRAGMA foreign_keys=ON")
                # Deleted and overwritten rows (an erased owner's name, a replaced phone) are zeroed on
                # disk, not left in free pages (PIPL art. 47: deletion).
                cur.execute("PRAGMA secure_delete=ON")
                cur.close()


#: The feature areas, in the order their blueprints are registered. Each area's package has
#: ``init_app(app)`` that registers its pages, commands and the hooks core asks (docs/architecture.md).
AREAS = ("accounts", "dashboard", "projects", "wishes", "voting", "planning", "construction", "aftercare",
         "party", "reports", "org", "roster", "admin")


def _register_areas(app: Flask) -> None:
    from importlib import import_module

    from renovation.core.views import bp as core_bp

    app.register_blueprint(core_bp)
    for name in AREAS:
        import_module(f"renovation.{name}").init_app(app)


def _register_commands(app: Flask) -> None:
    import click

    from renovation.core import cli

    cli.init_app(app)  # core's own commands; areas add theirs in their init_app

    @app.cli.group("demo")
    def demo():
        """Demo data of the example compound (嵩岳小区)."""

    @demo.command("load")
    def demo_load():
        """Load the demo data (idempotent: does nothing if it is already there) and print the logins."""
        from renovation.demo import load_demo, print_logins

        created = load_demo()
        click.echo("演示数据已加载。" if created else "演示数据已存在，未重复加载。")
        print_logins(click.echo)
