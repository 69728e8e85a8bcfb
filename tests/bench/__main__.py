"""Print the benchmark table: each figure against a baseline from the same run, as medians.

python -m tests.bench [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.bench.table import Row, print_table

ROOT = Path(__file__).resolve().parents[2]


def _start(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a program that prints shown_at=<epoch> on first paint; (ms to shown, peak RSS MB)."""
    started = time.time()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0 or "shown_at=" not in output:
        raise RuntimeError(f"{command} failed ({status}): {output[-500:]}")
    shown = float(output.split("shown_at=")[1].split()[0])
    return (shown - started) * 1000, usage.ru_maxrss / 1024


def startup_rows(runs: int) -> list[Row]:
    import compileall

    # Byte-code first, as the package has it (built at packaging time): with
    # PYTHONDONTWRITEBYTECODE set, each start would otherwise compile every module again.
    for package in ("kiosk", "forms", "sync"):
        compileall.compile_dir(ROOT / package, quiet=1)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory(prefix="ieum-bench-") as data:
        kiosk = [
            sys.executable,
            "main.py",
            "--quit-when-shown",
            "--data",
            data,
            "--platform",
            "http://127.0.0.1:9",
        ]
        bare = [sys.executable, str(Path(__file__).parent / "bare_window.py")]
        samples: dict[str, list[tuple[float, float]]] = {"kiosk": [], "bare": []}
        _start(kiosk, env)  # warm the disk cache and the store: "cold" means a new process
        _start(bare, env)
        for _ in range(runs):  # interleaved, so both see the same machine
            samples["kiosk"].append(_start(kiosk, env))
            samples["bare"].append(_start(bare, env))
    med: Callable[[str, int], float] = lambda who, i: statistics.median(s[i] for s in samples[who])  # noqa: E731
    return [
        Row(
            "cold start to welcome shown",
            med("kiosk", 0),
            med("bare", 0),
            "bare PySide6 window",
            "ms",
        ),
        Row("peak RSS at welcome", med("kiosk", 1), med("bare", 1), "bare PySide6 window", "MB"),
    ]


def catalog_rows(runs: int) -> list[Row]:
    """Loading and verifying a signed 50-service catalog, against unzipping and parsing it."""
    import io
    import json
    import shutil
    import zipfile

    from forms.package import SigningKey, build_package, load_package, new_signing_key

    source = ROOT / "resources" / "catalog" / "source"
    originals = sorted((source / "services").glob("*.json"))
    with tempfile.TemporaryDirectory(prefix="ieum-bench-catalog-") as tmp:
        folder = Path(tmp)
        shutil.copy(source / "catalog.json", folder)
        shutil.copy(source / "shared.json", folder)
        (folder / "services").mkdir()
        for n in range(50):
            document = json.loads(originals[n % len(originals)].read_text(encoding="utf-8"))
            document["id"] = f"{document['id']}-{n:02}"
            (folder / "services" / f"{document['id']}.json").write_text(
                json.dumps(document, ensure_ascii=False), encoding="utf-8"
            )
        private, public = new_signing_key()
        package = build_package(folder, private)
    key = SigningKey.from_text(public)

    def floor() -> None:
        archive = zipfile.ZipFile(io.BytesIO(package))
        for name in archive.namelist():
            if name.endswith(".json"):
                json.loads(archive.read(name))

    def load() -> None:
        catalog = load_package(package, key)
        assert len(catalog.services) == 50 and not catalog.errors

    load()  # compile the schema validators once, as a running kiosk has
    times: dict[str, list[float]] = {"load": [], "floor": []}
    for _ in range(max(runs, 5)):
        for name, work in (("load", load), ("floor", floor)):
            started = time.perf_counter()
            work()
            times[name].append((time.perf_counter() - started) * 1000)
    return [
        Row("load + verify 50-service catalog", statistics.median(times["load"]),
            statistics.median(times["floor"]), "unzip + json.loads only", "ms", "<= 100 ms"),
    ]  # fmt: skip


def enqueue_rows(runs: int) -> list[Row]:
    """A durable sealed enqueue, against its floor: the same HPKE seal plus a bare
    durable SQLite insert (WAL, synchronous=FULL, one transaction), interleaved."""
    import sqlite3

    from sync.sealing import Binding, PlatformPrivateKey, canonical_json, seal_application
    from sync.store import Store
    from sync.submission import submit_application

    key = PlatformPrivateKey.generate(kem="MLKEM768-X25519-HKDF-SHA256/AES-256-GCM").public()
    payload = {
        "service": {"id": "digital-device-access", "version": "2026.1"},
        "answers": {"household_size": 3, "name_for_loan": "Test Resident", "device": "tablet"},
    }
    samples = max(runs, 5) * 40
    with tempfile.TemporaryDirectory(prefix="ieum-bench-store-") as tmp:
        store = Store(Path(tmp) / "ieum.db")
        bare = sqlite3.connect(Path(tmp) / "bare.db", isolation_level=None)
        bare.execute("PRAGMA journal_mode=WAL")
        bare.execute("PRAGMA synchronous=FULL")
        bare.execute("CREATE TABLE t (id TEXT PRIMARY KEY, sealed BLOB)")
        times: dict[str, list[float]] = {"store": [], "floor": []}
        for n in range(samples):
            started = time.perf_counter()
            submit_application(store, payload, key, time.time())
            times["store"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            binding = Binding(f"id-{n}", "digital-device-access", "2026.1", "device")
            sealed = seal_application(canonical_json(payload), key, binding)
            bare.execute("BEGIN IMMEDIATE")
            bare.execute("INSERT INTO t VALUES (?, ?)", (f"id-{n}", sealed))
            bare.execute("COMMIT")
            times["floor"].append((time.perf_counter() - started) * 1000)
        store.close()
        bare.close()
    return [
        Row("durable sealed enqueue", statistics.median(times["store"]),
            statistics.median(times["floor"]), "HPKE seal + bare durable insert", "ms",
            "<= 1.5x"),
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench")
    parser.add_argument("--runs", type=int, default=7, help="samples per figure (median)")
    args = parser.parse_args()
    print(f"Ieum benchmarks: medians of {args.runs} runs, {os.cpu_count()} cores", flush=True)
    from tests.bench.fleet_run import fleet_rows
    from tests.bench.journey_bench import journey_rows
    from tests.bench.small_machine import small_machine_rows
    from tests.bench.speech_rows import speech_rows
    from tests.bench.sync_rows import sync_rows

    rows = startup_rows(args.runs) + catalog_rows(args.runs) + enqueue_rows(args.runs)
    rows += sync_rows(args.runs) + journey_rows(args.runs) + speech_rows(args.runs)
    rows += small_machine_rows(args.runs)
    rows += fleet_rows(args.runs)
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
