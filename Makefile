# Everyday commands. Each one sets up what it needs first (packaging/bootstrap.sh).
VENV ?= .venv
PY = $(VENV)/bin/python

.PHONY: setup run test check bench slow crash translations screenshots catalog clean package package-test vm-test

setup:
	sh packaging/bootstrap.sh setup

run:
	sh packaging/bootstrap.sh kiosk

# The README's test command: ruff, mypy on forms/ and sync/, and pytest without `slow`.
test check:
	sh packaging/bootstrap.sh test

slow: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m slow

# The long power-cut battery alone (2000 SIGKILLs while saving).
crash: setup
	$(PY) -m pytest -m slow tests/unit/test_power_cut.py

bench:
	sh packaging/bootstrap.sh bench

# Refresh the template from the code, merge it into every catalog, compile.
translations: setup
	$(VENV)/bin/pybabel extract -F locales/babel.cfg -k n_:1,2 --no-location --sort-output \
	    --project=Ieum --copyright-holder="Ieum developers" -o locales/ieum.pot .
	$(VENV)/bin/pybabel update -i locales/ieum.pot -d locales -D ieum --no-fuzzy-matching
	$(VENV)/bin/pybabel compile -d locales -D ieum --statistics

# Every screen in every language, text size and contrast, for looking at, and the audit
# of them (clipped text, overlaps, controls under the size minimums): screenshots/findings.txt
screenshots: setup
	QT_QPA_PLATFORM=offscreen $(PY) main.py screenshots --out screenshots

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
