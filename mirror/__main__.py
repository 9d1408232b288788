"""``python -m mirror serve [--port 8100] [--sites-file PATH] [--access-log PATH]``."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from mirror.harness import Mirror
from mirror.sites.wdtk import scaled


def serve(args: argparse.Namespace) -> int:
    stop = threading.Event()
    # SIGTERM (e.g. from make or a test) stops as cleanly as Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with Mirror(port=args.port, access_log_path=args.access_log, profile=args.profile) as mirror:
        if args.sites_file:
            mirror.write_sites_file(args.sites_file)
        for real, local in mirror.sites.items():
            print(f"{real} -> {local}", flush=True)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    print("mirror stopped", flush=True)
    return 0


def profile(value: str) -> str:
    """An argparse type: "full", "small" or "scale-<n>" (any n, e.g. scale-1k or scale-200)."""
    if value in ("full", "small") or scaled.size(value) is not None:
        return value
    raise argparse.ArgumentTypeError(f"{value!r} is not a profile: use full, small or scale-<n> (e.g. scale-1k, scale-200)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mirror", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("serve", help="serve every mirrored site on 127.0.0.1")
    p.add_argument("--port", type=int, default=8100, help="first port (one per site); 0 = free ports")
    p.add_argument("--sites-file", help="write the real-base-URL -> mirror-base-URL map here (JSON)")
    p.add_argument("--access-log", help="append one JSON line per request to this file")
    p.add_argument("--profile", type=profile, default="full",
                   help="full: every force and the generated bulk; small: the hand-written cases only; "
                        "scale-<n> (e.g. scale-1k, scale-200): the hand-written cases plus n benchmark requests")
    p.set_defaults(func=serve)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
