"""No crawl of a real site without FOI_CRAWL_CONTACT (issue 13, point 1): every spider refuses the
same way before its first request (the refresh that then stops without publishing is tested in
tests/test_refresh_kill.py).

The crawls here are pointed at the real sites, with every request sent through a stand-in proxy
on loopback that answers nothing: it counts what a crawl tried to fetch, and no test reaches the
network even if a spider ignored the rule."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader

from scrapers.contact import missing_contact

REPO = Path(__file__).resolve().parents[1]
SETTINGS = Settings()
SETTINGS.setmodule("scrapers.settings")
# Every spider the project has, so a new one is covered without editing this test.
SPIDERS = sorted(get_spider_loader(SETTINGS).list())


class Proxy:
    """A loopback HTTP(S) proxy that accepts connections, counts them and closes them."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:  # closed
                return
            self.connections += 1
            connection.close()


@contextmanager
def stand_in_proxy():
    proxy = Proxy()
    try:
        yield proxy
    finally:
        proxy.server.close()


@pytest.fixture
def proxy():
    with stand_in_proxy() as proxy:
        yield proxy


def without_contact(proxy: Proxy) -> dict[str, str]:
    """The environment of a maintainer who has not set FOI_CRAWL_CONTACT; all traffic to ``proxy``."""
    env = {k: v for k, v in os.environ.items()
           if k != "FOI_CRAWL_CONTACT" and k.lower() not in ("http_proxy", "https_proxy", "no_proxy")}
    return {**env, "http_proxy": proxy.url, "https_proxy": proxy.url}


def run_without_contact(command: list[str], proxy: Proxy) -> subprocess.CompletedProcess:
    # A refusal takes a second or two; a crawl that does not refuse keeps retrying the proxy, and
    # is stopped with every process it started (a refresh runs its crawls as child processes).
    process = subprocess.Popen(command, cwd=REPO, env=without_contact(proxy), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"{' '.join(command[2:])} was still running after 120 s instead of refusing to start")
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def assert_refused_for_want_of_a_contact(result: subprocess.CompletedProcess, proxy: Proxy) -> None:
    assert result.returncode == 1, result.stderr[-3000:]
    # The message names the variable and how to set it, without a traceback burying it.
    assert "FOI_CRAWL_CONTACT is not set" in result.stderr
    assert "export FOI_CRAWL_CONTACT=you@example.org" in result.stderr
    assert "Traceback" not in result.stderr
    assert proxy.connections == 0, "a request was sent (robots.txt included) before the refusal"


@pytest.mark.parametrize("spider", SPIDERS)
def test_a_live_crawl_without_a_contact_refuses_before_its_first_request(spider, proxy, tmp_path):
    result = run_without_contact([sys.executable, "-m", "scrapy", "crawl", spider, "-s", f"DATA_DIR={tmp_path}"], proxy)
    assert_refused_for_want_of_a_contact(result, proxy)
    # Nothing written: no raw items, and no crawl report that could claim success.
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("tool", ["scrapers.check_live", "scrapers.check_logs"])
def test_the_maintainers_live_checks_refuse_the_same_way(tool, proxy):
    result = run_without_contact([sys.executable, "-m", tool], proxy)
    assert result.returncode == 2  # their "could not check" status
    assert "FOI_CRAWL_CONTACT is not set" in result.stderr and "export FOI_CRAWL_CONTACT=" in result.stderr
    assert proxy.connections == 0


def test_only_a_crawl_wholly_on_the_loopback_mirror_needs_no_contact():
    unset, contact = Settings({"CONTACT": ""}), Settings({"CONTACT": "you@example.org"})
    mirror = {"http://127.0.0.1:8100", "http://localhost:8101"}
    assert missing_contact(unset, mirror) is None
    # One real site among the mirror's (an archive, an attachment host) is enough to need it.
    problem = missing_contact(unset, mirror | {"https://web.archive.org"})
    assert "FOI_CRAWL_CONTACT is not set: a crawl of https://web.archive.org " in problem
    # A spider limited to no site at all may fetch from anywhere (scrapers/offsite.py).
    assert missing_contact(unset, set()) is not None
    assert missing_contact(contact, {"https://www.whatdotheyknow.com"}) is None


def test_a_contact_given_as_a_setting_reaches_the_check_and_the_user_agent(proxy, tmp_path):
    """`-s CONTACT=...` instead of the environment variable: the live crawl starts (its first
    request reaches the stand-in proxy), and a crawl of the mirror names it in every user agent."""
    command = [sys.executable, "-m", "scrapy", "crawl", "wdtk", "-s", f"DATA_DIR={tmp_path / 'live'}",
               "-s", "CONTACT=tests@example.org"]
    process = subprocess.Popen(command, cwd=REPO, env=without_contact(proxy), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        for _ in range(600):
            if proxy.connections or process.poll() is not None:
                break
            threading.Event().wait(0.1)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        stderr = process.communicate()[1]
    assert proxy.connections > 0, stderr[-3000:]
    assert "FOI_CRAWL_CONTACT is not set" not in stderr

    from mirror import Mirror

    with Mirror(profile="small") as mirror:
        sites = tmp_path / "sites.json"
        mirror.write_sites_file(sites)
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "psni", "-s", f"DATA_DIR={tmp_path / 'demo'}",
             "-s", f"SITE_URLS_FILE={sites}", "-s", "CONTACT=tests@example.org"],
            cwd=REPO, env={k: v for k, v in without_contact(proxy).items() if not k.endswith("_proxy")},
            capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]
        agents = {entry["request_headers"]["User-Agent"] for entry in mirror.access_log}
    assert agents == {"police-surveillance-foi/0.1 (open data on police FOI disclosures; contact: tests@example.org)"}
