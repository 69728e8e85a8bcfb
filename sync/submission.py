"""Turning a finalized application into a sealed, durably queued outbox item."""

from __future__ import annotations

from dataclasses import dataclass

from sync import audit
from sync.ids import new_reference, new_submission_id
from sync.sealing import Binding, PlatformKey, canonical_json, seal_application
from sync.store import OutboxItem, Store


class NoPlatformKey(Exception):
    """The device has no platform key yet, so nothing can be sealed (not enrolled)."""


@dataclass(frozen=True)
class Submitted:
    """What the resident's receipt shows once the application is safely queued."""

    submission_id: str
    reference: str
    service_id: str
    created: float


@dataclass(frozen=True)
class Assistance:
    """A navigator helped, and the resident agreed to it before any help was given.

    It goes into the sealed application (the platform learns who helped, and that the
    resident consented, when); the audit log records the consent and each application
    queued under the navigator's id, never anything the resident said.
    """

    navigator_id: str
    navigator_name: str
    consented_at: float

    def to_payload(self) -> dict[str, object]:
        return {
            "navigator_id": self.navigator_id,
            "navigator_name": self.navigator_name,
            "resident_consented": True,
            "consented_at": round(self.consented_at, 3),
        }


def record_consent(store: Store, navigator_id: str, now: float) -> None:
    """The resident agreed to be helped by this navigator: one audit entry."""
    with store.transaction("record consent to assistance") as conn:
        audit.append(conn, "assistance_consented", now, navigator_id)


def _seal(
    payload: dict[str, object],
    platform_key: PlatformKey,
    device_id: str,
    now: float,
    assistance: Assistance | None = None,
) -> OutboxItem:
    service = payload["service"]
    assert isinstance(service, dict)
    submission_id = new_submission_id(int(now * 1000))
    binding = Binding(
        submission_id=str(submission_id),
        service_id=str(service["id"]),
        service_version=str(service["version"]),
        device_id=device_id,
    )
    body = dict(payload, submission_id=binding.submission_id, submitted=round(now, 3))
    if assistance is not None:
        body["assisted"] = assistance.to_payload()
    return OutboxItem(
        submission_id=binding.submission_id,
        reference=new_reference(),
        service_id=binding.service_id,
        service_version=binding.service_version,
        device_id=binding.device_id,
        key_id=platform_key.key_id,
        sealed=seal_application(canonical_json(body), platform_key, binding),
        created=now,
    )


def submit_applications(
    store: Store,
    payloads: list[dict[str, object]],
    platform_key: PlatformKey | None,
    now: float,
    assistance: Assistance | None = None,
) -> list[Submitted]:
    """Seal each payload (one per service) and commit them all in one transaction.

    The caller shows the receipt only after this returns: by then every application of
    the visit survives a power cut, or none was saved and the resident is told so.
    """
    if platform_key is None:
        raise NoPlatformKey("no platform key: the device is not enrolled")
    device_id = store.device_id()
    items = [_seal(payload, platform_key, device_id, now, assistance) for payload in payloads]
    store.enqueue(*items, navigator=assistance.navigator_id if assistance else "")
    return [Submitted(i.submission_id, i.reference, i.service_id, now) for i in items]


def submit_application(
    store: Store, payload: dict[str, object], platform_key: PlatformKey | None, now: float
) -> Submitted:
    """One application: see submit_applications."""
    return submit_applications(store, [payload], platform_key, now)[0]
