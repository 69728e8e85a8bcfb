"""Developer tools, from the source tree (the kiosk's package does not ship them):

python -m tools screenshot --screen review --lang th --out th.png   one screen to a PNG
python -m tools screenshots --out screenshots   every screen, audited (make screenshots)

`python main.py screenshot ...` and `python main.py screenshots ...` are the same.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from forms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from sync.device_settings import TEXT_SIZES

CONTRASTS = ("normal", "high_contrast")
SCREENS = (
    "welcome",
    "language",
    "text_size",
    "services",
    "eligibility",
    "question",
    "review",
    "receipt",
    "start_over",
    "status_check",
    "status_result",
    "status_needs_information",
    "status_not_found",
    "help",
    "speech_settings",
    "idle_warning",
    "staff",
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tools",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    shot = sub.add_parser("screenshot", help="render one screen to a PNG, offscreen")
    shot.add_argument("--lang", choices=LANGUAGE_CODES, default=DEFAULT_LANGUAGE)
    shot.add_argument("--text-size", choices=TEXT_SIZES, default="standard")
    shot.add_argument("--dpi", type=float, default=102.0)
    shot.add_argument("--contrast", choices=CONTRASTS, default="normal")
    shot.add_argument(
        "--size",
        choices=("1920x1080", "1280x720"),
        default="1920x1080",
        help="the window's size in pixels (default: %(default)s; set --dpi to match)",
    )
    shot.add_argument(
        "--keyboard",
        action="store_true",
        help="with the on-screen keyboard, as the kiosk runs (under a text question)",
    )
    shot.add_argument("--screen", choices=SCREENS, default="welcome")
    shot.add_argument("--question", type=int, default=0, help="which question (from 0)")
    shot.add_argument(
        "--service",
        action="append",
        default=[],
        help="service(s) to apply for (repeat for several; default: digital-device-access)",
    )
    shot.add_argument("--out", type=Path, required=True)
    shot.add_argument(
        "--data",
        type=Path,
        help="a kiosk's data folder: render its installed catalog (the folder is copied, "
        "never written to); default: the bundled catalog",
    )
    shots = sub.add_parser(
        "screenshots",
        help="the screenshot audit: every screen, language, text size and contrast to PNG "
        "files, with what a person would find wrong on them (exit status 1 if anything)",
    )
    shots.add_argument("--out", type=Path, required=True, help="folder for the pictures")
    shots.add_argument("--language", action="append", choices=LANGUAGE_CODES, default=[])
    shots.add_argument("--size", action="append", choices=TEXT_SIZES, default=[])
    shots.add_argument("--contrast", action="append", choices=CONTRASTS, default=[])
    shots.add_argument(
        "--screen-size",
        action="append",
        choices=("1920x1080", "1280x720"),
        default=[],
        help="screen(s) to audit on, each at its real DPI (default: both)",
    )
    shots.add_argument(
        "--no-keyboard",
        action="store_true",
        help="without the on-screen keyboard (then text fields are audited without it)",
    )
    shots.add_argument("--no-pictures", action="store_true", help="audit only")
    shots.add_argument(
        "--data",
        type=Path,
        help="a kiosk's data folder: tour its installed catalog (copied, never written to)",
    )
    return parser


def _screenshot(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from kiosk.app import application
    from kiosk.input_context import enable_virtual_keyboard
    from tools.screenshot import UnknownService, render

    if args.keyboard:
        enable_virtual_keyboard()  # as the kiosk starts: before the QApplication exists
    application()
    width, height = (int(n) for n in args.size.split("x"))
    try:
        out = render(
            args.screen,
            args.lang,
            args.text_size,
            args.out,
            args.question,
            args.dpi,
            tuple(args.service),
            args.contrast,
            args.data,
            (width, height),
        )
    except UnknownService as error:
        print(f"screenshot: {error}", file=sys.stderr)
        return 2
    print(out)
    return 0


def _screenshots(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import tempfile

    from kiosk.app import application
    from kiosk.input_context import enable_virtual_keyboard
    from tools.screenshot import copy_data
    from tools.tour import SCREENS, audit_tour

    if not args.no_keyboard:
        enable_virtual_keyboard()  # as the kiosk starts: before the QApplication exists
    application()
    findings = []
    stops = 0
    for screen in args.screen_size or list(SCREENS):
        for code in args.language or LANGUAGE_CODES:
            for size in args.size or TEXT_SIZES:
                for contrast in args.contrast or CONTRASTS:
                    with tempfile.TemporaryDirectory(prefix="ieum-tour-") as data:
                        if args.data is not None:
                            copy_data(args.data, Path(data))
                        pictures = None if args.no_pictures else args.out
                        seen, found = audit_tour(code, size, contrast, Path(data), pictures, screen)
                    stops += seen
                    findings += found
                    print(
                        f"{screen} {code} {size} {contrast}: {seen} screens, {len(found)} findings",
                        flush=True,
                    )
    args.out.mkdir(parents=True, exist_ok=True)
    report = args.out / "findings.txt"
    report.write_text("".join(f"{finding}\n" for finding in findings), encoding="utf-8")
    print(f"{stops} screens audited, {len(findings)} findings (listed in {report})")
    return 1 if findings else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "screenshot":
        return _screenshot(args)
    return _screenshots(args)


if __name__ == "__main__":
    sys.exit(main())
