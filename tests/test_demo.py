"""`make demo` as a user runs it: mirror, refresh and site in one command, stopped by Ctrl-C."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlsplit

from pipeline.refresh import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_demo_serves_the_demo_site_and_ctrl_c_stops_site_and_mirror(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.demo", "--serve", "--data-dir", str(tmp_path), "--port", str(port),
         "--mirror-port", "0", "--mirror-profile", "small"],  # 0: each mirrored site on a free port
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    output = []
    try:
        deadline = time.monotonic() + 300
        while not any(url in line for line in output):
            line = process.stdout.readline()
            assert line or process.poll() is None, "demo exited early:\n" + "".join(output)
            output.append(line)
            assert time.monotonic() < deadline, "demo never printed its URL:\n" + "".join(output)
        home = _get(url)
        assert "DEMO DATA" in home
        force_status = _get(url + "foi/force_status.json?_shape=objects&force_id=north-yorkshire")
        assert '"lfr_use": "no"' in force_status
        assert "DEMO DATA" in _get(url + "foi/force_status")
        mirror_ports = [urlsplit(base).port for base in json.loads((tmp_path / "mirror-sites.json").read_text()).values()]
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
        process.wait(timeout=30)
    for stopped_port in (port, *mirror_ports):
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", stopped_port)) != 0, f"port {stopped_port} still served"


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
