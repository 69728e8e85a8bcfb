"""What each screen says when speech is on: the words the screen shows, in the same order.

The journey builds every screen, and with it the screen's utterance from the same
translated strings (the same msgids, so a recorded pack can stand in for the engine) and
the same definition texts. The rules, here once for every screen:

- fixed wording is `Say` with its message key; a value the resident gave or was given
  (an answer, a reference, a date) is `Entered`, whose audio lasts only the session;
- personal answers (phone, resident registration number, anything a definition marks
  personal) only go through `answer_part`, so a neutral phrase is said in their place;
  any other part that merely looks like one is left out, never said;
- text the screen can only show in another language (a definition not translated into
  this one) is left out: it would be read with the wrong voice;
- references and receipt numbers are spelled, one character at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from forms.answers import Answer
from forms.catalog import Catalog
from forms.definition import LocalText, Question, Record
from forms.languages import LANGUAGES
from forms.session import ReviewLine
from forms.text import pick
from kiosk.i18n import Words
from kiosk.messages import answer_text
from kiosk.screens.receipt import next_steps, receipt_advice, receipt_heading, receipt_state
from kiosk.screens.status_check import EXAMPLE
from kiosk.screens.status_result import applied_on, status_words
from kiosk.speech.keys import message_key, text_key
from kiosk.speech.utterance import (
    Entered,
    Part,
    Personal,
    Say,
    Utterance,
    answer_part,
    looks_personal,
    utterance,
)
from sync.store import Receipt

_OTHER_LANGUAGE = tuple(f"[{lang.native_name}] " for lang in LANGUAGES)
"""How `Words.text` marks text shown in another language than the resident's."""


class Phrases:
    """Parts of speech in one language. `N_("...")` is extracted into the catalogs like
    `_("...")`: use it for every fixed wording, so the msgid gives the message key."""

    def __init__(self, words: Words) -> None:
        self.words = words

    def N_(self, msgid: str) -> Say:
        return Say(self.words._(msgid), message_key(msgid))

    def plural(self, singular: str, plural: str, count: int) -> Say:
        """A message with plural forms and no placeholder."""
        return Say(self.words.n_(singular, plural, count), message_key(singular))

    def text(self, text: LocalText, speech: LocalText | None = None) -> Say | None:
        """A definition's text, or its spoken form when it has one in this language;
        None when it is empty or not in this language."""
        if speech:
            spoken = pick(speech, self.words.code)
            if spoken.text and not spoken.is_fallback:
                return Say(spoken.text, text_key(speech))
        shown = pick(text, self.words.code)
        if not shown.text or shown.is_fallback:
            return None
        return Say(shown.text, text_key(text))

    def shown(self, text: str) -> Say | None:
        """Words already in the form the screen shows them; None if that is another
        language's (marked by `Words.text`)."""
        if not text.strip() or text.startswith(_OTHER_LANGUAGE):
            return None
        return Say(text)

    def not_read_aloud(self) -> Say:
        return self.N_("entered, not read aloud")


def compose(*parts: Part | Iterable[Part | None] | None) -> Utterance:
    """An utterance of the parts given, in order: None (nothing to say) is skipped, and
    a part that looks like a resident number or phone number is left out. Each part
    ends as a sentence, so that a title or a button's words are not run into the next."""
    flat: list[Part] = []
    for part in parts:
        if part is None:
            continue
        if isinstance(part, Say | Entered | Personal):
            flat.append(part)
        else:
            flat.extend(p for p in part if p is not None)
    kept = (p for p in flat if isinstance(p, Personal) or not looks_personal(p.text))
    return utterance(*(_sentence(p) for p in kept))


_SENTENCE_ENDS = tuple(".!?:;…。！？：；")


def _ended(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith(_SENTENCE_ENDS) else text + "."


def _sentence(part: Part) -> Part:
    if isinstance(part, Say):
        return Say(_ended(part.text), part.key)
    if isinstance(part, Entered):
        return Entered(_ended(part.text))
    return Personal(part.value, _ended(part.neutral), part.neutral_key)


def spell(code: str) -> str:
    """A reference as it is read out: "ABCD-1234-EF" -> "A B C D, 1 2 3 4, E F"."""
    groups = re.split(r"[\s\-\u2010\u2011]+", code.strip())
    return ", ".join(" ".join(group) for group in groups if group)


# -- the screens ----------------------------------------------------------------------


def welcome(p: Phrases) -> Utterance:
    N_ = p.N_
    return compose(
        N_("Welcome to Ieum"),
        N_("Apply for city services here. We will guide you one question at a time."),
        N_("Choose your language"),
        N_("Start"),
        N_("Check an application I made"),
    )


def language(p: Phrases) -> Utterance:
    # The languages' names are not read: each would need its own voice.
    return compose(p.N_("Choose your language"))


def text_size(p: Phrases, *after: Part | None) -> Utterance:
    N_ = p.N_
    return compose(
        N_("Choose a text size"),
        N_("Standard text"),
        N_("Large text"),
        N_("Extra large text"),
        *after,
    )


def services(p: Phrases, catalog: Catalog) -> Utterance:
    N_ = p.N_
    parts: list[Part | None] = [N_("What do you need?")]
    for category in catalog.categories:
        found = catalog.in_category(category.id)
        if not found:
            continue
        parts.append(p.text(category.title))
        for service in found:
            parts += [p.text(service.title), p.text(service.summary)]
    parts += [
        N_("Not sure? Answer a few short questions and we will show what you may get."),
        N_("Find services I may be eligible for"),
    ]
    return compose(parts)


def question(
    p: Phrases,
    asked: Question,
    step: tuple[int, int],
    service_title: str = "",
    records: Sequence[Record] = (),
) -> Utterance:
    """Where the resident is, the question, its help, and every answer offered."""
    N_ = p.N_
    words = p.words
    _ = words._
    parts: list[Part | None] = [
        Say(_("Step {n} of {m}").format(n=words.number(step[0]), m=words.number(step[1]))),
        p.shown(service_title),
        p.text(asked.label, asked.speech),
        p.text(asked.help),
        p.text(asked.example),
    ]
    if asked.type == "records_consent":
        parts += [p.text(record.label) for record in records]
    parts += _offered(p, asked)
    parts.append(p.text(asked.unit))
    if asked.allow_unknown:
        parts.append(N_("I don't know"))
    elif not asked.required:
        parts.append(N_("Skip this question"))
    return compose(parts)


def _offered(
    p: Phrases, asked: Question, values: Sequence[object] | None = None
) -> list[Part | None]:
    """The answers offered (those of `values` only, if given), as their buttons say them."""
    N_ = p.N_
    kind = asked.type
    if kind in ("single_choice", "multiple_choice"):
        return [
            p.text(choice.label, choice.speech)
            for choice in asked.choices
            if values is None or choice.value in values
        ]
    words = {
        "yes_no": (N_("Yes"), N_("No")),
        "records_consent": (
            N_("Yes, the city may look them up"),
            N_("No, I will bring the papers myself"),
        ),
    }.get(kind)
    if words is not None:
        return [
            w for v, w in zip((True, False), words, strict=True) if values is None or v in values
        ]
    return [N_("I agree")] if kind == "consent" else []


def answers_turned(p: Phrases, asked: Question, values: Sequence[object]) -> Utterance:
    """Another page of a long list of answers: the answers now on it."""
    return compose(_offered(p, asked, values))


def problem(text: str) -> Utterance:
    """An error as said aloud: the fix shown under the question's title, after the
    question's name (a listener cannot see which question it is about)."""
    return compose(Say(text))


def review(
    p: Phrases,
    lines: Sequence[ReviewLine],
    titles: Mapping[str, Say | None],
    goes_to: Sequence[str] = (),
    folded: Mapping[str, int] | None = None,
) -> Utterance:
    """Every answer, each after its question; personal ones never, only that they were
    entered. `titles`: each scope's heading; `goes_to`: for each line, which services
    its answer is used for, as the screen says it under the answer ("" for none);
    `folded`: the scopes whose answers the screen keeps folded, with how many: their
    heading and that number are said, as the button shows them."""
    folded = folded or {}
    N_ = p.N_
    parts: list[Part | None] = [
        N_("Check your answers"),
        N_("Tap “Change” to correct an answer."),
    ]
    heading = None
    for n, line in enumerate(lines):
        if line.scope != heading:
            heading = line.scope
            parts.append(titles.get(line.scope))
            if heading in folded:
                parts.append(Say(hidden_answers(p.words, folded[heading])))
        if line.scope not in folded:
            parts += _answered(p, line, goes_to[n] if n < len(goes_to) else "")
    parts.append(N_("Send the application"))
    return compose(parts)


def hidden_answers(words: Words, count: int) -> str:
    """What a folded section of the review says of itself."""
    return words.n_(
        "{count} answer. Tap to see it.", "{count} answers. Tap to see them.", count
    ).format(count=words.number(count))


def review_section(
    p: Phrases, title: Say | None, lines: Sequence[ReviewLine], goes_to: Sequence[str] = ()
) -> Utterance:
    """A service's answers, once the resident unfolds them on the review."""
    parts: list[Part | None] = [title]
    for n, line in enumerate(lines):
        parts += _answered(p, line, goes_to[n] if n < len(goes_to) else "")
    return compose(parts)


def _answered(p: Phrases, line: ReviewLine, goes: str) -> list[Part | None]:
    """One answer of the review: its question, the answer, the services it is used for."""
    if line.question.type == "info":
        return []
    return [p.text(line.question.label, line.question.speech), _answer(p, line),
            Say(goes) if goes else None]  # fmt: skip


def _answer(p: Phrases, line: ReviewLine) -> Part | None:
    asked, answer = line.question, line.answer
    neutral = p.not_read_aloud()
    if asked.is_personal:
        return answer_part(asked, "", neutral.text, neutral.key)
    if answer is not None and asked.type in ("single_choice", "multiple_choice"):
        return _chosen(p, asked, answer)
    shown = answer_text(p.words, asked, answer, in_clear=True)
    if looks_personal(shown):
        return Personal(None, neutral.text, neutral.key)
    return answer_part(asked, shown, neutral.text, neutral.key)


def _chosen(p: Phrases, asked: Question, answer: Answer) -> Entered | None:
    """The choices picked, each in its spoken form (without, say, a Korean term in
    brackets that the voice of another language would misread)."""
    said = []
    for value in answer if isinstance(answer, list) else [answer]:
        choice = asked.choice(str(value))
        part = p.text(choice.label, choice.speech) if choice else None
        if part is None:
            return None  # shown only in another language: not read with this voice
        said.append(part.text)
    return Entered(", ".join(said))


def receipt(
    p: Phrases, receipts: Sequence[tuple[str, str]], printed: str = "", sent: bool = False
) -> Utterance:
    """The whole receipt, in the order shown: each application's title and its
    reference, spelled; what the number is for, and what happens next."""
    N_ = p.N_
    words, count = p.words, len(receipts)
    parts: list[Part | None] = [p.shown(receipt_heading(words, count, sent))]
    for title, reference in receipts:
        parts += [p.shown(title), N_("Your reference number:"), Entered(spell(reference))]
    parts.append(p.shown(receipt_state(words, count, sent)))
    parts += [Say(receipt_advice(words)), N_("What happens next"), Say(next_steps(words))]
    parts += [p.shown(printed), N_("Print the receipt"), N_("Finish")]
    return compose(parts)


def status_check(p: Phrases, error: str = "") -> Utterance:
    N_ = p.N_
    _ = p.words._
    return compose(
        N_("Check an application"),
        N_("What is your reference number?"),
        p.shown(error),
        Say(
            _("It is on your receipt: 10 letters and numbers, for example {example}.").format(
                example=spell(EXAMPLE)
            )
        ),
        N_("If your receipt has a QR code, you can also hold it under the scanner."),
    )


def status_result(
    p: Phrases, reference: str, found: Receipt | None, service_title: str
) -> Utterance:
    N_ = p.N_
    words = p.words
    _ = words._
    parts: list[Part | None] = []
    if found is None:
        parts += [
            N_("We could not find this application"),
            Entered(_("You entered: {reference}").format(reference=spell(reference))),
            N_("Please check that this is the number on your receipt."),
            N_(
                "If you applied today, it may still be waiting to be sent to the city. "
                "Please ask a member of staff here."
            ),
            N_("Try again"),
        ]
    else:
        meaning, next_step = status_words(words, found.status)
        parts += [
            p.shown(service_title) or N_("Your application"),
            Say(meaning),
            p.shown(next_step),
            Entered(_("Applied on: {date}").format(date=applied_on(words, found.created))),
            Entered(
                _("City receipt number: {number}").format(number=spell(found.platform_receipt))
            ),
            Entered(_("Reference number: {reference}").format(reference=spell(found.reference))),
            N_("Check another"),
        ]
    parts.append(N_("Finish"))
    return compose(parts)


def idle_warning(p: Phrases, seconds: int) -> Utterance:
    words = p.words
    countdown = words.n_(
        "To keep your answers private, this screen will start over in {count} second.",
        "To keep your answers private, this screen will start over in {count} seconds.",
        seconds,
    ).format(count=words.number(seconds))
    return compose(p.N_("Are you still there?"), Say(countdown), p.N_("I need more time"))
