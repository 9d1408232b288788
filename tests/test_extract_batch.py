"""extract_many: results by hash, a cache that makes a second run re-extract nothing, a time limit
that turns a stuck document into an error row, and progress on stderr."""
import hashlib
import shutil

import pytest

from bench import extract_corpus as make
from transform.extract import extract_many
from transform.extract.batch import cache_path

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
    assert all(cache_path(cache, sha).exists() for sha, _, _ in files)
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


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_time_limit_kills_stuck_document(tmp_path, files):
    # Eight pages of OCR take several seconds; the typed files take a fraction of one.
    slow = item(make.scanned_pdf(tmp_path / "slow", ["A scanned page that takes a while to OCR."] * 8))
    cache = tmp_path / "cache"
    results = extract_many([slow] + files[:2], cache, workers=1, progress=False, time_limit=2)
    assert results[slow[0]].error == "extraction exceeded the time limit of 2s; stopped"
    assert results[slow[0]].content_type == "application/pdf"
    assert all(results[sha].error is None for sha, _, _ in files[:2])  # the replacement worker carried on
    assert not cache_path(cache, slow[0]).exists()  # a timeout is retried next run, not cached


def _worker_running_tesseract() -> int | None:
    """pid of an extraction worker whose process group is running Tesseract (Linux /proc)."""
    import multiprocessing
    import os
    workers = {p.pid for p in multiprocessing.active_children()}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                if f.read().split(b"\0")[0].endswith(b"tesseract") and os.getpgid(int(entry)) in workers:
                    return os.getpgid(int(entry))
        except OSError:
            continue
    return None


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_crashed_worker_becomes_error_row(tmp_path, files):
    import os
    import signal
    import threading
    import time

    slow = item(make.scanned_pdf(tmp_path / "slow", ["A scanned page that takes a while to OCR."] * 8))

    def crash_worker_mid_document():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            pid = _worker_running_tesseract()
            if pid:
                os.kill(pid, signal.SIGKILL)  # as a segfault in a parsing library would end it
                return
            time.sleep(0.05)
    killer = threading.Thread(target=crash_worker_mid_document)
    killer.start()
    results = extract_many([slow] + files[:2], tmp_path / "cache", workers=1, progress=False)
    killer.join()
    assert results[slow[0]].error.startswith("worker process died (exit code -9) while extracting")
    assert all(results[sha].error is None for sha, _, _ in files[:2])
