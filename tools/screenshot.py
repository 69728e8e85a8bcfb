"""Render any screen offscreen to a PNG, with obviously fake answers, for reviews and tests."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtWidgets import QApplication

from forms.answers import Answer
from forms.definition import Question
from kiosk.app import Kiosk
from kiosk.config import Defaults, KioskConfig
from kiosk.screens.status_check import StatusCheckScreen
from kiosk.speech.settings import SpeechSettings
from sync.ids import new_submission_id, reference_for
from sync.store import Receipt
from sync.submission import Submitted

DEFAULT_SERVICE = "digital-device-access"


def fake_answer(question: Question) -> Answer:
    """An answer no one could mistake for a real resident's."""
    kind = question.type
    if kind == "single_choice":
        return question.choices[0].value
    if kind == "multiple_choice":
        return [question.choices[0].value]
    if kind in ("yes_no", "consent", "records_consent"):
        return True
    if kind == "number":
        if question.id == "birth_year":
            return 1950
        return int(question.minimum if question.minimum is not None else 1)
    if kind == "date":
        return "1950-01-01"
    if kind == "phone":
        return "01000000000"
    if kind == "resident_number":
        return "5001011000000"
    if kind == "short_text":
        if question.pattern:
            return "0" * 16
        return "Test Resident"
    return None


class UnknownService(ValueError):
    """A service asked for on the command line that the catalog does not have."""


def go_to(kiosk: Kiosk, screen: str, question: int = 0, services: tuple[str, ...] = ()) -> None:
    """Drive the journey to `screen` the way a resident would, with fake answers."""
    journey = kiosk.journey
    chosen = list(services or (DEFAULT_SERVICE,))
    unknown = [service for service in chosen if service not in journey.catalog.services]
    if unknown:
        known = ", ".join(sorted(journey.catalog.services))
        raise UnknownService(f"no service {', '.join(unknown)} in this catalog; it has: {known}")
    simple = {
        "welcome": journey.start,
        "language": journey.show_language,
        "text_size": journey.show_text_size,
        "front_door": journey.show_services,
        "services": journey.show_service_list,
    }
    if screen in simple:
        simple[screen]()
        return
    if screen.startswith("status_"):
        show_status(kiosk, screen)
        return
    if screen in OVER_ANY_SCREEN:
        OVER_ANY_SCREEN[screen](kiosk)
        return
    if screen == "eligibility":
        journey.start_check()
        session = journey.check
    else:
        journey.start_applications(chosen)
        session = journey.session
    assert session is not None
    steps = 10_000 if screen in ("eligibility", "review", "receipt", "start_over") else question
    for _ in range(steps):
        current = session.current
        if current is None:
            break
        session.answer(fake_answer(current))
        session.next()
    if screen == "receipt":
        journey.show_receipts(saved_for(chosen))
        return
    journey.show_current()
    if screen == "start_over":
        journey.ask_start_over()


def _idle_warning(kiosk: Kiosk) -> None:
    kiosk.journey.start()
    kiosk.journey.idle.warning.emit(25)


def _staff(kiosk: Kiosk) -> None:
    """The staff sign-in, as the quiet Staff button opens it (the staff list is read on
    the store's worker: wait for the screen to change)."""
    journey = kiosk.journey
    journey.start()
    before = journey.screen
    kiosk.staff.open()
    app = QApplication.instance()
    assert app is not None
    deadline = time.monotonic() + 10
    while journey.screen is before and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    if journey.screen is before:
        raise TimeoutError("the staff sign-in did not appear")


OVER_ANY_SCREEN = {
    "help": lambda kiosk: kiosk.journey.show_help(),
    "speech_settings": lambda kiosk: kiosk.journey.show_speech_settings(None),
    "idle_warning": _idle_warning,
    "staff": _staff,
}
"""Screens reached from any other (help, speech settings, the idle warning, staff)."""


def copy_data(source: Path, into: Path) -> None:
    """What a screenshot needs of a kiosk's data folder, copied (never written to): its
    installed catalog and the store that pins the catalog's key (read with SQLite's
    backup, consistent even while that kiosk runs)."""
    if not source.is_dir():
        raise FileNotFoundError(f"no data folder at {source}")
    catalog = source / "catalog"
    if catalog.is_dir():
        shutil.copytree(catalog, into / "catalog")
    store = source / "ieum.db"
    if store.exists():
        with (
            sqlite3.connect(f"file:{store}?mode=ro", uri=True) as src,
            sqlite3.connect(into / "ieum.db") as dst,
        ):
            src.backup(dst)
        marker = source / "ieum.db-highwater"
        if marker.exists():
            shutil.copy2(marker, into / marker.name)


def saved_for(service_ids: list[str]) -> list[Submitted]:
    """What the backend reports after saving applications for these services."""
    saved = []
    for service_id in service_ids:
        sid = new_submission_id()
        saved.append(Submitted(str(sid), reference_for(sid), service_id, 0.0))
    return saved


FAKE_REFERENCE = "0000-0000-00"
FAKE_STATUS = {"status_result": "approved", "status_needs_information": "needs_information"}


def fake_receipt(status: str) -> Receipt:
    """A receipt no one could mistake for a real one: zeros, and a TEST receipt number."""
    created = dt.datetime(2026, 1, 2, 10, 0).timestamp()
    return Receipt(
        reference=FAKE_REFERENCE,
        submission_id="00000000-0000-7000-8000-000000000000",
        service_id=DEFAULT_SERVICE,
        service_version="0",
        created=created,
        acknowledged=created,
        platform_receipt="TEST-00000000",
        status=status,
    )


def show_status(kiosk: Kiosk, screen: str) -> None:
    """The status check with half a fake reference typed, or a result for a fake receipt."""
    journey = kiosk.journey
    if screen == "status_check":
        journey.show_status_check()
        assert isinstance(journey.screen, StatusCheckScreen)
        journey.screen.pad.type_text("0000-0")
        return
    status = FAKE_STATUS.get(screen)
    journey.show_status_result(FAKE_REFERENCE, fake_receipt(status) if status else None)


@contextmanager
def shown(
    screen: str,
    language: str,
    text_size: str,
    question: int = 0,
    dpi: float = 102.0,
    services: tuple[str, ...] = (),
    contrast: str = "normal",
    data: Path | None = None,
    size: tuple[int, int] = (1920, 1080),
) -> Iterator[Kiosk]:
    """A kiosk showing one screen, closed afterwards. `data`: with that kiosk's catalog
    (its data folder is copied, not used); otherwise with the bundled one."""
    app = QApplication.instance()
    assert app is not None, "create the QApplication first"
    with tempfile.TemporaryDirectory(prefix="ieum-shot-") as folder:
        if data is not None:
            copy_data(data, Path(folder))
        config = KioskConfig(
            data_dir=Path(folder),
            platform_url="http://127.0.0.1:9",
            defaults=Defaults(language=language, text_size=text_size, contrast=contrast, dpi=dpi),
            speech=SpeechSettings(preload=()),
        )
        kiosk = Kiosk(config)
        try:
            kiosk.start_speech()  # at once, as after the first paint
            kiosk.window.resize(*size)
            kiosk.window.show()
            kiosk.window.activateWindow()  # the focus (and the keyboard) as on the kiosk
            go_to(kiosk, screen, question, services)
            for _ in range(3):
                app.processEvents()
            yield kiosk
        finally:
            kiosk.close()
            app.processEvents()


def render(
    screen: str,
    language: str,
    text_size: str,
    out: Path,
    question: int = 0,
    dpi: float = 102.0,
    services: tuple[str, ...] = (),
    contrast: str = "normal",
    data: Path | None = None,
    size: tuple[int, int] = (1920, 1080),
) -> Path:
    """One screen to a PNG (see `shown`)."""
    with shown(screen, language, text_size, question, dpi, services, contrast, data, size) as k:
        out.parent.mkdir(parents=True, exist_ok=True)
        if not k.window.grab().save(str(out)):
            raise OSError(f"could not write {out}")
    return out
