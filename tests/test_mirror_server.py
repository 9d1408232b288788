"""The mirror's HTTP core: the CLI, the sites file, the access log, conditional GETs and faults."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from mirror import Fault, Mirror
from mirror.server import Response, Site, text_response

ROOT = Path(__file__).resolve().parents[1]


class Echo(Site):
    """A tiny site, so the core is tested without any site's content."""

    name = "echo"
    real_base_url = "https://echo.example"

    def __init__(self) -> None:
        super().__init__()
        self.route(r"/hello/(?P<who>\w+)", lambda request, who: text_response(f"hello {who}"))
        self.route(r"/boom", self.boom)

    def boom(self, request) -> Response:
        raise RuntimeError("a bug in a handler")


@pytest.fixture()
def echo(tmp_path):
    with Mirror(sites=[Echo()], access_log_path=tmp_path / "access.jsonl") as m:
        yield m, m.base_url("https://echo.example")


def test_routes_log_and_conditional_get(echo, tmp_path):
    mirror, base = echo
    request = urllib.request.Request(base + "/hello/world?x=1", headers={"User-Agent": "test-agent"})
    with urllib.request.urlopen(request) as response:
        assert response.read() == b"hello world"
        etag = response.headers["ETag"]
    entry = mirror.access_log[-1]
    assert entry["method"] == "GET" and entry["path"] == "/hello/world?x=1" and entry["status"] == 200
    assert entry["request_headers"]["User-Agent"] == "test-agent"
    assert json.loads((tmp_path / "access.jsonl").read_text().splitlines()[-1])["path"] == "/hello/world?x=1"
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(urllib.request.Request(base + "/hello/world?x=1", headers={"If-None-Match": etag}))
    assert error.value.code == 304
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(base + "/nowhere")
    assert error.value.code == 404


def test_handler_bug_is_a_500(echo, capsys):
    mirror, base = echo
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(base + "/boom")
    assert error.value.code == 500
    assert "a bug in a handler" in capsys.readouterr().err


def test_faults(echo):
    mirror, base = echo
    mirror.add_fault("https://echo.example", Fault(r"^/hello/a", "status", status=503, times=1,
                                                    headers=[("Retry-After", "1")]))
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(base + "/hello/a")
    assert error.value.code == 503 and error.value.headers["Retry-After"] == "1"
    assert urllib.request.urlopen(base + "/hello/a").read() == b"hello a"  # used up

    mirror.add_fault("https://echo.example", Fault(r"^/hello/b", "truncate"))
    with pytest.raises(http.client.IncompleteRead):
        urllib.request.urlopen(base + "/hello/b").read()

    mirror.add_fault("https://echo.example", Fault(r"^/hello/c", "reset"))
    with pytest.raises((ConnectionError, http.client.RemoteDisconnected, urllib.error.URLError)):
        urllib.request.urlopen(base + "/hello/c").read()
    assert mirror.access_log[-1]["fault"] == "reset"

    mirror.add_fault("https://echo.example", Fault(r"^/hello/d", "delay", seconds=0.3))
    started = time.monotonic()
    assert urllib.request.urlopen(base + "/hello/d").read() == b"hello d"
    assert time.monotonic() - started >= 0.3


def test_cli_serves_writes_sites_file_and_stops_on_sigterm(tmp_path):
    sites_file = tmp_path / "sites.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "mirror", "serve", "--port", "0", "--sites-file", str(sites_file),
         "--access-log", str(tmp_path / "access.jsonl")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 20
        while not sites_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        sites = json.loads(sites_file.read_text())
        base = sites["https://www.whatdotheyknow.com"]
        assert b"\nUser-agent: *\n" in urllib.request.urlopen(base + "/robots.txt").read()
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert f"https://www.whatdotheyknow.com -> {base}" in out and "mirror stopped" in out
    assert "/robots.txt" in (tmp_path / "access.jsonl").read_text()
