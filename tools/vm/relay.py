"""One connection from the machine to the platform on the host's loopback: QEMU's
guestfwd runs this per connection with the connection on stdin and stdout."""

from __future__ import annotations

import os
import socket
import sys
import threading


def relay(port: int) -> None:
    upstream = socket.create_connection(("127.0.0.1", port))

    def inbound() -> None:
        while data := os.read(0, 65536):
            upstream.sendall(data)
        upstream.shutdown(socket.SHUT_WR)

    threading.Thread(target=inbound, daemon=True).start()
    out = sys.stdout.buffer
    while data := upstream.recv(65536):
        out.write(data)
        out.flush()
    upstream.close()


if __name__ == "__main__":
    relay(int(sys.argv[1]))
