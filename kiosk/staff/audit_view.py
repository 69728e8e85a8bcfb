"""The audit log as staff read it: who did what and when, and whether the chain of
entries is whole (sync/audit.py links each entry to the one before by its hash, so an
entry changed or removed afterwards shows here)."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.staff.formats import moment_words
from kiosk.theme import Theme
from kiosk.widgets import label
from sync.audit import AuditCheck

COMMAND_LINE = "command line"
"""Who created a staff account from sync's command line (sync/__main__.py)."""


def event_words(words: Words, event: str) -> str:
    """An audit event in plain words; an event this version does not know by its name."""
    _ = words._
    plain = {
        "application_queued": _("Application saved and queued"),
        "applications_acknowledged": _("Applications confirmed by the platform"),
        "application_quarantined": _("Application refused by the platform, set aside"),
        "application_requeued": _("Set-aside application sent again"),
        "draft_saved": _("Application paused as a draft"),
        "draft_resumed": _("Draft resumed"),
        "draft_locked": _("Draft locked after wrong resume codes"),
        "drafts_expired": _("Expired drafts wiped"),
        "navigator_created": _("Staff account created"),
        "navigator_signed_in": _("Staff signed in"),
        "navigator_signed_out": _("Staff signed out"),
        "sign_in_refused": _("Staff sign-in refused"),
        "store_recovered": _("Damaged store moved aside and a new one started"),
    }
    return plain.get(event, event)


class AuditScreen(Page):
    """The newest entries first, with the chain's verification above them."""

    def __init__(
        self,
        theme: Theme,
        words: Words,
        check: AuditCheck,
        entries: list[dict[str, Any]],
        staff_names: dict[str, str],
    ) -> None:
        super().__init__(theme, words)
        _ = words._
        self.body.addWidget(label(_("Audit log"), "title"))
        if check.ok:
            verdict = words.n_(
                "The log is whole: {count} entry, none changed or removed.",
                "The log is whole: {count} entries, none changed or removed.",
                check.entries,
            ).format(count=words.number(check.entries))
        else:
            verdict = _(
                "The log has been tampered with or damaged from entry {number} on. "
                "Tell the help desk and do not switch the kiosk off."
            ).format(number=words.number(check.first_broken or 0))
        self.verdict = label(verdict, "" if check.ok else "error")
        self.body.addWidget(self.verdict)
        self.rows = []
        for entry in entries:
            who = staff_names.get(entry["navigator"], entry["navigator"])
            if who == COMMAND_LINE:  # accounts made with `python -m sync add-staff`
                who = _("command line")
            text = moment_words(words, entry["at"], seconds=True) + " · "
            text += event_words(words, entry["event"])
            if who:
                text += " · " + who
            row = label(text)
            self.rows.append(row)
            self.body.addWidget(row)
