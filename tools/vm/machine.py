"""One QEMU machine for the boot test, driven from outside as a person and a technician
would: the screen (QMP screendump), taps on the touch screen (QMP input-send-event to a
USB tablet), the power button (system_reset, quit) and a root shell on the serial
console.

TCG, not KVM: the KVM here is nested and its CPU lacks SSE3, which Qt needs. The network
is QEMU's user network with restrict=on, so the machine reaches nothing but the one
guestfwd address, which is relayed to a platform on the host's loopback.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from tools.vm.image import Base

PLATFORM_ADDRESS = ("10.0.2.100", 8000)
"""Where the machine finds the platform (relayed to the host's loopback)."""
SCREEN = (1920, 1080)
ABS_MAX = 0x7FFF  # QEMU's range for absolute pointer axes


class QMP:
    """QEMU's machine protocol: one JSON object a line."""

    def __init__(self, path: Path, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(str(path))
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.file = self.sock.makefile("rwb")
        self._read()  # the greeting
        self.execute("qmp_capabilities")

    def _read(self) -> dict[str, Any]:
        line = self.file.readline()
        if not line:
            raise ConnectionError("QMP closed")
        return dict(json.loads(line))

    def execute(self, command: str, **arguments: Any) -> Any:
        message: dict[str, Any] = {"execute": command}
        if arguments:
            message["arguments"] = arguments
        self.file.write(json.dumps(message).encode() + b"\n")
        self.file.flush()
        while True:
            reply = self._read()
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise RuntimeError(f"QMP {command}: {reply['error']}")

    def close(self) -> None:
        self.file.close()
        self.sock.close()


class Serial:
    """The serial console, where systemd's autologin gives root a shell."""

    def __init__(self, path: Path, log: Path, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(str(path))
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.buffer = ""
        self.lock = threading.Condition()
        self.log = open(log, "a", encoding="utf-8", errors="replace")  # noqa: SIM115
        self.count = 0
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                data = b""
            if not data:
                return
            text = data.decode("utf-8", errors="replace").replace("\r", "")
            self.log.write(text)
            self.log.flush()
            with self.lock:
                self.buffer += text
                self.lock.notify_all()

    def write(self, text: str) -> None:
        self.sock.sendall(text.encode())

    def wait_for(self, pattern: str, timeout: float) -> re.Match[str]:
        """Wait until `pattern` appears in what the console printed since the last match."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        with self.lock:
            while True:
                found = regex.search(self.buffer)
                if found:
                    self.buffer = self.buffer[found.end() :]
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no {pattern!r} on the serial console")
                self.lock.wait(left)

    def shell(self, timeout: float = 300.0) -> None:
        """Wait for root's prompt (autologin), and make the shell quiet and plain."""
        deadline = time.monotonic() + timeout
        while True:
            self.write("\n")
            try:
                self.wait_for(r"root@[\w-]+:[^\n]*# ", 5)
                break
            except TimeoutError:
                if time.monotonic() > deadline:
                    raise
        self.run("stty -echo cols 500; export SYSTEMD_PAGER= SYSTEMD_COLORS=0 TERM=dumb")

    def run(self, command: str, timeout: float = 120.0, check: bool = True) -> str:
        """Run a shell command as root in the machine; its output."""
        self.count += 1
        n = self.count
        with self.lock:
            self.buffer = ""
        self.write(f"echo @@B$(({n}+0)); {command}; echo @@E$(({n}+0)):$?\n")
        self.wait_for(rf"@@B{n}\n", timeout)
        found = self.wait_for(rf"([\s\S]*?)@@E{n}:(\d+)\n", timeout)
        output, status = found.group(1), int(found.group(2))
        if check and status != 0:
            raise RuntimeError(f"{command!r} exited {status}: {output[-2000:]}")
        return output

    def close(self) -> None:
        self.sock.close()
        self.log.close()


class Machine:
    """A QEMU process: the disk, the kernel, a virtio GPU at 1920×1080, a USB tablet."""

    def __init__(self, base: Base, disk: Path, work: Path, platform_port: int) -> None:
        self.base = base
        self.disk = disk
        self.work = work
        self.platform_port = platform_port
        self.process: subprocess.Popen[bytes] | None = None
        self.powered_on = 0.0

    def command(self) -> list[str]:
        relay = f"{sys.executable} -m tools.vm.relay {self.platform_port}"
        host, port = PLATFORM_ADDRESS
        width, height = SCREEN
        return [
            "qemu-system-x86_64",
            "-accel", "tcg", "-cpu", "max", "-smp", "2", "-m", "2048",
            "-kernel", str(self.base.kernel), "-initrd", str(self.base.initrd),
            "-append", "root=/dev/vda rw console=ttyS0,115200 quiet loglevel=3 "
            "systemd.show_status=0 net.ifnames=1",
            "-drive", f"file={self.disk},format=raw,if=virtio",
            "-device", f"virtio-vga,xres={width},yres={height}",
            "-device", "qemu-xhci", "-device", "usb-tablet",
            "-netdev", f"user,id=net0,restrict=on,guestfwd=tcp:{host}:{port}-cmd:{relay}",
            "-device", "virtio-net-pci,netdev=net0",
            "-qmp", f"unix:{self.work / 'qmp.sock'},server=on,wait=off",
            "-serial", f"unix:{self.work / 'serial.sock'},server=on,wait=off",
            "-display", "none", "-rtc", "base=utc",
        ]  # fmt: skip

    def start(self) -> None:
        for name in ("qmp.sock", "serial.sock"):
            (self.work / name).unlink(missing_ok=True)
        log = open(self.work / "qemu.log", "ab")  # noqa: SIM115 - the child keeps it
        root = Path(__file__).resolve().parents[2]
        env = dict(os.environ, PYTHONPATH=str(root))
        self.powered_on = time.monotonic()
        self.process = subprocess.Popen(
            self.command(), stdout=log, stderr=subprocess.STDOUT, cwd=root, env=env
        )
        log.close()
        self.qmp = QMP(self.work / "qmp.sock")
        self.serial = Serial(self.work / "serial.sock", self.work / "serial.log")

    def screendump(self, path: Path) -> Path:
        self.qmp.execute("screendump", filename=str(path))
        return path

    def tap(self, x: int, y: int, hold: float = 0.15) -> None:
        """A finger on the screen at pixel (x, y), then lifted."""
        width, height = SCREEN
        ax = round(x * ABS_MAX / (width - 1))
        ay = round(y * ABS_MAX / (height - 1))
        move = [
            {"type": "abs", "data": {"axis": "x", "value": ax}},
            {"type": "abs", "data": {"axis": "y", "value": ay}},
        ]
        self.qmp.execute("input-send-event", events=move)
        time.sleep(0.05)
        down = {"type": "btn", "data": {"down": True, "button": "left"}}
        self.qmp.execute("input-send-event", events=[down])
        time.sleep(hold)
        up = {"type": "btn", "data": {"down": False, "button": "left"}}
        self.qmp.execute("input-send-event", events=[up])
        # A finger leaves the glass; a pointer stays and would light up what is under it
        # (hover). Parked in the bottom-left corner, where no control is.
        rest = [
            {"type": "abs", "data": {"axis": "x", "value": 0}},
            {"type": "abs", "data": {"axis": "y", "value": ABS_MAX}},
        ]
        self.qmp.execute("input-send-event", events=rest)

    def reset(self) -> None:
        """The reset button: no shutdown, no flush, the machine starts again."""
        self.powered_on = time.monotonic()
        self.qmp.execute("system_reset")

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(OSError, RuntimeError, ConnectionError):
            self.qmp.execute("quit")
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.serial.close()
        self.qmp.close()
        self.process = None
