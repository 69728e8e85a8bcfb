"""Start the reference platform as a real process on loopback, for the demo and the tests."""

from __future__ import annotations

import resource
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

NO_DEVICE_LIMITS = ("--device-rate", "1000000", "--device-burst", "1000000",
                    "--daily-submissions", "1000000000")  # fmt: skip
"""For batteries and benchmarks, whose one device sends in minutes what kiosks send in
months: per-device limits have their own tests (test_platform_limits)."""


@dataclass
class LocalPlatform:
    process: subprocess.Popen[bytes]
    url: str
    data: Path
    database: str | None = None
    """Its database URL; None: the data folder's SQLite file."""

    def new_token(self, label: str = "") -> str:
        """A one-time enrollment token, as staff would create with `token`."""
        from reference_platform.storage import PlatformStorage

        storage = PlatformStorage(self.data, database=self.database)
        try:
            return storage.devices.new_token(time.time(), label)
        finally:
            storage.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_local_platform(
    data: Path,
    port: int = 0,
    timeout: float = 30.0,
    catalog_key: Path | None = None,
    tls: tuple[Path, Path] | None = None,
    extra_args: tuple[str, ...] = (),
    soft_file_limit: int | None = None,
    database: str | None = None,
) -> LocalPlatform:
    """Run `python -m reference_platform serve` and wait until it answers.

    `soft_file_limit` starts it with that soft limit on open files, as a Debian service
    gets (1,024), to see that it lifts it itself."""
    preexec = None
    if soft_file_limit is not None:

        def preexec() -> None:
            hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft_file_limit, hard))

    data.mkdir(parents=True, exist_ok=True)
    port_file = data / "port"
    port_file.unlink(missing_ok=True)
    log = open(data / "platform.log", "ab")  # noqa: SIM115 - handed to the child process
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reference_platform",
            "serve",
            "--data",
            str(data),
            "--port",
            str(port),
            "--port-file",
            str(port_file),
            *(["--catalog-key", str(catalog_key)] if catalog_key else []),
            *(["--tls-cert", str(tls[0]), "--tls-key", str(tls[1])] if tls else []),
            *(["--database", database] if database else []),
            *extra_args,
        ],
        preexec_fn=preexec,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=Path(__file__).resolve().parents[1],
    )
    log.close()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"reference platform exited; see {data / 'platform.log'}")
        if port_file.exists():
            scheme = "https" if tls else "http"
            url = f"{scheme}://127.0.0.1:{port_file.read_text().strip()}"
            try:
                verify: ssl.SSLContext | bool = True
                if tls:  # a test or demo certificate is its own authority
                    verify = ssl.create_default_context(cafile=str(tls[0]))
                probe = httpx.get(url + "/v1/health", timeout=2, verify=verify)
                if probe.status_code == 200:
                    return LocalPlatform(process, url, data, database)
            except httpx.HTTPError:
                pass
        time.sleep(0.05)
    process.kill()
    raise RuntimeError("reference platform did not start in time")
