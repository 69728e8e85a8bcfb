"""The store's command line for staff and administrators. It never decrypts anything.

    python -m sync status --data DIR     queue figures as JSON
    python -m sync audit --data DIR      verify the audit log's hash chain
    python -m sync check --data DIR      SQLite's full integrity check
    python -m sync diagnostics --data DIR [--out F]   the help desk's zip (no personal data)

Exit code 0 when all is well, 1 when the check found a problem.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from sync import audit
from sync.store import Store, StoreError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sync",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", choices=("status", "audit", "check", "diagnostics"))
    parser.add_argument("--data", type=Path, default=Path("data"), help="the data directory")
    parser.add_argument("--out", type=Path, help="where diagnostics writes its zip")
    args = parser.parse_args(argv)
    path = args.data / "ieum.db"
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
