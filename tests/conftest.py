"""Shared fixtures: real components only (SQLite files, the reference platform over loopback)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from reference_platform.local import LocalPlatform, start_local_platform
from sync.client import PlatformClient
from sync.enrollment import enroll
from sync.store import Store

ROOT = Path(__file__).resolve().parent.parent
DEMO_CATALOG_KEY = ROOT / "resources" / "catalog" / "DEMO-ONLY-signing-key.pub"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "device" / "ieum.db")
    yield s
    s.close()


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[LocalPlatform]:
    """The reference platform as a real process on a free loopback port."""
    running = start_local_platform(tmp_path / "platform", catalog_key=DEMO_CATALOG_KEY)
    yield running
    running.stop()


@pytest.fixture
def client(store: Store, platform: LocalPlatform) -> Iterator[PlatformClient]:
    """A client of the running platform, for a store that has just been enrolled."""
    c = PlatformClient(platform.url)
    enroll(store, c, platform.new_token("test kiosk"))
    yield c
    c.close()
