# The verbs a newcomer types. Every target creates the virtualenv and installs the
# project when needed, and puts .venv/bin first on PATH so dagster-dbt finds our dbt.
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
PYTHON ?= python3
STAMP  := $(VENV)/.installed-stamp
export PATH := $(BIN):$(PATH)

.PHONY: install demo refresh serve test dev docs lint seeds clean bench

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing productops and its stack into $(VENV) (a few minutes the first time)..."
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## make demo: build the warehouse from seeds/ and serve the dashboards
demo: install
	@$(BIN)/productops refresh
	@$(BIN)/productops serve

refresh: install
	@$(BIN)/productops refresh

serve: install
	@$(BIN)/productops serve

## make test: the whole suite (builds the demo warehouse once per session)
test: install
	@$(BIN)/pytest

## make dev: the Dagster UI on the same definitions
dev: install
	@DAGSTER_HOME=$$($(BIN)/python -m orchestration.dagster_home) \
		$(BIN)/dagster dev -m orchestration.definitions

## make docs: the dbt docs site (models, tests, lineage to the dashboard pages) on :8080
docs: install
	@WAREHOUSE=$$($(BIN)/python -c "from orchestration.settings import get_settings; print(get_settings().warehouse_path)"); \
		test -f "$$WAREHOUSE" || { echo "no warehouse at $$WAREHOUSE: run make refresh first"; exit 1; }; \
		export PRODUCTOPS_WAREHOUSE="$$WAREHOUSE"; \
		$(BIN)/dbt docs generate --project-dir dbt_project --profiles-dir dbt_project && \
		$(BIN)/dbt docs serve --project-dir dbt_project --profiles-dir dbt_project --port $${DOCS_PORT:-8080}

## make bench SCALE=m: time a generated company's refresh (scales s, m, l, xl; default s)
SCALE ?= s
bench: install
	@$(BIN)/productops bench --scale $(SCALE)

lint: install
	@$(BIN)/ruff check .

## make seeds: regenerate the committed demo company (deterministic)
seeds: install
	@$(BIN)/productops generate --scale demo --out seeds --seed 42

clean:
	rm -rf $${PRODUCTOPS_DATA_DIR:-data}
