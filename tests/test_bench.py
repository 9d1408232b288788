"""Smoke test of the benchmark harness (make bench) at tiny N: it runs and writes its results.
The benchmarks themselves are never run by the test suite."""
import json

from bench.__main__ import main


def test_bench_harness_runs_at_tiny_n(tmp_path, capsys):
    out = tmp_path / "results"
    assert main(["--sizes", "20", "--only", "build,site", "--site-per-page", "1",
                 "--out", str(out), "--work", str(tmp_path / "work")]) == 0
    summary = json.loads((out / "summary.json").read_text())
    build = summary["build"][0]
    assert build["n"] == 20 and build["documents"] > 20 and build["db_bytes"] > 0
    assert summary["site"]["pages"]["home"]["requests"] == 1
    assert "targets" in capsys.readouterr().out
