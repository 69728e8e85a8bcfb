"""systemd's watchdog, fed from the Qt event loop: a frozen screen stops the pings.

Under ieum-kiosk.service (Type=notify, WatchdogSec=) systemd sets NOTIFY_SOCKET and
WATCHDOG_USEC. The kiosk says READY=1 once its first screen is up, then WATCHDOG=1 from
a QTimer at a third of the interval; if the event loop stops turning (a deadlock, a
SIGSTOP, a runaway slot), the pings stop and systemd restarts the kiosk. The protocol is
one datagram on a unix socket, so no library is needed (sd_notify(3) describes it).
Outside systemd (no NOTIFY_SOCKET) nothing happens.
"""

from __future__ import annotations

import logging
import os
import socket

from PySide6.QtCore import QTimer

log = logging.getLogger(__name__)


def notify(message: str, address: str | None = None) -> bool:
    """Send one sd_notify message; whether it went. An address starting with @ is in
    the abstract namespace."""
    address = address if address is not None else os.environ.get("NOTIFY_SOCKET", "")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(message.encode())
        return True
    except OSError as problem:
        log.warning("cannot notify systemd: %s", problem.strerror or problem)
        return False


def start_watchdog(timer: QTimer) -> bool:
    """Tell systemd the kiosk is ready and, if it asked for a watchdog, ping it from
    `timer` (which the caller keeps alive) on the event loop. Whether systemd is there.

    The variables are taken out of the environment, so that the kiosk's own child
    processes (the speech worker) cannot speak for it."""
    address = os.environ.pop("NOTIFY_SOCKET", "")
    usec = os.environ.pop("WATCHDOG_USEC", "")
    pid = os.environ.pop("WATCHDOG_PID", "")
    if not address:
        return False
    notify("READY=1", address)
    if not usec.isdigit() or int(usec) == 0 or (pid and pid != str(os.getpid())):
        return True
    interval_ms = max(int(usec) // 3000, 100)
    timer.setInterval(interval_ms)
    timer.timeout.connect(lambda: notify("WATCHDOG=1", address))
    timer.start()
    notify("WATCHDOG=1", address)
    log.info("systemd watchdog: a ping every %d ms", interval_ms)
    return True
