#!/bin/sh
# What the boot test needs on the host besides `make setup`: QEMU, debootstrap and the
# ext4 tools (mkfs.ext4 -d). Debian 12; run as root (the test mounts and chroots).
set -eu
PACKAGES="qemu-system-x86 qemu-utils debootstrap e2fsprogs"
missing=""
for pkg in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
printf 'ieum: installing for the boot test:%s\n' "$missing" >&2
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
