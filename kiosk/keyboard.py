"""The on-screen keyboard for text questions: Qt Virtual Keyboard inside the kiosk window.

Qt Virtual Keyboard is an input context plugin, so it has to be chosen before the
QApplication exists: call `enable_virtual_keyboard()` first, then put a `KeyboardPanel` at
the bottom of the window. The panel shows itself while a text field of its window is on
screen and hides when that field goes (see `KeyboardPanel`). A physical keyboard keeps
working: key presses go to the focused widget as before; only a desktop input method
(IBus, compose) is replaced.

Mongolian has no layout in Qt. Ours (resources/keyboard/layouts/mn_MN) is compiled into
layouts.rcc and registered under the directory Qt reads its own layouts from, so all of
Qt's layouts stay as they are. Setting `VirtualKeyboardSettings.layoutPath` instead would
replace every layout: the keyboard lists the locales and looks for the shared fallback
layouts in that one directory only.
"""

from __future__ import annotations

import math
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QMetaObject,
    QObject,
    QPoint,
    QRect,
    QRectF,
    QResource,
    QSize,
    QSizeF,
    Qt,
    QTimer,
    QUrl,
    Slot,
)
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtQuick import QQuickItem
from PySide6.QtQuickWidgets import QQuickWidget
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from kiosk.i18n import Words
from kiosk.input_context import is_enabled
from kiosk.keyboard_names import name_candidates, name_keys

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources" / "keyboard"
PANEL_QML = RESOURCES / "panel.qml"
LAYOUTS = RESOURCES / "layouts"
"""Our layouts, one folder per locale as Qt expects; the source of LAYOUTS_RCC."""
LAYOUTS_RCC = RESOURCES / "layouts.rcc"
"""LAYOUTS compiled by `python -m kiosk.keyboard` (a test checks it is up to date)."""
QT_LAYOUTS_ROOT = "/qt-project.org/imports/QtQuick/VirtualKeyboard/Layouts"
"""Where Qt's built-in layouts live (the default layoutPath); ours are mapped beside them."""

LOCALES: dict[str, str] = {
    "ko": "ko_KR",  # Hangul (composing)
    "en": "en_US",
    "zh_Hans": "zh_CN",  # Pinyin (candidates)
    "ja": "ja_JP",  # romaji to kana and kanji (OpenWnn, candidates)
    "vi": "vi_VN",
    "th": "th_TH",
    "ru": "ru_RU",
    "mn": "mn_MN",  # ours
}
"""Keyboard locale for each kiosk language."""
CANDIDATE_LOCALES = ("zh_CN", "ja_JP")
"""Layouts that offer words to pick (Pinyin, romaji to kana and kanji) in a strip above
the keys."""
LATIN = "en_US"
"""Offered after the resident's own layout (the language key), for e-mail addresses and
names in Latin letters."""

MIN_KEYBOARD_HEIGHT_PX = 450
"""Below this, Qt's default style draws less than 10 px (2.5 mm at 102 DPI) between keys:
its key margin is round(8 * height / 800) on each side."""
DEFAULT_KEYBOARD_HEIGHT_PX = 450
"""Key area height. On the 1920 px reference screen the key area is then 1440 px wide
with keys 111 px (28 mm) tall on four rows, 84 px (21 mm) on Thai's five, labels about
34 px high; the word-candidate strip adds 48 px above."""

FIVE_ROWS = ("th_TH",)
"""Layouts with five rows of keys (Thai); the others have four."""
KEY_ROWS_SHARE = 0.92
"""Of the key area's height, what the rows get (the style's own margins take the rest)."""

NAMING_WORDS_MS = 60
"""After a letter typed in Chinese or Japanese, when to name the words offered (once the
candidate strip has made its items): off the path of the tap's own paint."""

_KEY_TYPES = (
    "base", "backspace", "language", "enter", "filler", "handwriting", "hide",
    "input_mode", "key", "mode", "number", "shift", "space", "symbols", "flick",
)  # fmt: skip
"""QtVirtualKeyboard.KeyType, in the enum's order."""


def compact_key_area(key_px: int, gap_px: int, rows: int) -> int:
    """The least key area in which `rows` rows of keys `key_px` tall (12 mm) stand
    `gap_px` (2.5 mm) apart: a short window's keyboard (SHORT_WINDOW_PX)."""
    return math.ceil(rows * (key_px + gap_px) / KEY_ROWS_SHARE)


def keyboard_locale(language: str) -> str:
    """The keyboard locale for a kiosk language code; KeyError names an unknown one."""
    try:
        return LOCALES[language]
    except KeyError:
        raise KeyError(
            f"no keyboard for language {language!r}; known: {', '.join(LOCALES)}"
        ) from None


@cache
def _register_layouts() -> None:
    """Once per process: our layouts join Qt's in its resource directory."""
    if not QResource.registerResource(str(LAYOUTS_RCC), QT_LAYOUTS_ROOT):
        raise RuntimeError(f"cannot register {LAYOUTS_RCC}; rebuild it: python -m kiosk.keyboard")


def build_layouts(out: Path = LAYOUTS_RCC) -> Path:
    """Compile LAYOUTS into a binary resource with the rcc that comes with PySide6.

    Format 1 without compression has no timestamps: the same sources give the same bytes.
    """
    from xml.sax import saxutils  # it imports urllib.request: not at the kiosk's start

    import PySide6

    rcc = Path(PySide6.__file__).parent / "Qt" / "libexec" / "rcc"
    files = sorted(p for p in LAYOUTS.rglob("*") if p.is_file())
    entries = "\n".join(
        f"<file alias={saxutils.quoteattr(p.relative_to(LAYOUTS).as_posix())}>{p}</file>"
        for p in files
    )
    with tempfile.TemporaryDirectory() as tmp:
        qrc = Path(tmp) / "layouts.qrc"
        qrc.write_text(f'<RCC><qresource prefix="/">\n{entries}\n</qresource></RCC>\n')
        command = [str(rcc), "--binary", "--format-version", "1", "--no-compress"]
        subprocess.run([*command, str(qrc), "-o", str(out)], check=True)
    return out


@dataclass(frozen=True)
class KeyInfo:
    """A key on screen: what it is, its label and where it is in the panel."""

    kind: str
    """"key" for characters; otherwise "shift", "backspace", "space", "enter",
    "language", "symbols", ... (QtVirtualKeyboard.KeyType in lower case)."""
    label: str
    rect: QRect

    @property
    def center(self) -> QPoint:
        return self.rect.center()


class KeyboardPanel(QWidget):
    """Qt's keyboard in a QQuickWidget, for the bottom of the kiosk window.

    It is shown while a text field of its window is on screen, not only while that field
    has focus: a tap on Read aloud or Help does not make the keyboard (and half the
    screen) jump away, and nothing moves while the resident reads. It appears when a text
    field gets focus and hides when that field is hidden or deleted (the screen changed).
    A key tapped while something else has focus goes to that text field.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        language: str = "ko",
        keyboard_height: int = DEFAULT_KEYBOARD_HEIGHT_PX,
    ) -> None:
        super().__init__(parent)
        if not is_enabled():
            raise RuntimeError("call enable_virtual_keyboard() before creating the QApplication")
        _register_layouts()
        self._target: QWidget | None = None
        self._short: tuple[int, int] | None = None
        """(key, gap) in pixels while fitted to a short window (fit_short)."""
        self._language = ""
        self.view = QQuickWidget(self)
        """The Qt Quick scene; tests tap keys on it (KeyInfo.center is in its coordinates)."""
        # Taps on keys must leave the focus in the text field they type into.
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setResizeMode(QQuickWidget.ResizeMode.SizeRootObjectToView)
        self.view.setSource(QUrl.fromLocalFile(str(PANEL_QML)))
        if self.view.status() != QQuickWidget.Status.Ready:
            errors = "; ".join(e.toString() for e in self.view.errors())
            raise RuntimeError(f"the keyboard did not load: {errors}")
        root = self.view.rootObject()
        panel = root.findChild(QQuickItem, "inputPanel")
        assert panel is not None
        self._qml_root: QQuickItem = root
        self._input_panel: QQuickItem = panel
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        root.implicitHeightChanged.connect(self._fit_height)
        # Keys are made anew with each layout (language, symbols, shift): once they are,
        # name them again for screen readers.
        self._naming = QTimer(self, singleShot=True, interval=0)
        self._naming.timeout.connect(self._name_keys)
        root.keySetChanged.connect(self._naming.start)  # type: ignore[attr-defined]  # QML
        # The candidate strip makes its items when it is next laid out: name them then.
        self._naming_words = QTimer(self, singleShot=True, interval=NAMING_WORDS_MS)
        self._naming_words.timeout.connect(self._name_candidates)
        root.candidateSetChanged.connect(self._naming_words.start)  # type: ignore[attr-defined]
        strip = root.findChild(QQuickItem, "wordCandidateView")
        assert strip is not None
        self._candidate_strip: QQuickItem = strip
        self.view.installEventFilter(self)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)
        self.set_keyboard_height(keyboard_height)
        self.set_language(language)
        self.hide()

    # -- what the kiosk sets ------------------------------------------------------------

    @property
    def language(self) -> str:
        return self._language

    def set_language(self, language: str) -> None:
        """Show the keyboard of this kiosk language (then Latin, behind the language key)."""
        locale = keyboard_locale(language)
        locales = [locale] if locale == LATIN else [locale, LATIN]
        self._language = language
        # The candidate strip only where words are picked from candidates: elsewhere its
        # height goes to the question above the keyboard.
        self._qml_root.setProperty("candidates", locale in CANDIDATE_LOCALES)
        self._qml_root.setProperty("locales", locales)
        if self._short is not None:  # Thai has a row more
            self.fit_short(*self._short)
        self._naming.start()

    def set_keyboard_height(self, pixels: int) -> None:
        """Height of the key area, in Qt's own proportions: at least
        MIN_KEYBOARD_HEIGHT_PX, so that keys stay apart."""
        self._short = None
        root = self._qml_root
        root.setProperty("keyGapAtLeast", 0)
        root.setProperty("fullWidth", False)
        root.setProperty("keyboardHeight", max(pixels, MIN_KEYBOARD_HEIGHT_PX))

    def fit_short(self, key_px: int, gap_px: int) -> None:
        """For a short window: the key area as wide as the window and only as tall as
        keys `key_px` tall and `gap_px` apart need on this language's rows (the style's
        design size changed so that its gaps stay that wide, panel.qml)."""
        self._short = (key_px, gap_px)
        root = self._qml_root
        rows = 5 if keyboard_locale(self._language) in FIVE_ROWS else 4
        root.setProperty("keyGapAtLeast", gap_px)
        root.setProperty("fullWidth", True)
        root.setProperty("keyboardHeight", compact_key_area(key_px, gap_px, rows))

    def commit(self) -> None:
        """Put a syllable still being composed (Hangul, Pinyin, kana) into the field.

        Moving the focus commits too; call this before reading a field some other way.
        """
        QGuiApplication.inputMethod().commit()

    def reset(self) -> None:
        """For the end of a session: drop unfinished input, back to the resident's letters."""
        QGuiApplication.inputMethod().reset()
        QMetaObject.invokeMethod(self._qml_root, "reset")

    # -- what tests and audits read -----------------------------------------------------

    @property
    def target(self) -> QWidget | None:
        """The text field the keys type into, or None."""
        return self._target

    def is_ready(self) -> bool:
        """Whether the current layout is loaded and on screen."""
        return bool(self._qml_root.property("ready")) and self.isVisible()

    def current_locale(self) -> str:
        """The layout shown now: the resident's, or Latin after the language key."""
        return str(self._qml_root.property("locale"))

    def key_gap(self) -> float:
        """Empty space the style draws between two neighbouring keys, in pixels."""
        return float(self._qml_root.property("keyGap"))

    def shown_keys(self) -> list[KeyInfo]:
        """The keys on screen, with rectangles in `view` coordinates."""
        found: list[KeyInfo] = []
        stack: list[QQuickItem] = [self._input_panel]
        while stack:
            item = stack.pop()
            if not item.isVisible():
                continue
            stack.extend(item.childItems())
            meta = item.metaObject()
            if meta.indexOfProperty("keyType") < 0 or item.width() <= 0:
                continue
            kind = _KEY_TYPES[int(item.property("keyType"))]
            if kind == "filler" or not item.property("enabled"):
                continue
            # What the key types; function keys (and nothing else) have only a display text.
            label = item.property("text") or item.property("displayText")
            rect = item.mapRectToScene(QRectF(0, 0, item.width(), item.height())).toRect()
            found.append(KeyInfo(kind, str(label), rect))
        found.sort(key=lambda k: (k.rect.y(), k.rect.x()))
        return found

    # -- internals ----------------------------------------------------------------------

    @Slot()
    def _name_keys(self) -> None:
        symbol_mode = bool(self._qml_root.property("symbolMode"))
        name_keys(self._input_panel, symbol_mode, Words(self._language))

    @Slot()
    def _name_candidates(self) -> None:
        name_candidates(self._candidate_strip)

    @Slot()
    def _fit_height(self) -> None:
        self.setFixedHeight(round(self._qml_root.implicitHeight()))

    @Slot()
    def _resend_size(self) -> None:
        QApplication.sendEvent(self.view, QResizeEvent(self.view.size(), QSize()))

    @Slot(QWidget, QWidget)
    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None or new is self._target or new.window() is not self.window():
            return
        if not self.isAncestorOf(new) and _accepts_text(new):
            self._set_target(new)

    def _set_target(self, widget: QWidget | None) -> None:
        if self._target is not None:
            self._target.removeEventFilter(self)
            self._target.destroyed.disconnect(self._target_destroyed)
        self._target = widget
        if widget is None:
            self.hide()
            QGuiApplication.inputMethod().hide()
            return
        widget.installEventFilter(self)
        widget.destroyed.connect(self._target_destroyed)
        self.show()
        QGuiApplication.inputMethod().show()

    @Slot()
    def _target_destroyed(self) -> None:
        self._target = None
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._target and kind == QEvent.Type.Hide:
            self._set_target(None)
        elif watched is self.view:
            if kind == QEvent.Type.Resize:
                self._qml_root.setSize(QSizeF(self.view.size()))
            elif kind == QEvent.Type.Show:
                # A QQuickWidget once resized to zero height while hidden draws nothing,
                # and the resize to its real size, made while hidden, never reaches it:
                # repeat that resize once it is shown.
                QTimer.singleShot(0, self, self._resend_size)
            elif kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
                # A key tapped after Read aloud (say) took the focus: back to the field.
                target = self._target
                if target is not None and not target.hasFocus():
                    target.setFocus(Qt.FocusReason.OtherFocusReason)
                    QGuiApplication.inputMethod().show()
        return super().eventFilter(watched, event)


def _accepts_text(widget: QWidget) -> bool:
    """Editable text fields; read-only ones (the number pad's display) take no typing."""
    if not widget.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled):
        return False
    return bool(widget.inputMethodQuery(Qt.InputMethodQuery.ImEnabled))


if __name__ == "__main__":
    print(build_layouts())
