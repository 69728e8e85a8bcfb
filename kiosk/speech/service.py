"""The speech service the journey talks to: speak, stop, repeat, pause, rate, volume.

    speech = SpeechService(data_dir / "speech")
    speech.unavailable.connect(show_no_speech_notice)   # (language, reason code)
    speech.speak(utterance(Say(title, message_key(TITLE_MSGID)), Say(question)), "ko")
    speech.stop()                                       # any tap

Nothing here blocks the GUI thread: text preparation and synthesis happen in a worker
process (`kiosk.speech.worker`), audio plays through Qt Multimedia, and a screen's
fixed wording is synthesised once and then played from the cache.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtMultimedia import QMediaDevices

from forms.languages import is_language
from kiosk.speech.cache import SynthCache
from kiosk.speech.client import WorkerClient
from kiosk.speech.espeak import library_path
from kiosk.speech.packs import Packs
from kiosk.speech.plan import Recording, Synthesis, plan
from kiosk.speech.player import SegmentPlayer
from kiosk.speech.settings import (
    RATE_FAST,
    RATE_SLOWEST,
    SpeechSettings,
)
from kiosk.speech.utterance import Part, Utterance, utterance
from kiosk.speech.voices import (
    ENGINE_FAILED,
    NO_AUDIO_OUTPUT,
    NO_ENGINE,
    NO_VOICE,
    UNKNOWN_LANGUAGE,
    Availability,
    voice_for,
)

log = logging.getLogger(__name__)


class SpeechService(QObject):
    started = Signal()
    """Audio of the current utterance has started."""
    finished = Signal(bool)
    """The utterance ended: True when spoken to the end, False when stopped or failed."""
    unavailable = Signal(str, str)
    """(language, reason code from kiosk.speech.voices): nothing is said; show a notice."""
    failed = Signal(str)
    """Synthesis failed mid-utterance (worker timeout, crash...); reason code."""
    engine_text = Signal(str, str)
    """(language, text) exactly as handed to the speech engine: for captions and audits."""

    def __init__(
        self,
        cache_dir: Path,
        packs: Packs | None = None,
        settings: SpeechSettings | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings or SpeechSettings()
        library = library_path()
        self._cache = SynthCache(cache_dir, os.path.basename(library or "none"))
        self.packs = packs if packs is not None else Packs()
        """Recorded prompts; replace or `refresh()` it after installing a pack."""
        self._client: WorkerClient | None = None
        if library is not None:
            self._client = WorkerClient(
                cache_dir,
                self.settings.request_timeout_s,
                self.settings.start_timeout_s,
                preload=self.settings.preload,
                parent=self,
            )
            self._client.replied.connect(self._synthesised)
        self._player = SegmentPlayer(self)
        self._player.audio_started.connect(self.started)
        self._player.finished.connect(self._player_finished)
        self._rate = self.settings.rate
        self._volume = self.settings.volume
        self._player.set_volume(self._volume)
        self._last: tuple[Utterance, str] | None = None
        self._files: list[Path | None] = []
        self._fed = 0
        self._waiting: dict[int, tuple[int, Path]] = {}
        self._speaking = False

    # -- what can be spoken ----------------------------------------------------------

    def available(self, language: str, what: Utterance | Part | str | None = None) -> Availability:
        """Whether `language` (and, if given, this utterance) can be spoken now, and why not.

        Never true for a language whose only voice would be another language's, unless
        an administrator opted in (`SpeechSettings.approximate_voices`)."""
        if not is_language(language):
            return Availability(False, UNKNOWN_LANGUAGE)
        if not QMediaDevices.audioOutputs():
            return Availability(False, NO_AUDIO_OUTPUT)
        voice, approximate = voice_for(language, self.settings.approximate_voices)
        has_pack = self.packs.has_pack(language)
        broken = self._engine_problem()
        if voice is None or broken:
            whole = Availability(True, source="pack") if has_pack else None
            whole = whole or Availability(False, broken if voice else NO_VOICE)
        else:
            whole = Availability(True, source="approximate" if approximate else "voice")
        if not whole.ok or what is None:
            return whole
        steps = plan(self._as_utterance(what), language, self._can_synthesize(language), self.packs)
        return steps if isinstance(steps, Availability) else whole

    def _engine_problem(self) -> str:
        if self._client is None:
            return NO_ENGINE
        if self._client.broken:
            return NO_ENGINE if self._client.broken == NO_ENGINE else ENGINE_FAILED
        return ""

    def _can_synthesize(self, language: str) -> bool:
        voice, _ = voice_for(language, self.settings.approximate_voices)
        return voice is not None and not self._engine_problem()

    @staticmethod
    def _as_utterance(what: Utterance | Part | str) -> Utterance:
        return what if isinstance(what, Utterance) else utterance(what)

    # -- speaking --------------------------------------------------------------------

    @property
    def speaking(self) -> bool:
        return self._speaking

    @property
    def paused(self) -> bool:
        return self._player.paused

    def speak(self, what: Utterance | Part | str, language: str) -> bool:
        """Stop whatever is being said and say this. False (and `unavailable` emitted) when
        it cannot be said; then nothing at all is said."""
        self.stop()
        what = self._as_utterance(what)
        whole = self.available(language)
        steps = plan(what, language, self._can_synthesize(language), self.packs)
        if not whole.ok:
            return self._refuse(language, whole.reason)
        if isinstance(steps, Availability):
            return self._refuse(language, steps.reason)
        self._last = (what, language)
        voice, _ = voice_for(language, self.settings.approximate_voices)
        wpm = round(self.settings.base_wpm * self._rate)
        self._files = [None] * len(steps)
        self._fed = 0
        self._speaking = True
        self._player.begin()
        for index, step in enumerate(steps):
            if isinstance(step, Recording):
                self._files[index] = step.path
                continue
            assert isinstance(step, Synthesis) and voice is not None and self._client is not None
            path = self._cache.path(voice, wpm, language, step.text, step.session)
            if path.exists():
                _touch(path)
                self._files[index] = path
                continue
            self.engine_text.emit(language, step.text)
            request = self._client.request(language, voice, wpm, step.text, path)
            self._waiting[request] = (index, path)
        self._feed()
        return True

    def _refuse(self, language: str, reason: str) -> bool:
        log.info("speech unavailable in %s: %s", language, reason)
        self.unavailable.emit(language, reason)
        return False

    def _feed(self) -> None:
        while self._fed < len(self._files) and self._files[self._fed] is not None:
            path = self._files[self._fed]
            assert path is not None
            self._player.append(path)
            self._fed += 1
        if self._fed == len(self._files):
            self._player.complete()

    def _synthesised(self, request: int, ok: bool, error: str) -> None:
        entry = self._waiting.pop(request, None)
        if entry is None:
            return  # from an utterance that was stopped; its WAV stays cached
        index, path = entry
        if not ok:
            log.warning("speech synthesis failed: %s", error)
            self._abandon()
            self.failed.emit(error)
            return
        self._files[index] = path
        self._feed()

    def _abandon(self) -> None:
        self._waiting.clear()
        if self._client is not None:
            self._client.forget()
        self._player.stop()

    def _player_finished(self, completed: bool) -> None:
        if not self._speaking:
            return
        self._speaking = False
        self._waiting.clear()
        self.finished.emit(completed)

    def stop(self) -> None:
        """Silence at once (a tap, new speech, leaving the screen)."""
        self._abandon()

    def repeat(self) -> bool:
        """Say the last utterance again ("Read aloud"); False if there is none."""
        if self._last is None:
            return False
        return self.speak(*self._last)

    def pause(self) -> None:
        self._player.pause()

    def resume(self) -> None:
        self._player.resume()

    # -- settings --------------------------------------------------------------------

    @property
    def rate(self) -> float:
        return self._rate

    def set_rate(self, rate: float) -> None:
        """From the next utterance on; clamped to RATE_SLOWEST..RATE_FAST."""
        self._rate = max(RATE_SLOWEST, min(RATE_FAST, rate))

    @property
    def volume(self) -> float:
        return self._volume

    def set_volume(self, volume: float) -> None:
        """At once, also for speech already playing."""
        self._volume = max(0.0, min(1.0, volume))
        self._player.set_volume(self._volume)

    def reset(self) -> None:
        """End of a session: silence, default rate and volume, nothing left to repeat, and
        the session's audio files deleted."""
        self.stop()
        self._last = None
        self.set_rate(self.settings.rate)
        self.set_volume(self.settings.volume)
        self._cache.clear_session()
        if self._client is not None:
            self._client.retry()

    def clear_cache(self) -> None:
        """Forget all synthesised audio (benchmarks, an administrator's reset)."""
        self._cache.clear()

    def close(self) -> None:
        """Stop speaking and end the worker (the kiosk is closing)."""
        self.stop()
        self._cache.clear_session()
        if self._client is not None:
            self._client.close()

    @property
    def worker(self) -> WorkerClient | None:
        """The worker connection (process id, restarts), for diagnostics and tests."""
        return self._client


def _touch(path: Path) -> None:
    """Mark a cached file as recently used, so pruning removes others first."""
    with contextlib.suppress(OSError):
        os.utime(path)
