"""A TCP relay on loopback that breaks off the connection after a number of bytes from the
server: a server (or a network) that drops the connection in the middle of a fetch."""

from __future__ import annotations

import contextlib
import socket
import threading


class DroppingRelay:
    def __init__(self, target_port: int, *, drop_after: int | None) -> None:
        self.target_port = target_port
        self.drop_after = drop_after
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.dropped = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._pipe, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, True), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, counted: bool) -> None:
        sent = 0
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if counted and self.drop_after is not None and sent + len(data) > self.drop_after:
                    sink.sendall(data[: max(0, self.drop_after - sent)])
                    self.dropped.set()
                    break
                sink.sendall(data)
                sent += len(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def close(self) -> None:
        self.listener.close()
