"""Published test vectors for a receiver written in another language (Java, Go...).

python -m reference_platform.vectors generate [DIR]  (reference_platform/test-vectors)
python -m reference_platform.vectors check [DIR]

Two files: request-signature.json (Ed25519 request signatures and enrollment proofs:
deterministic, fixed keys, nonce, timestamp and body, with the exact signed text) and
hpke-binding.json (sealed applications a receiver must open with the given private key
and binding, and the same bytes under a moved binding, which must not open). HPKE picks
a fresh ephemeral key per seal, so the sealed bytes are an output recorded once: a
receiver proves itself by opening them, and `check` proves the code still does. The
keys are made from public labels: they are for tests only and protect nothing.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import mlkem
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from sync.auth import (
    AuthError,
    check_enrollment_proof,
    enrollment_proof,
    public_key_text,
    read_signature,
    sign_request,
)
from sync.sealing import (
    KEM_HYBRID,
    KEM_X25519,
    Binding,
    PlatformPrivateKey,
    SealError,
    canonical_json,
    open_application,
    seal_application,
)

DEFAULT_DIR = Path(__file__).resolve().parent / "test-vectors"
SIGNATURE_FILE = "request-signature.json"
HPKE_FILE = "hpke-binding.json"
FAKE_APPLICATION = {
    "service": {"id": "test-vector-service", "version": "2026.1"},
    "answers": {"full_name": "TEST PERSON 테스트", "household_size": 3},
}


def _seed(label: str, size: int = 32) -> bytes:
    """Key material from a public label: anyone can rebuild it, so it guards nothing."""
    out = b""
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"ieum test vector/{label}/{counter}".encode()).digest()
        counter += 1
    return out[:size]


def _device_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_seed("device signing key"))


_REQUESTS = [
    ("POST", "/v1/submissions", b'{"items":[]}', "AAAAAAAAAAAAAAAAAAAAAA"),
    ("GET", "/v1/status?since=12&limit=200", b"", "bm9uY2UtZm9yLXRlc3QtdmVjdG9y"),
    ("GET", "/v1/keys?audit_head=7:m1:" + "ab" * 32, b"", "a-nonce_with-url-safe_chars"),
    ("POST", "/v1/statistics", '{"groups":[{"주":"é"}]}'.encode(), "0123456789abcdef"),
]
_DEVICE_ID = "dev-test-vector-0001"
_TIMESTAMP = 1_796_400_000


def signature_vectors() -> dict[str, Any]:
    key = _device_key()
    public = public_key_text(key.public_key())
    vectors = []
    for method, target, body, nonce in _REQUESTS:
        headers = sign_request(key, _DEVICE_ID, method, target, body, _TIMESTAMP, nonce=nonce)
        digest = hashlib.sha256(body).hexdigest()
        message = "\n".join(["ieum-request/1", method, target, str(_TIMESTAMP), nonce, digest])
        vectors.append(
            {
                "method": method,
                "target": target,
                "body_base64": base64.b64encode(body).decode(),
                "body_sha256_hex": digest,
                "signed_text": message,
                "headers": {
                    "Ieum-Device": headers["ieum-device"],
                    "Ieum-Timestamp": headers["ieum-timestamp"],
                    "Ieum-Nonce": headers["ieum-nonce"],
                    "Ieum-Signature": headers["ieum-signature"],
                },
            }
        )
    first = vectors[0]
    refused = [
        {"why": "the body was changed", **first, "body_base64": base64.b64encode(b"{}").decode()},
        {"why": "the target was changed", **first, "target": "/v1/submissions?x=1"},
        {"why": "the method was changed", **first, "method": "PUT"},
    ]
    token = "test-vector-enrollment-token"
    return {
        "format": "ieum-test-vectors/request-signature/1",
        "about": "Ed25519 over signed_text (UTF-8), lines joined by \\n; see sync/openapi.yaml",
        "device_private_key_seed_hex": _seed("device signing key").hex(),
        "device_public_key_base64": public,
        "device_id": _DEVICE_ID,
        "now": _TIMESTAMP,
        "max_skew_seconds": 300,
        "valid": vectors,
        "refused_bad_signature": [
            {k: v for k, v in r.items() if k != "signed_text"} for r in refused
        ],
        "enrollment": {
            "token": token,
            "public_key_base64": public,
            "signed_text": f"ieum-enrollment/1\n{token}\n{public}",
            "proof_base64": enrollment_proof(key, token),
        },
    }


def _platform_key(kem: str) -> PlatformPrivateKey:
    x = X25519PrivateKey.from_private_bytes(_seed(f"{kem} x25519"))
    if kem == KEM_HYBRID:
        return PlatformPrivateKey(kem, x, mlkem.MLKEM768PrivateKey.from_seed_bytes(_seed(kem, 64)))
    return PlatformPrivateKey(kem, x)


_BINDING = Binding(
    "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "test-vector-service", "2026.1", _DEVICE_ID
)


def _moved_bindings() -> list[tuple[str, Binding]]:
    b = _BINDING
    return [
        (
            "another submission",
            Binding(
                "0193a1b2-c3d4-7e5f-8a9b-000000000000", b.service_id, b.service_version, b.device_id
            ),
        ),
        (
            "another service",
            Binding(b.submission_id, "another-service", b.service_version, b.device_id),
        ),
        ("another version", Binding(b.submission_id, b.service_id, "2026.2", b.device_id)),
        (
            "another device",
            Binding(b.submission_id, b.service_id, b.service_version, "dev-test-vector-0002"),
        ),
    ]


def _binding_wire(binding: Binding) -> dict[str, str]:
    return dict(vars(binding))


def hpke_vectors() -> dict[str, Any]:
    """Seals afresh (random ephemeral keys): run only to publish a new file."""
    plaintext = canonical_json(FAKE_APPLICATION)
    suites = []
    for kem in (KEM_X25519, KEM_HYBRID):
        private = _platform_key(kem)
        public = private.public()
        sealed = seal_application(plaintext, public, _BINDING)
        suites.append(
            {
                "kem": kem,
                "private_key_hex": private.to_bytes().hex(),
                "private_key_layout": "X25519 private key (32 bytes)"
                + (", then the ML-KEM-768 seed d||z (64 bytes)" if private.mlkem else ""),
                "public_key_base64": base64.b64encode(public.public_bytes).decode(),
                "public_key_layout": "X25519 public key (32 bytes)"
                if kem == KEM_X25519
                else "ML-KEM-768 encapsulation key (1184 bytes), then X25519 (32 bytes)",
                "key_id": public.key_id,
                "sealed_base64": base64.b64encode(sealed).decode(),
            }
        )
    return {
        "format": "ieum-test-vectors/hpke-binding/1",
        "about": "HPKE base mode (RFC 9180), single shot, no AAD; sealed = enc || ciphertext;"
        ' info = compact JSON of ["ieum-seal/1", submission_id, service_id,'
        " service_version, device_id]; key_id = first 16 hex digits of SHA-256(public key)",
        "binding": _binding_wire(_BINDING),
        "info_utf8": _BINDING.info().decode(),
        "info_hex": _BINDING.info().hex(),
        "plaintext_utf8": plaintext.decode(),
        "suites": suites,
        "must_not_open_under": [
            {"why": why, "binding": _binding_wire(b), "info_hex": b.info().hex()}
            for why, b in _moved_bindings()
        ],
    }


def _check_signatures(data: dict[str, Any]) -> list[str]:
    problems = []
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(data["device_private_key_seed_hex"]))
    public = key.public_key()
    if public_key_text(public) != data["device_public_key_base64"]:
        problems.append("the public key does not match the seed")
    for i, v in enumerate(data["valid"]):
        body = base64.b64decode(v["body_base64"])
        nonce = v["headers"]["Ieum-Nonce"]
        made = sign_request(
            key, data["device_id"], v["method"], v["target"], body, data["now"], nonce=nonce
        )
        if made["ieum-signature"] != v["headers"]["Ieum-Signature"]:
            problems.append(f"valid[{i}]: the code signs differently")
        if hashlib.sha256(body).hexdigest() != v["body_sha256_hex"]:
            problems.append(f"valid[{i}]: body digest")
        lines = [
            "ieum-request/1",
            v["method"],
            v["target"],
            str(data["now"]),
            nonce,
            v["body_sha256_hex"],
        ]
        if "\n".join(lines) != v["signed_text"]:
            problems.append(f"valid[{i}]: signed text")
        headers = {k.lower(): h for k, h in v["headers"].items()}
        try:
            read_signature(headers, v["method"], v["target"], body, public, data["now"])
        except AuthError as exc:
            problems.append(f"valid[{i}]: refused ({exc.code})")
    for i, v in enumerate(data["refused_bad_signature"]):
        headers = {k.lower(): h for k, h in v["headers"].items()}
        body = base64.b64decode(v["body_base64"])
        try:
            read_signature(headers, v["method"], v["target"], body, public, data["now"])
            problems.append(f"refused_bad_signature[{i}]: accepted ({v['why']})")
        except AuthError as exc:
            if exc.code != "bad_signature":
                problems.append(f"refused_bad_signature[{i}]: {exc.code}, not bad_signature")
    enrollment = data["enrollment"]
    if enrollment_proof(key, enrollment["token"]) != enrollment["proof_base64"]:
        problems.append("enrollment: the code proves differently")
    try:
        check_enrollment_proof(
            enrollment["public_key_base64"], enrollment["token"], enrollment["proof_base64"]
        )
    except AuthError:
        problems.append("enrollment: the proof is refused")
    return problems


def _check_hpke(data: dict[str, Any]) -> list[str]:
    problems = []
    binding = Binding(**data["binding"])
    if binding.info().hex() != data["info_hex"] or binding.info().decode() != data["info_utf8"]:
        problems.append("info: the code binds differently")
    plaintext = data["plaintext_utf8"].encode()
    for suite in data["suites"]:
        kem = suite["kem"]
        private = PlatformPrivateKey.from_bytes(kem, bytes.fromhex(suite["private_key_hex"]))
        public = private.public()
        if base64.b64encode(public.public_bytes).decode() != suite["public_key_base64"]:
            problems.append(f"{kem}: public key does not match the private key")
        if public.key_id != suite["key_id"]:
            problems.append(f"{kem}: key_id")
        sealed = base64.b64decode(suite["sealed_base64"])
        try:
            if open_application(sealed, private, binding) != plaintext:
                problems.append(f"{kem}: opens to other bytes")
        except SealError:
            problems.append(f"{kem}: does not open")
        for moved in data["must_not_open_under"]:
            other = Binding(**moved["binding"])
            if other.info().hex() != moved["info_hex"]:
                problems.append(f"{kem}: info of {moved['why']}")
            try:
                open_application(sealed, private, other)
                problems.append(f"{kem}: opened under {moved['why']}")
            except SealError:
                pass
        # And the code's own seal of the same plaintext opens the same way.
        if open_application(seal_application(plaintext, public, binding), private, binding) != (
            plaintext
        ):
            problems.append(f"{kem}: a fresh seal does not round-trip")
    return problems


def check(directory: Path = DEFAULT_DIR) -> list[str]:
    """Problems found checking the published vectors against this code (none: all good)."""
    signatures = json.loads((directory / SIGNATURE_FILE).read_text(encoding="utf-8"))
    hpke = json.loads((directory / HPKE_FILE).read_text(encoding="utf-8"))
    return _check_signatures(signatures) + _check_hpke(hpke)


def generate(directory: Path = DEFAULT_DIR) -> None:
    """Write both files. The signature file comes out identical every time; the HPKE file
    gets new sealed bytes (both the old and the new ones open)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in ((SIGNATURE_FILE, signature_vectors()), (HPKE_FILE, hpke_vectors())):
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        (directory / name).write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reference_platform.vectors")
    parser.add_argument("command", choices=("generate", "check"))
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args(argv)
    if args.command == "generate":
        generate(args.directory)
        print(f"test vectors written to {args.directory}")
        return 0
    problems = check(args.directory)
    for problem in problems:
        print(f"FAIL {problem}")
    print("test vectors: " + ("FAIL" if problems else "ok"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
