"""The bundled catalog, loaded once for the form-engine tests."""

from __future__ import annotations

import copy
import datetime as dt
import json
from functools import cache
from typing import Any

from forms.catalog import Catalog, load_catalog_folder
from tests.conftest import ROOT

SOURCE = ROOT / "resources" / "catalog" / "source"
TODAY = dt.date(2026, 11, 22)


@cache
def catalog() -> Catalog:
    return load_catalog_folder(SOURCE)


def service_document(name: str = "digital-device-access") -> dict[str, Any]:
    return copy.deepcopy(_documents()[name])


@cache
def _documents() -> dict[str, dict[str, Any]]:
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in (SOURCE / "services").glob("*.json")
    }


def all_service_documents() -> list[dict[str, Any]]:
    return [copy.deepcopy(d) for _, d in sorted(_documents().items())]
