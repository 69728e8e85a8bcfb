"""The front door: start from what is happening in the resident's life, a typed search,
or the list of services for a resident who knows which one they want (issue 19)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPainter, QPaintEvent, QPixmap, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QSizePolicy, QWidget

from forms.catalog import Catalog
from forms.entries import icon_path
from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, label


class IconMark(QWidget):
    """A shipped icon drawn in the text colour of the theme (the SVGs are black
    strokes, which a dark high-contrast theme would hide)."""

    def __init__(self, path: Path, size: int) -> None:
        super().__init__()
        self.icon = QIcon(str(path))
        self.side = size
        self.setFixedSize(QSize(size, size))
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def paintEvent(self, event: QPaintEvent) -> None:
        ratio = self.devicePixelRatioF()
        pixmap: QPixmap = self.icon.pixmap(QSize(self.side, self.side), ratio)
        tint = QPainter(pixmap)
        tint.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        tint.fillRect(pixmap.rect(), self.palette().windowText().color())
        tint.end()
        painter = QPainter(self)
        painter.drawPixmap(self.rect(), pixmap)


class FrontDoorScreen(Page):
    event_chosen = Signal(str)
    """A life event's id."""
    search_requested = Signal()
    list_requested = Signal()

    def __init__(self, theme: Theme, words: Words, catalog: Catalog) -> None:
        super().__init__(theme, words)
        _ = self.words._
        self.title = label(_("What is happening in your life?"), "title")
        self.body.addWidget(self.title)
        # The typed search first, then the events: at the largest text on a small
        # screen only one or two are in view, and the search must not be below them.
        self.search_button = button("🔍 " + _("Search by word"), "choice", wrap=True)
        self.search_button.setAccessibleName(_("Search by word"))
        self.search_button.clicked.connect(self.search_requested)
        self.body.addWidget(self.search_button)
        self.events: dict[str, QPushButton] = {}
        for event in catalog.life_events:
            row = QHBoxLayout()
            row.setSpacing(theme.gap_px * 2)
            path = icon_path(event.icon) if event.icon else None
            if path is not None:
                # The picture helps who reads little; the words are the button's own.
                row.addWidget(IconMark(path, theme.target_px), 0, Qt.AlignmentFlag.AlignVCenter)
            choice = button(words.text(event.title), "choice", wrap=True)
            choice.clicked.connect(lambda _=False, e=event.id: self.event_chosen.emit(e))
            row.addWidget(choice, 1)
            self.events[event.id] = choice
            self.body.addLayout(row)
        # The way to a known service stays in view below, whatever the events' number.
        self.list_button = button(_("I know which service"), "primary", wrap=True)
        self.list_button.clicked.connect(self.list_requested)
        self.action_row.addWidget(self.list_button)
        self.scroll_area.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_first_event()
        return super().eventFilter(watched, event)

    def _fit_first_event(self) -> None:
        """Where the title, the search and the first life event do not all fit above
        the main button (the largest text on a small screen, in a language of long
        words), the title gives way: the buttons say what they are, and the title is
        still said aloud."""
        room = self.scroll_area.viewport()
        width = room.width()
        need = self.title.heightForWidth(width) + self.search_button.heightForWidth(width)
        first = next(iter(self.events.values()), None)
        if first is not None:
            need += first.heightForWidth(first.width() or width) + self.body.spacing()
        self.title.setVisible(need + self.body.spacing() <= room.height())


class SearchScreen(Page):
    """A word typed on the on-screen keyboard, in any of the eight languages; Korean
    initial consonants (ㄱㅌ for 교통) work too."""

    searched = Signal(str)

    def __init__(self, theme: Theme, words: Words, text: str = "") -> None:
        super().__init__(theme, words)
        _ = self.words._
        self.title = label(_("Search for a service"), "title")
        self.body.addWidget(self.title)
        self.entry = QLineEdit(text)
        self.entry.setAccessibleName(_("Search for a service"))
        self.entry.returnPressed.connect(self._search)
        # The field and its button side by side in the content, no row of actions
        # under it: with the keyboard up at the largest text on a 1280x720 screen, the
        # page has room for little more than one line (the keyboard's Enter searches too).
        row = QHBoxLayout()
        row.setSpacing(theme.gap_px * 2)
        row.addWidget(self.entry, 3)
        self.go_on = button(_("Search"), "primary")
        self.go_on.clicked.connect(self._search)
        row.addWidget(self.go_on, 1)
        self.body.addLayout(row)
        self.hint = label(_("Type a word, for example: bus, rent, job."), "muted")
        self.body.addWidget(self.hint)
        self.entry.setPlaceholderText(self.hint.text())
        self.scroll_area.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Resize:
            self._fit()
        return super().eventFilter(watched, event)

    def _fit(self) -> None:
        """With the keyboard up at the largest text on a small screen, the field and its
        button are what must stay: the title, then the hint, give way (the hint is in
        the field as its placeholder, the title is the field's name and is said)."""
        room = self.scroll_area.viewport()
        width, spacing = room.width(), self.body.spacing()
        need = self.go_on.sizeHint().height()
        for extra in (self.hint, self.title):
            extra.setVisible(False)
        for extra in (self.hint, self.title):
            more = extra.heightForWidth(width) + spacing
            if need + more > room.height():
                break
            need += more
            extra.setVisible(True)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.entry.setFocus(Qt.FocusReason.OtherFocusReason)

    def _search(self) -> None:
        text = self.entry.text().strip()
        if text:
            self.searched.emit(text)
