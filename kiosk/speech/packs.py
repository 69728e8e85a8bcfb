"""Recorded audio packs: `resources/speech/<language>/<message key>.wav` (or `.ogg`).

A recording takes precedence over synthesis. It is the only way Thai and Mongolian are
spoken (espeak-ng has no acceptable voice for them), and better quality anywhere.
Keys are described in `kiosk.speech.keys`.

    python -m kiosk.speech.packs missing th       # keys the Thai pack lacks, with the text
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from forms.languages import LANGUAGE_CODES
from kiosk.speech.keys import is_key, message_key, text_key

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PACKS = ROOT / "resources" / "speech"
EXTENSIONS = (".wav", ".ogg")
"""In order of preference: WAV starts fastest; Ogg Vorbis keeps a large pack small."""


class Packs:
    """An index of the recordings under some roots (earlier roots win), read once."""

    def __init__(self, roots: Sequence[Path] = (DEFAULT_PACKS,)) -> None:
        self.roots = tuple(roots)
        self._index: dict[str, dict[str, Path]] = {}
        self.refresh()

    def refresh(self) -> None:
        """Read the folders again (after a pack was installed)."""
        index: dict[str, dict[str, Path]] = {}
        for root in reversed(self.roots):
            for language in LANGUAGE_CODES:
                folder = root / language
                if not folder.is_dir():
                    continue
                found = index.setdefault(language, {})
                for extension in reversed(EXTENSIONS):
                    for path in folder.glob(f"*{extension}"):
                        if is_key(path.stem) and path.is_file():
                            found[path.stem] = path
        self._index = {lang: found for lang, found in index.items() if found}

    def has_pack(self, language: str) -> bool:
        return language in self._index

    def recording(self, language: str, key: str) -> Path | None:
        return self._index.get(language, {}).get(key) if key else None

    def keys(self, language: str) -> set[str]:
        return set(self._index.get(language, {}))


def _local_texts(node: object) -> Iterator[dict[str, str]]:
    """Every per-language text object in a definition document."""
    if isinstance(node, dict):
        texts = node and "en" in node and set(node) <= set(LANGUAGE_CODES)
        if texts and all(isinstance(v, str) for v in node.values()):
            yield node
            return
        for value in node.values():
            yield from _local_texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _local_texts(value)


def prompts(language: str, catalog: Path | None = None) -> dict[str, tuple[str, str]]:
    """key -> (English source, text in `language`) for every whole prompt the kiosk can say.

    Messages with placeholders ("{date}") are left out: they are never spoken whole, so
    no single recording can stand for them.
    """
    from babel.messages.pofile import read_po

    found: dict[str, tuple[str, str]] = {}
    po = ROOT / "locales" / language / "LC_MESSAGES" / "ieum.po"
    if po.is_file():
        with po.open("rb") as handle:
            messages = read_po(handle)
        for message in messages:
            msgid = message.id
            if not msgid or not isinstance(msgid, str) or "{" in msgid:
                continue
            text = message.string if isinstance(message.string, str) else ""
            found[message_key(msgid, message.context or "")] = (msgid, text)
    if catalog is not None:
        for path in sorted(catalog.rglob("*.json")):
            document = json.loads(path.read_text(encoding="utf-8"))
            for local in _local_texts(document):
                key = text_key(local)
                if key and "{" not in local["en"]:
                    found.setdefault(key, (local["en"], local.get(language, "")))
    return found


def missing(language: str, packs: Packs, catalog: Path | None = None) -> list[tuple[str, str, str]]:
    """(key, English source, text to record) for each prompt the pack has no recording of."""
    have = packs.keys(language)
    return sorted(
        (key, source, text)
        for key, (source, text) in prompts(language, catalog).items()
        if key not in have
    )


def _print_rows(rows: Iterable[tuple[str, str, str]]) -> int:
    count = 0
    for key, source, text in rows:
        flat = [" ".join(value.split()) for value in (source, text)]
        print(f"{key}\t{flat[0]}\t{flat[1]}")
        count += 1
    return count


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.speech.packs")
    commands = parser.add_subparsers(dest="command", required=True)
    lacking = commands.add_parser("missing", help="list the prompts a pack has no recording of")
    lacking.add_argument("language", choices=LANGUAGE_CODES)
    lacking.add_argument("--packs", type=Path, default=DEFAULT_PACKS)
    lacking.add_argument(
        "--catalog",
        type=Path,
        default=ROOT / "resources" / "catalog" / "source",
        help="catalog source folder whose texts count too ('' for none)",
    )
    args = parser.parse_args(argv)
    catalog = args.catalog if str(args.catalog) not in ("", ".") else None
    rows = missing(args.language, Packs((args.packs,)), catalog)
    count = _print_rows(rows)
    print(f"{count} prompts lack a recording in {args.packs / args.language}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
