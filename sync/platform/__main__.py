"""Command line of the reference platform: serve, list, and the caseworker's decrypted view.

python -m sync.platform serve --data DIR [--host 127.0.0.1] [--port 8765] [--port-file F]
python -m sync.platform list --data DIR
python -m sync.platform show --data DIR (SUBMISSION_ID | RECEIPT_NUMBER | --all)
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from pathlib import Path

from sync.platform.storage import PlatformStorage


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from sync.platform.server import create_app

    storage = PlatformStorage(Path(args.data))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    sock.listen(128)
    port = sock.getsockname()[1]
    if args.port_file:
        tmp = Path(args.port_file + ".tmp")
        tmp.write_text(str(port))
        os.replace(tmp, args.port_file)
    print(f"reference platform on http://{args.host}:{port} (data in {args.data})", flush=True)
    config = uvicorn.Config(create_app(storage), log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


def _list(args: argparse.Namespace) -> int:
    storage = PlatformStorage(Path(args.data))
    for s in storage.submissions():
        print(
            f"{s.receipt_number}  {s.submission_id}  {s.service_id}@{s.service_version}  {s.status}"
        )
    return 0


def _show(args: argparse.Namespace) -> int:
    storage = PlatformStorage(Path(args.data))
    chosen = [
        s
        for s in storage.submissions()
        if args.all or args.which in (s.submission_id, s.receipt_number)
    ]
    if not chosen:
        print("no such submission", file=sys.stderr)
        return 1
    for s in chosen:
        payload = json.loads(storage.open(s))
        print(
            json.dumps(
                {"receipt_number": s.receipt_number, "application": payload},
                ensure_ascii=False,
                indent=2,
            )
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sync.platform",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the platform's HTTP API")
    serve.add_argument("--data", required=True, help="folder for the database and the key")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    serve.add_argument("--port-file", help="write the port here once listening")
    listing = sub.add_parser("list", help="list received submissions (nothing decrypted)")
    listing.add_argument("--data", required=True)
    show = sub.add_parser("show", help="decrypt submissions: the caseworker's view")
    show.add_argument("--data", required=True)
    show.add_argument("which", nargs="?", help="submission id or receipt number")
    show.add_argument("--all", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "show" and not (args.all or args.which):
        parser.error("show needs a submission id, a receipt number or --all")
    handler = {"serve": _serve, "list": _list, "show": _show}[args.command]
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
