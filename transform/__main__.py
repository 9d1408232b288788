"""``python -m transform --data-dir DIR``: build the Parquet tables from the raw layer."""

import argparse
import logging
import sys
import time

from reference.registry import RegistryError
from schema.derive import SchemaError
from transform.build import BuildError, build
from transform.overrides import OverrideError


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m transform", description=__doc__)
    parser.add_argument("--data-dir", default="data", help="data directory holding raw/ (default: data)")
    parser.add_argument("--mode", choices=["live", "demo"], help="refuse to build if the raw layer is of the other mode")
    parser.add_argument("--workers", type=int, default=2, help="processes for text extraction (default: 2)")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(levelname)s %(message)s")
    started = time.monotonic()
    try:
        summary = build(args.data_dir, mode=args.mode, workers=args.workers, progress=not args.quiet)
    except (BuildError, RegistryError, SchemaError, OverrideError) as exc:
        print(f"transform failed: {exc}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{name} {n}" for name, n in summary.tables.items())
    steps = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in summary.seconds.items())
    print(f"transform: {summary.mode} build {summary.build_id} in {time.monotonic() - started:.1f}s ({steps}) "
          f"-> {summary.parquet_dir} ({counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
