#!/bin/sh
# Builds the Debian package (make package): dist/ieum_VERSION-REVISION_ARCH.deb.
#
# Layout on the target: the application at /opt/ieum/app (the source tree's main.py,
# forms/, sync/, kiosk/, resources/ and locales/ with compiled catalogs) and its Python
# dependencies in a virtualenv at /opt/ieum/venv, made here from the lock file
# requirements/runtime.txt by the system's python3 (the one the target runs: Depends pins
# its minor version). Why a private virtualenv and not Debian's python3-* packages: Debian 12 has
# no PySide6, no HPKE-capable cryptography (>= 48) and no Qt 6.8+; the wheels from PyPI
# bundle Qt and exist for amd64 and arm64 alike. The package is built on the
# architecture it is for (Architecture: is this machine's), with nothing else assumed.
#
# Standard tools only: python3 -m venv, pip, dpkg-deb. Usage:
#   sh packaging/build-deb.sh [OUT_DIR]     (default: dist/)
# Environment: IEUM_DEB_REVISION (default 1); IEUM_DEB_COMPRESS zstd (default), xz or gzip
# (zstd: 20 s and 115 MB here; xz: 5 min and 84 MB, for a release download);
# SOURCE_DATE_EPOCH (default: the last commit's time) for file times in the archive.
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${1:-$ROOT/dist}
PYTHON=${IEUM_DEB_PYTHON:-/usr/bin/python3}
REVISION=${IEUM_DEB_REVISION:-1}
COMPRESS=${IEUM_DEB_COMPRESS:-zstd}
DEB=$ROOT/packaging/deb

say() { printf 'ieum-deb: %s\n' "$*" >&2; }

for tool in dpkg-deb "$PYTHON"; do
    command -v "$tool" >/dev/null 2>&1 || { say "missing $tool (sh packaging/bootstrap.sh setup)"; exit 1; }
done

VERSION=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
ARCH=$(dpkg --print-architecture)
PY_MINOR=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
PY_NEXT=$("$PYTHON" -c 'import sys; print("%d.%d" % (sys.version_info[0], sys.version_info[1] + 1))')
# A git work tree (this folder its top), or a release tarball made by `git archive`.
in_git() { prefix=$(git rev-parse --show-prefix 2>/dev/null) && [ -z "$prefix" ]; }
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    # The last commit's time: from git, or from packaging/source-date-epoch, where
    # `git archive` wrote it (export-subst in .gitattributes), or else from the time the
    # tarball gave pyproject.toml (git archive gives every file the commit's time).
    stamp=$(cat packaging/source-date-epoch 2>/dev/null || true)
    if in_git; then
        SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)
    elif [ "$stamp" -gt 0 ] 2>/dev/null; then
        SOURCE_DATE_EPOCH=$stamp
    else
        SOURCE_DATE_EPOCH=$(stat -c %Y pyproject.toml)
    fi
fi
export SOURCE_DATE_EPOCH

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/ieum-deb.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
PKG=$STAGE/ieum
APP=$PKG/opt/ieum/app
VENV=$PKG/opt/ieum/venv
umask 022

say "ieum $VERSION-$REVISION for $ARCH with Python $PY_MINOR"

# 1. The application: the tracked files of the source tree that the kiosk needs at run
#    time (not the demo catalog's private signing key, not the tests). Without git (a
#    release tarball holds tracked files only), every file but what building and running
#    add: .gitignore's byte-code, compiled catalogs and build metadata.
SOURCES="main.py pyproject.toml LICENSE README.md forms sync kiosk resources locales"
list_sources() {
    if in_git; then
        # shellcheck disable=SC2086
        git ls-files -z -- $SOURCES | tr '\0' '\n'
    else
        # shellcheck disable=SC2086
        find $SOURCES \( -name __pycache__ -o -name '*.pyc' -o -name '*.mo' -o -name '*.egg-info' \) \
            -prune -o -type f -print | LC_ALL=C sort
    fi
}
mkdir -p "$APP"
list_sources | grep -v -e '\.pem$' -e '^locales/babel.cfg$' |
    while IFS= read -r file; do
        [ -f "$file" ] || continue # tracked but deleted in this work tree
        mkdir -p "$APP/$(dirname "$file")"
        cp -p "$file" "$APP/$file"
    done

# 2. The dependencies: requirements/runtime.txt, the lock `make lock` makes from
#    pyproject.toml's list (PySide6 keeps its pin there), every wheel checked by its hash.
say "virtualenv with $(grep -c '^[a-z]' requirements/runtime.txt) locked packages"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-compile \
    --only-binary=:all: --require-hashes -r requirements/runtime.txt
"$VENV/bin/python" -m pip uninstall -q -y pip setuptools >/dev/null 2>&1 || true
SITE=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
printf '/opt/ieum/app\n' >"$SITE/ieum-app.pth"

# Parts of the wheels the kiosk never loads (packaging/trim.txt says which, and why), and
# the FFmpeg libraries the Qt wheels hold three times each made symlinks to one copy.
"$PYTHON" "$ROOT/packaging/trim.py" "$SITE" "$ROOT/packaging/trim.txt"

# The virtualenv was made in the staging folder: point it at /opt/ieum/venv.
for file in "$VENV/pyvenv.cfg" "$VENV"/bin/*; do
    [ -f "$file" ] && [ ! -L "$file" ] || continue
    if grep -Iq "$STAGE/ieum" "$file"; then
        sed -i "s|$STAGE/ieum||g" "$file"
    fi
done

# 3. Translations: compiled here, as bootstrap.sh does for the source tree.
for po in "$APP"/locales/*/LC_MESSAGES/*.po; do
    "$VENV/bin/python" -m babel.messages.frontend -q compile -i "$po" -o "${po%.po}.mo"
done

# The definition schemas as Python code, byte-compiled below with the rest.
(cd "$APP" && "$VENV/bin/python" -m forms.compiled_schemas >/dev/null) || {
    say "generating the schema code failed"
    exit 1
}

# 4. Byte-code, made once here: the kiosk's user cannot write /opt, and a cold start
#    must not compile. unchecked-hash: valid whatever file times dpkg gives the sources.
"$VENV/bin/python" -m compileall -q -j 0 --invalidation-mode unchecked-hash -x '\.tmpl\.py$' \
    -s "$PKG" -p / "$PKG/opt/ieum" >/dev/null || {
    say "byte-compiling failed"
    exit 1
}

# 5. System integration.
install -D -m 0755 "$DEB/ieum" "$PKG/usr/bin/ieum"
install -D -m 0644 "$DEB/ieum.conf" "$PKG/etc/ieum/ieum.conf"
install -D -m 0644 "$DEB/ieum-kiosk.pam" "$PKG/etc/pam.d/ieum-kiosk"
install -D -m 0644 "$DEB/ieum-kiosk.service" "$PKG/lib/systemd/system/ieum-kiosk.service"
install -D -m 0644 "$DEB/ieum-navigator.desktop" "$PKG/usr/share/applications/ieum-navigator.desktop"
install -D -m 0644 README.md "$PKG/usr/share/doc/ieum/README.md"
install -D -m 0644 "$DEB/copyright" "$PKG/usr/share/doc/ieum/copyright"

# 6. Control files.
install -d -m 0755 "$PKG/DEBIAN"
for script in postinst prerm postrm; do
    install -m 0755 "$DEB/$script" "$PKG/DEBIAN/$script"
done
install -m 0644 "$DEB/conffiles" "$PKG/DEBIAN/conffiles"
find "$PKG" -path "$PKG/DEBIAN" -prune -o -type d -exec chmod 0755 {} + -o -type f -exec chmod go-w,a+r {} +
SIZE=$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)
sed -e "s/@VERSION@/$VERSION-$REVISION/" -e "s/@ARCH@/$ARCH/" -e "s/@INSTALLED_SIZE@/$SIZE/" \
    -e "s/@PYTHON_DEPENDS@/python3 (>= $PY_MINOR), python3 (<< $PY_NEXT)/" \
    "$DEB/control.in" >"$PKG/DEBIAN/control"
(cd "$PKG" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z |
    xargs -0 md5sum) >"$PKG/DEBIAN/md5sums"
chmod 0644 "$PKG/DEBIAN/md5sums"

mkdir -p "$OUT"
TARGET=$OUT/ieum_${VERSION}-${REVISION}_${ARCH}.deb
dpkg-deb --root-owner-group -Z"$COMPRESS" --build "$PKG" "$TARGET" >/dev/null
say "built $TARGET ($(du -h "$TARGET" | cut -f1), installs $((SIZE / 1024)) MB)"
printf '%s\n' "$TARGET"
