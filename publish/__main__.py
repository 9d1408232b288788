"""``python -m publish build|serve --data-dir DIR``.

build: write ``DIR/site/`` (SQLite with full-text search, metadata, templates, downloads).
serve: serve ``DIR/site/`` with Datasette, read-only (immutable), printing the URL.
"""

import argparse
import json
import os
import sys
from pathlib import Path

from publish.site import DATABASE, PublishError, publish, site_dir

# Serving settings, in one place (documented in the README).
SERVE_SETTINGS = {
    "sql_time_limit_ms": "1500",   # no query may hold the site for long
    "max_returned_rows": "2000",
    "facet_time_limit_ms": "500",
    "suggest_facets": "off",       # suggestions query every column of a table on every table page
    "allow_download": "on",        # the SQLite file is one of the downloads
}


def datasette_app(data_dir: Path):
    """The same site ``serve`` runs, as an in-process Datasette (tests and benchmarks use it)."""
    from datasette.app import Datasette

    site = site_dir(data_dir)
    return Datasette(
        immutables=[str(site / f"{DATABASE}.db")],
        inspect_data=json.loads((site / "inspect.json").read_text()),
        metadata=json.loads((site / "metadata.json").read_text()),
        template_dir=str(site / "templates"),
        plugins_dir=str(site / "plugins"),
        static_mounts=[("downloads", str(site / "downloads"))],
        settings={name: int(value) if value.isdigit() else value == "on" for name, value in SERVE_SETTINGS.items()},
    )


def serve_command(data_dir: Path, host: str, port: int, python: str = sys.executable,
                  datasette_1: bool = False) -> list[str]:
    """The datasette command serving the site; ``datasette_1`` adds the configuration file the
    1.0 line reads table set-up and canned queries from (publish.metadata.datasette_config)."""
    site = site_dir(data_dir)
    command = [python, "-m", "datasette", "serve", "-i", str(site / f"{DATABASE}.db"),
               "--inspect-file", str(site / "inspect.json"), "-m", str(site / "metadata.json"),
               "--template-dir", str(site / "templates"), "--plugins-dir", str(site / "plugins"), "--static", f"downloads:{site / 'downloads'}",
               "-h", host, "-p", str(port)]
    if datasette_1:
        command += ["-c", str(site / "datasette.json")]
    for name, value in SERVE_SETTINGS.items():
        command += ["--setting", name, value]
    return command


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m publish", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["build", "serve"])
    parser.add_argument("--data-dir", default="data", help="data directory (default: data)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir)
    if args.command == "build":
        try:
            target = publish(data_dir)
        except PublishError as exc:
            print(f"publish failed: {exc}", file=sys.stderr)
            return 1
        print(f"publish: site written to {target}")
        return 0
    if not (site_dir(data_dir) / f"{DATABASE}.db").exists():
        print(f"nothing to serve: {site_dir(data_dir)} has no {DATABASE}.db; run make publish first", file=sys.stderr)
        return 1
    print(f"Serving {site_dir(data_dir)} at http://{args.host}:{args.port}/  (Ctrl-C to stop)", flush=True)
    command = serve_command(data_dir, args.host, args.port)
    os.execv(command[0], command)


if __name__ == "__main__":
    sys.exit(main())
