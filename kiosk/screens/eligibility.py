"""The quick check's result: services the resident may get, and why, in plain words."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from forms.definition import Profile
from forms.eligibility import CLOSE, ELIGIBLE, MAYBE, Finding, reason
from kiosk.i18n import Words
from kiosk.screens.picking import PickingPage
from kiosk.theme import Theme
from kiosk.widgets import label


def reason_line(words: Words, met: bool | None, why: str, spoken: str = "") -> QLabel:
    """One rule's finding: ✓, ✗ or ? before its words for the eye; a screen reader hears
    "Met:", "Not met:" or "Not known yet:" instead of the mark (or `spoken`, when `why`
    already says it in words)."""
    _ = words._
    mark = {True: "✓", False: "✗", None: "?"}[met]
    shown = label(f"{mark} {why}", "muted")
    said: dict[bool | None, str] = {
        True: _("Met: {reason}"),
        False: _("Not met: {reason}"),
        None: _("Not known yet: {reason}"),
    }
    shown.setAccessibleName(spoken or said[met].format(reason=why))
    return shown


class EligibilityScreen(PickingPage):
    def __init__(
        self,
        theme: Theme,
        words: Words,
        findings: list[Finding],
        profile: Profile,
        values: dict[str, object],
    ) -> None:
        super().__init__(theme, words)
        _ = self.words._
        self.findings = findings
        self.body.addWidget(label(_("Services you may be eligible for"), "title"))
        self.body.addWidget(
            label(
                _("This is a first check, not a decision. Staff at the city make the decision."),
                "muted",
            )
        )
        headings = {
            ELIGIBLE: _("You may be eligible"),
            MAYBE: _("You may be eligible: some answers are missing"),
            CLOSE: _("Close, but one condition is not met"),
        }
        for status, heading in headings.items():
            group = [f for f in findings if f.status == status]
            if not group:
                continue
            self.body.addWidget(label(heading, "section"))
            for finding in group:
                # Nothing is ticked for the resident: applying is their choice, one by one.
                self.add_service(finding.service.id, words.text(finding.service.title), False)
                for result in finding.results:
                    text = result.rule.met if result.met else result.rule.unmet
                    why = reason(text, words.code, profile, values)
                    self.body.addWidget(reason_line(words, result.met, why))
        if not self.buttons:
            self.body.addWidget(
                label(_("We found no service that fits these answers. Staff can still help you."))
            )
        self._update()
