"""The store's command line for staff and administrators. It never decrypts anything.

    python -m sync status --data DIR     queue figures as JSON
    python -m sync audit --data DIR      verify the audit log's hash chain
    python -m sync check --data DIR      SQLite's full integrity check and every row read
    python -m sync diagnostics --data DIR [--out F]   the help desk's zip (no personal data)
    python -m sync salvage DAMAGED.db --into DIR   copy every readable row of a damaged
                                         store (moved aside as ieum.db.damaged-*) into DIR's
    python -m sync add-staff --data DIR --name NAME [--role administrator]
                                         a staff account that signs in offline (PIN asked)
    python -m sync staff-call-key --data DIR   this kiosk's pairing line, for the
                                         navigator's desk file `staff-call-kiosks`

Exit code 0 when all is well, 1 when the check found a problem.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sqlite3
import sys
import time
from pathlib import Path
from typing import NoReturn

from sync.damage import check_audit, full_check
from sync.device import private_files
from sync.navigators import ROLES, WeakPin, create_navigator
from sync.paths import DataFolder
from sync.salvage import salvage
from sync.store import LOST_ENTRIES, POSSIBLY_LOST, PREVIOUS_DEVICE, Store, StoreError


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


def _salvage(damaged: Path | None, into: Path | None) -> int:
    """Copy every readable row of a damaged store into the store in `into`."""
    if damaged is None or not damaged.is_file():
        print("salvage needs the damaged store file: salvage FILE --into DATA", file=sys.stderr)
        return 2
    if into is None:  # never a store made in whatever folder the command was run from
        print("salvage needs --into DATA: the data folder to copy into", file=sys.stderr)
        return 2
    with damaged.open("rb") as file:
        if file.read(16) != b"SQLite format 3\x00":
            # Nothing in it can be read as rows: say so before any store is made.
            print(f"{damaged} is not an SQLite database: nothing to salvage", file=sys.stderr)
            return 1
    try:
        store = Store(DataFolder(into).store)
    except StoreError as problem:
        print(str(problem), file=sys.stderr)
        return 1
    try:
        found = salvage(damaged, store)
        enrolled = bool(store.setting("enrolled"))
    except (sqlite3.Error, StoreError, OSError) as problem:
        print(f"salvage failed: {problem}", file=sys.stderr)
        return 1
    finally:
        store.close()
    report = found.to_dict()
    if not enrolled and found.device_id:
        report["next"] = (
            f"this kiosk is not enrolled: ask the platform's staff for a re-enrollment "
            f"token for {found.device_id} (python -m reference_platform reenroll-token "
            f"--data DIR {found.device_id}), then enroll with it"
        )
    print(json.dumps(report, indent=2))
    return 0 if not any(found.unreadable.values()) else 1


def _staff_call_key(data: Path) -> int:
    """The kiosk's pairing line for its site's desk (its id is created on first use)."""
    from sync.auth import device_signing_key
    from sync.device import device_secret
    from sync.staffcall import pairing_line

    store = Store(DataFolder(data).store)
    try:
        print(pairing_line(device_signing_key(device_secret(data)), store.device_id()))
    finally:
        store.close()
    return 0


class _OneLineParser(argparse.ArgumentParser):
    """Usage mistakes in one line (exit 2), not the whole usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def main(argv: list[str] | None = None) -> int:
    private_files()
    parser = _OneLineParser(
        prog="python -m sync",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "command",
        choices=(
            "status",
            "audit",
            "check",
            "diagnostics",
            "add-staff",
            "salvage",
            "staff-call-key",
        ),
    )
    parser.add_argument("damaged", nargs="?", type=Path, help="salvage: the damaged store file")
    parser.add_argument("--into", type=Path, help="salvage: the data directory to copy into")
    parser.add_argument("--data", type=Path, default=Path("data"), help="the data directory")
    parser.add_argument("--out", type=Path, help="where diagnostics writes its zip")
    parser.add_argument("--name", help="add-staff: the name shown at sign-in")
    parser.add_argument("--role", choices=ROLES, default="navigator", help="add-staff")
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except OSError as exc:  # a path that is a file, a folder not writable: one line, no trace
        print(f"error: {exc.filename or args.data}: {exc.strerror or exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    path = DataFolder(args.data).store
    if args.command == "add-staff":
        return _add_staff(path, args.name, args.role)
    if args.command == "salvage":
        return _salvage(args.damaged, args.into)
    if args.command == "staff-call-key":
        return _staff_call_key(args.data)
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
            for key in (LOST_ENTRIES, POSSIBLY_LOST, PREVIOUS_DEVICE):
                figures[key] = store.setting(key)
            print(json.dumps(figures, indent=2))
            return 0
        if args.command == "audit":
            result = check_audit(store.conn)
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
        store.close()
        check = full_check(path)
        print("ok" if check.ok else json.dumps(check.to_dict()))
        return 0 if check.ok else 1
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
