"""The response cache in front of the site (publish/plugins/response_cache.py): the same bytes as
an uncached request, keyed by build, never a non-200, a POST or anything user-specific, bounded.
Through Datasette's in-process client on the sample build, as tests/test_site.py does."""

import asyncio
import importlib.util
import re
import shutil
from pathlib import Path

import pytest

from publish.__main__ import SERVE_SETTINGS, datasette_app
from publish.sample import write_sample
from publish.site import PLUGINS, publish

HEADER = "x-response-cache"


def _plugin():
    spec = importlib.util.spec_from_file_location("response_cache_under_test", PLUGINS / "response_cache.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Client:
    """One server: a Datasette instance of the site, as `python -m publish serve` starts it."""

    def __init__(self, data_dir):
        self.app = datasette_app(data_dir)

    def request(self, method: str, path: str, **kwargs):
        async def fetch():
            return await getattr(self.app.client, method)(path, **kwargs)
        return asyncio.run(fetch())

    def get(self, path: str, **kwargs):
        return self.request("get", path, **kwargs)


def _without_timings(text: str) -> str:
    """A page says how long its queries took; everything else must be the same."""
    text = re.sub(r"Queries took [0-9.]+ms", "Queries took -ms", text)
    return re.sub(r'"query_ms": [0-9.e-]+', '"query_ms": -', text)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    write_sample(folder, builds=1)
    publish(folder)
    return folder


@pytest.fixture()
def data_dir(published, tmp_path):
    """A copy of the published sample site per test: a site of its own, with its own cache entries
    (the cache is shared by the whole process and keyed by site set-up and build)."""
    shutil.copytree(published / "site", tmp_path / "site")
    return tmp_path


def test_the_plugin_is_published_and_loaded_by_the_served_site(data_dir):
    assert (data_dir / "site" / "plugins" / "response_cache.py").exists()
    plugins = Client(data_dir).get("/-/plugins.json").json()
    assert any(p["name"] == "response_cache.py" and "asgi_wrapper" in p["hooks"] for p in plugins)


@pytest.mark.parametrize("path", ["/", "/foi/force_status_wide", "/foi/findings?_facet=technology&_facet=answer",
                                  "/foi/forces_using_lfr", "/foi/search?q=NeoFace", "/foi/force_status_wide.json",
                                  "/foi/findings.csv", "/downloads"])
def test_the_cache_serves_the_bytes_of_an_uncached_request(data_dir, path):
    site = Client(data_dir)
    first, second = site.get(path), site.get(path)
    assert (first.status_code, first.headers[HEADER]) == (200, "miss")
    assert (second.status_code, second.headers[HEADER]) == (200, "hit")
    assert second.content == first.content
    assert {k: v for k, v in second.headers.items() if k != HEADER} == \
        {k: v for k, v in first.headers.items() if k != HEADER}
    # A request carrying a cookie is never served from the cache: the page as Datasette makes it.
    uncached = site.get(path, cookies={"anything": "1"})
    assert uncached.status_code == 200 and HEADER not in uncached.headers
    assert _without_timings(second.text) == _without_timings(uncached.text)


def test_the_cache_is_keyed_by_build(data_dir):
    before = Client(data_dir)
    lfr = "/foi/forces_using_lfr.json?_shape=arrays"
    assert [r[0] for r in before.get(lfr).json()["rows"]] == ["metropolitan"]
    assert before.get(lfr).headers[HEADER] == "hit"
    assert "Built 2026-11-01 06:00 UTC" in before.get("/").text

    # The next build, in which Kent now says it uses live facial recognition, published over it.
    write_sample(data_dir, builds=2)
    publish(data_dir)

    # The server started on the new build serves the new build, not the previous build's pages.
    after = Client(data_dir)
    page = after.get(lfr)
    assert page.headers[HEADER] == "miss"
    assert [r[0] for r in page.json()["rows"]] == ["kent", "metropolitan"]
    home = after.get("/")
    assert home.headers[HEADER] == "miss" and "Built 2026-11-08 06:00 UTC" in home.text
    assert after.get("/").headers[HEADER] == "hit"
    # The server still running on the replaced file no longer serves from the cache at all.
    assert HEADER not in before.get(lfr).headers


def test_non_200_responses_are_not_cached(data_dir):
    site = Client(data_dir)
    for path in ["/foi/no_such_table", "/foi.json?sql=select+no_such_column+from+forces",
                 "/foi/findings?_sort=no_such_column"]:
        for _ in range(2):
            response = site.get(path)
            assert response.status_code != 200, path
            assert HEADER not in response.headers, path


def test_posts_are_not_cached_nor_served_from_the_cache(data_dir):
    site = Client(data_dir)
    assert site.get("/foi/forces_using_lfr").headers[HEADER] == "miss"
    assert site.get("/foi/forces_using_lfr").headers[HEADER] == "hit"
    for _ in range(2):
        posted = site.request("post", "/foi/forces_using_lfr", data={"x": "1"})
        assert HEADER not in posted.headers
    posted_first = site.request("post", "/foi/refusals_by_exemption", data={"x": "1"})
    assert HEADER not in posted_first.headers
    assert site.get("/foi/refusals_by_exemption").headers[HEADER] == "miss"


def test_nothing_user_specific_is_cached(data_dir):
    site = Client(data_dir)
    for headers in [{"cookie": "ds_actor=someone"}, {"authorization": "Bearer token"}]:
        for _ in range(2):
            response = site.get("/foi/force_status_wide", headers=headers)
            assert response.status_code == 200 and HEADER not in response.headers
    # Introspection pages and traces are never cached either.
    for path in ["/-/versions.json", "/-/actor.json", "/foi/force_status_wide?_trace=1"]:
        for _ in range(2):
            assert HEADER not in site.get(path).headers, path
    assert site.get("/foi/force_status_wide").headers[HEADER] == "miss"


def test_serving_settings_turn_suggested_facets_off(data_dir):
    assert SERVE_SETTINGS["suggest_facets"] == "off"
    page = Client(data_dir).get("/foi/findings.json").json()
    assert page["suggested_facets"] == []
    assert {"technology", "answer", "response_date"} <= set(page["facet_results"])


# --- the cache on its own, in front of a stand-in ASGI app ----------------------------------------


class _Datasette:
    databases = {}

    def metadata(self):
        return {}


def _app(status=200, headers=(), chunks=(b"body",)):
    calls = []

    async def app(scope, receive, send):
        calls.append(scope["path"])
        await send({"type": "http.response.start", "status": status, "headers": list(headers)})
        for i, chunk in enumerate(chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": i < len(chunks) - 1})
    return app, calls


def _call(cache, path="/page", method="GET", headers=()):
    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}
    scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(), "query_string": b"",
             "headers": [(b"host", b"example.org"), *headers], "scheme": "http"}
    asyncio.run(cache(scope, receive, send))
    start = sent[0]
    return start["status"], dict(start["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


def test_responses_larger_than_an_entry_stream_through_and_are_not_stored():
    plugin = _plugin()
    big = [b"x" * (1024 * 1024)] * (plugin.MAX_ENTRY_BYTES // (1024 * 1024) + 1)
    app, calls = _app(chunks=big)
    cache = plugin.ResponseCache(app, _Datasette(), plugin.Store())
    for _ in range(2):
        status, headers, body = _call(cache)
        assert status == 200 and body == b"".join(big)
    assert len(calls) == 2


def test_set_cookie_and_private_responses_are_not_stored():
    plugin = _plugin()
    for header in [(b"set-cookie", b"ds_csrftoken=abc"), (b"cache-control", b"private, no-store"),
                   (b"vary", b"Accept-Encoding")]:
        app, calls = _app(headers=[header])
        cache = plugin.ResponseCache(app, _Datasette(), plugin.Store())
        _call(cache), _call(cache)
        assert len(calls) == 2, header


def test_the_store_is_bounded_and_drops_the_least_recently_used():
    plugin = _plugin()
    store = plugin.Store(max_bytes=1000)
    entry = (200, (), b"x" * 250)  # 314 bytes with the allowance for its key and headers
    for key in "abc":
        store.put(key, entry)
    store.get("a")                      # a is used again: b is now the oldest
    store.put("d", entry)
    assert set(store.entries) == {"a", "c", "d"} and store.bytes <= 1000
    store.put("huge", (200, (), b"x" * 2000))  # larger than the whole cache: never stored
    assert "huge" not in store.entries and store.bytes <= 1000


def test_the_same_page_requested_at_once_is_made_once():
    plugin = _plugin()
    calls = []

    async def app(scope, receive, send):
        calls.append(scope["path"])
        await asyncio.sleep(0.05)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"page"})
    cache = plugin.ResponseCache(app, _Datasette(), plugin.Store())
    scope = {"type": "http", "method": "GET", "path": "/p", "query_string": b"", "headers": [], "scheme": "http"}

    async def one():
        sent = []

        async def send(message):
            sent.append(message)
        await cache(scope, None, send)
        return b"".join(m.get("body", b"") for m in sent[1:]), dict(sent[0]["headers"])[b"x-response-cache"]

    async def many():
        return await asyncio.gather(*(one() for _ in range(5)))
    results = asyncio.run(many())
    assert calls == ["/p"]
    assert sorted(r[1] for r in results) == [b"hit"] * 4 + [b"miss"]
    assert all(r[0] == b"page" for r in results)


def test_plugin_file_is_self_contained():
    # publish copies it into DIR/site/plugins: it may import Datasette but nothing of the project.
    source = Path(PLUGINS / "response_cache.py").read_text()
    imports = re.findall(r"^(?:from|import) (\w+)", source, re.M)
    assert set(imports) <= {"asyncio", "hashlib", "json", "os", "collections", "urllib", "datasette"}
