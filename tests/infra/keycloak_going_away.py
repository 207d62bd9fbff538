"""Keycloak going away in the middle of a Terraform apply, played by a TCP proxy in front of
the real Keycloak: it forwards everything until the first request whose start holds `trigger`;
from then on it forwards no new request (that one included) and accepts no new connection, while
answers to requests Keycloak already has still reach Terraform. So Keycloak stops between two
requests, as when it is shut down: nothing is half made, and Terraform's state knows all that
was made before."""

from __future__ import annotations

import select
import socket
import threading


class GoingAway:
    def __init__(self, upstream_port: int, trigger: bytes):
        self.upstream_port, self.trigger = upstream_port, trigger
        self.gone = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            if self.gone.is_set():
                client.close()
                continue
            threading.Thread(target=self._pump, args=(client,), daemon=True).start()

    def _pump(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        peers = {client: upstream, upstream: client}
        try:
            while True:
                ready, _w, _x = select.select(list(peers), [], [], 30)
                if not ready:
                    return
                for source in ready:
                    data = source.recv(65536)
                    if not data:
                        return
                    if source is client:
                        if self.trigger in data.split(b"\r\n", 1)[0]:
                            self.gone.set()
                        if self.gone.is_set():
                            return  # a request Keycloak never sees
                    peers[source].sendall(data)
        except OSError:
            return
        finally:
            client.close()
            upstream.close()

    def close(self) -> None:
        self.listener.close()
