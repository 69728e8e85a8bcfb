"""Render any screen offscreen to a PNG, with obviously fake answers, for reviews and tests."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.app import Kiosk, KioskConfig
from kiosk.journey import Defaults

FAKE_ANSWERS: dict[str, object] = {
    "device": "tablet",
    "receives_livelihood_support": False,
    "household_size": "2",
    "name_for_loan": "Test Resident",
}


def go_to(kiosk: Kiosk, screen: str, question: int = 0) -> None:
    """Drive the journey to `screen` the way a resident would (answers are fake)."""
    journey = kiosk.journey
    if screen == "welcome":
        journey.start()
    elif screen == "language":
        journey.show_language()
    elif screen == "text_size":
        journey.show_text_size()
    elif screen == "service":
        journey.show_service()
    else:
        journey._begin()
        session = journey.session
        assert session is not None
        steps = (
            len(session.questions) if screen in ("review", "receipt", "start_over") else question
        )
        for _ in range(steps):
            current = session.current
            assert current is not None
            session.answer(FAKE_ANSWERS[current.id])
            session.next()
        if screen == "receipt":
            from sync.ids import new_submission_id, reference_for
            from sync.submission import Submitted

            sid = new_submission_id()
            journey._saved(Submitted(str(sid), reference_for(sid), kiosk.service.id, 0.0))
        elif screen == "start_over":
            journey.show_current()
            journey.ask_start_over()
        else:
            journey.show_current()


def render(
    screen: str, language: str, text_size: str, out: Path, question: int = 0, dpi: float = 102.0
) -> Path:
    app = QApplication.instance()
    assert app is not None, "create the QApplication first"
    with tempfile.TemporaryDirectory(prefix="ieum-shot-") as data:
        config = KioskConfig(
            data_dir=Path(data),
            platform_url="http://127.0.0.1:9",
            defaults=Defaults(language=language, text_size=text_size, dpi=dpi),
        )
        kiosk = Kiosk(config)
        kiosk.window.resize(1920, 1080)
        kiosk.window.show()
        go_to(kiosk, screen, question)
        app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        if not kiosk.window.grab().save(str(out)):
            raise OSError(f"could not write {out}")
        kiosk.close()
        app.processEvents()
    return out
