"""``python -m pipeline.demo [--serve]``: the whole refresh against the local mirror.

Starts the mirror, crawls it with the real spiders over HTTP, transforms and publishes into
``data/demo`` (a demo build, labelled as such everywhere), then either exits (``make demo-data``,
non-zero if any step failed) or serves the site (``make demo``) until Ctrl-C, which stops the
site and the mirror together. The mirror keeps running while the site is served, so evidence
links to mirror pages work.

The terminal shows a line per step, a progress line while a step runs and a short summary; the
full output of the mirror and of every step (Scrapy's log, thousands of lines) is in
``<data-dir>/logs/demo.log``, rewritten by each run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from pipeline.refresh import ROOT, StepFailed, refresh, summary
from publish.__main__ import serve_command

DEMO_DATA = ROOT / "data" / "demo"
# The crawl's own layers: what a fresh crawl starts without. The published build stays, so the
# changes feed still compares the new build with the last one.
CRAWL_LAYERS = ("raw", "crawlstate", "httpcache")


def mirror_fingerprint(profile: str) -> str:
    """A hash of the mirror's code and content and the profile served: the mirror numbers its
    requests and messages in load order, so new content renumbers what is loaded after it."""
    digest = hashlib.sha256(profile.encode())
    for path in sorted((ROOT / "mirror").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def fresh_crawl_if_mirror_changed(data_dir: Path, fingerprint: str) -> bool:
    """Start the demo's crawl afresh when the mirror changed since the last demo build: a raw
    layer crawled from the old mirror would mix its ids with the new one's (the same request
    twice, another missing). Returns whether the crawl layers were removed."""
    stamp = data_dir / "mirror-fingerprint"
    changed = stamp.exists() and stamp.read_text().strip() != fingerprint
    if changed:
        for layer in CRAWL_LAYERS:
            shutil.rmtree(data_dir / layer, ignore_errors=True)
    stamp.write_text(fingerprint + "\n")
    return changed


def start_mirror(port: int, sites_file: Path, profile: str, log: Path) -> subprocess.Popen:
    """Start the mirror, its output appended to ``log``, and wait until it listens."""
    sites_file.unlink(missing_ok=True)
    with open(log, "a", encoding="utf-8") as out:  # the mirror keeps its own copy of the descriptor
        process = subprocess.Popen([sys.executable, "-m", "mirror", "serve", "--port", str(port),
                                    "--sites-file", str(sites_file), "--profile", profile], cwd=ROOT,
                                   stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while not sites_file.exists():
        if process.poll() is not None:
            raise StepFailed(f"the mirror exited with code {process.returncode} before it was ready "
                             f"(is port {port} free? try MIRROR_PORT=...)")
        if time.monotonic() > deadline:
            process.terminate()
            raise StepFailed("the mirror did not start within 60 s")
        time.sleep(0.2)
    return process


def start_site(data_dir: Path, port: int, timeout: float = 120) -> subprocess.Popen:
    """Start Datasette on ``port`` and wait until it accepts connections, so the URL printed next
    answers at once (on a busy machine Datasette takes seconds to start)."""
    if _listening(port):  # another program's: our site could not bind it, and the probe would be fooled
        raise StepFailed(f"port {port} is already in use; try PORT=... (make demo PORT=8002)")
    process = subprocess.Popen(serve_command(data_dir, "127.0.0.1", port), cwd=ROOT)
    deadline = time.monotonic() + timeout
    while not _listening(port):
        if process.poll() is not None:
            raise StepFailed(f"the site exited with code {process.returncode} before it listened "
                             f"(is port {port} free? try PORT=...)")
        if time.monotonic() > deadline:
            stop(process)
            raise StepFailed(f"the site did not listen on port {port} within {timeout:.0f} s")
        time.sleep(0.2)
    return process


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def stop(process: subprocess.Popen | None) -> None:
    if process and process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.demo", description=__doc__)
    parser.add_argument("--serve", action="store_true", help="serve the site after building it")
    parser.add_argument("--data-dir", type=Path, default=DEMO_DATA)
    parser.add_argument("--mirror-port", type=int, default=int(os.environ.get("MIRROR_PORT", 8100)))
    parser.add_argument("--mirror-profile", choices=["full", "small"], default="full",
                        help="all the mirror's content, or only its hand-written cases (faster)")
    parser.add_argument("--port", type=int, default=8001, help="port of the Datasette site (default 8001)")
    args = parser.parse_args(argv)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    sites_file = args.data_dir / "mirror-sites.json"
    log = args.data_dir / "logs" / "demo.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text("", encoding="utf-8")  # this run's log only
    print(f"Building the DEMO dataset from the local mirror into {args.data_dir}; full logs: {log}", flush=True)
    if fresh_crawl_if_mirror_changed(args.data_dir, mirror_fingerprint(args.mirror_profile)):
        print("The mirror changed since the last demo build: crawling it afresh "
              f"({', '.join(CRAWL_LAYERS)} removed; the published build stays until the new one replaces it)",
              flush=True)
    mirror = site = None
    try:
        mirror = start_mirror(args.mirror_port, sites_file, args.mirror_profile, log)
        # Written whole by the mirror once every site listens.
        wdtk = json.loads(sites_file.read_text())["https://www.whatdotheyknow.com"]
        print(f"==> mirror started ({args.mirror_profile} profile): WhatDoTheyKnow at {wdtk}", flush=True)
        reports = refresh(args.data_dir, sites_file=sites_file, mode="demo", log=log)
        print("\nSummary", *(f"  {line}" for line in summary(args.data_dir, reports)),
              f"  site: {args.data_dir / 'site'}" + (f", served at http://127.0.0.1:{args.port}/" if args.serve else ""),
              f"  full logs (mirror, Scrapy, transform, publish): {log}", sep="\n", flush=True)
        if not args.serve:
            return 0
        site = start_site(args.data_dir, args.port)
        print(f"\nDemo site (DEMO DATA, not real findings): http://127.0.0.1:{args.port}/  - Ctrl-C stops it\n",
              flush=True)
        site.wait()
        return site.returncode or 0
    except StepFailed as exc:
        print(f"demo failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping the site and the mirror", file=sys.stderr)
        return 0
    finally:
        stop(site)
        stop(mirror)


if __name__ == "__main__":
    sys.exit(main())
