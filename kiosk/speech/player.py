"""Playing an utterance's audio files in order, with Qt Multimedia's QMediaPlayer.

Why QMediaPlayer + QAudioOutput rather than QSoundEffect, measured on a PulseAudio null
sink with its monitor recorded: both stop at once (player reports "stopped" within 1 ms
of stop(), and no sound reaches the sink after it, to the monitor's 10 ms resolution);
QMediaPlayer also closes its sound-server stream ~1 ms after stop() while QSoundEffect
keeps its stream open. QSoundEffect, with its file loaded beforehand, starts ~10 ms sooner
(~52 vs ~62 ms from play() to sound at the sink), but it cannot pause and resume and
plays WAV only; QMediaPlayer does both and plays the Ogg packs too.

Files can be appended while playing: the first segment starts as soon as it exists, and
the player waits, silent, when it reaches a segment still being synthesised.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtMultimedia import QAudio, QAudioOutput, QMediaPlayer

_Status = QMediaPlayer.MediaStatus
_State = QMediaPlayer.PlaybackState


class SegmentPlayer(QObject):
    audio_started = Signal()
    """The first segment is buffered and playing: sound is on its way to the speaker."""
    finished = Signal(bool)
    """True when every segment played to its end; False when stopped or failed."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._output = QAudioOutput(self)
        self._player = QMediaPlayer(self)
        self._player.setAudioOutput(self._output)
        self._player.mediaStatusChanged.connect(self._status)
        self._player.errorOccurred.connect(self._error)
        self._player.playbackStateChanged.connect(self._state)
        self._files: list[Path] = []
        self._index = 0
        self._complete = False
        self._active = False
        self._paused = False
        self._announced = False
        self._waiting = False

    @property
    def active(self) -> bool:
        return self._active

    @property
    def paused(self) -> bool:
        return self._paused

    def set_volume(self, volume: float) -> None:
        """0..1 on a perceptual scale (what a resident means by "half as loud")."""
        linear = QAudio.convertVolume(
            max(0.0, min(1.0, volume)),
            QAudio.VolumeScale.LogarithmicVolumeScale,
            QAudio.VolumeScale.LinearVolumeScale,
        )
        self._output.setVolume(linear)

    def begin(self) -> None:
        """A new utterance: segments follow with `append`, then `complete`."""
        self._halt()
        self._files, self._index = [], 0
        self._complete = self._paused = self._announced = False
        self._active = True
        self._waiting = True

    def append(self, path: Path) -> None:
        if not self._active:
            return
        self._files.append(path)
        if self._waiting:
            self._play_current()

    def complete(self) -> None:
        """No more segments will come: finish after the last one."""
        self._complete = True
        if self._active and self._waiting and self._index >= len(self._files):
            self._finish(True)

    def stop(self) -> None:
        """Silence now. Emits finished(False) if something was playing or waiting."""
        was_active = self._active
        self._halt()
        if was_active:
            self.finished.emit(False)

    def pause(self) -> None:
        if self._active and not self._paused:
            self._paused = True
            if self._player.playbackState() == _State.PlayingState:
                self._player.pause()

    def resume(self) -> None:
        if self._active and self._paused:
            self._paused = False
            if self._player.playbackState() == _State.PausedState:
                self._player.play()
            elif self._waiting and self._index < len(self._files):
                self._play_current()

    # -- internals -------------------------------------------------------------------

    def _halt(self) -> None:
        self._active = False
        self._waiting = False
        self._paused = False
        self._player.stop()

    def _play_current(self) -> None:
        self._waiting = False
        url = QUrl.fromLocalFile(str(self._files[self._index]))
        if self._player.source() == url:
            self._player.setPosition(0)
        else:
            self._player.setSource(url)
        if not self._paused:
            self._player.play()

    def _announce(self) -> None:
        playing = self._player.playbackState() == _State.PlayingState
        if playing and self._player.mediaStatus() == _Status.BufferedMedia:
            self._announced = True
            self.audio_started.emit()

    def _state(self, state: QMediaPlayer.PlaybackState) -> None:
        if self._active and not self._announced:
            self._announce()

    def _status(self, status: QMediaPlayer.MediaStatus) -> None:
        if not self._active:
            return
        if status == _Status.BufferedMedia and not self._announced:
            self._announce()
        elif status == _Status.EndOfMedia:
            self._index += 1
            if self._index < len(self._files):
                self._play_current()
            elif self._complete:
                self._finish(True)
            else:
                self._waiting = True
        elif status == _Status.InvalidMedia:
            self._fail()

    def _error(self, error: QMediaPlayer.Error, message: str) -> None:
        if self._active and error != QMediaPlayer.Error.NoError:
            self._fail()

    def _fail(self) -> None:
        self._halt()
        self.finished.emit(False)

    def _finish(self, completed: bool) -> None:
        self._active = False
        self._waiting = False
        self.finished.emit(completed)
