"""Requests through Django's WSGI handler itself, as gunicorn calls it (so that whatever wraps
that handler, such as Sentry's request and trace capture, runs as in production), in the test's
own thread and database transaction."""

from __future__ import annotations

import io
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections


class WsgiClient:
    def __init__(self, host: str, remote_addr: str = "127.0.0.1"):
        self.host = host
        self.remote_addr = remote_addr
        self.cookies = SimpleCookie()
        self.handler = WSGIHandler()

    def request(self, method: str, url: str, body: bytes = b"", **headers: str):
        parts = urlsplit(url)
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": parts.path,
            "QUERY_STRING": parts.query,
            "SERVER_NAME": self.host,
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": self.remote_addr,
            "HTTP_HOST": self.host,
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": io.StringIO(),
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in headers.items():
            key = name.upper().replace("-", "_")
            environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        started: dict = {}

        def start_response(status, response_headers, exc_info=None):
            started["status"] = int(status.split()[0])
            started["headers"] = response_headers

        # As Django's test client does: a request's end would otherwise close the connection
        # that holds the test's transaction.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            result = self.handler(environ, start_response)
            content = b"".join(result)
            if hasattr(result, "close"):
                result.close()
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
        response_headers = {}
        for name, value in started["headers"]:
            if name.lower() == "set-cookie":
                self.cookies.load(value)
            response_headers[name.lower()] = value
        return started["status"], response_headers, content
