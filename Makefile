# Two commands: `make demo` and `make test`. Everything installs into .venv from requirements.lock.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench scale load lint format sdl install clean messages browser-deps keycloak terraform-providers

$(STAMP): requirements.lock pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/portalwerk demo

# Debian's packages the tests use: chromium for the browser tests (Playwright drives it;
# `playwright install` is never run), gettext's xgettext for the catalogue completeness check,
# pgbouncer for the connection-pooling tests, and OpenLDAP's slapd and ldap-utils for the
# directory the clerks sign in with (the tests run their own slapd on a free loopback port).
# Installed when missing and we are root; otherwise those tests skip and say why. slapd is
# preseeded to set up no system directory, so the package leaves no server of its own
# configured, running or bound to port 389.
SYSTEM_PACKAGES := chromium:/usr/bin/chromium gettext:/usr/bin/xgettext \
	pgbouncer:/usr/sbin/pgbouncer slapd:/usr/sbin/slapd ldap-utils:/usr/bin/ldapadd

browser-deps:
	@missing=""; for entry in $(SYSTEM_PACKAGES); do \
	  [ -x "$${entry#*:}" ] || missing="$$missing $${entry%%:*}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages for the tests:$$missing ..."; \
	    (echo "slapd slapd/no_configuration boolean true" | debconf-set-selections; \
	     apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	      || echo "WARNING: could not install$$missing; the tests that need them will not run"; \
	  else \
	    echo "WARNING: missing$$missing and not root: the tests that need them will be skipped"; \
	  fi; \
	fi

# Keycloak's server distribution from Maven Central (needs Java and Maven), cached under
# .portalwerk/tools; without them the Keycloak tests skip and say why (fail in CI).
keycloak: $(STAMP)
	@PYTHONPATH=tests $(BIN)/python -m components keycloak

# Terraform's providers (Keycloak from its source tarball, kubectl from the Go module proxy),
# built once with Go into a filesystem mirror under .portalwerk/tools
# (docs/operators/provisioning.md); without Go the Terraform tests skip.
terraform-providers: $(STAMP)
	@$(BIN)/python -m portalwerk.infra.providers

test: $(STAMP) browser-deps keycloak terraform-providers
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m tests.perf

# Not part of CI: grows an installation to 5,000 tenants on a cluster of its own (one to two
# hours on 2 cores, about 25 GB of disk) and writes the generated section of
# docs/operators/scaling.md. SCALE_ARGS e.g. "--steps 10,200,500 --keep".
scale: $(STAMP)
	$(BIN)/python -m tests.scale $(SCALE_ARGS)

# Not part of CI: locust runs the citizen journey on the demo data (a cluster and server of its
# own unless LOAD_ARGS="--url http://127.0.0.1:8000"), more users per stage until p95 > 500 ms.
load: $(STAMP)
	$(BIN)/python -m tests.load $(LOAD_ARGS)

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
	$(BIN)/portalwerk makemessages -l de -l en --ignore=.venv --ignore=tests --ignore=.portalwerk --ignore=build --ignore=node_modules --no-obsolete
	$(BIN)/python -m portalwerk.platform.compile_messages
