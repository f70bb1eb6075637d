# Two commands for a newcomer: `make run` (set up + demo) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test system-deps bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# Build the sample site, seed a demo cohort, serve site + API on one port, print sign-in links.
run: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/roundtable demo

# Browser tests drive Debian's Chromium; the benchmark smoke test drives wrk; the shared rate-limit tests start
# redis-server; deploy/nginx.conf is checked with nginx -t. Install them once if missing.
system-deps:
	@missing=""; test -x /usr/bin/chromium || missing="chromium"; command -v wrk >/dev/null || missing="$$missing wrk"; \
	test -x /usr/lib/postgresql/15/bin/initdb || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; test -x /usr/sbin/nginx || missing="$$missing nginx"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian's$$missing for the tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; fi

test: $(STAMP) system-deps
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/pytest

# Benchmarks print JSON; each takes minutes. Figures vary with the machine's load.
bench: $(STAMP)
	$(PY) bench/build.py
	$(PY) bench/server.py
	$(PY) bench/dashboard.py
	$(PY) bench/peer.py

clean:
	rm -rf site $(VENV) instance
