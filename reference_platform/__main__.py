"""Command line of the reference platform.

python -m reference_platform serve --data DIR [--host 127.0.0.1] [--port 8765] [--port-file F]
                              [--catalog-key PUB] [--tls-cert PEM --tls-key PEM]
python -m reference_platform token --data DIR [--label TEXT]      one-time enrollment token
python -m reference_platform reenroll-token --data DIR DEVICE_ID  re-key a device (store lost)
python -m reference_platform devices --data DIR                   (with audit alarms)
python -m reference_platform root-key --data DIR                  what kiosks pin at enrollment
python -m reference_platform revoke --data DIR DEVICE_ID
python -m reference_platform publish-catalog --data DIR PACKAGE   checked against the pinned key
python -m reference_platform list --data DIR
python -m reference_platform set-status --data DIR (SUBMISSION_ID | RECEIPT_NUMBER) STATUS
python -m reference_platform show --data DIR (SUBMISSION_ID | RECEIPT_NUMBER | --all)
python -m reference_platform usage --data DIR                     k-anonymous statistics
python -m reference_platform migrate --data DIR                   bring the schema up to date
python -m reference_platform conform URL --token TOKEN [--ca-bundle PEM]  any deployment
                              against the protocol (reference_platform/conform.py)

Every command on a data folder takes --database URL: sqlite:///path or
postgresql://user@host/db (the password from ~/.pgpass or PGPASSWORD, not the command
line). `serve --database` also keeps the URL in the data folder (database.url, 0600), so
that the staff commands run with the same --data find the same database without it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import ssl
import sys
import time
from pathlib import Path
from typing import NoReturn

from reference_platform.database import remember_url
from reference_platform.migrations import schema_version
from reference_platform.storage import PlatformStorage
from sync.protocol import STATUSES

NEEDS_DATA = ("list", "show", "devices", "usage", "set-status", "revoke", "reenroll-token")
"""Commands that look at or change what a platform already holds: run on a folder that
does not exist, they would create an empty platform there and report nothing wrong."""


def _storage(args: argparse.Namespace) -> PlatformStorage:
    return PlatformStorage(Path(args.data), database=args.database)


def _migrate(args: argparse.Namespace) -> int:
    storage = _storage(args)  # opening it applies what is missing
    print(f"schema version {schema_version(storage.db)} ({storage.db.dialect})")
    storage.close()
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from reference_platform.http import raise_file_limit, server_settings, settle_heap
    from reference_platform.limits import DeviceLimits
    from reference_platform.metrics import instrument
    from reference_platform.server import create_app

    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    raise_file_limit()
    if args.tls_cert:  # a broken certificate is said before the banner, not by a worker
        try:
            ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(
                args.tls_cert, args.tls_key
            )
        except ssl.SSLError as exc:
            print(f"error: --tls-cert/--tls-key: not a usable certificate and key ({exc.reason})",
                  file=sys.stderr)  # fmt: skip
            return 1
    if args.database:
        remember_url(Path(args.data), args.database)
    storage = _storage(args)
    if args.catalog_key:
        storage.set_catalog_signing_key(Path(args.catalog_key).read_text())
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # accepted sockets inherit it
    sock.bind((args.host, args.port))
    sock.listen(2048)
    port = sock.getsockname()[1]
    if args.port_file:
        tmp = Path(args.port_file + ".tmp")
        tmp.write_text(str(port))
        os.replace(tmp, args.port_file)
    scheme = "https" if args.tls_cert else "http"
    print(f"reference platform on {scheme}://{args.host}:{port} (data in {args.data})", flush=True)
    tls = {"ssl_certfile": args.tls_cert, "ssl_keyfile": args.tls_key} if args.tls_cert else {}
    limits = DeviceLimits(args.device_rate, args.device_burst, args.daily_submissions)
    app = create_app(storage, body_timeout=args.read_timeout, limits=limits)
    config = uvicorn.Config(
        instrument(app),  # Prometheus figures at /metrics (reference_platform/metrics.py)
        log_level="warning",
        access_log=False,
        **server_settings(args.read_timeout),
        **tls,
    )
    settle_heap()
    uvicorn.Server(config).run(sockets=[sock])
    return 0


def _root_key(args: argparse.Namespace) -> int:
    from sync.trust import root_fingerprint

    public = _storage(args).signed.public
    print(f"{public}  fingerprint {root_fingerprint(public)}")
    return 0


def _list(args: argparse.Namespace) -> int:
    storage = _storage(args)
    for s in storage.submissions():
        print(
            f"{s.receipt_number}  {s.submission_id}  {s.service_id}@{s.service_version}  {s.status}"
        )
    return 0


def _show(args: argparse.Namespace) -> int:
    storage = _storage(args)
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


def _reenroll_token(args: argparse.Namespace) -> int:
    devices = _storage(args).devices
    try:
        print(devices.new_reenrollment_token(args.device_id, time.time()))
    except KeyError:
        print(f"no enrolled, unrevoked device {args.device_id}", file=sys.stderr)
        return 1
    return 0


def _token(args: argparse.Namespace) -> int:
    print(_storage(args).devices.new_token(time.time(), args.label))
    return 0


def _devices(args: argparse.Namespace) -> int:
    devices = _storage(args).devices
    alarms = devices.audit_alarms()
    seen = devices.last_seen()
    now = time.time()
    for device_id, label, enrolled, revoked in devices.listing():
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(enrolled))
        state = "revoked" if revoked else "active"
        alarm = f"  ALARM: {alarms[device_id]}" if device_id in alarms else ""
        last, figures = seen.get(device_id, (None, {}))
        heard = "never seen" if last is None else f"seen {_ago(now - last)} ago"
        if not revoked and (last is None or now - last > args.silent_hours * 3600):
            heard += " SILENT"
        queued = figures.get("queued")
        if isinstance(queued, int | float) and queued >= args.deep_queue:
            heard += f" DEEP QUEUE ({int(queued)})"
        print(f"{device_id}  {state:7}  enrolled {when}  {heard}  {label}{alarm}")
    return 0


def _ago(seconds: float) -> str:
    if seconds < 3600:
        return f"{max(0, int(seconds // 60))} min"
    if seconds < 2 * 86400:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} d"


def _revoke(args: argparse.Namespace) -> int:
    if _storage(args).devices.revoke(args.device_id, time.time()):
        print(f"{args.device_id} revoked: its requests are refused from now on")
        return 0
    print(f"no active device {args.device_id}", file=sys.stderr)
    return 1


def _publish(args: argparse.Namespace) -> int:
    from forms.package import PackageError, SigningKey, verify_package

    storage = _storage(args)
    pinned = storage.catalog_signing_key()
    if not pinned:
        print("no catalog signing key set: start serve with --catalog-key", file=sys.stderr)
        return 1
    package = Path(args.package).read_bytes()
    try:
        manifest, _ = verify_package(package, SigningKey.from_text(pinned))
    except PackageError as exc:
        print(f"not published: {exc}", file=sys.stderr)
        return 1
    version = str(manifest.get("catalog_version", ""))
    digest = storage.publish_catalog(package, version, time.time())
    print(f"catalog {version} published ({digest[:12]})")
    return 0


def _set_status(args: argparse.Namespace) -> int:
    storage = _storage(args)
    try:
        chosen = storage.set_status(args.which, args.status, time.time())
    except KeyError:
        print("no such submission", file=sys.stderr)
        return 1
    print(f"{chosen.receipt_number}: {args.status}")
    return 0


def _usage(args: argparse.Namespace) -> int:
    for service_id, week, count in _storage(args).usage():
        print(f"{week}  {service_id}  {count}")
    return 0


def _conform(args: argparse.Namespace) -> int:
    from reference_platform.conform import run

    return run(args.url, args.token, Path(args.ca_bundle) if args.ca_bundle else None)


class _OneLineParser(argparse.ArgumentParser):
    """Usage mistakes in one line (exit 2), not the whole usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (0 to 65535)")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    parser = _OneLineParser(
        prog="python -m reference_platform",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the platform's HTTP API")
    serve.add_argument("--data", required=True, help="folder for the database and the key")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8765, help="0 picks a free port")
    serve.add_argument("--port-file", help="write the port here once listening")
    serve.add_argument("--catalog-key", help="the catalog signing key devices pin (.pub)")
    serve.add_argument("--tls-cert", help="serve HTTPS with this certificate chain (PEM)")
    serve.add_argument("--tls-key", help="... and this private key (PEM)")
    serve.add_argument(
        "--read-timeout",
        type=float,
        default=10.0,
        help="seconds for a request's headers, and for each piece of its body (10)",
    )
    serve.add_argument("--device-rate", type=float, default=20.0, help="requests/s a device")
    serve.add_argument("--device-burst", type=float, default=600.0, help="... in a burst")
    serve.add_argument(
        "--daily-submissions", type=int, default=2000, help="accepted a day, per device"
    )
    token = sub.add_parser("token", help="create a one-time enrollment token")
    token.add_argument("--data", required=True)
    token.add_argument("--label", default="", help="where the kiosk stands, for the list")
    again = sub.add_parser(
        "reenroll-token",
        help="a one-time token for a device whose store was lost: same id, new key",
    )
    again.add_argument("--data", required=True)
    again.add_argument("device_id")
    root = sub.add_parser("root-key", help="the root key devices pin, and its fingerprint")
    root.add_argument("--data", required=True)
    devices = sub.add_parser("devices", help="list enrolled devices, silent ones, deep queues")
    devices.add_argument("--data", required=True)
    devices.add_argument("--silent-hours", type=float, default=24.0, help="flag after (24)")
    devices.add_argument("--deep-queue", type=int, default=50, help="flag from (50 queued)")
    revoke = sub.add_parser("revoke", help="refuse a device's requests from now on")
    revoke.add_argument("--data", required=True)
    revoke.add_argument("device_id")
    publish = sub.add_parser("publish-catalog", help="offer a signed catalog package")
    publish.add_argument("--data", required=True)
    publish.add_argument("package")
    status = sub.add_parser("set-status", help="record a decision on a submission")
    status.add_argument("--data", required=True)
    status.add_argument("which", help="submission id or receipt number")
    status.add_argument("status", choices=STATUSES)
    usage = sub.add_parser("usage", help="print the usage statistics")
    usage.add_argument("--data", required=True)
    listing = sub.add_parser("list", help="list received submissions (nothing decrypted)")
    listing.add_argument("--data", required=True)
    show = sub.add_parser("show", help="decrypt submissions: the caseworker's view")
    show.add_argument("--data", required=True)
    show.add_argument("which", nargs="?", help="submission id or receipt number")
    show.add_argument("--all", action="store_true")
    migrate = sub.add_parser("migrate", help="apply schema migrations (serve does it too)")
    migrate.add_argument("--data", required=True)
    for command in sub.choices.values():  # every command on a data folder
        if any(a.dest == "data" for a in command._actions):
            command.add_argument("--database", help="sqlite:///path or postgresql://... URL")
    conform = sub.add_parser("conform", help="check a deployment against the protocol")
    conform.add_argument("url", help="the deployment's address, as kiosks enroll at it")
    conform.add_argument("--token", required=True, help="a one-time enrollment token")
    conform.add_argument("--ca-bundle", help="trust this CA (PEM) for the deployment's TLS")
    args = parser.parse_args(argv)
    os.umask(0o077)  # keys, database: for the platform's own user only
    if args.command == "serve" and bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    if args.command == "show" and not (args.all or args.which):
        parser.error("show needs a submission id, a receipt number or --all")
    if args.command in NEEDS_DATA and not Path(args.data).is_dir():
        # A typo in --data must not create an empty platform and answer "nothing there".
        print(f"error: {args.data}: no platform data here (serve creates it)", file=sys.stderr)
        return 1
    handler = {
        "serve": _serve,
        "list": _list,
        "show": _show,
        "token": _token,
        "reenroll-token": _reenroll_token,
        "root-key": _root_key,
        "devices": _devices,
        "revoke": _revoke,
        "publish-catalog": _publish,
        "set-status": _set_status,
        "usage": _usage,
        "migrate": _migrate,
        "conform": _conform,
    }[args.command]
    try:
        return handler(args)
    except OSError as exc:  # a missing key file, a bad certificate, a data path that is a file
        where = exc.filename or args.data
        print(f"error: {where}: {exc.strerror or exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
