"""The service catalog: every definition in a folder, with the bad ones set aside.

A broken definition never takes the kiosk down: it is left out and reported, and the
rest of the catalog works.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from forms.definition import DefinitionError, DefinitionProblem, Service, load_service


@dataclass
class Catalog:
    services: dict[str, Service] = field(default_factory=dict)
    problems: list[DefinitionProblem] = field(default_factory=list)

    def service(self, service_id: str) -> Service:
        return self.services[service_id]


def load_catalog(folder: Path) -> Catalog:
    """Load every `*.json` definition in `folder`, in name order."""
    catalog = Catalog()
    for path in sorted(folder.glob("*.json")):
        try:
            service = load_service(path)
        except DefinitionError as exc:
            catalog.problems.extend(exc.problems)
            continue
        if service.id in catalog.services:
            catalog.problems.append(
                DefinitionProblem(str(path), "$.id", f"service id {service.id!r} is defined twice")
            )
            continue
        catalog.services[service.id] = service
    return catalog
