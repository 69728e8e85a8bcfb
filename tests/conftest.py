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
from tests.postgres import Cluster

ROOT = Path(__file__).resolve().parent.parent
DEMO_CATALOG_KEY = ROOT / "resources" / "catalog" / "DEMO-ONLY-signing-key.pub"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "device" / "ieum.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """A real PostgreSQL server for the session, started only if a test asks for it."""
    cluster = Cluster()
    yield cluster
    cluster.stop()


@pytest.fixture
def backend() -> str:
    """The platform's database: SQLite here; tests/e2e runs each test on both."""
    return "sqlite"


@pytest.fixture
def database(backend: str, request: pytest.FixtureRequest) -> str | None:
    """The platform's --database URL: None (its own SQLite file) or a new PostgreSQL one."""
    if backend == "postgresql":
        cluster: Cluster = request.getfixturevalue("postgres_cluster")
        return cluster.new_database()
    return None


@pytest.fixture
def platform(tmp_path: Path, database: str | None) -> Iterator[LocalPlatform]:
    """The reference platform as a real process on a free loopback port."""
    running = start_local_platform(
        tmp_path / "platform", catalog_key=DEMO_CATALOG_KEY, database=database
    )
    yield running
    running.stop()


@pytest.fixture
def client(store: Store, platform: LocalPlatform) -> Iterator[PlatformClient]:
    """A client of the running platform, for a store that has just been enrolled."""
    c = PlatformClient(platform.url)
    enroll(store, c, platform.new_token("test kiosk"))
    yield c
    c.close()
