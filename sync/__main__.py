"""The store's command line for staff and administrators. It never decrypts anything.

    python -m sync status --data DIR     queue figures as JSON
    python -m sync audit --data DIR      verify the audit log's hash chain
    python -m sync check --data DIR      SQLite's full integrity check
    python -m sync diagnostics --data DIR [--out F]   the help desk's zip (no personal data)
    python -m sync add-staff --data DIR --name NAME [--role administrator]
                                         a staff account that signs in offline (PIN asked)

Exit code 0 when all is well, 1 when the check found a problem.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import time
from pathlib import Path

from sync import audit
from sync.device import private_files
from sync.navigators import ROLES, WeakPin, create_navigator
from sync.store import Store, StoreError


def _read_pin() -> str:
    """Twice from the terminal without echo; one line from stdin when it is not one."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("PIN (6+ digits, or a passphrase of 10+ characters): ")
    if getpass.getpass("The same again: ") != first:
        raise WeakPin("the two PINs differ")
    return first


def _add_staff(path: Path, name: str | None, role: str) -> int:
    """The first administrator of a device (later ones can be added the same way)."""
    if not name:
        print("add-staff needs --name", file=sys.stderr)
        return 2
    try:
        pin = _read_pin()
        store = Store(path)
    except (WeakPin, StoreError) as problem:
        print(str(problem), file=sys.stderr)
        return 1
    try:
        navigator = create_navigator(store, name, pin, time.time(), role=role, by="command line")
    except (WeakPin, ValueError) as problem:
        print(str(problem), file=sys.stderr)  # never the PIN itself
        return 1
    finally:
        store.close()
    print(f"{navigator.role} {navigator.name!r} added as {navigator.navigator_id}")
    return 0


def main(argv: list[str] | None = None) -> int:
    private_files()
    parser = argparse.ArgumentParser(
        prog="python -m sync",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", choices=("status", "audit", "check", "diagnostics", "add-staff"))
    parser.add_argument("--data", type=Path, default=Path("data"), help="the data directory")
    parser.add_argument("--out", type=Path, help="where diagnostics writes its zip")
    parser.add_argument("--name", help="add-staff: the name shown at sign-in")
    parser.add_argument("--role", choices=ROLES, default="navigator", help="add-staff")
    args = parser.parse_args(argv)
    path = args.data / "ieum.db"
    if args.command == "add-staff":
        return _add_staff(path, args.name, args.role)
    if not path.exists():
        print(f"no store at {path}", file=sys.stderr)
        return 1
    try:
        store = Store(path)
    except StoreError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    try:
        if args.command == "status":
            figures = store.counts(time.time())
            figures["last_sync"] = store.setting("last_sync")
            figures["database_bytes"] = store.size_bytes()
            figures["recovered_now"] = store.recovered
            figures["damaged_stores_kept"] = store.damaged_stores()
            print(json.dumps(figures, indent=2))
            return 0
        if args.command == "audit":
            result = audit.verify(store.db.conn)
            report = {
                "entries": result.entries,
                "ok": result.ok,
                "first_broken": result.first_broken,
                "problem": result.problem,
            }
            print(json.dumps(report))
            return 0 if result.ok else 1
        if args.command == "diagnostics":
            from sync.diagnostics import export

            stamp = time.strftime("%Y%m%dT%H%M%S")
            out = args.out or args.data / f"ieum-diagnostics-{stamp}.zip"
            log = args.data / "ieum.log"
            print(export(store, out, log_file=log if log.exists() else None))
            return 0
        found = store.integrity()
        print(found)
        return 0 if found == "ok" else 1
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
