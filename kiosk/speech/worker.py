"""The speech worker process: prepares text and synthesises it to WAV files on request.

    python -m kiosk.speech.worker [--cache DIR] [--preload ja,zh_Hans]

One JSON object a line in on stdin, one out on stdout:
    {"id": 7, "language": "ja", "voice": "ja", "wpm": 150, "text": "...", "out": "/x.wav"}
    {"id": 7, "ok": true, "seconds": 2.1, "ms": 4.0}  or  {"id": 7, "ok": false, "error": ...}
It starts with {"ready": true, "sample_rate": 22050} (or {"ready": false, "error": ...}).

A process of its own, so that the engine can crash or hang without touching the kiosk:
the service kills and restarts it. The slow dictionaries (pykakasi, pypinyin) load in a
background thread here while requests are already served. Qt is never imported.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from kiosk.speech.cache import prune
from kiosk.speech.espeak import Espeak, EspeakError, write_wav
from kiosk.speech.prepare import PRELOADABLE, preload, prepare

MAX_TEXT = 4000
"""Characters in one request: a whole receipt fits; more is a caller's bug."""


def _protocol_channel() -> TextIO:
    """Keep the real stdout for replies and point fd 1 at stderr, so nothing a library
    prints on stdout (libespeak-ng, a dictionary) can corrupt the protocol."""
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return channel


def handle(engine: Espeak, request: dict[str, Any]) -> dict[str, Any]:
    reply: dict[str, Any] = {"id": request.get("id")}
    try:
        language = str(request["language"])
        voice = str(request["voice"])
        wpm = int(request["wpm"])
        text = str(request["text"])
        out = Path(str(request["out"]))
    except (KeyError, TypeError, ValueError):
        return {**reply, "ok": False, "error": "bad_request"}
    if len(text) > MAX_TEXT:
        return {**reply, "ok": False, "error": "too_long"}
    started = time.perf_counter()
    prepared = prepare(language, text)
    if not prepared.strip():
        return {**reply, "ok": False, "error": "empty"}
    try:
        pcm = engine.synthesize(prepared, voice, wpm)
    except EspeakError:
        return {**reply, "ok": False, "error": "synthesis_failed"}
    if not pcm:
        return {**reply, "ok": False, "error": "no_audio"}
    try:
        write_wav(out, pcm, engine.sample_rate)
    except OSError:
        return {**reply, "ok": False, "error": "write_failed"}
    return {
        **reply,
        "ok": True,
        "seconds": round(len(pcm) / 2 / engine.sample_rate, 3),
        "ms": round((time.perf_counter() - started) * 1000, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.speech.worker")
    parser.add_argument("--cache", type=Path, help="cache folder to prune at start")
    parser.add_argument(
        "--preload",
        default=",".join(PRELOADABLE),
        help="languages whose dictionaries load at start (comma-separated; '' for none)",
    )
    args = parser.parse_args(argv)
    channel = _protocol_channel()

    def send(message: dict[str, Any]) -> None:
        channel.write(json.dumps(message, ensure_ascii=False) + "\n")

    try:
        engine = Espeak()
    except EspeakError:
        send({"ready": False, "error": "no_engine"})
        return 3
    send({"ready": True, "sample_rate": engine.sample_rate, "pid": os.getpid()})
    languages = [code for code in args.preload.split(",") if code]
    threading.Thread(target=preload, args=(languages,), name="preload", daemon=True).start()
    if args.cache is not None:
        threading.Thread(target=prune, args=(args.cache,), name="prune", daemon=True).start()
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except json.JSONDecodeError:
            send({"id": None, "ok": False, "error": "bad_request"})
            continue
        if not isinstance(request, dict):
            send({"id": None, "ok": False, "error": "bad_request"})
            continue
        send(handle(engine, request))
    return 0


if __name__ == "__main__":
    sys.exit(main())
