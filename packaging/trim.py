"""Trims the Debian package's virtualenv (packaging/build-deb.sh runs it on site-packages).

    python3 packaging/trim.py SITE_PACKAGES packaging/trim.txt

1. Removes what trim.txt lists: shell patterns relative to site-packages, matched in
   order; a pattern starting with `!` keeps what an earlier one would remove (as in
   .gitignore), so a folder can be trimmed to a list of what stays.
2. Replaces identical copies of a shared library by relative symlinks to one of them: the PySide6
   wheels ship each FFmpeg library three times (libavcodec.so, .so.61 and .so.61.19.101,
   as files, because wheels cannot hold symlinks). The copy kept is the shortest
   versioned name (the SONAME the loader asks for), the others point at it.

Standard library only: it runs with the build machine's python3, before byte-compiling.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import shutil
import sys
from collections import defaultdict
from pathlib import Path

DEDUPE_MIN_BYTES = 64 * 1024
"""Smaller duplicates are not worth a symlink (and Python packages have many tiny ones)."""


def read_patterns(trim_file: Path) -> list[tuple[bool, str]]:
    """(keep, pattern) for each line that is not a comment or blank."""
    rules = []
    for line in trim_file.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        rules.append((True, line[1:]) if line.startswith("!") else (False, line))
    return rules


def _matches(parts: list[str], pattern: str) -> bool:
    """The shell's rule: `*` stays within one path component."""
    wanted = pattern.split("/")
    return len(wanted) == len(parts) and all(
        fnmatch.fnmatchcase(part, want) for part, want in zip(parts, wanted, strict=True)
    )


def _removed(relative: str, rules: list[tuple[bool, str]]) -> bool:
    """Whether the last rule matching this path (or a folder above it) removes it."""
    verdict = False
    parts = relative.split("/")
    prefixes = [parts[: i + 1] for i in range(len(parts))]
    for keep, pattern in rules:
        if any(_matches(p, pattern) for p in prefixes):
            verdict = not keep
    return verdict


def trim(site: Path, rules: list[tuple[bool, str]]) -> int:
    """Remove what the rules say; returns the bytes freed."""
    freed = 0
    for folder, dirs, files in os.walk(site, topdown=True):
        here = Path(folder)
        for name in list(dirs):
            path = here / name
            relative = path.relative_to(site).as_posix()
            # A folder goes whole only if no `!` rule could keep something inside it.
            inside = relative + "/"
            if _removed(relative, rules) and not any(
                keep and pattern.startswith(inside) for keep, pattern in rules
            ):
                freed += sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
                shutil.rmtree(path)
                dirs.remove(name)
        for name in files:
            path = here / name
            if _removed(path.relative_to(site).as_posix(), rules):
                freed += path.lstat().st_size
                path.unlink()
    return freed


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _keeper_rank(path: Path) -> tuple[int, int, str]:
    """Versioned names first (lib.so.61 before lib.so), then the shortest."""
    versioned = ".so." in path.name
    return (0 if versioned else 1, len(path.name), path.name)


def dedupe(site: Path) -> int:
    """Identical shared libraries become symlinks to one copy; returns the bytes freed."""
    by_size: dict[int, list[Path]] = defaultdict(list)
    for path in site.rglob("*"):
        if ".so" in path.name and path.is_file() and not path.is_symlink():
            size = path.stat().st_size
            if size >= DEDUPE_MIN_BYTES:
                by_size[size].append(path)
    freed = 0
    for size, paths in by_size.items():
        if len(paths) < 2:
            continue
        by_digest: dict[str, list[Path]] = defaultdict(list)
        for path in paths:
            by_digest[_digest(path)].append(path)
        for same in by_digest.values():
            if len(same) < 2:
                continue
            keeper, *copies = sorted(same, key=_keeper_rank)
            for copy in copies:
                copy.unlink()
                copy.symlink_to(os.path.relpath(keeper, copy.parent))
                freed += size
    return freed


def main(argv: list[str]) -> int:
    """Trim, then dedupe; prints what it freed."""
    site, trim_file = Path(argv[1]), Path(argv[2])
    trimmed = trim(site, read_patterns(trim_file))
    deduped = dedupe(site)
    print(f"trimmed {trimmed // 2**20} MB, de-duplicated {deduped // 2**20} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
