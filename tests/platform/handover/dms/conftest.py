"""A real WebDAV share (wsgidav on loopback, served by a WSGI server thread) for the `dms`
backend's tests, started once per session."""

from __future__ import annotations

import logging
import shutil
import socketserver
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from wsgidav.wsgidav_app import WsgiDAVApp

from tests.helpers.dms import PASSWORD, USER


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _Body:
    """The request body, ending at Content-Length: wsgiref hands over the raw socket, and
    wsgidav reads a PUT's body until the stream ends (as cheroot's or gunicorn's do)."""

    def __init__(self, stream, length: int):
        self.stream, self.left = stream, length

    def read(self, size: int = -1) -> bytes:
        size = self.left if size is None or size < 0 else min(size, self.left)
        data = self.stream.read(size) if size else b""
        self.left -= len(data)
        return data


def _bounded_body(app):
    def wrapped(environ, start_response):
        environ["wsgi.input"] = _Body(
            environ["wsgi.input"], int(environ.get("CONTENT_LENGTH") or 0)
        )
        return app(environ, start_response)

    return wrapped


@pytest.fixture(scope="session")
def webdav(tmp_path_factory):
    """(base URL of the share, its folder on disk); user USER, password PASSWORD."""
    root = tmp_path_factory.mktemp("webdav")
    logging.getLogger("wsgidav").setLevel(logging.WARNING)
    app = WsgiDAVApp(
        {
            "provider_mapping": {"/share": str(root)},
            "simple_dc": {"user_mapping": {"*": {USER: {"password": PASSWORD}}}},
            "http_authenticator": {
                "accept_basic": True,
                "accept_digest": False,
                "default_to_digest": False,
            },
            "verbose": 1,
            "logging": {"enable_loggers": []},
        }
    )
    server = make_server(
        "127.0.0.1",
        0,
        _bounded_body(app),
        server_class=_ThreadingServer,
        handler_class=_QuietHandler,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/share", root
    server.shutdown()
    server.server_close()


@pytest.fixture
def share(webdav, request):
    """A fresh, not yet existing folder on the share for one test: (its URL, its path)."""
    base, root = webdav
    name = request.node.name.replace("[", "-").replace("]", "")[:60]
    shutil.rmtree(root / name, ignore_errors=True)
    return f"{base}/{name}/", root / name
