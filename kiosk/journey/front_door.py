"""The journey's front door: life events, typed search, ranked results (issue 19).

After the language and text size the resident says what is happening (a life event),
types a word, or goes to the list of services they know. Matching services are shown
ranked by what the resident's profile answers say (every rule "maybe" until the short
profile is asked), each with its own reasons. What was asked for is remembered for the
visit only, so the quick check comes back to the same ranked list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from forms.definition import Service
from forms.eligibility import check_eligibility, profile_values
from kiosk.screens.front_door import FrontDoorScreen, SearchScreen
from kiosk.screens.ranked import RankedScreen
from kiosk.speech.utterance import Part, Say, Utterance
from kiosk.spoken import compose

if TYPE_CHECKING:
    from kiosk.journey.flow import Journey


class FrontDoor:
    def __init__(self, journey: Journey) -> None:
        self.journey = journey
        self.wish: tuple[str, str] | None = None
        """("event", id) or ("search", text): what the ranked list shows; None: nothing."""

    def show(self) -> None:
        """The front door itself: nothing asked for yet."""
        journey = self.journey
        self.wish = None
        screen = FrontDoorScreen(journey.theme, journey.words, journey.catalog)
        screen.event_chosen.connect(lambda event: self.show_ranked(("event", event)))
        screen.search_requested.connect(self.show_search)
        screen.list_requested.connect(journey.show_service_list)
        journey.show_screen(
            screen, back=journey.show_text_size, redraw=self.redraw_front,
            said=self._said_front,
        )  # fmt: skip

    def redraw_front(self) -> None:
        self.show()

    def show_search(self) -> None:
        journey = self.journey
        typed = self.wish[1] if self.wish and self.wish[0] == "search" else ""
        screen = SearchScreen(journey.theme, journey.words, typed)
        screen.searched.connect(lambda text: self.show_ranked(("search", text)))
        N_ = journey.phrases.N_
        journey.show_screen(
            screen, back=self.show, redraw=self.show_search,
            said=lambda: compose(N_("Search for a service"),
                                 N_("Type a word, for example: bus, rent, job.")),
        )  # fmt: skip

    def matching(self) -> list[Service]:
        catalog = self.journey.catalog
        if self.wish is None:
            return list(catalog.services.values())
        kind, value = self.wish
        return catalog.for_life_event(value) if kind == "event" else catalog.search(value)

    def heading(self) -> str:
        words = self.journey.words
        if self.wish is None:
            return words._("Services you may be eligible for")
        kind, value = self.wish
        if kind == "event":
            event = next((e for e in self.journey.catalog.life_events if e.id == value), None)
            return words.text(event.title) if event is not None else value
        return words._("Services for “{words}”").format(words=value)

    def show_ranked(
        self, wish: tuple[str, str] | None = None, back: Callable[[], None] | None = None
    ) -> None:
        """The matching services (all of them when nothing was asked for), ranked by the
        profile answers known in this visit. `back`: where Back goes, when not to the
        front door or the search."""
        journey = self.journey
        if wish is not None:
            self.wish = wish
        visit = journey.visit
        profile = journey.catalog.profile
        today = visit.check.today if visit.check is not None else dt.date.today()
        answers = visit.profile_answers
        findings = check_eligibility(self.matching(), profile, answers, today)
        values = profile_values(profile, answers, today)
        screen = RankedScreen(
            journey.theme, journey.words, self.heading(), findings, profile, values,
            checked=bool(answers),
        )  # fmt: skip
        screen.chosen.connect(journey.start_applications)
        screen.check_requested.connect(journey.start_check)
        if back is None:
            back = self.show_search if self.wish and self.wish[0] == "search" else self.show
        journey.show_screen(
            screen, back=back, redraw=lambda: self.show_ranked(back=back),
            said=lambda: self._said_ranked(screen),
        )  # fmt: skip

    def _said_front(self) -> Utterance:
        N_ = self.journey.phrases.N_
        parts: list[Part | None] = [N_("What is happening in your life?")]
        phrases = self.journey.phrases
        parts += [phrases.text(e.title) for e in self.journey.catalog.life_events]
        return compose(parts, N_("Search by word"), N_("I know which service"))

    def _said_ranked(self, screen: RankedScreen) -> Utterance:
        """The heading, then each card as shown (a ✓ ✗ ? mark is for the eye)."""
        parts: list[Part | None] = [Say(self.heading())]
        for service_id, lines in screen.cards.items():
            if not screen.buttons[service_id].isVisibleTo(screen):
                continue
            parts.append(
                Say(self.journey.words.text(self.journey.catalog.service(service_id).title))
            )
            parts += [Say(line.text().lstrip("✓✗? ")) for line in lines]
        if screen.fold is not None:
            parts.append(Say(screen.fold.accessibleName()))
        return compose(parts)
