"""Browser tests drive Debian's Chromium through Playwright (``.ci/run`` installs both)."""

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives a real browser (Debian's chromium, through Playwright)")


def pytest_collection_modifyitems(config, items):
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install -e '.[test]')")
    if missing:
        skip = pytest.mark.skip(reason="browser test needs " + " and ".join(missing) + "; CI installs them")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)
