"""`make demo` as a user runs it: mirror, refresh and site in one command, stopped by Ctrl-C."""

import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from pipeline.refresh import ROOT, SPIDERS, StatusLine, StepFailed, progress_of, run_step


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`make demo` on the small mirror, started once: its data directory, site URL, what it printed
    until the site was up (stdout and stderr together) and the process, stopped at the end."""
    data_dir = tmp_path_factory.mktemp("demo")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.demo", "--serve", "--data-dir", str(data_dir), "--port", str(port),
         "--mirror-port", "0", "--mirror-profile", "small"],  # 0: each mirrored site on a free port
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    output = []
    try:
        deadline = time.monotonic() + 300
        while not any(line.startswith("Demo site") and url in line for line in output):
            line = process.stdout.readline()
            assert line or process.poll() is None, "demo exited early:\n" + "".join(output)
            output.append(line)
            assert time.monotonic() < deadline, "demo never printed its URL:\n" + "".join(output)
        yield SimpleNamespace(data_dir=data_dir, port=port, url=url, output=output, process=process)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            process.wait(timeout=30)


def test_demo_prints_steps_and_a_summary_and_keeps_the_scrapy_log_in_a_file(demo):
    printed = "".join(demo.output)
    # One line as each step starts and ends, the summary and the URL, whatever the size of the
    # mirror (the Scrapy log alone is over a thousand lines on the small one).
    assert len(demo.output) <= 2 * (len(SPIDERS) + 2) + 20, printed
    assert "[scrapy" not in printed and "DEBUG" not in printed
    assert re.search(r"^==> crawl wdtk done in [\d.]+s$", printed, re.M)
    log = demo.data_dir / "logs" / "demo.log"
    assert f"full logs (mirror, Scrapy, transform, publish): {log}" in printed
    for spider in SPIDERS:
        assert re.search(rf"requests crawled: .*\b{spider} \d+", printed), spider
    assert re.search(r"documents: \d+ \(.*\bocr \d+.*\)", printed) and re.search(r"findings: \d+", printed)
    assert re.search(r"errors: \d+ in the crawl, \d+ documents could not be read", printed)
    assert f"site: {demo.data_dir / 'site'}, served at {demo.url}" in printed
    logged = log.read_text(encoding="utf-8")
    assert logged.count("[scrapy.core.engine] INFO: Spider closed (finished)") == len(SPIDERS)
    assert "https://www.whatdotheyknow.com -> http://127.0.0.1:" in logged  # the mirror's own output
    assert "extract: " in logged and "publish: site written to" in logged


def test_demo_serves_the_demo_site_and_ctrl_c_stops_site_and_mirror(demo):
    home = _get(demo.url)
    assert "DEMO DATA" in home
    force_status_wide = _get(demo.url + "foi/force_status_wide.json?_shape=objects&force_id=north-yorkshire")
    assert '"lfr_use": "no"' in force_status_wide
    assert "DEMO DATA" in _get(demo.url + "foi/force_status_wide")
    mirror_ports = [urlsplit(base).port for base in json.loads((demo.data_dir / "mirror-sites.json").read_text()).values()]
    os.killpg(demo.process.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
    demo.process.wait(timeout=30)
    for stopped_port in (demo.port, *mirror_ports):
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", stopped_port)) != 0, f"port {stopped_port} still served"


@pytest.mark.parametrize("line, progress", [
    ("2026-12-07 17:40:05 [scrapy.extensions.logstats] INFO: Crawled 120 pages (at 60 pages/min), "
     "scraped 30 items (at 15 items/min)", "120 pages, 30 items (15 items/min)"),
    ("extract: 120/400 documents (35 cached), 310 PDF/image pages, 4.2 documents/s, elapsed 28s, ETA 1m07s\n",
     "extract: 120/400 documents (35 cached), 310 PDF/image pages, 4.2 documents/s, elapsed 28s, ETA 1m07s"),
    ("read: 63/63 requests, 532.3 requests/s, elapsed 0s, ETA done", "read: 63/63 requests, 532.3 requests/s, "
     "elapsed 0s, ETA done"),
    ("2026-12-07 17:40:05 [scrapy.core.engine] INFO: Spider opened", None),
    ("extract: nothing to do", None),
])
def test_progress_of_a_step_is_read_from_its_output(line, progress):
    assert progress_of(line) == progress


class FakeStream(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self.tty = tty

    def isatty(self):
        return self.tty


def test_the_status_line_is_rewritten_in_place_on_a_terminal_and_left_out_elsewhere(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")  # the terminal's width, which the line is cut to
    terminal, pipe = FakeStream(tty=True), FakeStream(tty=False)
    for stream in (terminal, pipe):
        status = StatusLine(stream)
        status.show("crawl wdtk: 10 pages, 2 items (24 items/min)")
        status.show("crawl wdtk: 20 pages, 4 items (24 items/min)")
        status.clear()
    assert terminal.getvalue() == ("\r\033[K    crawl wdtk: 10 pages, 2 items (24 items/min)"
                                   "\r\033[K    crawl wdtk: 20 pages, 4 items (24 items/min)\r\033[K")
    assert pipe.getvalue() == ""


def _get(url: str) -> str:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_a_failed_logged_step_shows_its_last_lines_and_where_its_log_is(tmp_path, capsys):
    log = tmp_path / "demo.log"
    command = [sys.executable, "-c",
               "import sys; print('line one', flush=True); print('the reason', file=sys.stderr); sys.exit(3)"]
    with pytest.raises(StepFailed) as failure:
        run_step("crawl example", command, log)
    assert "crawl example failed (exit code 3)" in str(failure.value)
    assert "  | line one\n  | the reason" in str(failure.value) and f"full log: {log}" in str(failure.value)
    assert "line one\nthe reason\n" in log.read_text(encoding="utf-8")
    assert capsys.readouterr().out == "==> crawl example\n"


def test_a_changed_mirror_starts_the_demo_crawl_afresh(tmp_path):
    from pipeline.demo import CRAWL_LAYERS, fresh_crawl_if_mirror_changed, mirror_fingerprint

    for folder in (*CRAWL_LAYERS, "parquet", "site"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "kept").write_text("x")
    assert mirror_fingerprint("full") == mirror_fingerprint("full") != mirror_fingerprint("small")
    assert not fresh_crawl_if_mirror_changed(tmp_path, "a")   # first build: nothing to compare with
    assert not fresh_crawl_if_mirror_changed(tmp_path, "a")   # same mirror: the crawl resumes
    assert all((tmp_path / folder / "kept").exists() for folder in CRAWL_LAYERS)
    assert fresh_crawl_if_mirror_changed(tmp_path, "b")       # new content renumbers the mirror's ids
    assert not any((tmp_path / folder).exists() for folder in CRAWL_LAYERS)
    assert (tmp_path / "parquet" / "kept").exists() and (tmp_path / "site" / "kept").exists()


def test_a_blocked_site_is_said_to_fall_back_on_the_archive_only_where_its_spider_does():
    from pipeline.refresh import not_fetched

    report = {"failed": [], "errors": 0, "blocked_forces": ["kent"]}
    assert not_fetched({**report, "spider": "soh"}) == [
        "kent: the site blocked the crawler (pages read from the Internet Archive where it had them)"]
    assert not_fetched({**report, "spider": "wdtk"}) == ["kent: the site blocked the crawler"]


def test_the_site_is_not_started_on_a_port_another_program_holds(tmp_path):
    from pipeline.demo import start_site
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(StepFailed, match=rf"port {taken.getsockname()[1]} is already in use"):
            start_site(tmp_path, taken.getsockname()[1])
