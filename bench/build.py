"""Transform and publish at each N, on the synthesised raw layer (bench/corpus.py).

transform: wall time, documents/s, PDF pages/s, peak memory (largest process of the transform's
           tree), and the ratio to bare text extraction: the same unique files read by the
           libraries themselves on the same two cores, with nothing else (no answers, no tables).
publish:   seconds to build SQLite with full-text search, and the database size.
Each run starts from an empty data directory and an empty extraction cache.
"""
from __future__ import annotations

import io
import json
import multiprocessing
import resource
import shutil
import subprocess
import time
from pathlib import Path

import pyarrow.parquet as pq

from scrapers import rawstore

from .common import PY, machine, median, run
from .corpus import raw_corpus


def fresh(work: Path, n: int) -> Path:
    data = work / f"build-{n}"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    (data / "raw").symlink_to(raw_corpus(n) / "raw")  # read only: the transform never writes raw/
    return data


def document_counts(data: Path) -> dict:
    docs = pq.read_table(data / "parquet" / "documents.parquet",
                         columns=["kind", "content_type", "extraction_method", "pages"]).to_pylist()
    pdf = [d for d in docs if d["content_type"] == "application/pdf"]
    return {"documents": len(docs), "attachments": sum(1 for d in docs if d["kind"] == "attachment"),
            "pdf_pages": sum(d["pages"] or 0 for d in pdf),
            "pdf_pages_ocr": sum(d["pages"] or 0 for d in pdf if d["extraction_method"] in ("ocr", "mixed"))}


NO_CHANGE_REPEATS = 3


def build(n: int, work: Path, repeats: int = 1) -> dict:
    """Then a second transform on the same data directory with nothing changed (its caches full):
    what a refresh that finds nothing new costs the transform."""
    runs = []
    transform_command = lambda data: [PY, "-m", "transform", "--data-dir", str(data), "--quiet"]  # noqa: E731
    for _ in range(repeats):
        data = fresh(work, n)
        transform = run(transform_command(data), log=work / "transform.log")
        steps = transform_steps(data)
        publish = run([PY, "-m", "publish", "build", "--data-dir", str(data)], log=work / "publish.log")
        runs.append({"transform_seconds": transform["seconds"], "transform_cpu_seconds": transform["cpu_seconds"],
                     "transform_peak_rss_mib": transform["peak_rss_mib"],
                     "transform_steps": steps,
                     "publish_seconds": publish["seconds"], "publish_peak_rss_mib": publish["peak_rss_mib"]})
    # A no-change transform takes seconds: repeated, as one figure of it moves with the load.
    warm = [run(transform_command(data), log=work / "transform.log") for _ in range(NO_CHANGE_REPEATS)]
    warm_seconds = median([w["seconds"] for w in warm])
    counts = document_counts(data)
    db = data / "site" / "foi.db"
    seconds = median([r["transform_seconds"] for r in runs])
    steps = {step: median([r["transform_steps"][step] for r in runs]) for step in runs[0]["transform_steps"]}
    bare = bare_extraction(raw_corpus(n))
    return {
        "n": n, "repeats": repeats, **counts, "unique_files": bare["files"],
        "transform_seconds": seconds, "documents_per_second": counts["documents"] / seconds,
        "pdf_pages_per_second": counts["pdf_pages"] / seconds,
        "transform_peak_rss_mib": max(r["transform_peak_rss_mib"] for r in runs),
        "bare_extraction_seconds": bare["seconds"], "overhead_ratio": seconds / bare["seconds"],
        "bare_extraction_cpu_seconds": bare["cpu_seconds"],
        "transform_steps": steps, "extract_step_ratio": steps["extract"] / bare["seconds"],
        "warm_cache_transform_seconds": warm_seconds, "no_change_fraction": warm_seconds / seconds,
        "warm_cache_transform_runs": [w["seconds"] for w in warm],
        "transform_cpu_seconds": median([r["transform_cpu_seconds"] for r in runs]),
        "warm_cache_transform_cpu_seconds": median([w["cpu_seconds"] for w in warm]),
        "publish_seconds": median([r["publish_seconds"] for r in runs]),
        "publish_peak_rss_mib": max(r["publish_peak_rss_mib"] for r in runs),
        "db_bytes": db.stat().st_size, "site_dir": str(data), "runs": runs, "machine": machine(),
    }


def transform_steps(data: Path) -> dict[str, float]:
    """Seconds of each step of the transform just run, from its report (transform/build.py)."""
    [report] = sorted((data / "reports" / "transform").glob("*.json"))[-1:]
    return json.loads(report.read_text())["seconds"]


# --- bare extraction: the libraries alone, on the same files, on two processes --------------------


def unique_files(data: Path) -> list[tuple[str, str]]:
    """(path, file name) of every distinct attachment file of the corpus."""
    seen = {}
    for item in rawstore.iter_items(data):
        for message in item["messages"]:
            for a in message["attachments"]:
                if a.get("sha256"):
                    seen.setdefault(a["sha256"], (str(rawstore.file_path(data, a["sha256"])), a["name"]))
    return list(seen.values())


def bare_extraction(data: Path, workers: int = 2) -> dict:
    files = unique_files(data)
    started, children = time.perf_counter(), _children_cpu()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        chars = sum(pool.imap_unordered(bare_text, files, chunksize=8))
        pool.close()
        pool.join()  # so the workers' CPU time is counted
    return {"files": len(files), "chars": chars, "seconds": time.perf_counter() - started,
            "cpu_seconds": _children_cpu() - children}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bare_text(job: tuple[str, str]) -> int:
    path, name = job
    kind = name.rsplit(".", 1)[-1].lower()
    if kind == "pdf":
        import pypdfium2 as pdfium
        pdf = pdfium.PdfDocument(path)
        text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        if not text.strip():  # a scan: render at 200 dpi, as the pipeline does, and OCR it
            for i in range(len(pdf)):
                png = io.BytesIO()
                pdf[i].render(scale=200 / 72, grayscale=True).to_pil().save(png, format="PNG")
                text += subprocess.run(["tesseract", "stdin", "stdout", "-l", "eng"], input=png.getvalue(),
                                       capture_output=True).stdout.decode()
        pdf.close()
        return len(text)
    if kind == "docx":
        import docx
        with open(path, "rb") as f:  # raw files have no extension, so the libraries get file objects
            return sum(len(p.text) for p in docx.Document(f).paragraphs)
    if kind == "xlsx":
        import openpyxl
        with open(path, "rb") as f:
            wb = openpyxl.load_workbook(f, read_only=True, data_only=True)
            n = sum(len(str(v)) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)
            wb.close()
        return n
    return len(Path(path).read_bytes().decode("utf-8", "replace"))


if __name__ == "__main__":
    import sys
    print(json.dumps(build(int(sys.argv[1]), Path("/tmp/bw")), indent=1))
