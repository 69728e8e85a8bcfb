"""The kiosk's frame: the bar that is the same on every screen, the current screen, and
the on-screen keyboard under it while a text field is shown.

Only one screen widget exists at a time; the previous one is deleted, so nothing a
resident typed lingers in a hidden widget.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from forms.languages import language
from kiosk.globe import globe_icon
from kiosk.i18n import Words
from kiosk.input_context import is_enabled as keyboard_enabled
from kiosk.speech.settings import SPEECH_CONTROL
from kiosk.theme import (
    CAP_HEIGHT_EM,
    HIGH_CONTRAST,
    MIN_GAP_MM,
    MIN_TARGET_MM,
    SHORT_WINDOW_PX,
    Theme,
)
from kiosk.topbar import ReachGap, TopBar
from kiosk.widgets import button, label
from sync.device_settings import TEXT_SIZES

if TYPE_CHECKING:
    from kiosk.keyboard import KeyboardPanel

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
        self.bar = TopBar()
        self.reach_gap = ReachGap(self._needed_below)
        """Over the bar in the low-position layout (kiosk.topbar.ReachGap): nothing to
        reach up to."""
        self.layout_.addWidget(self.reach_gap)
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
        for tool in (self.back_button, self.help_button, self.read_button,
                     self.speech_off_button, self.language_button, self.size_button,
                     self.contrast_button, self.home_button):  # fmt: skip
            tool.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.bar.set_tools(
            left=(self.back_button, self.name),
            upper=(self.help_button, self.language_button, self.home_button),
            lower=(self.read_button, self.speech_off_button, self.size_button,
                   self.contrast_button),
            extras=(self.speech_off_button, self.name),
        )  # fmt: skip
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
        self._compact = False
        """Short words for Text size, High contrast and Read aloud (see _fit_bar)."""
        self._bar_size = ""
        """The text size the bar's buttons are drawn at ("" until the first screen)."""
        self._bar_choice: dict[tuple[object, ...], tuple[str, bool]] = {}
        """The bar's text size and short words, by width, language, colours, speech and
        text size: decided once, then the same on every screen."""
        self._high = False
        self._low = False
        """The low-position layout is on (set_low_position): the bar's words smaller."""
        self.keyboard: KeyboardPanel | None = None
        """The on-screen keyboard, when the application was started with it
        (kiosk.input_context.enable_virtual_keyboard); it shows itself under a text field.
        Made by `load_keyboard`: loading Qt Quick takes ~60 ms that the welcome screen,
        which has no text field, must not wait for."""
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
            self._bar_size = ""
        self.back_button.setText("← " + _("Back"))
        self.back_button.setAccessibleName(_("Back"))  # the arrow is for the eye only
        self.home_button.setText(_("Start over"))
        self.help_button.setText(_("Help"))
        self._high = theme.colours is HIGH_CONTRAST
        # A globe and the word "Language" in the screen's language (issue 18, finding
        # 3): the language's own name alone did not say what the button does.
        self.language_button.setText(_("Language"))
        self.language_button.setAccessibleName(
            _("Language: {language}").format(language=words.language.native_name)
        )
        self.language_button.setFont(_font_for(theme, words.language.code))
        icon_px = round(theme.font_px * CAP_HEIGHT_EM)  # as tall as a capital letter
        self.language_button.setIcon(globe_icon(icon_px, theme.colours.text))
        self.language_button.setIconSize(QSize(icon_px, icon_px))
        self.speech_off_button.setText(_("Speech off"))
        self.reach_gap.set_note(
            _("Low-position layout: everything you touch is in the lower part of the screen.")
        )
        self._words = words
        self.staff_strip.restyle(theme, words)
        if self.keyboard is not None:
            if self.keyboard.language != words.language.code:
                self.keyboard.set_language(words.language.code)
            self._fit_keyboard()
        self.bar.set_gap(theme.gap_px)
        self._on_back, self._on_home = on_back, on_home
        self._tools = tools
        self._show_speech()
        if page is self.page:  # the same page again: only the bar was redone
            return
        if self.page is not None:
            self.layout_.removeWidget(self.page)
            self.page.hide()
            self.page.deleteLater()
        self.page = page
        if self.keyboard is None and any(
            child.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
            for child in page.findChildren(QWidget)
        ):
            self.load_keyboard()
        if self.keyboard is not None:  # the keyboard stays the last thing in the window
            self.layout_.insertWidget(self.layout_.indexOf(self.keyboard), page, 1)
        else:
            self.layout_.addWidget(page, 1)
        page.show()
        self.reach_gap.fit()  # it gives way to what this screen needs
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
        self._fit_bar()

    def _captions(self) -> None:
        """The display tools' words: in full, or short ones (`_compact`) when the full
        ones do not fit on one row. Each is as wide as its widest words (Read aloud,
        Pause, Resume; High contrast, Normal colours): nothing moves when they change."""
        if self._words is None:
            return
        _ = self._words._
        short = self._compact
        state = self._speech[2]
        reads = {IDLE: _("Listen") if short else _("Read aloud"), SPEAKING: _("Pause"),
                 PAUSED: _("Resume")}  # fmt: skip
        contrasts = (
            (_("Colours"), _("Contrast")) if short else (_("Normal colours"), _("High contrast"))
        )
        full = {
            self.size_button: _("Text size"),
            self.contrast_button: _("Normal colours") if self._high else _("High contrast"),
            self.read_button: _("Read aloud") if state == IDLE else reads.get(state, ""),
        }
        for tool, captions, shown in (
            (self.read_button, list(reads.values()), reads.get(state, reads[IDLE])),
            (self.contrast_button, list(contrasts), contrasts[0 if self._high else 1]),
            (self.size_button, [_("Size") if short else _("Text size")], ""),
        ):
            tool.setMinimumWidth(0)
            widest = 0
            for caption in captions:
                tool.setText(caption)
                widest = max(widest, tool.sizeHint().width())
            tool.setMinimumWidth(widest)
            tool.setText(shown or captions[0])
            tool.setAccessibleName(full[tool] if short else "")

    def _fit_bar(self) -> None:
        """The bar's tools, each in its own place (kiosk.topbar): on one row or two
        depending only on the width and the words, never on the screen; a screen that
        does not offer a tool leaves its place empty.

        Back and Start over show where they lead somewhere; Help, the language, Text size
        and High contrast on every screen except the few that must not be left halfway;
        Read aloud wherever speech can be offered, Speech off while it is on."""
        offered, on, _state = self._speech
        tools = self._tools
        speech = (self.read_button, self.speech_off_button) if offered else ()
        fixed = (self.help_button, self.language_button, self.home_button,
                 self.size_button, self.contrast_button)  # fmt: skip
        # One row if at all possible: full words, else short ones; at Extra-large, then
        # the bar's words at Large; only then two rows. Decided by the width, the words
        # and the size alone, so every screen of a visit has the same bar.
        tried = [(size, short) for size in self._bar_sizes() for short in (False, True)]
        key = (self.width(), self._words.code if self._words else "", self._high, offered,
               self._theme.text_size if self._theme else "", self._low,
               self.height() < SHORT_WINDOW_PX)  # fmt: skip
        known = self._bar_choice.get(key)
        for size, self._compact in [known] if known else [*tried, (tried[-1][0], False)]:
            self._bar_text_size(size)
            self._captions()
            self.bar.arrange(self.width(), (*fixed, *speech))
            if not self.bar.two_rows:
                break
        self._bar_choice[key] = (size, self._compact)
        placed = self.bar.placed
        self.back_button.setVisible(self._on_back is not None)
        self.home_button.setVisible(self._on_home is not None)
        for tool in (self.help_button, self.language_button, self.size_button,
                     self.contrast_button):  # fmt: skip
            tool.setVisible(tools and placed(tool))
        self.read_button.setVisible(offered and placed(self.read_button))
        self.speech_off_button.setVisible(offered and on and placed(self.speech_off_button))
        self.name.setVisible(placed(self.name))

    def _bar_sizes(self) -> list[str]:
        """The text sizes the bar's words may take: the resident's, and Large as well
        when that is Extra-large (still larger than Standard)."""
        size = self._theme.text_size if self._theme is not None else "standard"
        if size == "extra_large" and self._low:
            # Low position: the bar at Extra-large took 157 px of the 648 under the
            # empty top, and screens came 10-25 px short of it (issue 18).
            return ["large"]
        sizes = [size, "large"] if size == "extra_large" else [size]
        if size != "standard" and self.height() < SHORT_WINDOW_PX:
            # A second row would take ~100 px of a 720 px screen, which the question and
            # its answer need more (with the keyboard up, all of it): words at Standard
            # (4.8 mm capitals) first.
            sizes.append("standard")
        return sizes

    def _bar_text_size(self, size: str) -> None:
        """The bar's buttons at `size` (the screen's own size: no style of their own)."""
        theme = self._theme
        if theme is None or size == self._bar_size:
            return
        self._bar_size = size
        if size == theme.text_size:
            self.bar.setStyleSheet("")
            return
        smaller = Theme(theme.dpi, size, theme.language, theme.colours)
        self.bar.setStyleSheet(
            f"QPushButton {{ font-size: {smaller.font_px}px;"
            f" min-height: {smaller.target_px}px; min-width: {smaller.target_px}px; }}"
        )

    def _needed_below(self) -> int:
        """The least height of all under the low-position gap: the bar, the staff strip,
        the screen and the keyboard (when shown)."""
        widgets = (self.bar, self.staff_strip, self.page, self.keyboard)
        return sum(
            max(w.minimumSizeHint().height(), w.minimumHeight())
            for w in widgets
            if w is not None and not w.isHidden()
        )

    def set_low_position(self, on: bool) -> None:
        """Everything the resident touches in the lower part of the screen (ReachGap),
        the bar's words at Large when the text is Extra-large (_bar_sizes)."""
        self.reach_gap.set_on(on)
        if on != self._low:
            self._low = on
            self._fit_bar()

    def load_keyboard(self) -> None:
        """Make the on-screen keyboard if the application has one: with the first page
        that has a text field, or once the first screen is shown (Kiosk.start)."""
        if self.keyboard is not None or not keyboard_enabled():
            return
        from kiosk.keyboard import KeyboardPanel  # Qt Quick: after the first screen

        self.keyboard = KeyboardPanel(self._root)
        self.keyboard.installEventFilter(self.reach_gap)
        self.layout_.addWidget(self.keyboard)
        if self._words is not None and self._theme is not None:
            self.keyboard.set_language(self._words.language.code)
            self._fit_keyboard()

    def _fit_keyboard(self) -> None:
        """The keyboard's key area: Qt's proportions on a tall window, as little as 12 mm
        keys 2.5 mm apart need on a short one (1280x720), where the question, its field
        and Next must stay in view above it (issue 18)."""
        theme = self._theme
        if self.keyboard is None or theme is None:
            return
        if self.height() >= SHORT_WINDOW_PX:
            self.keyboard.set_keyboard_height(KEYBOARD_HEIGHTS[theme.text_size])
            return
        self.keyboard.fit_short(theme.px_at_least(MIN_TARGET_MM), theme.px_at_least(MIN_GAP_MM))

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
        if event.size().height() != event.oldSize().height():
            self._fit_keyboard()
            short = event.size().height() < SHORT_WINDOW_PX
            if short != (event.oldSize().height() < SHORT_WINDOW_PX):
                self._fit_bar()
        self.reach_gap.fit()
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
        self._outer = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.text = label("", "staff")
        self._outer.addWidget(self.text, 1)
        self._row = QHBoxLayout()
        self._outer.addLayout(self._row, 0)
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
            self._outer.setContentsMargins(gap * 3, gap, gap * 3, gap)
            self._outer.setSpacing(gap * 2)
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
        self._arrange()

    def _arrange(self) -> None:
        """The words beside the buttons while they fit on two lines there; otherwise
        above them, across the whole strip (at the largest text a name squeezed beside
        two wide buttons took five lines and the screen's room with them)."""
        margins = self._outer.contentsMargins()
        spacing = self._outer.spacing()
        buttons = sum(b.sizeHint().width() for b in self.buttons.values())
        buttons += self._row.spacing() * max(len(self.buttons) - 1, 0)
        room = self.width() - margins.left() - margins.right() - buttons - spacing
        two_lines = 2 * self.text.fontMetrics().lineSpacing()
        beside = not self.buttons or (room > 0 and self.text.heightForWidth(room) <= two_lines)
        direction = QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
        if self._outer.direction() != direction:
            self._outer.setDirection(direction)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._arrange()


def _font_for(theme: Theme, code: str) -> QFont:
    font = QFont()
    font.setFamilies(list(language(code).font_families))
    font.setPixelSize(theme.font_px)
    return font
