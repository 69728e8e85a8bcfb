"""Choose a language: eight big buttons, each naming its language in that language."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout

from forms.languages import LANGUAGES
from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import label, language_button


class LanguageScreen(Page):
    chosen = Signal(str)

    def __init__(self, theme: Theme, words: Words) -> None:
        super().__init__(theme, words)
        _ = self.words._
        self.body.addWidget(label(_("Choose your language"), "title"))
        grid = QGridLayout()
        grid.setSpacing(self.theme.gap_px * 2)
        self.buttons = {}
        for index, lang in enumerate(LANGUAGES):
            choice = language_button(lang, checkable=True)
            choice.setChecked(lang.code == self.words.code)
            choice.clicked.connect(lambda _=False, code=lang.code: self.chosen.emit(code))
            self.buttons[lang.code] = choice
            grid.addWidget(choice, index // 2, index % 2)
        self.body.addLayout(grid)
