"""The stdlib request handler that feeds the catalog server's `handle` from real sockets.

Nothing is printed: the TUI owns the terminal. A client that gave up (a timeout fault makes
them) leaves a closed socket behind; writing to it is expected, not an error to report.
"""

from __future__ import annotations

import logging
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from matinee.demo.http_util import Response, parse_int

__all__ = ["QuietHTTPServer", "RequestHandlerTarget", "make_handler"]

log = logging.getLogger(__name__)


class QuietHTTPServer(ThreadingHTTPServer):
    """A `ThreadingHTTPServer` that logs request errors instead of printing tracebacks."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("demo catalog server: error serving %s", client_address, exc_info=True)


class RequestHandlerTarget(Protocol):
    """What the handler calls: the server's `handle`."""

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes = b""
    ) -> Response: ...


def make_handler(server: RequestHandlerTarget) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects from a real API
        server_version = "matinee-demo"
        sys_version = ""

        def _answer(self, method: str) -> None:
            headers = {key.lower(): value for key, value in self.headers.items()}
            length = parse_int(headers.get("content-length"))
            body = self.rfile.read(length) if length else b""  # keeps keep-alive in sync
            status, extra, data = server.handle(method, self.path, headers, body)
            try:
                self.send_response(status)
                for key, value in extra.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if method != "HEAD":
                    self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client stopped waiting

        def do_GET(self) -> None:
            self._answer("GET")

        def do_HEAD(self) -> None:
            self._answer("HEAD")

        def do_POST(self) -> None:
            self._answer("POST")

        def log_message(self, format: str, *args: Any) -> None:
            """Silence the default stderr access log (the TUI owns the terminal)."""

    return Handler
