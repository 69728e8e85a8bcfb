"""The kiosk's frame: the bar that is the same on every screen, the current screen, and
the on-screen keyboard under it while a text field is shown.

Only one screen widget exists at a time; the previous one is deleted, so nothing a
resident typed lingers in a hidden widget.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from forms.languages import language
from kiosk import keyboard
from kiosk.i18n import Words
from kiosk.keyboard import KeyboardPanel
from kiosk.speech.settings import SPEECH_CONTROL
from kiosk.theme import HIGH_CONTRAST, Theme
from kiosk.widgets import button, label
from sync.device_settings import TEXT_SIZES

KEYBOARD_HEIGHTS = dict(zip(TEXT_SIZES, (450, 450, 450), strict=True))
"""Key area of the on-screen keyboard for each text size: the least that keeps keys
12 mm tall and 2.5 mm apart (kiosk.keyboard.MIN_KEYBOARD_HEIGHT_PX) at every size, since
the larger the text, the more the question and its field need the room above it."""

IDLE, SPEAKING, PAUSED = "idle", "speaking", "paused"
"""What the speech is doing, for the Read aloud button's words."""


class KioskWindow(QMainWindow):
    help_requested = Signal()
    text_size_requested = Signal()
    contrast_requested = Signal()
    language_requested = Signal()
    read_aloud_requested = Signal()
    """Read aloud (or Pause, or Continue, while speech is playing or paused) was tapped."""
    speech_off_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Ieum")
        root = QWidget()
        root.setObjectName("screen")
        self.layout_ = QVBoxLayout(root)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(0)
        self.bar = QFrame()
        self.bar.setObjectName("bar")
        bar_layout = self._bar_layout = QHBoxLayout(self.bar)
        self.back_button = button("")
        self.home_button = button("")
        self.help_button = button("")
        self.size_button = button("")
        self.contrast_button = button("")
        self.language_button = button("")
        self.read_button = button("")
        # Tapping it must not stop the speech it is about to pause or repeat.
        self.read_button.setProperty(SPEECH_CONTROL, True)
        self.speech_off_button = button("")
        self.name = label("Ieum · 이음", "muted")
        self.back_button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        bar_layout.addWidget(self.back_button, 0)
        bar_layout.addWidget(self.name, 0)
        bar_layout.addStretch(1)
        for tool in (self.help_button, self.read_button, self.speech_off_button,
                     self.language_button, self.size_button, self.contrast_button,
                     self.home_button):  # fmt: skip
            tool.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            bar_layout.addWidget(tool, 0)
        self.layout_.addWidget(self.bar)
        self.staff_strip = StaffStrip()
        self.layout_.addWidget(self.staff_strip)
        self.page: QWidget | None = None
        self._theme: Theme | None = None
        self._on_back: Callable[[], None] | None = None
        self._on_home: Callable[[], None] | None = None
        self.back_button.clicked.connect(self._back)
        self.home_button.clicked.connect(self._home)
        self.help_button.clicked.connect(self.help_requested)
        self.size_button.clicked.connect(self.text_size_requested)
        self.contrast_button.clicked.connect(self.contrast_requested)
        self.language_button.clicked.connect(self.language_requested)
        self.read_button.clicked.connect(self.read_aloud_requested)
        self.speech_off_button.clicked.connect(self.speech_off_requested)
        self.overlay: QWidget | None = None
        self._words: Words | None = None
        self._speech = (False, False, IDLE)
        """(speech can be offered, it is on, what it is doing): see `set_speech`."""
        self._tools = True
        self.keyboard: KeyboardPanel | None = None
        """The on-screen keyboard, when the application was started with it
        (kiosk.keyboard.enable_virtual_keyboard); it shows itself under a text field."""
        if keyboard.is_enabled():
            self.keyboard = KeyboardPanel(root)
            self.layout_.addWidget(self.keyboard)
        self.setCentralWidget(root)
        self._root = root

    def show_page(
        self,
        page: QWidget,
        theme: Theme,
        words: Words,
        on_back: Callable[[], None] | None,
        on_home: Callable[[], None] | None,
        tools: bool = True,
    ) -> None:
        """Replace the current screen; Back and Home show only where they lead somewhere.

        `tools` (help, language, text size, contrast) are on every screen except the
        few that must not be left halfway (saving, a question the resident must answer
        first).
        """
        _ = words._
        if theme != self._theme:  # re-styling every widget costs ~10 ms a tap: only on change
            font = QFont()
            font.setFamilies(theme.font_families())
            font.setPixelSize(theme.font_px)
            self.setFont(font)
            self.setStyleSheet(theme.style_sheet())
            self._theme = theme
        self.back_button.setText("← " + _("Back"))
        self.home_button.setText(_("Start over"))
        self.help_button.setText(_("Help"))
        self.size_button.setText(_("Text size"))
        self.contrast_button.setText(
            _("Normal colours") if theme.colours is HIGH_CONTRAST else _("High contrast")
        )
        self.language_button.setText(words.language.native_name)
        self.language_button.setFont(_font_for(theme, words.language.code))
        self.speech_off_button.setText(_("Speech off"))
        self._words = words
        self.staff_strip.restyle(theme, words)
        if self.keyboard is not None:
            if self.keyboard.language != words.language.code:
                self.keyboard.set_language(words.language.code)
            self.keyboard.set_keyboard_height(KEYBOARD_HEIGHTS[theme.text_size])
        gap = theme.gap_px
        self._bar_layout.setContentsMargins(gap * 3, gap, gap * 3, gap)
        self._bar_layout.setSpacing(gap * 2)
        self._on_back, self._on_home = on_back, on_home
        self._tools = tools
        self._show_speech()
        if self.page is not None:
            self.layout_.removeWidget(self.page)
            self.page.hide()
            self.page.deleteLater()
        self.page = page
        if self.keyboard is not None:  # the keyboard stays the last thing in the window
            self.layout_.insertWidget(self.layout_.indexOf(self.keyboard), page, 1)
        else:
            self.layout_.addWidget(page, 1)
        page.show()
        if self.overlay is not None:
            self.overlay.raise_()

    def set_speech(self, offered: bool, on: bool, state: str = IDLE) -> None:
        """The bar's speech controls: Read aloud on every screen when speech can be
        offered at all (Pause while speaking, Resume while paused), and Speech off while
        speech is on, where there is room (otherwise it is in the help screen's speech
        settings)."""
        self._speech = (offered, on, state)
        self._show_speech()

    def _show_speech(self) -> None:
        state = self._speech[2]
        if self._words is not None:
            _ = self._words._
            captions = {IDLE: _("Read aloud"), SPEAKING: _("Pause"), PAUSED: _("Resume")}
            # As wide as its widest caption: the bar does not move when it changes.
            widest = 0
            for caption in captions.values():
                self.read_button.setText(caption)
                widest = max(widest, self.read_button.sizeHint().width())
            self.read_button.setMinimumWidth(widest)
            self.read_button.setText(captions.get(state, captions[IDLE]))
        self._fit_bar()

    def _fit_bar(self) -> None:
        """The bar keeps what the screen needs, then whatever else it has room for, in
        this order: Speech off, Text size, High contrast, the kiosk's name. What is left
        out is one tap away on the help screen.

        Back, Help, Read aloud, the language and Start over are always there when they
        lead somewhere (Read aloud even on screens without the other tools: it leads
        nowhere but to speech)."""
        offered, on, _state = self._speech
        tools = self._tools
        self.back_button.setVisible(self._on_back is not None)
        self.home_button.setVisible(self._on_home is not None)
        self.help_button.setVisible(tools)
        self.language_button.setVisible(tools)
        self.read_button.setVisible(offered)
        optional = [
            (self.speech_off_button, offered and on),
            (self.size_button, tools),
            (self.contrast_button, tools),
            (self.name, True),
        ]
        for widget, _wanted in optional:
            widget.setVisible(False)
        room = self.width()
        layout = self._bar_layout
        for widget, wanted in optional:
            if not wanted:
                continue
            widget.setVisible(True)
            layout.invalidate()
            if layout.sizeHint().width() > room:
                widget.setVisible(False)
        layout.invalidate()

    def reset_input(self) -> None:
        """End of a session: the keyboard drops unfinished input and returns to the
        resident's letters."""
        if self.keyboard is not None:
            self.keyboard.reset()

    def show_overlay(self, overlay: QWidget) -> None:
        """A message over the current screen, which stays as it is underneath."""
        self.hide_overlay()
        central = self._root
        overlay.setParent(central)
        overlay.setGeometry(central.rect())
        overlay.show()
        overlay.raise_()
        self.overlay = overlay

    def hide_overlay(self) -> None:
        if self.overlay is not None:
            self.overlay.hide()
            self.overlay.deleteLater()
            self.overlay = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_bar()
        if self.overlay is not None:
            self.overlay.setGeometry(self._root.rect())

    @Slot()
    def _back(self) -> None:
        if self._on_back is not None:
            self._on_back()

    @Slot()
    def _home(self) -> None:
        if self._on_home is not None:
            self._on_home()


StripContent = Callable[[Words], tuple[str, list[tuple[str, str, Callable[[], None]]]]]
"""Given the words of the screen's language: the strip's text and its buttons, each
(key, caption, action)."""


class StaffStrip(QFrame):
    """Under the bar while a navigator is signed in: who is signed in or helping, and
    their few actions (save for later, sign out). Hidden otherwise; its words follow
    the screen's language, so the resident reads "assisted by" in their own."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("staff_strip")
        self._row = QHBoxLayout(self)
        self.text = label("", "staff")
        self._row.addWidget(self.text, 1)
        self.buttons: dict[str, QPushButton] = {}
        self._content: StripContent | None = None
        self._words: Words | None = None
        self._theme: Theme | None = None
        self.hide()

    def set_content(self, content: StripContent | None) -> None:
        self._content = content
        self._fill()

    def restyle(self, theme: Theme, words: Words) -> None:
        if theme != self._theme:
            c, gap = theme.colours, theme.gap_px
            self.setStyleSheet(
                f"QFrame#staff_strip {{ background: {c.selected};"
                f" border-bottom: 2px solid {c.border}; }}"
                f" QLabel#staff {{ font-weight: 700; }}"
            )
            self._row.setContentsMargins(gap * 3, gap, gap * 3, gap)
            self._row.setSpacing(gap * 2)
            self._theme = theme
        if words is not self._words:
            self._words = words
            self._fill()

    def _fill(self) -> None:
        for widget in self.buttons.values():
            self._row.removeWidget(widget)
            widget.hide()  # gone at once, not at the next turn of the event loop
            widget.deleteLater()
        self.buttons = {}
        if self._content is None or self._words is None:
            self.hide()
            return
        text, actions = self._content(self._words)
        self.text.setText(text)
        for key, caption, action in actions:
            widget = button(caption, wrap=True)
            widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            widget.clicked.connect(lambda _=False, a=action: a())
            self._row.addWidget(widget, 0)
            widget.show()
            self.buttons[key] = widget
        self.show()


def _font_for(theme: Theme, code: str) -> QFont:
    font = QFont()
    font.setFamilies(list(language(code).font_families))
    font.setPixelSize(theme.font_px)
    return font
