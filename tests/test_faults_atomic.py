"""Output folders after a process was killed while swapping them in (transform/atomic.py)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from transform.atomic import staged_dir


def dead_pid() -> int:
    process = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(process.stdout)


def test_a_killed_swap_puts_the_previous_folder_back(tmp_path):
    # Killed after moving site/ aside and before renaming the new one in: no site/ at all.
    pid = dead_pid()
    (tmp_path / f"site.old-{pid}").mkdir()
    (tmp_path / f"site.old-{pid}" / "foi.db").write_text("previous")
    (tmp_path / f"site.tmp-{pid}").mkdir()
    try:
        with staged_dir(tmp_path / "site"):
            assert (tmp_path / "site" / "foi.db").read_text() == "previous"
            raise RuntimeError("this publish fails too")
    except RuntimeError:
        pass
    assert (tmp_path / "site" / "foi.db").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_staged_folders_of_a_running_build_are_left_alone(tmp_path):
    # A live process until the test ends it: it waits for its stdin to close, not a set time that
    # a slow run could outlast.
    running = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        (tmp_path / f"parquet.tmp-{running.pid}").mkdir()
        with staged_dir(tmp_path / "parquet") as tmp:
            (tmp / "a.parquet").write_text("new")
        assert (tmp_path / f"parquet.tmp-{running.pid}").exists()
        assert (tmp_path / "parquet" / "a.parquet").read_text() == "new"
    finally:
        running.stdin.close()  # the event it waits for: it exits
        running.wait()


def test_staged_folders_of_a_killed_but_unreaped_build_are_tidied(tmp_path):
    # A build killed with its parent is a zombie until something reaps it: kill(pid, 0) still
    # answers, but the folder will never be finished (seen in test_refresh_kill under load).
    killed = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        os.kill(killed.pid, signal.SIGKILL)
        stat = Path(f"/proc/{killed.pid}/stat")
        while stat.exists() and stat.read_text().rsplit(")", 1)[-1].split()[0] != "Z":
            pass  # the kernel makes it a zombie at once; not reaped, as we do not wait for it
        (tmp_path / f"parquet.tmp-{killed.pid}").mkdir()
        with staged_dir(tmp_path / "parquet") as tmp:
            (tmp / "a.parquet").write_text("new")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["parquet"]
    finally:
        killed.wait()
