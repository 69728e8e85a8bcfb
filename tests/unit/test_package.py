"""Signed catalog packages: verified before use; a bad one is refused and the old one stays."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path

import pytest

from forms.package import (
    PackageError,
    SigningKey,
    build_package,
    install_package,
    load_device_catalog,
    load_package,
    load_private_key,
    new_signing_key,
)
from tests.conftest import ROOT
from tests.unit.forms_fixtures import SOURCE

CATALOG = ROOT / "resources" / "catalog"
DEMO_KEY = SigningKey.from_text((CATALOG / "DEMO-ONLY-signing-key.pub").read_text())
DEMO_PRIVATE = load_private_key(CATALOG / "DEMO-ONLY-signing-key.pem")


def _rewrite(data: bytes, change: dict[str, bytes | None]) -> bytes:
    """The same package with some members replaced (bytes) or removed (None)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            if name in change:
                if change[name] is not None:
                    target.writestr(name, change[name])  # type: ignore[arg-type]
            else:
                target.writestr(name, source.read(name))
        for name, content in change.items():
            if name not in source.namelist() and content is not None:
                target.writestr(name, content)
    return out.getvalue()


def test_the_bundled_package_is_signed_and_up_to_date() -> None:
    """Rebuilding from source/ gives the same signed manifest: run `make catalog` if not."""
    rebuilt = zipfile.ZipFile(io.BytesIO(build_package(SOURCE, DEMO_PRIVATE)))
    shipped = zipfile.ZipFile(CATALOG / "demo.ieumcat")
    for name in ("manifest.json", "manifest.sig"):
        assert rebuilt.read(name) == shipped.read(name), "run `make catalog`"
    catalog = load_package((CATALOG / "demo.ieumcat").read_bytes(), DEMO_KEY)
    assert catalog.errors == [] and len(catalog.services) >= 8


@pytest.fixture(scope="module")
def package() -> bytes:
    return build_package(SOURCE, DEMO_PRIVATE)


def test_a_package_signed_with_another_key_is_refused(package: bytes) -> None:
    other, _ = new_signing_key()
    with pytest.raises(PackageError, match="signature"):
        load_package(build_package(SOURCE, other), DEMO_KEY)


def test_a_changed_definition_is_refused(package: bytes) -> None:
    name = "services/digital-device-access.json"
    document = json.loads(zipfile.ZipFile(io.BytesIO(package)).read(name))
    document["eligibility"] = []
    with pytest.raises(PackageError, match="does not match the manifest"):
        load_package(_rewrite(package, {name: json.dumps(document).encode()}), DEMO_KEY)


def test_an_extra_file_is_refused(package: bytes) -> None:
    with pytest.raises(PackageError, match="not in the manifest"):
        load_package(_rewrite(package, {"services/extra.json": b"{}"}), DEMO_KEY)


def test_a_changed_manifest_is_refused(package: bytes) -> None:
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(package)).read("manifest.json"))
    manifest["catalog_version"] = "9999"
    changed = _rewrite(package, {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(PackageError, match="signature"):
        load_package(changed, DEMO_KEY)


@pytest.mark.parametrize(
    "data",
    [b"", b"not a zip", b"PK\x03\x04" + b"\x00" * 100, b"\x00" * 20_000_000],
)
def test_garbage_is_refused_not_crashed(data: bytes) -> None:
    with pytest.raises(PackageError):
        load_package(data, DEMO_KEY)


def test_missing_signature_and_bad_base64_are_refused(package: bytes) -> None:
    with pytest.raises(PackageError, match=r"missing manifest\.sig"):
        load_package(_rewrite(package, {"manifest.sig": None}), DEMO_KEY)
    with pytest.raises(PackageError):
        load_package(_rewrite(package, {"manifest.sig": b"!!not base64!!"}), DEMO_KEY)


def test_install_keeps_the_last_good_catalog(tmp_path: Path, package: bytes) -> None:
    folder = tmp_path / "catalog"
    install_package(package, DEMO_KEY, folder)
    good = (folder / "catalog.ieumcat").read_bytes()
    bad = _rewrite(package, {"catalog.json": b"{}"})
    with pytest.raises(PackageError):
        install_package(bad, DEMO_KEY, folder)
    assert (folder / "catalog.ieumcat").read_bytes() == good
    loaded = load_device_catalog(folder, CATALOG / "demo.ieumcat", DEMO_KEY, DEMO_KEY)
    assert loaded.source == "installed" and loaded.refused == ""


def test_a_damaged_installed_catalog_falls_back_to_the_bundled_one(tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "catalog.ieumcat").write_bytes(b"damaged by a power cut")
    loaded = load_device_catalog(folder, CATALOG / "demo.ieumcat", DEMO_KEY, DEMO_KEY)
    assert loaded.source == "bundled" and "refused" in loaded.refused
    assert len(loaded.catalog.services) >= 8


def test_public_keys_are_checked_when_read() -> None:
    with pytest.raises(PackageError):
        SigningKey.from_text("not base64!")
    with pytest.raises(PackageError):
        SigningKey.from_text(base64.b64encode(b"short").decode())
