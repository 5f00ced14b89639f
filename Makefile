# 长治项目一张图 — two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# debian packages the tests and print exports need: headless browser, cjk fonts, pdf rasteriser,
# postgresql 15 with postgis 3 (the tests start their own throw-away cluster)
PG_PACKAGES := postgresql postgresql-15-postgis-3
SYSTEM_PACKAGES := chromium chromium-driver fonts-noto-cjk poppler-utils $(PG_PACKAGES)
# local database for trying the postgis store (make db / make db-stop)
DB_DIR := var/pgdata
DB_PORT ?= 5433
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run demo test lint format fonts system-deps pg-deps bench clean db db-stop

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test]'
	touch $@

# cjk fonts for print exports; chromium for browser tests (installed only when missing)
fonts:
	@fc-list :lang=zh family | grep -q 'Noto Sans CJK' || \
	  ($(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk)

# install the given debian packages that are missing: $(call install_missing,PACKAGES);
# the server debian's postgresql package may start (cluster 15/main) is stopped again:
# the tests and make db run their own
install_missing = missing=""; for p in $(1); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing && \
	  case "$$missing" in *postgresql*) \
	    $(SUDO) pg_ctlcluster 15 main stop >/dev/null 2>&1 || true;; esac; fi

system-deps:
	@$(call install_missing,$(SYSTEM_PACKAGES))

pg-deps:
	@$(call install_missing,$(PG_PACKAGES))

run: $(VENV)/.run-installed fonts
	$(PY) -m streamlit run streamlit_app.py --server.port $(PORT)

# synthetic demo store (2,537 SYN- projects, plans, twelve months of progress; marked 演示数据)
demo: $(VENV)/.run-installed fonts
	$(PY) -m bench.demo_store var/demo.gpkg
	CHANGZHI_STORE=var/demo.gpkg $(PY) -m streamlit run streamlit_app.py --server.port $(PORT)

lint: $(VENV)/.test-installed
	$(PY) -m ruff format --check .
	$(PY) -m ruff check .

format: $(VENV)/.test-installed
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# pytest starts a throw-away postgis cluster (tests/conftest.py) and stops it, pass or fail
test: $(VENV)/.test-installed system-deps lint
	$(PY) -m pytest

# a persistent local postgis database; prints its url for CHANGZHI_STORE
db: $(VENV)/.run-installed pg-deps
	$(PY) -m geodata._pgcluster start $(DB_DIR) --port $(DB_PORT) --db changzhi

db-stop: $(VENV)/.run-installed
	$(PY) -m geodata._pgcluster stop $(DB_DIR)

bench: $(VENV)/.test-installed system-deps
	@for f in bench/bench_*.py; do m=$$(basename $$f .py); echo "== bench.$$m"; $(PY) -m bench.$$m || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/artifacts
