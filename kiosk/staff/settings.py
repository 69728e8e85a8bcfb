"""The administrator's settings screen: every choice a large button, typed values on the
keyboard, and a reason on the screen when a value cannot be used.

What the settings mean and their bounds live in sync/device_settings.py; this screen
only shows them and hands back a DeviceSettings to save. Enrollment with a one-time
token is here too: it is the one setting that talks to the platform.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Mapping
from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLineEdit, QPushButton

from forms.languages import language
from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, label, mark, one_of_many
from sync.device_settings import (
    IDLE_CHOICES,
    LANGUAGES,
    PDF_PRINTER,
    SPEECH_RATES,
    SPEECH_VOLUMES,
    TEXT_SIZES,
    BadSetting,
    DeviceSettings,
)

_COLUMNS = 4

_Value = TypeVar("_Value", bound=Hashable)
"""What one choice stands for: a language code, a rate, a printer's name..."""


class SettingsScreen(Page):
    saved = Signal(object)
    """A checked DeviceSettings to save."""
    enroll_requested = Signal(str)
    """A one-time enrollment token, as typed."""

    def __init__(self, theme: Theme, words: Words, current: DeviceSettings) -> None:
        super().__init__(theme, words)
        self.current = current
        _ = words._
        self.body.addWidget(label(_("Settings for this kiosk"), "title"))
        self.body.addWidget(
            label(_("Changes apply from the next resident on. Every change is in the audit log."))
        )
        self.groups: dict[str, dict[object, QPushButton]] = {}
        size_names = (_("Standard"), _("Large"), _("Extra large"))
        sizes = dict(zip(TEXT_SIZES, size_names, strict=True))
        rate_names = (_("Slowest"), _("Slower"), _("Normal"), _("Faster"))
        rates = dict(zip(SPEECH_RATES, rate_names, strict=True))
        volume_names = (_("Quiet"), _("Medium"), _("Loud"), _("Loudest"))
        volumes = dict(zip(SPEECH_VOLUMES, volume_names, strict=True))
        idle = {
            s: words.n_("{count} second", "{count} seconds", int(s)).format(
                count=words.number(int(s))
            )
            for s in IDLE_CHOICES
        }
        printers = {PDF_PRINTER: _("No printer: keep receipts as PDF files for staff")}
        printers.update({name: name for name in QPrinterInfo.availablePrinterNames()})
        if current.printer and current.printer not in printers:
            printers[current.printer] = current.printer + " " + _("(not connected)")
        self._choices("language", _("Language at the start"),
                      {code: language(code).native_name for code in LANGUAGES})  # fmt: skip
        self._choices("text_size", _("Text size at the start"), sizes)
        self._choices("speech_rate", _("Speaking rate"), rates)
        self._choices("speech_volume", _("Volume"), volumes)
        self._choices("idle_seconds", _("Start over after this long untouched"), idle)
        self._choices("printer", _("Printer for receipts"), printers)
        self._choices("low_position", _("Low-position layout (for wheelchair users) at the start"),
                      {False: _("No"), True: _("Yes")})  # fmt: skip

        dpi_caption = _("Screen size correction (dots per inch)")
        self.body.addWidget(label(dpi_caption, "section"))
        self.body.addWidget(
            label(_("Leave empty unless sizes on this screen are wrong: 0 uses the screen's own."))
        )
        self.dpi = self._entry(f"{current.dpi:g}" if current.dpi else "", "dpi", dpi_caption)
        self.body.addWidget(label(_("Platform address"), "section"))
        self.platform_url = self._entry(current.platform_url, "platform_url", _("Platform address"))
        self.body.addWidget(label(_("Navigator's desk for staff calls"), "section"))
        self.body.addWidget(
            label(_("The address of the desk that Call staff reaches, like 192.168.0.20:47120. "
                    "Empty: residents are asked to go to the front desk."))
        )  # fmt: skip
        self.staff_desk = self._entry(
            current.staff_desk, "staff_desk", _("Navigator's desk for staff calls")
        )
        self.body.addWidget(label(_("Enrollment"), "section"))
        self.body.addWidget(
            label(_("Type the one-time token from the platform's staff, then tap Enroll."))
        )
        self.token = self._entry("", "token", _("One-time enrollment token"))
        self.enroll_button = button(_("Enroll this kiosk"))
        self.enroll_button.clicked.connect(self._enroll)
        self.body.addWidget(self.enroll_button)
        self.error = label("", "error")
        self.error.hide()
        self.body.addWidget(self.error)
        self.save_button = button(_("Save settings"), "primary")
        self.save_button.clicked.connect(self._save)
        self.action_row.addWidget(self.save_button)

    def _choices(self, field: str, caption: str, options: Mapping[_Value, str]) -> None:
        self.body.addWidget(label(caption, "section"))
        grid = QGridLayout()
        grid.setSpacing(self.theme.gap_px * 2)
        group = QButtonGroup(self)
        group.setExclusive(True)
        buttons: dict[object, QPushButton] = {}
        chosen = getattr(self.current, field)
        for index, (value, text) in enumerate(options.items()):
            choice = button(text, "choice", checkable=True, wrap=True)
            if field == "language":  # each language's name in its own script's font
                font = QFont()
                font.setFamilies(list(language(str(value)).font_families))
                font.setPixelSize(self.theme.font_px)
                choice.setFont(font)
            # Chosen is shown by a mark as well as by colour: never by colour alone.
            one_of_many(choice)
            choice.toggled.connect(lambda on, b=choice, t=text: mark(b, t, on, many=False))
            choice.setChecked(value == chosen)
            group.addButton(choice)
            grid.addWidget(choice, index // _COLUMNS, index % _COLUMNS)
            buttons[value] = choice
        self.body.addLayout(grid)
        self.groups[field] = buttons

    def _entry(self, text: str, name: str, spoken: str) -> QLineEdit:
        """A field; `spoken` is its name for a screen reader (the caption above it)."""
        entry = QLineEdit(text)
        entry.setObjectName(name)
        entry.setAccessibleName(spoken)
        entry.setMinimumHeight(self.theme.target_px)
        entry.setMinimumWidth(QFontMetrics(entry.font()).horizontalAdvance("M") * 20)
        self.body.addWidget(entry)
        return entry

    def chosen(self) -> DeviceSettings:
        """The settings as shown now (not yet checked)."""
        values: dict[str, object] = {}
        for field, buttons in self.groups.items():
            for value, choice in buttons.items():
                if choice.isChecked():
                    values[field] = value
        dpi_text = self.dpi.text().strip().replace(",", ".")
        try:
            values["dpi"] = float(dpi_text) if dpi_text else 0.0
        except ValueError:
            values["dpi"] = -1.0  # refused by check() with the field's reason
        values["platform_url"] = self.platform_url.text().strip()
        values["staff_desk"] = self.staff_desk.text().strip()
        return dataclasses.replace(self.current, **values)  # type: ignore[arg-type]

    def _save(self) -> None:
        settings = self.chosen()
        try:
            settings.check()
        except BadSetting as bad:
            self.show_problem(self._problem(bad.field))
            return
        self.error.hide()
        self.saved.emit(settings)

    def _problem(self, field: str) -> str:
        _ = self.words._
        return {
            "dpi": _("Screen size correction: a number from 50 to 400, or 0."),
            "platform_url": _("Platform address: it must start with https:// (or http://)."),
            "staff_desk": _("Navigator's desk: a name or address, with :port if not 47120."),
        }.get(field, _("This value cannot be used."))

    def _enroll(self) -> None:
        token = self.token.text().strip()
        if not token:
            self.show_problem(self.words._("Type the enrollment token first."))
            return
        self.error.hide()
        self.enroll_requested.emit(token)

    def show_problem(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
