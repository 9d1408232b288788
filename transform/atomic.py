"""Replace an output folder whole, so readers see the old version or the new one, never a mix."""

import os
import shutil
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_dir(target: Path):
    """Yield an empty temporary folder beside ``target``; if the block succeeds it replaces
    ``target``, and if it fails it is removed and ``target`` is left as it was."""
    target = Path(target)
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
