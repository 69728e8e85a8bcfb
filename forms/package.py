"""Signed catalog packages: what a kiosk accepts as its catalog.

A package is a zip file holding `manifest.json` (the catalog version and the SHA-256 of
every other file), `manifest.sig` (an Ed25519 signature of the manifest, base64) and the
definition files. A kiosk verifies the signature against the key it pinned and every
file's hash before it reads a single definition; a package that fails any check is
refused whole, and the catalog installed before stays in use.

Packages are reproducible: the same sources and key give the same bytes (Ed25519
signatures are deterministic and the zip entries carry a fixed date).

A device installs a package only if its catalog version is newer than the one it has
(a validly signed old catalog must not roll a kiosk back), and not after the signed
`expires` in its manifest, when there is one: an old package cannot be replayed forever.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import os
import re
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from forms.catalog import Catalog, build_catalog

MANIFEST_FORMAT = "ieum.package/1"
MAX_PACKAGE_BYTES = 16 * 1024 * 1024
MAX_MEMBER_BYTES = 2 * 1024 * 1024
MAX_MEMBERS = 400
_MEMBER = re.compile(r"^(catalog\.json|shared\.json|services/[a-z][a-z0-9_-]{0,62}\.json)$")
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)


class PackageError(Exception):
    """A package was refused; the message says why, for the administrator."""


@dataclass(frozen=True)
class SigningKey:
    """An Ed25519 key pair's public half with its id, as pinned on the device."""

    public: Ed25519PublicKey

    @property
    def raw(self) -> bytes:
        return self.public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @property
    def key_id(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()[:16]

    @classmethod
    def from_text(cls, text: str) -> SigningKey:
        """A public key as base64 of its 32 raw bytes (the .pub files we write)."""
        if "-----BEGIN" in text:
            raise PackageError(
                "this is a PEM file (a private key?), not a public key: give the .pub file "
                "that `python -m forms keygen` wrote beside the .pem"
            )
        try:
            raw = base64.b64decode(text.strip(), validate=True)
            return cls(Ed25519PublicKey.from_public_bytes(raw))
        except (binascii.Error, ValueError) as exc:
            raise PackageError(f"not an Ed25519 public key: {exc}") from None


def new_signing_key() -> tuple[Ed25519PrivateKey, str]:
    """A fresh key: the private key, and the public key as text for pinning."""
    private = Ed25519PrivateKey.generate()
    public = SigningKey(private.public_key())
    return private, base64.b64encode(public.raw).decode()


def private_key_pem(private: Ed25519PrivateKey) -> bytes:
    return private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The signing key in a .pem file; PackageError saying what the file is instead."""
    data = path.read_bytes()
    if b"-----BEGIN" not in data:
        raise PackageError(
            f"{path} is not a private key (a .pub file holds the public key, for devices): "
            f"sign with the .pem file that `python -m forms keygen` wrote"
        )
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise PackageError(f"{path} is not a usable private key: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise PackageError(f"{path} is not an Ed25519 private key")
    return key


def build_package(source: Path, private: Ed25519PrivateKey, expires: int = 0) -> bytes:
    """Sign the definitions in `source` (catalog.json, shared.json, services/) into a
    package; `expires` (Unix seconds), when given, is signed into the manifest."""
    files = {}
    for path in sorted(source.rglob("*.json")):
        name = path.relative_to(source).as_posix()
        if not _MEMBER.match(name):
            raise PackageError(f"{name}: not a file a package may hold")
        files[name] = path.read_bytes()
    info = json.loads(files.get("catalog.json", b"{}"))
    manifest = {
        "format": MANIFEST_FORMAT,
        "catalog_version": info.get("version", ""),
        "key_id": SigningKey(private.public_key()).key_id,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }
    if expires:
        manifest["expires"] = int(expires)
    manifest_bytes = json.dumps(manifest, indent=1, sort_keys=True).encode()
    signature = base64.b64encode(private.sign(manifest_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [("manifest.json", manifest_bytes), ("manifest.sig", signature),
                           *files.items()]:  # fmt: skip
            entry = zipfile.ZipInfo(name, _FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return out.getvalue()


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    if name not in archive.namelist():
        raise PackageError(f"missing {name}")
    info = archive.getinfo(name)
    if info.file_size > MAX_MEMBER_BYTES:
        raise PackageError(f"{name}: larger than {MAX_MEMBER_BYTES // 1024} KiB")
    with archive.open(info) as f:
        data = f.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise PackageError(f"{name}: larger than it says")
    return data


Keys = SigningKey | Sequence[SigningKey]
"""One pinned key, or several (newest first) while catalog signing keys rotate."""


def _verify_signature(keys: Keys, signature: bytes, manifest: bytes) -> None:
    pinned = [keys] if isinstance(keys, SigningKey) else list(keys)
    for key in pinned:
        try:
            key.public.verify(signature, manifest)
            return
        except InvalidSignature:
            continue
    raise PackageError(
        f"signature does not match the pinned key: the package says it was signed with "
        f"key {_claimed_key_id(manifest)}, the pinned key is "
        f"{' or '.join(k.key_id for k in pinned) or 'none'}"
    )


def _claimed_key_id(manifest: bytes) -> str:
    """The key id an (unverified) manifest names, only to word the refusal."""
    try:
        claimed = json.loads(manifest).get("key_id")
    except (ValueError, AttributeError):
        return "(unreadable)"
    if isinstance(claimed, str) and claimed.isalnum() and len(claimed) <= 64:
        return claimed
    return "(not named)"


def verify_package(data: bytes, key: Keys) -> tuple[dict[str, object], dict[str, bytes]]:
    """The manifest and the verified files, or PackageError: nothing unverified gets out."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise PackageError("package larger than 16 MiB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        if len(names) > MAX_MEMBERS or len(set(names)) != len(names):
            raise PackageError("too many or repeated files")
        manifest_bytes = _member(archive, "manifest.json")
        signature = base64.b64decode(_member(archive, "manifest.sig"), validate=True)
        _verify_signature(key, signature, manifest_bytes)
        manifest = json.loads(manifest_bytes)
        if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
            raise PackageError("manifest is not an ieum.package/1 manifest")
        listed = manifest.get("files")
        if not isinstance(listed, dict):
            raise PackageError("manifest lists no files")
        extra = set(names) - set(listed) - {"manifest.json", "manifest.sig"}
        if extra:
            raise PackageError(f"files not in the manifest: {sorted(extra)[:3]}")
        files = {}
        for name, digest in listed.items():
            if not isinstance(name, str) or not _MEMBER.match(name):
                raise PackageError(f"manifest names a file a package may not hold: {name!r}")
            content = _member(archive, name)
            if hashlib.sha256(content).hexdigest() != digest:
                raise PackageError(f"{name}: content does not match the manifest")
            files[name] = content
        return manifest, files
    except PackageError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, binascii.Error, ValueError,
            NotImplementedError, EOFError, RuntimeError, OSError) as exc:  # fmt: skip
        raise PackageError(f"not a readable package: {type(exc).__name__}") from None


def load_package(data: bytes, key: Keys, origin: str = "package") -> Catalog:
    """Verify, then load. PackageError if the package as a whole cannot be trusted."""
    manifest, files = verify_package(data, key)
    catalog = build_catalog(lambda name: files[name], files, origin)
    if catalog.version != manifest.get("catalog_version"):
        raise PackageError("catalog.json's version differs from the manifest's")
    if not catalog.profile.questions and catalog.errors:
        raise PackageError(f"unusable catalog: {catalog.errors[0]}")
    return catalog


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Catalog versions in order: 2026.11.2 after 2026.9.10; numbers compare as numbers."""
    return tuple(
        (int(part), "") if part.isdigit() and len(part) < 10 else (-1, part)
        for part in re.split(r"[.\-]", version)
    )


def check_expiry(manifest: dict[str, object], now: float) -> None:
    expires = manifest.get("expires")
    if expires is None:
        return
    if type(expires) is not int or expires <= 0:
        raise PackageError("manifest's expiry is not a time")
    if now >= expires:
        raise PackageError("package has expired")


def _installed_version(target: Path, key: Keys) -> str | None:
    """The version installed now, or None if there is none we can trust."""
    try:
        manifest, _ = verify_package(target.read_bytes(), key)
    except (OSError, PackageError):
        return None
    return str(manifest.get("catalog_version", ""))


def install_package(data: bytes, key: Keys, folder: Path, now: float | None = None) -> Catalog:
    """Verify, then keep a package as the device's catalog, atomically: only a newer
    version than the one installed, and only before its signed expiry.

    On any failure the package installed before stays in place and in use.
    """
    manifest, _ = verify_package(data, key)
    check_expiry(manifest, time.time() if now is None else now)
    catalog = load_package(data, key)
    target = folder / "catalog.ieumcat"
    installed = _installed_version(target, key)
    if installed is not None:
        if target.read_bytes() == data:
            return catalog  # the same package again: nothing to do
        if version_key(catalog.version) <= version_key(installed):
            raise PackageError(
                f"catalog {catalog.version} is not newer than the installed {installed}"
            )
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / "catalog.ieumcat.new"
    with open(temporary, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, target)
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return catalog


@dataclass(frozen=True)
class DeviceCatalog:
    catalog: Catalog
    source: str
    """"installed" (from the platform) or "bundled" (the demo catalog)."""
    refused: str = ""
    """Why an installed package was not used, for the staff dashboard and the log."""


def load_device_catalog(
    installed_folder: Path,
    bundled: Path,
    bundled_key: SigningKey,
    installed_key: Keys | None = None,
    now: float | None = None,
) -> DeviceCatalog:
    """The installed package if it verifies against the key pinned at enrollment and
    has not expired, else the bundled one (verified the same way, against the key it
    ships with)."""
    refused = ""
    installed = installed_folder / "catalog.ieumcat"
    if installed.exists():
        try:
            if installed_key is None:
                raise PackageError("no catalog signing key is pinned")
            data = installed.read_bytes()
            check_expiry(
                verify_package(data, installed_key)[0], time.time() if now is None else now
            )
            return DeviceCatalog(load_package(data, installed_key, str(installed)), "installed")
        except (PackageError, OSError) as exc:
            refused = f"installed catalog refused: {exc}"
    catalog = load_package(bundled.read_bytes(), bundled_key, str(bundled))
    return DeviceCatalog(catalog, "bundled", refused)
