"""``python -m publish.check_latest``: does the site also start on Datasette's newest release line?

The project pins the 0.65 line (pyproject.toml). This check installs the newest Datasette,
pre-releases included (the 1.0 alphas), into a throwaway virtual environment, publishes the
sample build with the project's own code, serves it with the new Datasette exactly as
``make serve`` would (plus the 1.0 configuration file) and fetches the pages people use.
Run by ``make check-datasette-latest``; not part of ``make test`` as it needs the package index.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from publish.__main__ import serve_command
from publish.sample import write_sample
from publish.site import publish

ROOT = Path(__file__).resolve().parents[1]

# path -> text the page must contain
CHECKS = {
    "/": "Forces using live facial recognition",
    "/foi/force_status_wide?lfr_use=yes": "Metropolitan Police Service",
    "/foi/forces_using_lfr.json?_shape=array": '"force_id": "metropolitan"',
    "/foi/force_timeline?force_id=kent": "answer: use lfr",
    "/foi/force_status_wide/metropolitan": 'href="/foi/findings/wdtk~3A1001~3Ause~3Alfr"',
    "/foi/requests/wdtk~3A1001": "&lt;script&gt;window.__injected",
    "/downloads": "DEMO-force_status_wide.csv",
    "/downloads/DEMO-force_status_wide.csv": "force_id,name,country",
    "/foi/forces.csv?_size=max": "force_id,name,aliases",  # Datasette's export, through csv_formulas.py
    "/robots.txt": "Disallow: /foi",
    # The site's own pages (publish/plugins/pages.py); "?overview" only keeps the home page's key apart.
    "/?overview": '<td class="answer s-yes" data-field="lfr_use" data-state="yes"',
    "/force/metropolitan": 'class="wdtk" href="https://www.whatdotheyknow.com/body/the_met"',
    "/gaps": "https://www.whatdotheyknow.com/new/the_met?title=",
    "/map?field=dpia": 'data-force="metropolitan" data-state="withheld"',
    "/foi/findings/wdtk~3A1001~3Ause~3Alfr": '<mark data-start="118" data-end="182">',
    "/foi/force_status_wide": "What each column means",
    "/using-the-data": "DEMO-force_status_wide.parquet",
}


def install(venv: Path) -> Path:
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "--pre", "datasette"], check=True)
    return python


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8", "replace")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(base_url: str, server: subprocess.Popen, timeout: float = 60) -> dict:
    """Poll ``base_url``/-/versions.json until the server answers, and return that page (parsed).
    Raises RuntimeError, naming the URL, if the server process exits first or ``timeout``
    seconds pass. The page is Datasette's own and never cached by the response cache."""
    url = base_url + "/-/versions.json"
    deadline = time.monotonic() + timeout
    while True:
        try:
            return json.loads(fetch(url))
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"datasette exited with code {server.returncode} before serving {url}") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"datasette did not answer {url} within {timeout:g} s") from None
            time.sleep(0.1)


def check(python: Path, data_dir: Path, datasette_1: bool = True) -> list[str]:
    """Serve the published site with ``python``'s Datasette; return the checks that failed.
    ``datasette_1=False`` serves it as the pinned 0.65 line does (the tests use that)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (data_dir / "datasette.log").open("w")  # shown only when a check fails
    server = subprocess.Popen(serve_command(data_dir, "127.0.0.1", port, python=str(python), datasette_1=datasette_1),
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        try:
            version = wait_until_serving(base, server, 60)["datasette"]["version"]
        except RuntimeError as exc:
            return [str(exc)]
        print(f"Datasette {version} serving {base}/")
        failures = []
        for path, expected in CHECKS.items():
            try:
                ok = expected in fetch(base + path)
            except OSError as exc:
                ok, expected = False, f"{expected} ({exc})"
            print(f"  {'ok  ' if ok else 'FAIL'} {path}")
            if not ok:
                failures.append(f"{path}: expected {expected!r}")
        return failures
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m publish.check_latest", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venv", type=Path, default=ROOT / "build" / "datasette-latest",
                        help="throwaway virtual environment (default: build/datasette-latest)")
    args = parser.parse_args(argv)
    python = install(args.venv)
    with tempfile.TemporaryDirectory(prefix="datasette-latest-") as tmp:
        write_sample(Path(tmp), builds=2)
        publish(Path(tmp))
        failures = check(python, Path(tmp))
        if failures:
            print((Path(tmp) / "datasette.log").read_text()[-3000:], file=sys.stderr)
    if failures:
        print("the site does not work on the newest Datasette:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    print("the site works on the newest Datasette")
    return 0


if __name__ == "__main__":
    sys.exit(main())
