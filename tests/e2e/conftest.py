"""The e2e suites run against both of the platform's databases: SQLite and a real
PostgreSQL (tests/postgres.py), through the `backend` fixture."""

from __future__ import annotations

import pytest

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)
