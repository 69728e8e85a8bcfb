"""Log lines for where they go: the journal, or a terminal.

Under systemd, stderr is a stream to journald (JOURNAL_STREAM names it). journald
stamps every line with its own time, and reads a `<N>` prefix as the syslog priority,
so that `journalctl -p warning` finds the kiosk's warnings. Elsewhere lines carry their
own time and level.
"""

from __future__ import annotations

import logging
import os
import sys

PRIORITIES = {
    logging.CRITICAL: 2,
    logging.ERROR: 3,
    logging.WARNING: 4,
    logging.INFO: 6,
    logging.DEBUG: 7,
}


class JournalFormatter(logging.Formatter):
    """`<priority>logger: message`; every line of a multi-line record (a traceback) gets
    the priority, or journald would file the rest at its default, info."""

    def __init__(self) -> None:
        super().__init__("%(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        priority = 7
        for level, number in sorted(PRIORITIES.items()):
            if record.levelno >= level:
                priority = number
        text = super().format(record)
        return "\n".join(f"<{priority}>{line}" for line in text.splitlines() or [""])


def to_journal(stream: object = None) -> bool:
    """Whether stderr is the journal stream systemd opened (JOURNAL_STREAM=dev:inode)."""
    stream = sys.stderr if stream is None else stream
    expected = os.environ.get("JOURNAL_STREAM", "")
    if not expected:
        return False
    fileno = getattr(stream, "fileno", None)
    if fileno is None:
        return False
    try:
        info = os.fstat(fileno())
    except (OSError, ValueError):
        return False
    return expected == f"{info.st_dev}:{info.st_ino}"


def configure(level: int = logging.INFO) -> None:
    """The root logger's one handler on stderr, formatted for its destination."""
    handler = logging.StreamHandler(sys.stderr)
    if to_journal():
        handler.setFormatter(JournalFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
