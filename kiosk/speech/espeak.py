"""libespeak-ng through ctypes, synthesising to memory: used only inside the speech worker.

Synchronous mode returns when the text is done, so there is no event loop to drive and
no playback thread inside espeak (pyttsx3's driver needs both, which is where it hangs).
Anything that crashes here crashes the worker process, never the kiosk.
"""

from __future__ import annotations

import ctypes
import os
import wave
from pathlib import Path

_SYNCHRONOUS = 2  # espeak_AUDIO_OUTPUT: AUDIO_OUTPUT_SYNCHRONOUS
_DONT_EXIT = 0x8000  # espeakINITIALIZE_DONT_EXIT: return an error instead of exit()
_CHARS_UTF8 = 1
_ENDPAUSE = 0x1000
_POS_CHARACTER = 1
_RATE = 1  # espeak_PARAMETER: espeakRATE

RATE_MIN = 80
RATE_MAX = 450
"""Words per minute that espeak-ng accepts."""

_LIBRARY_NAMES = ("libespeak-ng.so.1", "libespeak-ng.so")

_Callback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class EspeakError(RuntimeError):
    """The library is missing, refused a voice, or failed to synthesise."""


def library_path() -> str | None:
    """The real file of libespeak-ng (its name carries the version), or None if missing."""
    for name in _LIBRARY_NAMES:
        try:
            ctypes.CDLL(name)
        except OSError:
            continue
        return _mapped_file("libespeak-ng") or name
    return None


def _mapped_file(fragment: str) -> str | None:
    """The path of a library this process has mapped, read from /proc/self/maps."""
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in maps.splitlines():
        if fragment in line and "/" in line:
            return line[line.index("/") :]
    return None


class Espeak:
    """One engine per process (espeak-ng keeps global state): voice, rate, text in; PCM out."""

    def __init__(self) -> None:
        lib = None
        for name in _LIBRARY_NAMES:
            try:
                lib = ctypes.CDLL(name)
                break
            except OSError:
                continue
        if lib is None:
            raise EspeakError("libespeak-ng is not installed")
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_Callback]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        lib.espeak_Synth.restype = ctypes.c_int
        self._lib = lib
        self.sample_rate = lib.espeak_Initialize(_SYNCHRONOUS, 200, None, _DONT_EXIT)
        if self.sample_rate <= 0:
            raise EspeakError("espeak-ng could not start (is espeak-ng-data installed?)")
        self._chunks: list[bytes] = []
        self._callback = _Callback(self._on_audio)  # kept referenced: espeak holds the pointer
        lib.espeak_SetSynthCallback(self._callback)
        self._voice = ""

    def _on_audio(
        self, wav: ctypes._Pointer[ctypes.c_short], samples: int, events: int | None
    ) -> int:
        if samples > 0 and wav:
            self._chunks.append(ctypes.string_at(wav, samples * 2))
        return 0

    def synthesize(self, text: str, voice: str, wpm: int) -> bytes:
        """16-bit mono PCM at `sample_rate`. The text must not be blank."""
        if not text.strip():
            raise EspeakError("refusing blank text")  # some espeak paths crash on it
        if voice != self._voice:
            if self._lib.espeak_SetVoiceByName(voice.encode("ascii")) != 0:
                raise EspeakError(f"espeak-ng has no voice {voice!r}")
            self._voice = voice
        self._lib.espeak_SetParameter(_RATE, max(RATE_MIN, min(RATE_MAX, wpm)), 0)
        data = text.encode("utf-8")
        self._chunks = []
        status = self._lib.espeak_Synth(
            data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8 | _ENDPAUSE, None, None
        )
        if status != 0:
            raise EspeakError(f"espeak_Synth failed ({status})")
        pcm = b"".join(self._chunks)
        self._chunks = []
        return pcm


def write_wav(path: Path, pcm: bytes, sample_rate: int) -> None:
    """Write atomically: a player never sees half a file, a crash leaves no torn one."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    with wave.open(str(partial), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(pcm)
    os.replace(partial, path)
