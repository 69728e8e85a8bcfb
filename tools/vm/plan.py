"""The taps of a resident's visit, worked out on an offscreen kiosk of the same size.

The boot test cannot see widgets inside the machine, only pixels. So the same kiosk is
built here, offscreen at 1920×1080 in the installed kiosk's language, and walked through
a visit with real clicks: before each tap, the screen is saved as a picture and the
centre of the widget to tap is noted in screen pixels. The boot test then waits for the
machine's screen to look like each picture and taps the same point.

    python -m tools.vm.plan OUT_DIR [--lang ko] [--dpi 102]
writes OUT_DIR/NN-name.png and OUT_DIR/plan.json: [{"name", "picture", "x", "y"}, ...]
(and "same" where a looser match is needed: tools/vm/screen.py; "or": other pictures of
the same step, each with its own point, any of which will do).
The visit: digital-tutor-class, whose questions are all buttons and the number pad.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from kiosk.app import Kiosk, application
from kiosk.config import DEMO_CATALOG_KEY, Defaults, KioskConfig
from kiosk.screens.front_door import FrontDoorScreen
from kiosk.screens.language import LanguageScreen
from kiosk.screens.question import QuestionScreen
from kiosk.screens.receipt import ReceiptScreen
from kiosk.screens.review import ReviewScreen
from kiosk.screens.services import ServicesScreen
from kiosk.screens.text_size import TextSizeScreen
from kiosk.screens.welcome import WelcomeScreen
from reference_platform.local import start_local_platform
from sync.enrollment import enroll_device
from tools.screenshot import fake_answer

SERVICE = "digital-tutor-class"
RECEIPT_SAME = 7.5
"""The receipt differs from the offscreen one by its reference and QR code (1.5 of
255 on average), and by up to 6 with the platform down (the hard-reset test); the review
screen before it differs by more than 10. Whether the city has it yet changes its words
(7.7): both are drawn, and the closer one is taken (the machine's sync may or may not
have sent it yet)."""
PHONE = "01000000000"
"""The visit's only typed answer: obviously fake, and searched for in the journal."""


def _settle() -> None:
    app = QApplication.instance()
    assert app is not None
    for _ in range(5):
        app.processEvents()


def _primary(screen: QWidget) -> QPushButton:
    [button] = [b for b in screen.findChildren(QPushButton) if b.objectName() == "primary"]
    return button


class Planner:
    def __init__(self, kiosk: Kiosk, out: Path) -> None:
        self.kiosk = kiosk
        self.out = out
        self.steps: list[dict[str, Any]] = []

    def shot(self, name: str) -> str:
        _settle()
        picture = f"{len(self.steps):02d}-{name}.png"
        assert self.kiosk.window.grab().save(str(self.out / picture))
        return picture

    def tap(self, name: str, widget: QWidget, scroll: bool = True) -> None:
        assert widget.isVisible() and widget.isEnabled(), name
        if scroll:
            self.scroll_to(name, widget)
        picture = self.shot(name)
        centre = widget.mapTo(self.kiosk.window, widget.rect().center())
        self.steps.append({"name": name, "picture": picture, "x": centre.x(), "y": centre.y()})
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(widget.rect().center()))
        _settle()

    def scroll_to(self, name: str, widget: QWidget) -> None:
        """Tap the page's down arrow until `widget` is wholly on the screen, as a
        resident scrolls a long list."""
        for n in range(20):
            _settle()
            if widget.visibleRegion().boundingRect() == widget.rect():
                return
            down = getattr(self.kiosk.journey.screen, "scroll_down", None)
            if down is None or not down.isVisible() or not down.isEnabled():
                break
            self.tap(f"{name}-scroll-{n}", down, scroll=False)
        raise AssertionError(f"{name}: cannot scroll to it")

    def visit(self, lang: str) -> None:
        journey = self.kiosk.journey
        screen = journey.screen
        assert isinstance(screen, WelcomeScreen)
        self.tap("welcome", _primary(screen))
        screen = journey.screen
        if isinstance(screen, LanguageScreen):
            self.tap("language", screen.buttons[lang])
            screen = journey.screen
        if isinstance(screen, TextSizeScreen):
            self.tap("text_size", _primary(screen))
            screen = journey.screen
        if isinstance(screen, FrontDoorScreen):  # "I know which service"
            self.tap("front_door", screen.list_button)
            screen = journey.screen
        assert isinstance(screen, ServicesScreen), type(screen)
        self.tap("services", screen.buttons[SERVICE])
        self.tap("services-chosen", _primary(screen))
        while isinstance(journey.screen, QuestionScreen):
            self.answer(journey.screen)
        review = journey.screen
        assert isinstance(review, ReviewScreen), type(review)
        self.tap("review", _primary(review))
        app = QApplication.instance()
        assert app is not None
        for _ in range(200):
            if isinstance(journey.screen, ReceiptScreen):
                break
            QTest.qWait(50)
        receipt = journey.screen
        assert isinstance(receipt, ReceiptScreen)
        # Its reference number and QR code differ from the machine's: a looser match.
        # Whether the city has it yet moves the words (and may move Finish): both drawn.
        sent = receipt.sent
        receipt.set_sent(not sent)
        other = self.shot("receipt-sent" if not sent else "receipt-not-sent")
        finish = receipt.finish_button
        centre = finish.mapTo(self.kiosk.window, finish.rect().center())
        receipt.set_sent(sent)
        self.tap("receipt", finish)  # Finish is the quiet button
        self.steps[-1]["same"] = RECEIPT_SAME
        self.steps[-1]["or"] = [{"picture": other, "x": centre.x(), "y": centre.y()}]
        assert isinstance(journey.screen, WelcomeScreen)

    def answer(self, screen: QuestionScreen) -> None:
        question = screen.question
        name = f"q-{question.id}"
        value = PHONE if question.type == "phone" else fake_answer(question)
        if screen.pad is not None:
            for n, digit in enumerate(str(value)):
                self.tap(f"{name}-{n}", screen.pad.keys[digit])
        elif question.type == "multiple_choice":
            assert isinstance(value, list)
            self.tap(name, screen.choice_buttons[value[0]])
        elif screen.choice_buttons:
            self.tap(name, screen.choice_buttons[value])
        self.tap(f"{name}-next", screen.next_button)
        assert screen is not self.kiosk.journey.screen, f"{name} was refused"


def plan(out: Path, lang: str = "ko", dpi: float = 102.0) -> list[dict[str, Any]]:
    """Walk the visit offscreen; the steps, also written to out/plan.json."""
    out.mkdir(parents=True, exist_ok=True)
    application()
    with tempfile.TemporaryDirectory(prefix="ieum-plan-") as data:
        # An enrolled kiosk, as in the machine: applications are sealed to its key.
        platform = start_local_platform(Path(data) / "platform", catalog_key=DEMO_CATALOG_KEY)
        try:
            config = KioskConfig(
                data_dir=Path(data) / "kiosk",
                platform_url=platform.url,
                enrollment_token=platform.new_token("plan"),
                defaults=Defaults(lang, "standard", dpi),
                sync_every_ms=3_600_000,
            )
            enroll_device(config.data_dir, config.platform_url, config.enrollment_token)
            kiosk = Kiosk(config)
            kiosk.start()
            kiosk.start_speech()  # as after the first paint: the text-size screen offers it
            kiosk.window.resize(1920, 1080)
            planner = Planner(kiosk, out)
            planner.visit(lang)
            kiosk.close()
        finally:
            platform.stop()
    (out / "plan.json").write_text(json.dumps(planner.steps, indent=1))
    return planner.steps


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--lang", default="ko")
    parser.add_argument("--dpi", type=float, default=102.0)
    args = parser.parse_args()
    for step in plan(args.out, args.lang, args.dpi):
        print(step["picture"], step["x"], step["y"])
