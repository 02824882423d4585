# The two set-up commands of the README. Both install what they need first.
#   make run   installs the app and its offline map scripts, then starts it on the shipped data
#   make test  installs the app, test tools, Debian's chromium and PostgreSQL + PostGIS (for the store's
#              tests, which start a throwaway cluster of their own), then runs every test
PYTHON ?= python3
PIP = $(PYTHON) -m pip install --quiet --disable-pip-version-check
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT ?= 8501

.PHONY: run test install install-test chromium postgis nginx bench

install:
	$(PIP) -r requirements.txt
	$(PYTHON) -m geo.assets

install-test: install
	$(PIP) -r requirements-test.txt

chromium:
	@command -v chromium >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null)

postgis:
	@[ -e /usr/share/postgresql/15/extension/postgis.control ] || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql postgresql-15-postgis-3 >/dev/null)

# The proxy test (tests/browser/test_proxy_replicas.py) runs an nginx of its own on a loopback port.
# (Where a service manager runs, Debian also starts the system's nginx on port 80: `systemctl disable --now nginx`.)
nginx:
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nginx-light >/dev/null)

run: install
	$(PYTHON) -m ui.serve run app.py --server.port $(PORT)

# pytest exits 5 when it collects no test; that is not a failure of the code.
test: install-test chromium postgis nginx
	ATLAS_REQUIRE_VENDOR=1 $(PYTHON) -m pytest -q -p no:cacheprovider; rc=$$?; [ $$rc -eq 5 ] && rc=0; exit $$rc

bench: install-test chromium
	$(PYTHON) -m bench
