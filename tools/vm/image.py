"""Disk images for the boot test: a cached Debian 12 base, and a per-run image with the
freshly built .deb installed in it.

The base (debootstrap minbase + systemd + linux-image + every package the .deb depends
on) takes minutes to build, so it is kept under a cache folder named by the hash of its
inputs (suite, mirror, package list, settings and RECIPE): change any of them and a new one is
built. The per-run image is made in seconds: the base is the lower layer of an overlay,
the .deb is installed into it with dpkg in a chroot, and `mkfs.ext4 -d` turns the merged
tree into a raw disk. The kernel boots directly (qemu -kernel/-initrd), so no boot loader.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUITE = "bookworm"
MIRROR = os.environ.get("IEUM_VM_MIRROR", "http://deb.debian.org/debian")
RECIPE = "1"  # bump when build_base or _configure_base change what they make
CACHE = Path(os.environ.get("IEUM_VM_CACHE", Path.home() / ".cache" / "ieum-vm"))

# What boots it and what the test drives it with, besides the package's own Depends.
BOOT_PACKAGES = (
    "systemd-sysv",
    "udev",
    "linux-image-amd64",
    "initramfs-tools",
    "dbus",
    "libpam-systemd",
    "kmod",
    "procps",
    "libgl1-mesa-dri",
)

NETWORK = """[Match]
Name=en*

[Network]
DHCP=ipv4
"""

SERIAL_AUTOLOGIN = """[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin root --noclear --keep-baud 115200,57600,38400,9600 %I dumb
"""


@dataclass(frozen=True)
class Base:
    """A cached base: its root tree, kernel and initrd."""

    root: Path
    kernel: Path
    initrd: Path


def package_depends(control: Path = ROOT / "packaging" / "deb" / "control.in") -> list[str]:
    """The package names in control.in's Depends and Recommends (alternatives: the first)."""
    names: list[str] = []
    for line in control.read_text().splitlines():
        if not line.startswith(("Depends:", "Recommends:")):
            continue
        for item in line.split(":", 1)[1].split(","):
            item = item.strip()
            if item.startswith("@"):  # @PYTHON_DEPENDS@
                names.append("python3")
                continue
            name = re.split(r"[\s(|]", item.split("|")[0].strip())[0]
            if name:
                names.append(name)
    return names


def base_packages() -> list[str]:
    return sorted(set(BOOT_PACKAGES) | set(package_depends()))


def base_key() -> str:
    """The hash of everything the base is made from."""
    digest = hashlib.sha256()
    for part in (RECIPE, SUITE, MIRROR, " ".join(base_packages()), NETWORK, SERIAL_AUTOLOGIN):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:16]


def _run(*command: str, **kwargs: object) -> None:
    subprocess.run(command, check=True, **kwargs)  # type: ignore[call-overload]


@contextmanager
def _chroot_mounts(root: Path) -> Iterator[None]:
    """/proc, /sys and /dev for dpkg's maintainer scripts in a chroot."""
    mounted: list[Path] = []
    try:
        for source, target, kind in (
            ("proc", "proc", "proc"),
            ("sysfs", "sys", "sysfs"),
            ("/dev", "dev", None),
        ):
            point = root / target
            point.mkdir(exist_ok=True)
            if kind:
                _run("mount", "-t", kind, source, str(point))
            else:
                _run("mount", "--bind", source, str(point))
            mounted.append(point)
        yield
    finally:
        for point in reversed(mounted):
            subprocess.run(["umount", "-l", str(point)], check=False)


def _chroot(root: Path, *command: str) -> None:
    env = {
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        "DEBIAN_FRONTEND": "noninteractive",
        "LC_ALL": "C.UTF-8",
    }
    _run("chroot", str(root), *command, env=env)


def build_base(log: Path | None = None) -> Base:
    """The cached base for the current inputs, built first if there is none."""
    folder = CACHE / f"base-{base_key()}"
    base = Base(folder / "root", folder / "vmlinuz", folder / "initrd.img")
    if (folder / "done").exists():
        return base
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    root = base.root
    _run("debootstrap", "--variant=minbase", SUITE, str(root), MIRROR)
    # No service starts inside the chroot.
    policy = root / "usr/sbin/policy-rc.d"
    policy.write_text("#!/bin/sh\nexit 101\n")
    policy.chmod(0o755)
    with _chroot_mounts(root):
        _chroot(root, "apt-get", "update", "-qq")
        _chroot(
            root,
            "apt-get",
            "install",
            "-y",
            "-qq",
            "--no-install-recommends",
            *base_packages(),
        )
        _chroot(root, "apt-get", "clean")
    policy.unlink()
    _configure_base(root)
    kernels = sorted((root / "boot").glob("vmlinuz-*"))
    initrds = sorted((root / "boot").glob("initrd.img-*"))
    shutil.copy(kernels[-1], base.kernel)
    shutil.copy(initrds[-1], base.initrd)
    (folder / "packages.txt").write_text("\n".join(base_packages()) + "\n")
    (folder / "done").write_text("")
    return base


def _configure_base(root: Path) -> None:
    """A machine the test can reach: root on the serial console, DHCP on the wire."""
    (root / "etc/hostname").write_text("ieum-vm\n")
    (root / "etc/hosts").write_text("127.0.0.1 localhost\n127.0.1.1 ieum-vm\n")
    (root / "etc/fstab").write_text("/dev/vda / ext4 rw,errors=remount-ro 0 1\n")
    network = root / "etc/systemd/network/20-wired.network"
    network.parent.mkdir(parents=True, exist_ok=True)
    network.write_text(NETWORK)
    getty = root / "etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf"
    getty.parent.mkdir(parents=True, exist_ok=True)
    getty.write_text(SERIAL_AUTOLOGIN)
    _chroot(root, "passwd", "-d", "root")
    _chroot(root, "systemctl", "enable", "systemd-networkd.service")
    _chroot(root, "systemctl", "set-default", "graphical.target")
    # The journal on disk, so that it can be read after a reset.
    (root / "var/log/journal").mkdir(parents=True, exist_ok=True)
    (root / "etc/machine-id").write_text("")


def make_disk(
    base: Base,
    deb: Path,
    conf: dict[str, str],
    out: Path,
    files: dict[str, str] | None = None,
    free_mb: int = 1536,
) -> Path:
    """A raw ext4 disk: the base with `deb` installed, `conf` set in ieum.conf and
    `files` (absolute path: text) written."""
    work = out.parent / "overlay"
    for name in ("upper", "work", "merged"):
        (work / name).mkdir(parents=True, exist_ok=True)
    merged = work / "merged"
    _run(
        "mount",
        "-t",
        "overlay",
        "overlay",
        "-o",
        f"lowerdir={base.root},upperdir={work / 'upper'},workdir={work / 'work'}",
        str(merged),
    )
    try:
        shutil.copy(deb, merged / "tmp" / deb.name)
        with _chroot_mounts(merged):
            _chroot(merged, "dpkg", "-i", f"/tmp/{deb.name}")
        (merged / "tmp" / deb.name).unlink()
        conf_file = merged / "etc/ieum/ieum.conf"
        text = conf_file.read_text()
        for key, value in conf.items():
            text = re.sub(rf"(?m)^#?{key}=.*\n", "", text) + f"{key}={value}\n"
        conf_file.write_text(text)
        for name, content in (files or {}).items():
            target = merged / name.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content)
        used = int(subprocess.run(
            ["du", "-sm", "--apparent-size", str(merged)],
            check=True, capture_output=True, text=True,
        ).stdout.split()[0])  # fmt: skip
        out.unlink(missing_ok=True)
        _run("truncate", "-s", f"{used + free_mb}M", str(out))
        _run("mkfs.ext4", "-q", "-F", "-L", "ieum-root", "-d", str(merged), str(out))
    finally:
        subprocess.run(["umount", str(merged)], check=False)
        shutil.rmtree(work, ignore_errors=True)
    return out


if __name__ == "__main__":
    print(build_base())
