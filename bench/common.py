"""What every benchmark shares: timing a child process with its peak memory, the machine's load,
medians, printing a table, writing the JSON results."""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def machine() -> dict:
    """Recorded with every result: figures taken on a shared, busy machine are noisy."""
    return {"cpus": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()],
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def run(command: list[str], log: Path | None = None, env: dict | None = None, cwd: Path = ROOT) -> dict:
    """Run a command to completion: wall seconds, CPU seconds (user and system) and the peak
    resident set of the largest process in its tree, in MiB (wait4 reports the child and every
    descendant it waited for). CPU time moves much less than wall time with the machine's load."""
    out = open(log, "ab") if log else subprocess.DEVNULL
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                            env={**os.environ, **(env or {})})
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if log:
        out.close()
    if proc.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:] if log else ""
        raise RuntimeError(f"{' '.join(command[:6])} ... exited {proc.returncode}\n{tail}")
    return {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_rss_mib": usage.ru_maxrss / 1024}


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def table(title: str, header: list[str], rows: list[list]) -> str:
    cells = [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(header)]
    lines = [title, "  ".join(h.ljust(w) for h, w in zip(header, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))) for row in cells]
    return "\n".join(lines)


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def write_json(out_dir: Path, name: str, result: dict) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return path
