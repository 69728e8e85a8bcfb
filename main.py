"""Ieum: start the kiosk, the demo platform, or a tool.

python main.py --demo                the kiosk demo (bundled catalog, local data,
                                     the reference platform on loopback)
python main.py --platform URL        a kiosk of the city's platform
(the screenshot tour and audit are developer tools: python -m tools --help)
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from forms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from sync.device_settings import TEXT_SIZES

if TYPE_CHECKING:
    from reference_platform.local import LocalPlatform


def _add_look_options(parser: argparse.ArgumentParser) -> None:
    """Options that shape how each session looks at first."""
    parser.add_argument(
        "--lang",
        choices=LANGUAGE_CODES,
        default=DEFAULT_LANGUAGE,
        help="language each session starts in (default: %(default)s)",
    )
    parser.add_argument(
        "--text-size",
        choices=TEXT_SIZES,
        default="standard",
        help="text size each session starts with (default: %(default)s)",
    )
    parser.add_argument(
        "--dpi",
        type=float,
        default=102.0,
        help="physical DPI of the screen, for sizes in millimetres "
        "(default: %(default)s, a 21.5-inch 1920x1080 panel)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ieum",
        description="Ieum: an offline-first assisted-service kiosk.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_look_options(parser)
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(os.environ.get("IEUM_DATA", "data")),
        help="data directory for the local store (default: %(default)s, or $IEUM_DATA)",
    )
    parser.add_argument(
        "--platform",
        metavar="URL",
        default=os.environ.get("IEUM_PLATFORM"),
        help="the central platform's URL (or $IEUM_PLATFORM); without it and without "
        "--demo the kiosk shows staff that it is not set up, and takes no applications",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="the demo: start the reference platform on loopback (data in DATA/platform) "
        "and enroll with it; never on a kiosk residents use",
    )
    parser.add_argument(
        "--enroll-token",
        metavar="TOKEN",
        default=os.environ.get("IEUM_ENROLL_TOKEN", ""),
        help="one-time enrollment token from the platform's staff (or $IEUM_ENROLL_TOKEN); "
        "needed once, the first time this kiosk syncs",
    )
    parser.add_argument(
        "--ca-bundle",
        type=Path,
        default=os.environ.get("IEUM_CA_BUNDLE"),
        help="CA certificates for the platform's TLS, if not the system's (or $IEUM_CA_BUNDLE)",
    )
    parser.add_argument(
        "--staff-desk",
        metavar="HOST[:PORT]",
        default=os.environ.get("IEUM_STAFF_DESK", ""),
        help="the navigator's desk that Call staff reaches on the site's network (or "
        "$IEUM_STAFF_DESK; the kiosk's settings win); without one, residents are asked to "
        "go to the front desk",
    )
    parser.add_argument(
        "--staff-calls",
        metavar="PORT",
        type=int,
        help="with --desktop: take the site's staff calls on this UDP port (the kiosks are "
        "paired in DATA/staff-call-kiosks; usual port 47120)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--fullscreen", action="store_true", help="full screen (kiosk hardware)")
    mode.add_argument("--windowed", action="store_true", help="in a window (the default)")
    mode.add_argument(
        "--desktop",
        action="store_true",
        help="the navigator's client: in a window, starting at the staff sign-in",
    )
    parser.add_argument("--quit-when-shown", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command")
    enroll = sub.add_parser(
        "enroll",
        help="enroll this kiosk with the platform using a one-time token from its staff",
    )
    # SUPPRESS: given before or after `enroll`, these fill the same options as above.
    enroll.add_argument("--platform", metavar="URL", default=argparse.SUPPRESS)
    enroll.add_argument(
        "--token",
        metavar="TOKEN",
        dest="enroll_token",
        default=argparse.SUPPRESS,
        help="the one-time token (or $IEUM_ENROLL_TOKEN)",
    )
    enroll.add_argument("--data", type=Path, default=argparse.SUPPRESS, help="as above")
    enroll.add_argument("--ca-bundle", type=Path, default=argparse.SUPPRESS, help="as above")
    return parser


def version() -> str:
    """The version in pyproject.toml beside this file (the source tree and the Debian
    package both ship it), else the installed distribution's."""
    pyproject = Path(__file__).resolve().parent / "pyproject.toml"
    try:
        import tomllib

        return str(tomllib.loads(pyproject.read_text())["project"]["version"])
    except (OSError, KeyError, ValueError):
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as installed_version

        try:
            return installed_version("ieum")
        except PackageNotFoundError:
            return "unknown"


def _enroll(args: argparse.Namespace) -> int:
    """`ieum enroll`: spend the token now, so the kiosk starts enrolled; exit 1 and one
    clear line when it cannot be done."""
    from sync.enrollment import EnrollmentError, enroll_device

    if not args.platform:
        print("ieum: enroll needs --platform URL (or IEUM_PLATFORM)", file=sys.stderr)
        return 2
    try:
        device_id = enroll_device(args.data, args.platform, args.enroll_token, args.ca_bundle)
    except EnrollmentError as exc:
        print(f"ieum: enrollment failed: {exc}", file=sys.stderr)
        return 1
    print(f"enrolled with {args.platform} as {device_id} (data in {args.data})")
    return 0


def _quit_on_first_paint(window: object) -> None:
    """For the benchmark: report the wall-clock time of the first paint, then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                print(f"shown_at={time.time():.6f}", flush=True)
                watched.removeEventFilter(self)
                QTimer.singleShot(0, QApplication.quit)
            return False

    window.installEventFilter(FirstPaint(window))  # type: ignore[attr-defined]


def _start_demo_platform(data: Path) -> LocalPlatform | None:
    """The reference platform on loopback, for the demo; it is a peer program that the
    kiosk's package does not ship, so an installed kiosk says so instead."""
    try:
        from reference_platform.local import start_local_platform
    except ImportError:
        print(
            "ieum: --demo needs the reference platform, which is not installed here "
            "(it comes with the source tree: sh packaging/bootstrap.sh kiosk --demo)",
            file=sys.stderr,
        )
        return None
    from kiosk.config import DEMO_CATALOG_KEY

    return start_local_platform(data / "platform", catalog_key=DEMO_CATALOG_KEY)


def _run(args: argparse.Namespace) -> int:
    from kiosk.app import has_display

    if not has_display():
        print(
            "ieum: no display found (DISPLAY and WAYLAND_DISPLAY are not set).\n"
            "On a machine without a screen, run the kiosk on a virtual one:\n"
            "    xvfb-run -a -s '-screen 0 1920x1080x24' sh packaging/bootstrap.sh kiosk\n"
            "or render screens to PNG files (source tree): python -m tools screenshot --help",
            file=sys.stderr,
        )
        return 2

    from kiosk.app import Kiosk, application
    from kiosk.config import Defaults, KioskConfig
    from kiosk.input_context import enable_virtual_keyboard

    enable_virtual_keyboard()  # an input context is chosen once, before the QApplication
    app = application()
    platform = None
    url = args.platform or ""
    token = args.enroll_token
    if args.demo and not url:
        platform = _start_demo_platform(args.data)
        if platform is None:
            return 2
        url = platform.url
        token = token or platform.new_token("demo kiosk")  # used only if not enrolled yet
        logging.info("reference platform started at %s", url)
    config = KioskConfig(
        data_dir=args.data,
        platform_url=url,
        enrollment_token=token,
        ca_bundle=args.ca_bundle,
        defaults=Defaults(args.lang, args.text_size, args.dpi),
        fullscreen=args.fullscreen,
        staff_desk=args.staff_desk,
        runtime_dir=Path(runtime) if (runtime := os.environ.get("IEUM_RUNTIME_DIR")) else None,
    )
    # The welcome screen first, the rest just after it is shown (the desk needs it all).
    kiosk = Kiosk(config, welcome_first=not args.desktop)
    kiosk.start()
    from kiosk.watchdog import QTimer, start_watchdog

    watchdog = QTimer()
    start_watchdog(watchdog)  # READY=1, then pings while the event loop turns
    desk = None
    if args.desktop:
        from kiosk.staff.desk import StaffDesk

        desk = StaffDesk(
            kiosk.journey, kiosk.backend, versions={"ieum": version()}, entrance=kiosk.staff
        )
        desk.show_sign_in()
    calls = None
    if args.staff_calls is not None:
        from kiosk.staff.calls import DeskCalls

        try:
            calls = DeskCalls(
                kiosk.window, lambda: kiosk.journey.words, args.data, args.staff_calls
            )
        except (OSError, ValueError) as exc:
            logging.error("%s", exc)
            kiosk.close()
            return 2
    if args.quit_when_shown:
        _quit_on_first_paint(kiosk.window)
    try:
        return app.exec()
    finally:
        if calls is not None:
            calls.close()
        if desk is not None:
            desk.close()
        kiosk.close()
        if platform is not None:
            platform.stop()


TOOLS = ("screenshot", "screenshots")
"""Developer tools main.py hands over to `python -m tools` (the source tree only)."""


def _tools(argv: list[str]) -> int:
    """`python main.py screenshot ...`: the same as `python -m tools screenshot ...`, run
    as its own process: the kiosk itself never imports the developer tools, which an
    installed kiosk does not have."""
    import subprocess

    root = Path(__file__).resolve().parent
    if not (root / "tools" / "__main__.py").is_file():
        print(
            f"ieum: {argv[0]} is a developer tool of the source tree (python -m tools)",
            file=sys.stderr,
        )
        return 2
    path = os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH", "")]))
    env = {**os.environ, "PYTHONPATH": path}
    return subprocess.call([sys.executable, "-m", "tools", *argv], env=env)


def main(argv: list[str] | None = None) -> int:
    os.umask(0o077)  # data, receipts, logs: for the kiosk's own user only
    from kiosk.logs import configure

    configure(logging.INFO)  # `<N>` priorities and no timestamps when stderr is the journal
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request is noise
    given = sys.argv[1:] if argv is None else argv
    if given and given[0] in TOOLS:
        return _tools(given)
    args = _parser().parse_args(argv)
    if args.command == "enroll":
        return _enroll(args)
    return _run(args)


if __name__ == "__main__":
    sys.exit(main())
