"""A response cache in front of the site: the published database is immutable between builds, so
a page's bytes only change when the build does.

- Keyed by build and by the full URL: the build is the content hash of each database file (from
  the inspect file publish writes) together with the site's own set-up (metadata, settings,
  templates and plugins folders, static mounts), and the URL is scheme, host, root path, path
  and query string.
- Only GET requests without a Cookie or Authorization header are cached (nothing user-specific),
  never paths under /-/ (the live introspection pages) nor ?_trace= requests.
- Only complete 200 responses that set no cookie, vary by nothing else than Cookie and
  Authorization (which Datasette's pages say) and do not say
  private / no-store are stored, and none larger than MAX_ENTRY_BYTES (the SQLite download,
  big CSVs): those stream through untouched.
- Bounded: least recently used entries are dropped beyond MAX_BYTES in all.
- Several requests for the same uncached URL at once wait for the first one rather than all
  doing the same work.
- If a database file on disk is no longer the file this server started with (a new build was
  published under a running server), nothing is served from or stored in the cache: a stale
  page is never served. Restart the server to serve the new build.

Every cacheable response says whether it came from the cache: ``x-response-cache: hit`` or
``miss``. Self-contained: publish copies this file into DIR/site/plugins/ for Datasette to load.
"""

import asyncio
import hashlib
import json
import os
from collections import OrderedDict
from urllib.parse import parse_qsl

from datasette import hookimpl

MAX_BYTES = 256 * 1024 * 1024      # all entries together
MAX_ENTRY_BYTES = 4 * 1024 * 1024  # a larger response is passed through, not stored
HEADER = b"x-response-cache"


class Store:
    """Complete responses by key, least recently used dropped first beyond ``max_bytes``."""

    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes
        self.entries: OrderedDict = OrderedDict()
        self.bytes = 0
        self.inflight: dict = {}  # key -> asyncio.Event set when the first request for it is done

    def get(self, key):
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key, entry) -> None:
        size = _size(entry)
        if size > self.max_bytes:
            return
        if key in self.entries:
            self.bytes -= _size(self.entries.pop(key))
        self.entries[key] = entry
        self.bytes += size
        while self.bytes > self.max_bytes:
            _, dropped = self.entries.popitem(last=False)
            self.bytes -= _size(dropped)


def _size(entry) -> int:
    status, headers, body = entry
    return len(body) + sum(len(k) + len(v) for k, v in headers) + 64


# One store per process, shared by every Datasette instance in it: the key says which build and
# which site set-up a page belongs to.
STORE = Store()


def _files(datasette) -> list:
    """(name, path) of each database served from a file, by name."""
    return [(name, db.path) for name, db in sorted(datasette.databases.items()) if getattr(db, "path", None)]


def _on_disk(files) -> tuple:
    """What each database file on disk is now (a new build replaces the file: a new inode)."""
    signature = []
    for name, path in files:
        st = os.stat(path)
        signature.append((name, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns))
    return tuple(signature)


def _build_key(datasette, files) -> str:
    """The build and the site set-up this server serves; ``files`` as from _files()."""
    hashes = {}
    for name, _ in files:
        db = datasette.databases[name]
        # An immutable database's hash comes from the inspect file (or is computed once).
        hashes[name] = db.hash if not db.is_mutable else None
    try:
        metadata = datasette.metadata()
    except Exception:  # Datasette 1.0 keeps metadata elsewhere; the inspect hash still keys the build
        metadata = None
    setup = {
        "databases": hashes,
        "metadata": metadata,
        "settings": getattr(datasette, "_settings", None),
        "template_dir": getattr(datasette, "template_dir", None),
        "plugins_dir": getattr(datasette, "plugins_dir", None),
        "static_mounts": getattr(datasette, "static_mounts", None),
    }
    return hashlib.sha256(json.dumps(setup, sort_keys=True, default=str).encode()).hexdigest()


def _cacheable_request(scope) -> bool:
    if scope["type"] != "http" or scope["method"] != "GET":
        return False
    if scope["path"].startswith("/-/"):
        return False
    for name, _ in scope.get("headers", []):
        if name in (b"cookie", b"authorization"):
            return False
    query = scope.get("query_string", b"").decode("latin-1")
    return not any(k == "_trace" for k, _ in parse_qsl(query, keep_blank_values=True))


def _cacheable_response(status: int, headers) -> bool:
    if status != 200:
        return False
    for name, value in headers:
        name = name.lower()
        if name == b"set-cookie":
            return False
        # Datasette says its pages vary by Cookie and Authorization: requests carrying either
        # are never cached, so any other Vary is what would make one URL two pages.
        if name == b"vary" and {v.strip().lower() for v in value.split(b",")} - {b"cookie", b"authorization"}:
            return False
        if name == b"cache-control" and (b"private" in value.lower() or b"no-store" in value.lower()):
            return False
    return True


def _url(scope) -> tuple:
    host = next((v for k, v in scope.get("headers", []) if k == b"host"), b"")
    return (scope.get("scheme", "http"), host, scope.get("root_path", ""),
            scope.get("raw_path") or scope["path"].encode(), scope.get("query_string", b""))


class ResponseCache:
    def __init__(self, app, datasette, store: Store = STORE):
        self.app = app
        self.datasette = datasette
        self.store = store
        self.build = None
        try:
            self._prepare()
        except OSError:
            pass

    def _prepare(self) -> None:
        if self.build is None:
            self.files = _files(self.datasette)
            self.started_with = _on_disk(self.files)  # the files this server started with
            self.build = _build_key(self.datasette, self.files)

    def _same_build_on_disk(self) -> bool:
        try:
            return _on_disk(self.files) == self.started_with
        except OSError:
            return False

    async def __call__(self, scope, receive, send):
        if not _cacheable_request(scope):
            return await self.app(scope, receive, send)
        try:
            self._prepare()
        except OSError:
            return await self.app(scope, receive, send)
        if not self._same_build_on_disk():
            return await self.app(scope, receive, send)
        key = (self.build, _url(scope))
        entry = self.store.get(key)
        if entry is None and key in self.store.inflight:
            # Someone is already making this page: wait for it rather than make it again.
            await self.store.inflight[key].wait()
            entry = self.store.get(key)
        if entry is not None:
            return await _replay(entry, send)
        if key in self.store.inflight:  # the page could not be stored; make it as usual
            return await self.app(scope, receive, send)
        done = self.store.inflight[key] = asyncio.Event()
        try:
            await self._fill(key, scope, receive, send)
        finally:
            del self.store.inflight[key]
            done.set()

    async def _fill(self, key, scope, receive, send):
        state = {"keep": False, "status": None, "headers": None, "chunks": [], "size": 0, "complete": False}

        async def capture(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                state["status"], state["headers"] = message["status"], headers
                state["keep"] = _cacheable_response(message["status"], headers)
                if state["keep"]:
                    message = {**message, "headers": headers + [(HEADER, b"miss")]}
            elif message["type"] == "http.response.body" and state["keep"]:
                body = message.get("body", b"")
                state["size"] += len(body)
                if state["size"] > MAX_ENTRY_BYTES:
                    state["keep"], state["chunks"] = False, []
                else:
                    state["chunks"].append(body)
                    state["complete"] = not message.get("more_body", False)
            await send(message)

        await self.app(scope, receive, capture)
        if state["keep"] and state["complete"] and self._same_build_on_disk():
            self.store.put(key, (state["status"], tuple(state["headers"]), b"".join(state["chunks"])))


async def _replay(entry, send):
    status, headers, body = entry
    await send({"type": "http.response.start", "status": status, "headers": [*headers, (HEADER, b"hit")]})
    await send({"type": "http.response.body", "body": body})


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        return ResponseCache(app, datasette)
    return wrap
