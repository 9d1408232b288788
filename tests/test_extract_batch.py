"""extract_many: results by hash, a cache that makes a second run re-extract nothing, a time limit
that turns a stuck document into an error row, and progress on stderr."""
import hashlib
import os
import shutil

import pytest

from bench import extract_corpus as make
from transform.extract import extract_many
import json

from transform.extract.batch import cached_hashes, load_cached

SENTENCE = "The force does not currently use live facial recognition technology."


def item(path, hint=None):
    return (hashlib.sha256(path.read_bytes()).hexdigest(), path, hint)


@pytest.fixture
def files(tmp_path):
    src = tmp_path / "files"
    src.mkdir()
    (src / "empty").write_bytes(b"")
    return [item(make.text_pdf(src / "a", [SENTENCE]), "answer.pdf"),
            item(make.docx_file(src / "b", [SENTENCE]), "answer.docx"),
            item(make.html_file(src / "c", [SENTENCE])),
            item(src / "empty")]


def test_second_run_reextracts_nothing(tmp_path, files, capfd):
    cache = tmp_path / "cache"
    first = extract_many(files + files[:1], cache, workers=2)  # a repeated file is done once
    assert set(first) == {sha for sha, _, _ in files}
    assert [first[sha].method for sha, _, _ in files] == ["text_layer", "office", "html", "none"]
    assert all(SENTENCE in first[sha].text for sha, _, _ in files[:3])
    assert first[files[3][0]].error == "empty file (zero bytes)"  # error rows are cached too
    assert cached_hashes(cache) == {sha for sha, _, _ in files}
    assert not [p for p in cache.iterdir() if p.is_dir()]  # one file, not a file per result
    err = capfd.readouterr().err
    assert "extract: 4/4 documents (0 cached)" in err and "ETA" in err and "documents/s" in err

    # Remove the files: a second run that read any of them again would get "cannot read file".
    shutil.rmtree(files[0][1].parent)
    new = item(make.text_pdf(tmp_path / "new", ["A new answer."]))
    second = extract_many(files + [new], cache, workers=2)
    assert {sha: ex.to_dict() for sha, ex in second.items() if sha != new[0]} == \
        {sha: ex.to_dict() for sha, ex in first.items()}
    assert second[new[0]].text == "A new answer."
    assert "extract: 5/5 documents (4 cached)" in capfd.readouterr().err


def fake_tesseract(bin_dir, monkeypatch, body: str) -> None:
    """Put a shell script named ``tesseract`` first on PATH. The extraction workers are separate
    processes that inherit PATH, so this is how a test decides what OCR does inside them, whatever
    the machine's speed (and whether or not the real Tesseract is installed)."""
    bin_dir.mkdir()
    script = bin_dir / "tesseract"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


def test_time_limit_kills_stuck_document(tmp_path, files, monkeypatch):
    # A stuck document for certain: its OCR waits for a line on a pipe that nobody ever writes,
    # so only the time limit can end it, on a fast machine as on a slow one.
    os.mkfifo(tmp_path / "never")
    fake_tesseract(tmp_path / "bin", monkeypatch, f"read line < '{tmp_path / 'never'}'")
    stuck = item(make.scanned_pdf(tmp_path / "stuck", ["A scanned page."]))
    cache = tmp_path / "cache"
    # The limit is also what the two typed files get, each well under a second even on a slow,
    # shared machine; this is only the test's running time for the stuck one.
    results = extract_many([stuck] + files[:2], cache, workers=1, progress=False, time_limit=3)
    assert results[stuck[0]].error == "extraction exceeded the time limit of 3s; stopped"
    assert results[stuck[0]].content_type == "application/pdf"
    assert all(results[sha].error is None for sha, _, _ in files[:2])  # the replacement worker carried on
    assert load_cached(cache, stuck[0]) is None  # a timeout is retried next run, not cached


def test_crashed_worker_becomes_error_row(tmp_path, files, monkeypatch):
    # OCR kills its own process group, which is the worker's: the worker dies mid-document, as a
    # segfault in a parsing library would end it.
    fake_tesseract(tmp_path / "bin", monkeypatch, "kill -KILL 0")
    scanned = item(make.scanned_pdf(tmp_path / "scanned", ["A scanned page."]))
    results = extract_many([scanned] + files[:2], tmp_path / "cache", workers=1, progress=False)
    assert results[scanned[0]].error.startswith("worker process died (exit code -9) while extracting")
    assert all(results[sha].error is None for sha, _, _ in files[:2])


def test_old_per_file_cache_is_moved_into_the_cache_file(tmp_path, files):
    from transform.extract.core import EXTRACTOR_VERSION
    cache = tmp_path / "cache"
    first = extract_many(files, tmp_path / "reference", workers=1, progress=False)
    sha = files[0][0]
    # The layout before the cache was one file: a JSON file per result, and older versions' folders.
    old = cache / f"v{EXTRACTOR_VERSION}" / sha[:2] / f"{sha}.json"
    old.parent.mkdir(parents=True)
    old.write_text(json.dumps(first[sha].to_dict()), encoding="utf-8")
    (cache / "v0" / "ab").mkdir(parents=True)
    shutil.rmtree(files[0][1].parent)  # not readable any more: it must come from the old cache
    second = extract_many(files, cache, workers=1, progress=False)
    assert second[sha].to_dict() == first[sha].to_dict()
    assert not (cache / "v0").exists() and not old.parent.parent.exists()
