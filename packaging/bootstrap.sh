#!/bin/sh
# Sets up everything Ieum needs on Debian 12 (system packages, a virtualenv,
# compiled translations), then runs the kiosk demo, the test suite or the benchmarks.
# Safe to repeat: every step is skipped when it is already done.
#
#   sh packaging/bootstrap.sh kiosk --demo [options]   set up, then run the kiosk demo
#   sh packaging/bootstrap.sh test  [pytest options]    set up, then lint, type-check and test
#   sh packaging/bootstrap.sh bench                     set up, then print the benchmark table
#   sh packaging/bootstrap.sh setup                     set up only
#   sh packaging/bootstrap.sh package [OUT_DIR]         set up, then build the .deb (dist/)
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
MODE=${1:-kiosk}
[ $# -gt 0 ] && shift
VENV=${IEUM_VENV:-$ROOT/.venv}

# Qt's runtime libraries on a minimal Debian 12, fonts for all eight scripts,
# the speech engine, a virtual X server and a QR decoder for the tests.
APT_PACKAGES="python3 python3-venv ca-certificates make
libgl1 libegl1 libopengl0 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3
libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxrender1 libxi6 libsm6 libice6
libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
libxcb-shape0 libxcb-xkb1 libxcb-randr0 libxcb-xfixes0 libxcb-xinerama0 libxcb-sync1
libxcb-shm0 libxcb-render0 libxcb-util1 libxcb-glx0
libasound2 libpulse0 libnss3 libcups2
fonts-noto-core fonts-noto-cjk fontconfig
espeak-ng libespeak-ng1
pulseaudio pulseaudio-utils
xvfb xauth zbar-tools
libwayland-client0 libwayland-cursor0 libwayland-egl1 adduser
systemd kbd faketime desktop-file-utils git"
# The last line: what the Debian package needs at run time and what its tests use
# (systemd-analyze and systemd-creds; kbd: chvt, for verify to find ExecStartPre; faketime for
# the clock-far-off enrollment; desktop-file-validate), and git, which lists the files
# build-deb.sh packages.

# For the tests and the benchmarks only: a real PostgreSQL server, which the tests start
# as a throwaway cluster on a loopback port (tests/postgres.py); nothing runs it as a service.
TEST_APT_PACKAGES="postgresql"

say() { printf 'ieum: %s\n' "$*" >&2; }

install_system_packages() {
    wanted="$APT_PACKAGES ${1:-}"
    if ! command -v dpkg-query >/dev/null 2>&1; then
        say "not a Debian system: install the packages listed in packaging/bootstrap.sh yourself"
        return 0
    fi
    missing=""
    for pkg in $wanted; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing="$missing $pkg"
        fi
    done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    say "installing system packages:$missing"
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# Python packages from the lock files (requirements/*.txt, made by `make lock`): exact
# versions, every file checked against its hash; then the project itself, editable, with
# nothing else (its build backend is in the lock too, hence no build isolation).
lock_hash() {
    sha256sum "requirements/$1.txt" pyproject.toml | sha256sum | cut -d' ' -f1
}

install_python_packages() {
    extras=$1 # platform (the kiosk and the reference platform) or dev (everything)
    if [ ! -x "$VENV/bin/python" ]; then
        say "creating the virtualenv in $VENV"
        python3 -m venv "$VENV"
    fi
    # One stamp per set, holding the hash of the lock file (and pyproject.toml, for the
    # editable install's entry points) it was made from; the dev set includes the other.
    for have in "$extras" dev; do
        if [ "$(cat "$VENV/.ieum-$have" 2>/dev/null)" = "$(lock_hash "$have")" ]; then
            return 0
        fi
        [ "$extras" = dev ] && break
    done
    say "installing Python packages (requirements/$extras.txt)"
    "$VENV/bin/python" -m pip install -q --require-hashes -r "requirements/$extras.txt"
    "$VENV/bin/python" -m pip install -q --no-deps --no-build-isolation -e .
    lock_hash "$extras" >"$VENV/.ieum-$extras"
}

compile_translations() {
    # The definition schemas as Python code (forms/compiled_schemas.py): not compiled
    # again at every kiosk start.
    "$VENV/bin/python" -m forms.compiled_schemas >/dev/null
    for po in locales/*/LC_MESSAGES/*.po; do
        [ -f "$po" ] || continue
        mo="${po%.po}.mo"
        if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then
            "$VENV/bin/pybabel" -q compile -i "$po" -o "$mo"
        fi
    done
}

case "$MODE" in
    kiosk)
        install_system_packages
        install_python_packages platform
        compile_translations
        exec "$VENV/bin/python" main.py "$@"
        ;;
    test)
        install_system_packages "$TEST_APT_PACKAGES"
        install_python_packages dev
        compile_translations
        export QT_QPA_PLATFORM=offscreen
        . "$VENV/bin/activate"
        say "ruff"
        ruff check .
        ruff format --check .
        say "mypy (forms, sync, kiosk, tools)"
        mypy
        say "pytest"
        exec python -m pytest -m "not slow" "$@"
        ;;
    bench)
        install_system_packages "$TEST_APT_PACKAGES"
        install_python_packages dev
        compile_translations
        exec "$VENV/bin/python" -m tests.bench "$@"
        ;;
    setup)
        install_system_packages "$TEST_APT_PACKAGES"
        install_python_packages dev
        compile_translations
        ;;
    package)
        install_system_packages
        exec sh packaging/build-deb.sh "$@"
        ;;
    *)
        say "unknown mode '$MODE' (kiosk, test, bench, setup or package)"
        exit 2
        ;;
esac
