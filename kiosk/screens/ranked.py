"""Services ranked for the resident: each card with its own reasons (issue 19).

Eligible first, then "maybe" (saying what is not known yet), then close; the services
that are clearly not for the resident are collapsed under "Not for you (N)", each still
with why. A firm rule (an age band) never makes a service "close".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from forms.definition import Profile
from forms.eligibility import (
    CLOSE,
    ELIGIBLE,
    MAYBE,
    NOT_ELIGIBLE,
    Finding,
    RuleResult,
    missing,
    reason,
    rule_text,
)
from kiosk.i18n import Words
from kiosk.screens.picking import PickingPage
from kiosk.theme import Theme
from kiosk.widgets import button, card, fold_button, label


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


class RankedScreen(PickingPage):
    check_requested = Signal()

    def __init__(
        self,
        theme: Theme,
        words: Words,
        heading: str,
        findings: list[Finding],
        profile: Profile,
        values: Mapping[str, Any],
        checked: bool,
    ) -> None:
        """`findings` ranked; `checked`: the profile was asked (else every rule is "maybe")."""
        super().__init__(theme, words)
        _ = self.words._
        self.profile, self.values = profile, values
        self.findings = findings
        self.cards: dict[str, list[QLabel]] = {}
        """Each service's own lines under its button: standing, reasons, help."""
        self.frames: dict[str, QFrame] = {}
        """Each service's card: its button and its own lines in one framed box, so that
        no reason can be read as belonging to the service above or below it."""
        self.body.addWidget(label(heading, "title"))
        shown = [f for f in findings if f.status != NOT_ELIGIBLE]
        hidden = [f for f in findings if f.status == NOT_ELIGIBLE]
        for finding in shown:
            self._card(finding, self.body)
        if not findings:
            self.body.addWidget(
                label(_("No service matches these words. Try another word, or see all services."))
            )
        elif not shown:
            self.body.addWidget(
                label(_("We found no service that fits these answers. Staff can still help you."))
            )
        self.not_for_you = QWidget()
        inside = QVBoxLayout(self.not_for_you)
        inside.setContentsMargins(0, 0, 0, 0)
        inside.setSpacing(self.body.spacing())
        self.fold: QPushButton | None = None
        if hidden:
            text = _("Not for you ({count})").format(count=words.number(len(hidden)))
            self.fold = fold_button(text)
            self.fold.toggled.connect(self.not_for_you.setVisible)
            self.body.addWidget(self.fold)
            for finding in hidden:
                self._card(finding, inside)
            self.body.addWidget(self.not_for_you)
        self.not_for_you.hide()
        if findings:
            first = _("This is a first check, not a decision. Staff at the city make the decision.")
            self.body.addWidget(label(first, "muted"))
        if not checked and findings:
            self.check_button = button(
                _("Find services I may be eligible for"), "choice", wrap=True
            )
            self.check_button.clicked.connect(self.check_requested)
            self.body.addWidget(self.check_button)
        self._update()

    def _card(self, finding: Finding, into: QVBoxLayout) -> None:
        """The service's card: its tick button, then its own lines — how it stands, marked
        as an example when the catalog says so, the reasons, and the service's help."""
        _ = self.words._
        words = self.words
        service = finding.service
        frame, inside = card(self.theme)
        choice = self.add_service(service.id, words.text(service.title), False)
        self.body.removeWidget(choice)
        inside.addWidget(choice)
        standing = {
            ELIGIBLE: _("You may be eligible"),
            MAYBE: _("You may be eligible: some answers are missing"),
            CLOSE: _("Close, but one condition is not met"),
            NOT_ELIGIBLE: _("Not for you"),
        }[finding.status]
        if service.illustrative:
            example = _("Example service")  # the catalog's `illustrative`, on screen
            standing = f"{standing} · {example}"
        lines = [label(standing, "standing")]
        for result in finding.results:
            why, worded = self._reason(result)
            lines.append(reason_line(words, result.met, why, why if worded else ""))
        if service.help:
            lines.append(label(words.text(service.help), "muted"))
        for line in lines:
            inside.addWidget(line)
        into.addWidget(frame)
        self.cards[service.id] = lines
        self.frames[service.id] = frame

    def _reason(self, result: RuleResult) -> tuple[str, bool]:
        """The rule's words; for an undecided rule without a maybe text, which answers
        are missing, by their questions' labels, said in words (True)."""
        text = rule_text(result)
        if result.met is None and not text:
            asked = [self.profile.question(q) for q in missing(result, self.profile, self.values)]
            names = ", ".join(self.words.text(q.label) for q in asked if q is not None)
            return self.words._("Not known yet: {reason}").format(reason=names), True
        return reason(text, self.words.code, self.profile, self.values), False
