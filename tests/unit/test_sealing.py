from __future__ import annotations

import dataclasses
import tempfile
import uuid
from pathlib import Path

import pytest

from sync.ids import new_submission_id, normalise_reference, reference_for
from sync.sealing import (
    Binding,
    PlatformPrivateKey,
    SealError,
    canonical_json,
    open_application,
    seal_application,
)

BINDING = Binding(
    "0190f0e0-0000-7000-8000-000000000001", "digital-device-access", "2026.1", "dev-1"
)


def test_seal_opens_only_with_the_platform_key_and_the_same_binding() -> None:
    private = PlatformPrivateKey.generate()
    plaintext = canonical_json({"answers": {"name": "Test Resident"}})
    sealed = seal_application(plaintext, private.public(), BINDING)
    assert b"Test Resident" not in sealed
    assert open_application(sealed, private, BINDING) == plaintext
    with pytest.raises(SealError):
        open_application(sealed, PlatformPrivateKey.generate(), BINDING)
    for field in ("submission_id", "service_id", "service_version", "device_id"):
        moved = dataclasses.replace(BINDING, **{field: "other"})
        with pytest.raises(SealError):
            open_application(sealed, private, moved)


def test_a_flipped_bit_is_detected() -> None:
    private = PlatformPrivateKey.generate()
    sealed = bytearray(seal_application(b"{}", private.public(), BINDING))
    for position in (0, 40, len(sealed) - 1):
        damaged = bytearray(sealed)
        damaged[position] ^= 0x01
        with pytest.raises(SealError):
            open_application(bytes(damaged), private, BINDING)


def test_submission_ids_are_uuid7_and_time_ordered() -> None:
    ids = [new_submission_id(1_700_000_000_000 + i) for i in range(50)]
    assert all(i.version == 7 and i.variant == "specified in RFC 4122" for i in ids)
    assert ids == sorted(ids)


def test_references_are_short_unambiguous_and_forgiving() -> None:
    sid = new_submission_id()
    reference = reference_for(sid)
    assert len(reference) == 12 and reference.count("-") == 2
    assert not set(reference) & set("ILOU")
    assert normalise_reference(reference.lower().replace("-", " ")) == reference
    assert normalise_reference("nonsense") is None


def test_hybrid_post_quantum_keys_seal_and_open() -> None:
    from sync.sealing import KEM_HYBRID, PlatformKey

    private = PlatformPrivateKey.generate(KEM_HYBRID)
    wire = private.public().to_wire()
    key = PlatformKey.from_wire(wire)  # as the device receives it
    assert key.kem == KEM_HYBRID and len(key.public_bytes) == 1184 + 32
    sealed = seal_application(b'{"answers":{}}', key, BINDING)
    restored = PlatformPrivateKey.from_bytes(KEM_HYBRID, private.to_bytes())
    assert open_application(sealed, restored, BINDING) == b'{"answers":{}}'
    with pytest.raises(SealError):
        open_application(sealed, PlatformPrivateKey.generate(KEM_HYBRID), BINDING)


@pytest.mark.parametrize(
    "wire",
    [
        {"kem": "RSA", "public_key": "AAAA"},
        {"kem": "X25519-HKDF-SHA256/AES-256-GCM", "public_key": "!!"},
        {"kem": "X25519-HKDF-SHA256/AES-256-GCM", "public_key": "AAAA"},
        {"kem": "X25519-HKDF-SHA256/AES-256-GCM", "public_key": "A" * 44, "key_id": "forged"},
        "not an object",
    ],
)
def test_bad_keys_from_a_server_are_refused(wire: object) -> None:
    from sync.sealing import PlatformKey

    with pytest.raises(ValueError):
        PlatformKey.from_wire(wire)


def test_a_reference_is_not_derived_from_its_submission_id() -> None:
    """Staff see submission ids (audit log, diagnostics): they must not give references away."""
    from sync.store import Store
    from sync.submission import submit_applications

    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "ieum.db")
        key = PlatformPrivateKey.generate().public()
        payload = {"service": {"id": "digital-device-access", "version": "2026.1"}, "answers": {}}
        made = submit_applications(store, [payload] * 3, key, 1_790_000_000.0)
        store.close()
    for item in made:
        assert item.reference != reference_for(uuid.UUID(item.submission_id))
        assert normalise_reference(item.reference) == item.reference
