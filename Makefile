# Everyday commands. Each one sets up what it needs first (packaging/bootstrap.sh).
VENV ?= .venv
PY = $(VENV)/bin/python

.PHONY: setup run test check bench fleet slow crash translations screenshots catalog clean package package-test lock vm-test

setup:
	sh packaging/bootstrap.sh setup

run:
	sh packaging/bootstrap.sh kiosk

# The README's test command: ruff, strict mypy (forms/ sync/ kiosk/ tools/), pytest without `slow`.
test check:
	sh packaging/bootstrap.sh test

slow: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m slow

# The long power-cut battery alone (2000 SIGKILLs while saving).
crash: setup
	$(PY) -m pytest -m slow tests/unit/test_power_cut.py

bench:
	sh packaging/bootstrap.sh bench

# The fleet benchmark at length (tests/bench/fleet.py): 1,821 simulated kiosks, 3 minutes
# of the peak hour at real time, a minute at each speed-up until p99 passes 2x idle, then
# the whole day; the books checked. 2 replicas on a throwaway PostgreSQL cluster, or
# DATABASE=URL (DATABASE=sqlite: one process on its SQLite file).
fleet: setup
	$(PY) -m tests.bench.fleet_run --realtime 180 --step 60 --day $(if $(DATABASE),--database $(DATABASE))

# The lock files that every install uses (pip install --require-hashes): after changing a
# dependency in pyproject.toml, or to take newer versions (`make lock UPGRADE=--upgrade`).
# dev.txt (everything, and the build backend for the editable install) is resolved
# first; platform.txt (the kiosk and the reference platform: `bootstrap.sh kiosk`) and
# runtime.txt (the kiosk alone: the Debian package) are held to its versions, so the
# package ships what the tests ran. --universal: one lock for amd64 and arm64, Python
# 3.11 (Debian 12) and later, with the hashes of every wheel.
LOCK = $(VENV)/bin/uv pip compile --quiet --generate-hashes --universal --python-version 3.11 \
	--custom-compile-command "make lock" $(UPGRADE)
# The editable install (bootstrap.sh) builds without isolation from the locked setuptools.
BUILD_REQUIRES = $(PY) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")'
lock: setup
	mkdir -p requirements
	$(BUILD_REQUIRES) | $(LOCK) pyproject.toml - --extra dev -o requirements/dev.txt
	$(BUILD_REQUIRES) | $(LOCK) pyproject.toml - --extra platform -c requirements/dev.txt \
	    -o requirements/platform.txt
	$(LOCK) pyproject.toml -c requirements/dev.txt -o requirements/runtime.txt

# Refresh the template from the code, merge it into every catalog, compile.
translations: setup
	$(VENV)/bin/pybabel extract -F locales/babel.cfg -k n_:1,2 --no-location --sort-output \
	    --project=Ieum --copyright-holder="Ieum developers" -o locales/ieum.pot .
	$(VENV)/bin/pybabel update -i locales/ieum.pot -d locales -D ieum --no-fuzzy-matching
	$(VENV)/bin/pybabel compile -d locales -D ieum --statistics

# Every screen in every language, text size and contrast, for looking at, and the audit
# of them (clipped text, overlaps, controls under the size minimums): screenshots/findings.txt
screenshots: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m tools screenshots --out screenshots

# Sign the bundled demo catalog after editing resources/catalog/source/.
catalog: setup
	$(PY) -m forms sign resources/catalog/source --key resources/catalog/DEMO-ONLY-signing-key.pem \
	    --out resources/catalog/demo.ieumcat

# The Debian package, dist/ieum_VERSION-REVISION_ARCH.deb (packaging/build-deb.sh says how;
# IEUM_DEB_COMPRESS=xz for a smaller file at release, zstd by default for speed).
package:
	sh packaging/bootstrap.sh package

# The package's tests alone: build, contents, systemd-analyze verify, install here,
# run, enroll, upgrade, remove, purge (they are also part of `make test`).
package-test: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/packaging

# The boot test: a Debian 12 machine under QEMU with the freshly built package installed,
# judged from its screen, taps and serial console (tests/packaging/test_vm_boot.py).
# Needs root. The base image is cached in ~/.cache/ieum-vm (IEUM_VM_CACHE); the figures
# are printed as "vm figure: ..." lines. IEUM_VM_WORK=DIR keeps the machine's logs.
vm-test: setup
	sh tools/vm/setup.sh
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m vm -s -p no:cacheprovider tests/packaging/test_vm_boot.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache screenshots
	find locales -name '*.mo' -delete
