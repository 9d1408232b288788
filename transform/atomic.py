"""Replace an output folder or file whole, so readers see the old version or the new one, never a
mix (nor half a file left by a killed run)."""

import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_dir(target: Path):
    """Yield an empty temporary folder beside ``target``; if the block succeeds it replaces
    ``target``, and if it fails it is removed and ``target`` is left as it was."""
    target = Path(target)
    _recover(target)
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = target.with_name(f"{target.name}.old-{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)


def write_json_atomic(path: Path, obj, **dumps) -> None:
    """Write ``obj`` as JSON (``json.dumps(obj, **dumps)``, UTF-8) to ``path`` through a temporary
    file beside it, then rename it over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(obj, **dumps), encoding="utf-8")
    os.replace(tmp, path)


def _recover(target: Path) -> None:
    """Tidy up after a process killed while staging ``target``: its staged folder is removed, and
    if it died between moving ``target`` aside and renaming the new one in, the old one is put
    back. Folders of a process still running (another build) are left alone."""
    for path in sorted(target.parent.glob(f"{target.name}.old-*")) + sorted(target.parent.glob(f"{target.name}.tmp-*")):
        pid = path.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or _running(int(pid)):
            continue
        if ".old-" in path.name and not target.exists():
            os.replace(path, target)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own leftovers (a pid reused after a kill) are stale by definition
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A killed process that nobody has reaped yet (a zombie) still answers kill(pid, 0), but it
    # will never finish its folder: its leftovers are stale.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc here: trust kill()
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"
