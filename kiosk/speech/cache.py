"""Synthesised audio on disk: a lasting cache for fixed wording, a session folder for the rest.

Fixed wording (titles, questions, choices) is the same for every resident, so its WAV is
kept across sessions and a screen speaks from disk the second time. Audio of anything a
resident entered goes to `session/`, which `clear_session` empties at the end of every
session (ACCESSIBILITY.md: every temporary file of the session is cleared).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from kiosk.speech.prepare import PREPARATION_VERSION

MAX_CACHE_BYTES = 200 * 1024 * 1024
"""About 80 hours of speech at 22 kHz mono; the oldest files go first beyond that."""


class SynthCache:
    def __init__(self, folder: Path, engine_tag: str) -> None:
        self.folder = folder
        self.session_folder = folder / "session"
        self.engine_tag = engine_tag
        self.session_folder.mkdir(parents=True, exist_ok=True)
        self.clear_session()  # left over if the kiosk stopped mid-session

    def path(self, voice: str, wpm: int, language: str, text: str, session: bool) -> Path:
        """Where the audio of `text` spoken this way is (or will be) kept."""
        identity = json.dumps(
            [self.engine_tag, PREPARATION_VERSION, voice, wpm, language, text],
            ensure_ascii=False,
        )
        name = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32] + ".wav"
        return (self.session_folder if session else self.folder) / name

    def clear_session(self) -> None:
        for path in self.session_folder.iterdir():
            path.unlink(missing_ok=True)

    def clear(self) -> None:
        """Forget everything (tests, benchmarks, an administrator's reset)."""
        self.clear_session()
        for path in self.folder.glob("*.wav"):
            path.unlink(missing_ok=True)


def prune(folder: Path, max_bytes: int = MAX_CACHE_BYTES) -> int:
    """Delete the least recently written WAVs until the folder fits; how many went."""
    entries = []
    for path in folder.glob("*.wav"):
        try:
            stat = path.stat()
        except OSError:
            continue
        entries.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in entries)
    removed = 0
    for _, size, path in sorted(entries):
        if total <= max_bytes:
            break
        try:
            os.unlink(path)
        except OSError:
            continue
        total -= size
        removed += 1
    return removed
