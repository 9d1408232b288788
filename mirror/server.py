"""The HTTP core of the mirror: one small site per real web site, each on its own port.

A site is a route table (path regex -> handler) plus its content. The server is the stdlib
``ThreadingHTTPServer`` because it lets us write the socket by hand, which is what fault
injection needs (truncated bodies, connection resets, slow answers). Every request is recorded
in an in-memory access log, optionally appended to a JSON Lines file, so tests can assert what a
crawler fetched.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import struct
import threading
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urlsplit

# Request headers worth keeping in the access log: they show whether a crawler is polite
# (user agent), caches (conditional headers) and keeps cookies or a language.
LOGGED_REQUEST_HEADERS = ("User-Agent", "If-None-Match", "If-Modified-Since", "Cookie", "Accept-Language")
LOGGED_RESPONSE_HEADERS = ("Content-Type", "Location", "Set-Cookie", "Content-Disposition")


@dataclass
class Request:
    method: str
    path: str  # percent-encoded, as sent
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lower-cased
    cookies: dict[str, str]
    base_url: str  # the mirror's own base URL, e.g. http://127.0.0.1:8100

    def arg(self, name: str, default: str = "") -> str:
        values = self.query.get(name)
        return values[0] if values else default


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def text_response(text: str, status: int = 200, content_type: str = "text/plain; charset=utf-8",
                  headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(status, text.encode("utf-8"), [("Content-Type", content_type), *(headers or [])])


def redirect(location: str, status: int = 302, headers: list[tuple[str, str]] | None = None) -> Response:
    # Rails answers redirects with a tiny HTML body naming the target.
    body = f'<html><body>You are being <a href="{location}">redirected</a>.</body></html>'
    return text_response(body, status, "text/html; charset=utf-8", [("Location", location), *(headers or [])])


Handler = Callable[..., Response]


class Site:
    """A mirrored web site: its real base URL and a route table.

    Subclasses register routes in ``__init__`` with ``self.route(pattern, handler)``; the
    pattern is a regex matched against the whole (still percent-encoded) path, and its named
    groups are passed to the handler as keyword arguments.
    """

    name = "site"
    real_base_url = ""
    # Whether answers carry a validator (a weak ETag) and a matching If-None-Match gets 304, as
    # Rails does (WhatDoTheyKnow). Off for a site whose real counterpart is not known to send one.
    validators = True

    def __init__(self) -> None:
        self.routes: list[tuple[re.Pattern[str], Handler]] = []

    def route(self, pattern: str, handler: Handler) -> None:
        self.routes.append((re.compile(pattern + r"\Z"), handler))

    def handle(self, request: Request) -> Response:
        for pattern, handler in self.routes:
            match = pattern.match(request.path)
            if match:
                return handler(request, **match.groupdict())
        return self.not_found(request)

    def not_found(self, request: Request) -> Response:
        return text_response("Not Found", 404)


@dataclass
class Fault:
    """A misbehaviour injected on matching paths, for the next ``times`` requests (None = always).

    kind: ``status`` (answer ``status`` with ``headers`` and an empty body, e.g. 503, or 302 with
    a Location; with ``body`` set, that body instead: malformed JSON, an enormous page, broken
    attachment bytes), ``delay`` (sleep ``seconds`` then answer normally), ``truncate`` (announce
    the full Content-Length, send half the body, close) or ``reset`` (close the connection with a
    TCP reset, no answer). mirror/faults.py builds the usual ones.
    """

    path_pattern: str
    kind: str
    status: int = 503
    seconds: float = 0.0
    times: int | None = 1
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | None = None

    def matches(self, path_and_query: str) -> bool:
        return re.search(self.path_pattern, path_and_query) is not None


class AccessLog:
    """Thread-safe list of request records, optionally mirrored to a JSON Lines file."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.entries: list[dict] = []
        self.path = Path(path) if path else None
        self._lock = threading.Lock()

    def add(self, entry: dict) -> None:
        with self._lock:
            self.entries.append(entry)
            if self.path:
                with self.path.open("a", encoding="utf-8") as f:
                    f.write(json.dumps(entry) + "\n")

    def clear(self) -> None:
        with self._lock:
            self.entries.clear()


def _etag(body: bytes) -> str:
    # Rails' Rack::ETag: a weak validator from the body digest.
    return 'W/"' + hashlib.md5(body).hexdigest() + '"'


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # the access log replaces stderr noise
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def _serve(self) -> None:
        mirror = self.server.mirror_site
        split = urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        cookies = {k: m.value for k, m in SimpleCookie(headers.get("cookie", "")).items()}
        request = Request(self.command, split.path, parse_qs(split.query, keep_blank_values=True),
                          headers, cookies, mirror.base_url)
        fault = mirror.take_fault(self.path)
        entry = {
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "site": mirror.site.name,
            "method": self.command,
            "path": self.path,
            "request_headers": {h: self.headers[h] for h in LOGGED_REQUEST_HEADERS if self.headers[h]},
        }
        if fault and fault.kind == "reset":
            entry.update(status=None, fault="reset")
            mirror.access_log.add(entry)
            self._reset()
            return
        if fault and fault.kind == "delay":
            time.sleep(fault.seconds)
        if fault and fault.kind == "status":
            default_type = [] if any(k.lower() == "content-type" for k, _ in fault.headers) \
                else [("Content-Type", "text/html; charset=utf-8")]
            response = Response(fault.status, fault.body or b"", [*default_type, *fault.headers])
        else:
            response = self._route(mirror.site, request)
        if mirror.site.validators:
            response = self._conditional(response)
        entry.update(status=response.status, bytes=len(response.body),
                     response_headers={h: response.header(h) for h in LOGGED_RESPONSE_HEADERS if response.header(h)})
        if fault:  # tests tell the requests a fault touched from the clean ones
            entry["fault"] = fault.kind
        mirror.access_log.add(entry)
        self._write(response, truncate=bool(fault and fault.kind == "truncate"))

    @staticmethod
    def _route(site: Site, request: Request) -> Response:
        """A bug in a site's handler becomes a 500 answer (and a traceback), not a dropped socket."""
        try:
            return site.handle(request)
        except Exception:
            traceback.print_exc()
            return text_response("Internal Server Error", 500)

    def _conditional(self, response: Response) -> Response:
        """Add an ETag to successful answers and turn a matching If-None-Match into 304."""
        if response.status != 200:
            return response
        etag = _etag(response.body)
        response.headers.append(("ETag", etag))
        if self.headers.get("If-None-Match") == etag:
            kept = [(k, v) for k, v in response.headers if k.lower() != "content-type"]
            return Response(304, b"", kept)
        return response

    def _write(self, response: Response, truncate: bool = False) -> None:
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if truncate:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and response.status != 304:
            body = response.body[: len(response.body) // 2] if truncate else response.body
            self.wfile.write(body)
        if truncate:
            self.wfile.flush()
            self.close_connection = True

    def _reset(self) -> None:
        # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    mirror_site: "SiteServer"


class SiteServer:
    """Serves one ``Site`` on 127.0.0.1 in a background thread."""

    def __init__(self, site: Site, port: int = 0, access_log: AccessLog | None = None) -> None:
        self.site = site
        self.access_log = access_log or AccessLog()
        self.faults: list[Fault] = []
        self._faults_lock = threading.Lock()
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.mirror_site = self
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add_fault(self, fault: Fault) -> Fault:
        with self._faults_lock:
            self.faults.append(fault)
        return fault

    def take_fault(self, path_and_query: str) -> Fault | None:
        """The first live fault matching this path; uses up one of its ``times``."""
        with self._faults_lock:
            for fault in self.faults:
                if fault.matches(path_and_query) and (fault.times is None or fault.times > 0):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name=f"mirror-{self.site.name}",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)
