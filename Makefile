# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run test test-fast clean

# The message catalogues are compiled from their .po sources (docs/api.md, "Error codes").
MO := $(patsubst %.po,%.mo,$(wildcard api/locale/*/LC_MESSAGES/*.po))

install: $(STAMP) $(MO)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

# On an empty database, load the fictional demo data set first and print its users' passwords.
run: install
	@mkdir -p var
	$(BIN)/familjepool demo load --if-empty
	$(BIN)/familjepool serve --host 127.0.0.1 --port 8000

test: install
	@scripts/ensure-postgres.sh
	@scripts/ensure-chromium.sh
	@scripts/ensure-compose.sh
	$(BIN)/python -m pytest

# Unit tests only: no server, no browser.
test-fast: install
	$(BIN)/python -m pytest tests/unit

clean:
	rm -rf $(VENV) var/test-* .pytest_cache
