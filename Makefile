# Two commands: `make demo` and `make test`. Everything installs into .venv from requirements.lock.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint format sdl install clean messages

$(STAMP): requirements.lock pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/portalwerk demo

test: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m tests.perf

lint: $(STAMP)
	$(BIN)/ruff check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

sdl: $(STAMP)
	$(BIN)/portalwerk export_sdl

clean:
	rm -rf $(VENV) .portalwerk

messages: $(STAMP)
	$(BIN)/portalwerk makemessages -l de -l en --ignore=.venv --ignore=tests --ignore=.portalwerk --ignore=build --no-obsolete
	$(BIN)/python -m portalwerk.platform.compile_messages
