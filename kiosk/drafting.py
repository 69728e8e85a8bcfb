"""What a paused visit keeps, and how it comes back: pure logic, no Qt.

The draft holds the form session's snapshot (answers and where the resident was) and
the text size they chose; sync.drafts encrypts it under the resume code. Only the
service ids travel in clear, for the staff's list of drafts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from forms.catalog import Catalog
from forms.session import FormSession
from sync.device_settings import TEXT_SIZES

DRAFT_FORMAT = "ieum.draft/1"


class DraftUnusable(Exception):
    """The draft opened, but cannot go on here (a service it needs is not offered now)."""


@dataclass(frozen=True)
class ResumedDraft:
    """A paused visit opened again, ready for the journey to show."""

    session: FormSession
    text_size: str


def draft_content(session: FormSession, text_size: str) -> dict[str, Any]:
    return {"format": DRAFT_FORMAT, "session": session.snapshot(), "text_size": text_size}


def draft_services(session: FormSession) -> list[str]:
    """What the staff's list may show about this draft: its services, nothing else."""
    return [s.id for s in session.services]


def resume_draft(content: dict[str, Any], catalog: Catalog) -> ResumedDraft:
    if content.get("format") != DRAFT_FORMAT or not isinstance(content.get("session"), dict):
        raise DraftUnusable("not a draft of this program")
    snapshot = content["session"]
    wanted = snapshot.get("services") or []
    missing = [sid for sid in wanted if sid not in catalog.services]
    if missing or not wanted:
        raise DraftUnusable(f"services not offered now: {missing}")
    services = [catalog.service(sid) for sid in wanted]
    try:
        session = FormSession.resume(snapshot, services, catalog.profile)
    except (ValueError, TypeError) as exc:
        raise DraftUnusable("the draft's answers do not fit the services now") from exc
    size = content.get("text_size")
    return ResumedDraft(session, size if size in TEXT_SIZES else "standard")
