"""The session signing key (issue 15, finding 3): outside debug and testing the app refuses to start without
a key of at least 32 bytes, so nobody can mint an administrator's cookie with a public default key;
development gets a random key kept under instance/ (`make dev-key`, run by `make venv`)."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from renovation import create_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_env_key(monkeypatch, tmp_path):
    """No RENOVATION_SECRET_KEY in the environment and no development key file."""
    monkeypatch.delenv("RENOVATION_SECRET_KEY", raising=False)
    monkeypatch.delenv("RENOVATION_SECRET_KEY_FILE", raising=False)
    return {"DATABASE_URL": "sqlite://", "SECRET_KEY_FILE": str(tmp_path / "missing" / "secret_key")}


def test_production_refuses_to_start_without_a_key(no_env_key):
    with pytest.raises(RuntimeError, match="RENOVATION_SECRET_KEY"):
        create_app(no_env_key)


@pytest.mark.parametrize("key", ["dev-only-change-me", "x" * 31, "密钥" * 5])   # 18, 31 and 30 bytes
def test_production_refuses_a_key_shorter_than_32_bytes(no_env_key, key):
    with pytest.raises(RuntimeError, match="32"):
        create_app({**no_env_key, "SECRET_KEY": key})


def test_a_key_from_the_environment_of_32_bytes_is_used(no_env_key, monkeypatch):
    monkeypatch.setenv("RENOVATION_SECRET_KEY", "k" * 32)
    assert create_app(no_env_key).secret_key == "k" * 32


def test_the_development_key_file_is_used_when_no_key_is_set(no_env_key, tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("d" * 64 + "\n")
    assert create_app({**no_env_key, "SECRET_KEY_FILE": str(path)}).secret_key == "d" * 64


def test_debug_and_testing_run_without_a_key_but_never_on_a_public_one(no_env_key):
    first = create_app({**no_env_key, "TESTING": True}).secret_key
    second = create_app({**no_env_key, "DEBUG": True}).secret_key
    assert len(first) >= 32 and len(second) >= 32 and first != second
    assert "dev-only-change-me" not in (first, second)


def test_make_dev_key_writes_a_private_random_key_once(tmp_path):
    key = tmp_path / "instance" / "secret_key"
    run = subprocess.run(["make", "-s", "dev-key", f"DEV_KEY={key}"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    first = key.read_text().strip()
    assert len(first) >= 43 and stat.S_IMODE(os.stat(key).st_mode) == 0o600
    subprocess.run(["make", "-s", "dev-key", f"DEV_KEY={key}"], cwd=ROOT, check=True, timeout=60)
    assert key.read_text().strip() == first                     # kept: logins survive a restart


def test_gunicorn_config_refuses_to_start_without_a_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "RENOVATION_SECRET_KEY"}
    run = subprocess.run([sys.executable, "-c", "import runpy; runpy.run_path('gunicorn.conf.py')"], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and "RENOVATION_SECRET_KEY" in run.stderr
