"""Both ends of "Call staff" on the Qt event loop (the datagrams are sync.staffcall's).

The kiosk sends its signed call to the desk set in its settings and resends the same
datagram every `RESEND_MS` until the desk answers that call's nonce or `GIVE_UP_MS`
passes: a lost packet on a busy LAN costs a quarter of a second, not the call. Nothing
blocks: the socket is Qt's, and a desk given by name is looked up asynchronously.
"""

from __future__ import annotations

import logging
import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtNetwork import QAbstractSocket, QHostAddress, QHostInfo, QUdpSocket

from sync.staffcall import (
    MAX_DATAGRAM,
    Call,
    CallChecker,
    CallRefused,
    ack_datagram,
    call_datagram,
    desk_address,
    new_nonce,
    read_ack,
)

log = logging.getLogger(__name__)

RESEND_MS = 250
GIVE_UP_MS = 3000
"""After this long without the desk's answer the kiosk sends the resident to the front
desk instead (the desk answers within milliseconds when it is running)."""


class StaffCaller(QObject):
    """The kiosk's end: one call at a time, answered (True) or not (False)."""

    answered = Signal(bool)

    def __init__(self, desk: str, device_id: str, key: Ed25519PrivateKey) -> None:
        super().__init__()
        self.host, self.port = desk_address(desk)
        self.device_id = device_id
        self._key = key
        self._socket = QUdpSocket(self)
        self._socket.readyRead.connect(self._read)
        self._resend = QTimer(self)
        self._resend.setInterval(RESEND_MS)
        self._resend.timeout.connect(self._send)
        self._give_up = QTimer(self)
        self._give_up.setSingleShot(True)
        self._give_up.setInterval(GIVE_UP_MS)
        self._give_up.timeout.connect(lambda: self._finish(False))
        self._address: QHostAddress | None = None
        self._nonce = ""
        self._datagram = b""

    @property
    def calling(self) -> bool:
        return self._give_up.isActive()

    def call(self) -> None:
        """Call the desk (a tap while a call is under way joins that call)."""
        if self.calling:
            return
        self._nonce = new_nonce()
        self._datagram = call_datagram(self._key, self.device_id, time.time(), self._nonce)
        self._give_up.start()
        literal = QHostAddress(self.host)
        if not literal.isNull():
            self._start(literal)
        else:
            QHostInfo.lookupHost(self.host, self._looked_up)  # type: ignore[call-overload]

    def _looked_up(self, info: QHostInfo) -> None:
        if not self.calling:
            return
        found = info.addresses()
        if not found:
            log.warning("staff call: the desk's name did not resolve")
            self._finish(False)
            return
        self._start(found[0])

    def _start(self, address: QHostAddress) -> None:
        if self._socket.state() != QAbstractSocket.SocketState.BoundState:
            any_address = (
                QHostAddress.SpecialAddress.AnyIPv6
                if address.protocol() == QAbstractSocket.NetworkLayerProtocol.IPv6Protocol
                else QHostAddress.SpecialAddress.AnyIPv4
            )
            self._socket.bind(QHostAddress(any_address), 0)
        self._address = address
        self._send()
        self._resend.start()

    @Slot()
    def _send(self) -> None:
        if self._address is not None:
            self._socket.writeDatagram(self._datagram, self._address, self.port)

    @Slot()
    def _read(self) -> None:
        while self._socket.hasPendingDatagrams():
            datagram = self._socket.receiveDatagram(MAX_DATAGRAM)
            if self.calling and read_ack(bytes(datagram.data().data())) == self._nonce:
                self._finish(True)

    def _finish(self, answered: bool) -> None:
        self._resend.stop()
        self._give_up.stop()
        self._address = None
        log.info("staff call %s", "answered by the desk" if answered else "not answered")
        self.answered.emit(answered)


class CallListener(QObject):
    """The desk's end: good calls from the site's paired kiosks, each answered at once
    and announced once (`called`); anything else is logged and dropped."""

    called = Signal(object)
    """A sync.staffcall.Call, the first time it arrives."""

    def __init__(self, checker: CallChecker, port: int, host: str = "0.0.0.0") -> None:
        super().__init__()
        self.checker = checker
        self._socket = QUdpSocket(self)
        if not self._socket.bind(QHostAddress(host), port):
            raise OSError(f"staff calls: cannot listen on UDP port {port}: "
                          f"{self._socket.errorString()}")  # fmt: skip
        self.port = self._socket.localPort()
        self._socket.readyRead.connect(self._read)

    @Slot()
    def _read(self) -> None:
        while self._socket.hasPendingDatagrams():
            datagram = self._socket.receiveDatagram(MAX_DATAGRAM + 1)
            try:
                call: Call = self.checker.check(bytes(datagram.data().data()), time.time())
            except CallRefused as refused:
                log.warning("staff call refused: %s", refused)
                continue
            self._socket.writeDatagram(
                ack_datagram(call.nonce), datagram.senderAddress(), datagram.senderPort()
            )
            if not call.repeat:
                log.info("staff call from kiosk %s", call.kiosk.device_id)
                self.called.emit(call)

    def close(self) -> None:
        self._socket.close()
