"""`make demo` as a user runs it: mirror, refresh and site in one command, stopped by Ctrl-C."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from pipeline.refresh import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_demo_serves_the_demo_site_and_ctrl_c_stops_site_and_mirror(tmp_path):
    port, mirror_port = free_port(), free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.demo", "--serve", "--data-dir", str(tmp_path), "--port", str(port),
         "--mirror-port", str(mirror_port), "--mirror-profile", "small"],
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
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
        process.wait(timeout=30)
    for stopped_port in (port, mirror_port):
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
