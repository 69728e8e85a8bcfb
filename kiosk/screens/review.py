"""Every answer before anything is sent, each with a way to change it."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from forms.session import SHARED, ReviewLine
from forms.session import Page as Asked
from kiosk.i18n import Words
from kiosk.messages import answer_text
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, fold_button, label


def key_of(line: ReviewLine | Asked) -> str:
    """How the tests and tools name a line: the question id, with its service's id
    in front for a service's own question."""
    return line.question.id if line.scope == SHARED else f"{line.scope}.{line.question.id}"


def used_for(words: Words, named: Sequence[str], applications: int) -> str:
    """Which services a shared answer goes to, in words ("" when it goes to one only):
    "all" when it goes to each of the `applications`, else their titles. The screen shows
    it under the answer and the voice says it after the answer."""
    if len(named) < 2:
        return ""
    if len(named) == applications:
        return words._("Used for all your applications")
    # " · ": titles have spaces, and Thai lists by spaces alone
    return words._("Used for: {services}").format(services=" · ".join(named))


class _Answer(QLabel):
    """An answer that asks for its whole width on one line (a wrapped label's own
    guess is narrower, and short answers broke over two lines), yet wraps when the
    row has less room than that."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        width = max(self.fontMetrics().horizontalAdvance(line) for line in self.text().split("\n"))
        return QSize(width + 2 * self.margin() + self.contentsMargins().left() * 2 + 2,
                     hint.height())  # fmt: skip


class _ChangeButton(QPushButton):
    """Never narrower than its word: the style sheet's min-width is only the touch
    minimum, and beside a long answer the row would squeeze the button to it."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() in (QEvent.Type.Polish, QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.setMinimumWidth(super().sizeHint().width())
        return handled


def section_words(words: Words, title: str, count: int) -> str:
    """A folded section's button: its service and how many answers are behind it."""
    return words._("{service} · {answers}").format(
        service=title,
        answers=words.n_("{count} answer", "{count} answers", count).format(
            count=words.number(count)
        ),
    )


class ReviewScreen(Page):
    change_requested = Signal(str, str)
    """(question id, scope): the resident wants to change this answer."""
    section_toggled = Signal(str, bool)
    """(topic, open): a folded service's answers were shown or hidden again."""
    submitted = Signal()
    send_blocked = Signal(str)
    """Send was tapped while answers are flagged: carries the notice shown, to be said."""

    def __init__(
        self,
        theme: Theme,
        words: Words,
        lines: list[ReviewLine],
        titles: Mapping[str, str],
        topics: Mapping[str, str] | None = None,
        goes_to: Mapping[str, str] | None = None,
        flagged: Mapping[str, str] | None = None,
        folding: Collection[str] = (),
        opened: Collection[str] = (),
    ) -> None:
        """`titles` maps each topic to its heading: "About you", the answers for several
        services, then each service's title; `topics` gives each line's topic by its key
        (default: its scope). `goes_to`: which services a shared answer goes to, in words
        (`used_for`), shown under it; `flagged`: what is wrong with an answer something
        else made wrong (issue 19), shown under it, and Send waits until there is none.
        `folding`: topics whose answers sit folded behind their heading, a button that
        shows them (each service's own when one visit applies for several: eight
        services' answers open were ~35 screens at the largest text); `opened`: those
        shown from the start (the resident opened them before changing an answer).
        A topic with a marked answer is always open."""
        super().__init__(theme, words)
        _ = self.words._
        topics = topics or {}
        goes_to = goes_to or {}
        flagged = flagged or {}
        self.body.addWidget(label(_("Check your answers"), "title"))
        self.flag_notice: QLabel = label(
            _("Some answers no longer fit together. Please change the marked answers first."),
            "error",
        )
        self.flag_notice.setVisible(bool(flagged))
        self.body.addWidget(self.flag_notice)
        self.body.addWidget(label(_("Tap “Change” to correct an answer."), "muted"))
        self.change_buttons: dict[str, QPushButton] = {}
        self.answers: dict[str, QLabel] = {}
        self.services_named: dict[str, QLabel] = {}
        self.problems: dict[str, QLabel] = {}
        self.sections: dict[str, QPushButton] = {}
        """Each folded topic's button, by topic."""
        self.section_bodies: dict[str, QWidget] = {}
        counts: dict[str, int] = {}
        marked: set[str] = set()  # topics with an answer to fix: never folded
        for line in lines:
            if line.question.type != "info":
                topic = topics.get(key_of(line), line.scope)
                counts[topic] = counts.get(topic, 0) + 1
                if key_of(line) in flagged:
                    marked.add(topic)
        self._counts = counts
        heading = None
        into = self.body
        for line in lines:
            key = key_of(line)
            topic = topics.get(key, line.scope)
            if topic != heading:
                heading = topic
                if topic in folding and counts.get(topic):
                    into = self._section(topic, titles.get(topic, ""), counts[topic],
                                         topic in opened or topic in marked)  # fmt: skip
                else:
                    into = self.body
                    self.body.addWidget(label(titles.get(topic, ""), "section"))
            if line.question.type == "info":
                continue
            row = QFrame()
            column = QVBoxLayout(row)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(theme.gap_px)
            asked = words.text(line.question.label)
            column.addWidget(label(asked, "muted"))
            # "Change" right after its answer, not at the far edge of the page (at
            # 1920 px it sat ~1,000 px away, closer to nothing than to what it changes).
            beside = QHBoxLayout()
            beside.setSpacing(theme.gap_px * 3)
            # The resident checks their own answers here, so they are shown in clear, but
            # a resident registration number only ever shows its birth-date part.
            in_clear = line.question.type != "resident_number"
            answer = _Answer(answer_text(words, line.question, line.answer, in_clear))
            self.answers[key] = answer
            beside.addWidget(answer, 0)
            change = _ChangeButton(_("Change"))
            change.setAccessibleName(_("Change: {question}").format(question=asked))
            change.clicked.connect(
                lambda _=False, q=line.question.id, s=line.scope: self.change_requested.emit(q, s)
            )
            self.change_buttons[key] = change
            beside.addWidget(change, 0, Qt.AlignmentFlag.AlignVCenter)
            beside.addStretch(1)
            column.addLayout(beside)
            if key in flagged:  # said in words, not by colour alone
                problem = label("⚠ " + flagged[key], "error")
                self.problems[key] = problem
                column.addWidget(problem)
            goes = goes_to.get(key, "")
            if goes:
                self.services_named[key] = label(goes, "muted")
                column.addWidget(self.services_named[key])
            into.addWidget(row)
        self.send_button = button(_("Send the application"), "primary")
        self.send_button.clicked.connect(self.submitted)
        self.send_button.setEnabled(not flagged)
        # A disabled button gets no clicks, but a tap on it must not go unanswered: the
        # notice is scrolled into view and said (see `eventFilter`).
        self.send_button.installEventFilter(self)
        self.action_row.addWidget(self.send_button)

    def _section(self, topic: str, title: str, count: int, open_: bool) -> QVBoxLayout:
        """A folded topic's button and the (hidden) column its answers go into."""
        fold = fold_button(section_words(self.words, title, count), open_)
        self.body.addWidget(fold)
        inside = QWidget()
        column = QVBoxLayout(inside)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(self.body.spacing())
        inside.setVisible(open_)
        self.body.addWidget(inside)
        self.sections[topic] = fold
        self.section_bodies[topic] = inside
        fold.toggled.connect(lambda on: self._unfold(topic, on))
        return column

    def _unfold(self, topic: str, on: bool) -> None:
        self.section_bodies[topic].setVisible(on)
        first = self.section_bodies[topic].findChild(
            QFrame, "", Qt.FindChildOption.FindDirectChildrenOnly
        )
        if on and first is not None:  # its first answer brought into view, once laid out
            QTimer.singleShot(0, self, lambda: self.scroll_area.ensureWidgetVisible(first))
        self.section_toggled.emit(topic, on)

    @property
    def folded(self) -> dict[str, int]:
        """The topics folded now, each with how many answers it hides."""
        return {t: self._counts[t] for t, fold in self.sections.items() if not fold.isChecked()}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.send_button
            and event.type() == QEvent.Type.MouseButtonRelease
            and not self.send_button.isEnabled()
        ):
            self.scroll_area.verticalScrollBar().setValue(0)
            self.send_blocked.emit(self.flag_notice.text())
        return False
