"""The navigator's dashboard: are the applications getting through?

At a glance: how many wait, how many were refused and set aside (each with the
platform's reason and "Send again"), how old the oldest waiting one is, when sync last
went through, whether the platform answers now and, if not, why in plain words; the
catalog in use. Buttons: sync now, check for a catalog update now, the diagnostics zip
for the help desk. Nothing here is a resident's answer: figures, references, service
names and reasons only (sync/health.py).
"""

from __future__ import annotations

import time

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.staff.formats import duration_words, when_words
from kiosk.theme import Theme
from kiosk.widgets import button, label
from sync.health import QueueHealth


def failure_words(words: Words, kind: str) -> str:
    """The last failed sync in words a navigator can act on."""
    _ = words._
    plain = {
        "network": _(
            "There is no connection to the city's platform. Check the network cable or Wi-Fi."
        ),
        "throttled": _("The platform asked this kiosk to wait a little before sending again."),
        "server": _("The platform is having trouble. Applications wait here safely and go later."),
        "refused": _("The platform refused an application. It is set aside below."),
        "auth": _("The platform does not accept this kiosk: it needs to be enrolled again."),
        "protocol": _("The platform's answer was not understood. Please tell the help desk."),
        "disk_full": _(
            "The kiosk's disk is full, so the platform's answers cannot be recorded. "
            "Applications already here are safe. Free space on the kiosk or tell the help desk."
        ),
        "damaged": _(
            "Some saved applications could not be read and were set aside; the others are "
            "still being sent. Please tell the help desk."
        ),
    }
    return plain.get(kind, _("Sending failed. Please tell the help desk."))


class DashboardScreen(Page):
    sync_requested = Signal()
    catalog_requested = Signal()
    diagnostics_requested = Signal()
    requeue_requested = Signal(str)
    """A set-aside application's submission id: send it again."""

    def __init__(
        self,
        theme: Theme,
        words: Words,
        health: QueueHealth,
        online: bool | None,
        catalog_version: str,
        service_titles: dict[str, str],
        now: float | None = None,
    ) -> None:
        super().__init__(theme, words)
        now = time.time() if now is None else now
        _ = words._
        self.body.addWidget(label(_("Applications on this kiosk"), "title"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(theme.gap_px * 4)
        grid.setVerticalSpacing(theme.gap_px)
        self.menu: dict[str, QPushButton] = {}
        """The desk's places (Help a resident, Audit log, ...), added by the desk."""
        self.signed_in: QLabel | None = None
        """"Signed in as …", added by the desk with its Sign out."""
        self.figures: dict[str, QLabel] = {}
        """Each figure's label, by name, so tests can read what is shown."""
        rows = [
            ("waiting", _("Waiting to be sent"), health.waiting),
            ("retrying", _("Waiting to be sent again after a failed try"), health.retrying),
            ("quarantined", _("Refused by the platform, set aside"), health.quarantined),
            ("sent", _("Sent and confirmed by the platform"), health.sent),
            ("drafts", _("Paused applications (drafts)"), health.drafts),
        ]
        for row, (name, caption, value) in enumerate(rows):
            grid.addWidget(label(caption), row, 0)
            shown = label(words.number(value), "figure")
            self.figures[name] = shown
            grid.addWidget(shown, row, 1)
        grid.setColumnStretch(2, 1)  # the figures stay beside their captions
        self.body.addLayout(grid)

        oldest = health.oldest_waiting_seconds
        self.oldest = label(
            _("Nothing is waiting.")
            if oldest is None
            else _("The oldest application has been waiting for {duration}.").format(
                duration=duration_words(words, oldest)
            )
        )
        self.body.addWidget(self.oldest)

        self.body.addWidget(label(_("Connection"), "section"))
        if health.last_sync is None:
            last = _("Sync has not gone through yet on this kiosk.")
        else:
            last = _("Last successful sync: {when}.").format(
                when=when_words(words, health.last_sync, now)
            )
        self.last_sync = label(last)
        self.body.addWidget(self.last_sync)
        if online is None:
            state = _("Checking the connection…")
        elif online and not health.last_failure_kind:
            state = _("The platform answers: applications are getting through.")
        elif health.last_failure_kind:
            state = failure_words(words, health.last_failure_kind)
        else:
            state = failure_words(words, "network")
        self.connection = label(state)
        self.body.addWidget(self.connection)
        if health.damaged_rows:
            self.damaged = label(failure_words(words, "damaged"))
            self.body.addWidget(self.damaged)
        if health.lost_entries:
            self.lost = label(
                _(
                    "This kiosk's store has lost entries it had saved: some applications may "
                    "be missing. Tell the help desk at once; the diagnostics list their "
                    "reference numbers."
                )
            )
            self.body.addWidget(self.lost)

        self.body.addWidget(label(_("Catalog of services"), "section"))
        self.catalog = label(_("Catalog version {version}").format(version=catalog_version))
        self.body.addWidget(self.catalog)

        self.requeue_buttons: dict[str, QPushButton] = {}
        if health.set_aside:
            self.body.addWidget(label(_("Set aside by the platform"), "section"))
        for item in health.set_aside:
            row_widget = QWidget()
            line = QHBoxLayout(row_widget)
            line.setContentsMargins(0, 0, 0, 0)
            line.setSpacing(theme.gap_px * 2)
            title = service_titles.get(item.service_id, item.service_id)
            since = when_words(words, item.since, now)
            text = _("{reference} · {service} · {when}\nReason: {reason}").format(
                reference=item.reference, service=title, when=since, reason=item.reason or "-"
            )
            line.addWidget(label(text), 1)
            again = button(_("Send again"))
            again.clicked.connect(
                lambda _=False, sid=item.submission_id: self.requeue_requested.emit(sid)
            )
            self.requeue_buttons[item.submission_id] = again
            line.addWidget(again, 0)
            self.body.addWidget(row_widget)

        self.sync_button = button(_("Sync now"), wrap=True)
        self.sync_button.clicked.connect(self.sync_requested)
        self.catalog_button = button(_("Check for a catalog update"), wrap=True)
        self.catalog_button.clicked.connect(self.catalog_requested)
        self.diagnostics_button = button(_("Save diagnostics for the help desk"), wrap=True)
        self.diagnostics_button.clicked.connect(self.diagnostics_requested)
        for action in (self.sync_button, self.catalog_button, self.diagnostics_button):
            self.action_row.addWidget(action)
        self.notice = label("")
        self.notice.hide()
        self.body.addWidget(self.notice)

    def show_notice(self, text: str) -> None:
        """What just happened (diagnostics saved to ..., sending again)."""
        self.notice.setText(text)
        self.notice.show()
