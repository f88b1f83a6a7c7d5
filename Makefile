# Two commands for a newcomer: `make run` (the app with demo data on SQLite) and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
# What Chinese PDFs need from Debian: Pango (WeasyPrint), HarfBuzz's subsetter (25x faster font
# subsetting), a Simplified Chinese font; python3-venv for the virtual environment.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fontconfig python3-venv

# Development session key (random, mode 600, kept so logins survive a restart). Production sets
# RENOVATION_SECRET_KEY instead (docs/deploy.md); the app refuses to start without one of the two.
DEV_KEY ?= instance/secret_key

.PHONY: run test system-deps venv dev-key db demo serve backup lint clean

run: venv db demo ## Serve the app on http://127.0.0.1:5000 with the demo data (SQLite by default)
	@echo "打开 http://$(HOST):$(PORT) 用上面的账号登录。"
	$(FLASK) run --host $(HOST) --port $(PORT)

test: venv ## Run the test suite (PostgreSQL instead when RENOVATION_TEST_DATABASE_URL is set)
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

system-deps: ## On Debian as root: install the system packages above that are missing
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "安装系统软件包:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "警告：缺少系统软件包:$$missing（请用 root 运行 apt-get install$$missing）" >&2; fi

venv: system-deps $(VENV)/.installed dev-key

dev-key: ## Write a random development session key to instance/secret_key (once; kept afterwards)
	@test -s $(DEV_KEY) || { mkdir -p $$(dirname $(DEV_KEY)) && umask 077 && \
	  python3 -c 'import secrets; print(secrets.token_urlsafe(48))' > $(DEV_KEY).tmp && mv $(DEV_KEY).tmp $(DEV_KEY); }

$(VENV)/.installed: setup.cfg pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

db: venv ## Apply the database migrations
	$(FLASK) db upgrade

demo: db ## Load the demo data (idempotent) and print the logins
	$(FLASK) demo load

serve: venv ## Production server (gunicorn, docs/deploy.md): needs RENOVATION_DATABASE_URL (PostgreSQL) and RENOVATION_SECRET_KEY
	@test -n "$$RENOVATION_DATABASE_URL" || { echo "请设置 RENOVATION_DATABASE_URL（PostgreSQL），见 docs/deploy.md" >&2; exit 1; }
	@test $${#RENOVATION_SECRET_KEY} -ge 32 || { echo "请设置 RENOVATION_SECRET_KEY（至少 32 字节的随机字符串），见 docs/deploy.md" >&2; exit 1; }
	$(FLASK) db upgrade
	$(VENV)/bin/gunicorn -c gunicorn.conf.py wsgi:app

backup: venv ## Back up the database to backups/ (PostgreSQL: pg_dump; SQLite: backup API)
	$(FLASK) backup backups/renovation-$$(date +%Y%m%d-%H%M%S).dump

lint: venv
	$(VENV)/bin/ruff check renovation tests

clean:
	rm -rf $(VENV) instance .pytest_cache
