"""The published test vectors (reference_platform/test-vectors) against the code.

A city team writing its receiver in Java or Go checks itself against these files; if
the code and the files ever drift apart, one of them is wrong and this says which vector.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from reference_platform.vectors import (
    DEFAULT_DIR,
    HPKE_FILE,
    SIGNATURE_FILE,
    check,
    main,
    signature_vectors,
)


def test_the_published_vectors_hold_for_the_code() -> None:
    assert check(DEFAULT_DIR) == []
    assert main(["check"]) == 0


def test_the_signature_vectors_are_what_the_generator_makes() -> None:
    published = json.loads((DEFAULT_DIR / SIGNATURE_FILE).read_text(encoding="utf-8"))
    assert published == signature_vectors()  # deterministic: regenerating changes nothing


def test_a_spoiled_vector_is_caught(tmp_path: Path) -> None:
    for name in (SIGNATURE_FILE, HPKE_FILE):
        shutil.copy(DEFAULT_DIR / name, tmp_path / name)
    signatures = json.loads((tmp_path / SIGNATURE_FILE).read_text(encoding="utf-8"))
    signatures["valid"][1]["target"] = "/v1/status?since=13&limit=200"
    (tmp_path / SIGNATURE_FILE).write_text(json.dumps(signatures), encoding="utf-8")
    hpke = json.loads((tmp_path / HPKE_FILE).read_text(encoding="utf-8"))
    hpke["binding"]["device_id"] = "dev-test-vector-0003"
    (tmp_path / HPKE_FILE).write_text(json.dumps(hpke), encoding="utf-8")
    problems = check(tmp_path)
    assert any(p.startswith("valid[1]") for p in problems)
    assert any("does not open" in p for p in problems)
    assert any(p.startswith("info") for p in problems)
