"""Mutation check of the named guards: `make mutate` (or `python -m tests.mutate [NAME...]`).

Each entry of tests/mutations.toml disables one guard or resolution step of the answer reader, or
one roll-up rule, by a single text replacement. For each in turn, on a scratch copy of the tree,
the entry's tests run with -x; the first failing test is the one that caught it. A mutation no
test catches SURVIVED. The exit status is non-zero when any survived, or when an entry's `find`
text is not in its file exactly once (so the catalogue cannot silently stop mutating anything).

Not part of `make test`: it runs the answer tests once per entry (a few minutes in all).
tests/test_mutations_catalogue.py checks the catalogue against the source in a second.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "tests" / "mutations.toml"
# What the copy needs to import the code and run its tests.
COPIED = ("transform", "schema", "scrapers", "reference", "tests", "pyproject.toml")


@dataclass
class Mutation:
    name: str
    doc: str
    file: str
    find: str
    replace: str
    tests: list[str]


def load(path: Path = CATALOGUE) -> list[Mutation]:
    data = tomllib.loads(path.read_text("utf-8"))
    suites = data.get("suites", {})
    mutations = []
    for entry in data["mutation"]:
        tests = [t for name in entry["tests"] for t in suites.get(name, [name])]
        mutations.append(Mutation(entry["name"], entry["doc"], entry["file"], entry["find"], entry["replace"], tests))
    return mutations


def problems(mutations: list[Mutation], root: Path = ROOT) -> list[str]:
    """Entries that would not mutate anything: file missing, `find` absent or ambiguous."""
    found = []
    for m in mutations:
        path = root / m.file
        if not path.exists():
            found.append(f"{m.name}: {m.file} does not exist")
            continue
        count = path.read_text("utf-8").count(m.find)
        if count != 1:
            found.append(f"{m.name}: the text to replace occurs {count} times in {m.file}, not once")
        if m.find == m.replace:
            found.append(f"{m.name}: the replacement is the same text")
        missing = [t for t in m.tests if not (root / t).exists()]
        if missing:
            found.append(f"{m.name}: no such test file {', '.join(missing)}")
    return found


def pytest(copy: Path, tests: list[str]) -> subprocess.CompletedProcess:
    # PYTHONPATH: the copy's code, not the editable install's (which points at this tree).
    env = dict(os.environ, PYTHONPATH=str(copy), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-x", "-q",
                           "-rfE", "--no-header", *tests], cwd=copy, env=env, capture_output=True, text=True)


def first_failure(output: str) -> str | None:
    m = re.search(r"^(?:FAILED|ERROR) (.+?)(?: - .*)?$", output, re.M)
    return m.group(1) if m else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only the entries whose name contains one of these words")
    args = parser.parse_args(argv)
    mutations = [m for m in load() if not args.names or any(n in m.name for n in args.names)]
    bad = problems(mutations)
    if bad:
        print("The catalogue does not match the source:\n  " + "\n  ".join(bad))
        return 2
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mutate-") as scratch:
        copy = Path(scratch)
        for name in COPIED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, copy / name)
        check = subprocess.run([sys.executable, "-c", "import transform; print(transform.__file__)"], cwd=copy,
                               env=dict(os.environ, PYTHONPATH=str(copy)), capture_output=True, text=True)
        if not check.stdout.startswith(str(copy)):
            print(f"the copy's code is not the one imported ({check.stdout.strip() or check.stderr.strip()})")
            return 2
        # Unmutated, the tests must pass, or every mutation would look caught.
        suites = sorted({t for m in mutations for t in m.tests})
        baseline = pytest(copy, suites)
        if baseline.returncode != 0:
            print("The tests fail before any mutation:\n" + baseline.stdout[-3000:])
            return 2
        survived = 0
        width = max(len(m.name) for m in mutations)
        for m in mutations:
            path = copy / m.file
            original = path.read_text("utf-8")
            path.write_text(original.replace(m.find, m.replace), "utf-8")
            try:
                result = pytest(copy, m.tests)
            finally:
                path.write_text(original, "utf-8")
            caught = first_failure(result.stdout) if result.returncode != 0 else None
            if caught is None and result.returncode != 0:
                caught = f"pytest exit {result.returncode}: " + result.stdout.strip().splitlines()[-1]
            survived += caught is None
            print(f"{m.name:<{width}}  {caught or 'SURVIVED'}", flush=True)
    print(f"\n{len(mutations)} mutations: {len(mutations) - survived} caught, {survived} survived "
          f"({time.monotonic() - started:.0f} s)")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
