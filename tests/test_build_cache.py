"""The transform's caches never change a result: what the reader found (the answer cache) and the
text of the attachments (the extraction cache, one SQLite file). A changed reader input reads
every request again; an interrupted cache write leaves a cache the next build uses."""
import multiprocessing
import os
import shutil
import signal

import pytest

from bench import corpus
from transform import request_tables
from transform.build import build
from transform.extract import batch
from transform.extract.batch import text_cache

# Enough requests for every outcome of the synthetic corpus (mirror/sites/wdtk/scaled.py), exemptions
# and refusals included.
N = 80
OUTPUTS = ["requests", "documents", "findings", "supplier_mentions", "exemptions", "force_status_wide"]


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    """A raw layer of N synthetic requests (bench/corpus.py), as if crawled."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(corpus, "CACHE", tmp_path_factory.mktemp("corpus"))
        return corpus.raw_corpus(N) / "raw"


@pytest.fixture(scope="module")
def reference(raw, tmp_path_factory):
    """A build with empty caches: the tables every other build must reproduce byte for byte."""
    data_dir = data_with(raw, tmp_path_factory.mktemp("reference"))
    build(data_dir, progress=False)
    return data_dir


def data_with(raw, data_dir):
    (data_dir / "raw").symlink_to(raw)
    return data_dir


def test_the_corpus_has_rows_in_every_output(reference):
    import pyarrow.parquet as pq
    assert all(pq.ParquetFile(reference / f"parquet/{table}.parquet").metadata.num_rows for table in OUTPUTS)


def assert_same_tables(data_dir, reference):
    for table in OUTPUTS:
        path = f"parquet/{table}.parquet"
        assert (data_dir / path).read_bytes() == (reference / path).read_bytes(), table


@pytest.fixture
def counted(monkeypatch):
    """Counts the requests whose rows are made, those the reader reads and the files extracted
    (builds under 200 requests read in this process)."""
    calls = {"rows": 0, "read": 0, "extracted": 0}
    rows, read, run_pool = request_tables._read, request_tables.read_request, batch._run_pool

    def counting_rows(*args):
        calls["rows"] += 1
        return rows(*args)

    def counting_read(documents):
        calls["read"] += 1
        return read(documents)

    def counting_pool(todo, *args):
        calls["extracted"] += len(todo)
        return run_pool(todo, *args)
    monkeypatch.setattr(request_tables, "_read", counting_rows)
    monkeypatch.setattr(request_tables, "read_request", counting_read)
    monkeypatch.setattr(batch, "_run_pool", counting_pool)
    return calls


def test_second_build_reads_nothing_again_and_gives_the_same_bytes(raw, reference, tmp_path, counted):
    data_dir = data_with(raw, tmp_path)
    build(data_dir, progress=False)
    assert counted == {"rows": N, "read": N, "extracted": len(batch.cached_hashes(data_dir / "cache" / "text"))}
    assert_same_tables(data_dir, reference)
    counted.update(rows=0, read=0, extracted=0)
    build(data_dir, progress=False)
    assert counted == {"rows": 0, "read": 0, "extracted": 0}
    assert_same_tables(data_dir, reference)


def test_a_changed_input_file_changes_the_versions(tmp_path):
    root = tmp_path / "copy"
    for pattern in request_tables.TRANSFORM_INPUTS:
        for path in request_tables.ROOT.glob(pattern):
            target = root / path.relative_to(request_tables.ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)

    def both():
        return [request_tables.versions(inputs, root)
                for inputs in (request_tables.READER_INPUTS, request_tables.TRANSFORM_INPUTS)]
    before = both()
    assert before == [request_tables.versions(request_tables.READER_INPUTS),
                      request_tables.versions(request_tables.TRANSFORM_INPUTS)]
    for edited in ["transform/answers/rules.py", "reference/technologies/facial_recognition.yaml",
                   "reference/suppliers.csv", "transform/personal_data.yaml"]:
        with (root / edited).open("a") as f:
            f.write("\n")
        after = both()
        assert after[0] != before[0] and after[1] != before[1], edited
        before = after
    with (root / "transform/documents.py").open("a") as f:  # not the reader's: only the rows change
        f.write("\n")
    after = both()
    assert after[0] == before[0] and after[1] != before[1]


def with_versions(monkeypatch, reader=None, transform=None):
    """Builds from now on see other versions of the reader's or the transform's input files."""
    real = request_tables.versions
    changed = {request_tables.READER_INPUTS: reader, request_tables.TRANSFORM_INPUTS: transform}
    monkeypatch.setattr("transform.build.versions", lambda inputs: changed[inputs] or real(inputs))


def test_a_new_reader_version_reads_every_request_again(raw, reference, tmp_path, counted, monkeypatch):
    data_dir = data_with(raw, tmp_path)
    build(data_dir, progress=False)
    with_versions(monkeypatch, reader="another reader", transform="another transform")
    counted.update(read=0)
    build(data_dir, progress=False)
    assert counted["read"] == N
    assert_same_tables(data_dir, reference)


def test_requests_whose_documents_did_not_change_are_not_read_again(raw, reference, tmp_path, counted,
                                                                     monkeypatch):
    # Every request's rows are made again (a new transform version), but the reader is the same
    # and so are the documents: its answers come from the cache.
    data_dir = data_with(raw, tmp_path)
    build(data_dir, progress=False)
    with_versions(monkeypatch, transform="another transform")
    counted.update(rows=0, read=0)
    build(data_dir, progress=False)
    assert counted["rows"] == N and counted["read"] == 0
    assert_same_tables(data_dir, reference)


def _killed_mid_write(cache_file, ready) -> None:
    import sqlite3
    db = sqlite3.connect(cache_file)
    db.execute("BEGIN")
    db.execute("DELETE FROM entries")  # a half-done write that would lose every entry
    db.execute("INSERT INTO entries VALUES ('v1:half', '{')")
    ready.set()
    os.kill(os.getpid(), signal.SIGKILL)


def test_cache_write_killed_midway_leaves_a_cache_the_next_build_uses(raw, reference, tmp_path, counted):
    data_dir = data_with(raw, tmp_path)
    build(data_dir, progress=False)
    for cache in [text_cache(data_dir / "cache" / "text"), request_tables.read_cache(data_dir)]:
        cache.close()
        ctx = multiprocessing.get_context("spawn")
        ready = ctx.Event()
        child = ctx.Process(target=_killed_mid_write, args=(cache.path, ready))
        child.start()
        child.join(60)
        assert ready.is_set() and child.exitcode == -signal.SIGKILL
    counted.update(rows=0, read=0, extracted=0)
    build(data_dir, progress=False)
    assert counted == {"rows": 0, "read": 0, "extracted": 0}  # every committed entry was still there
    assert_same_tables(data_dir, reference)


def test_damaged_cache_files_are_set_aside_and_the_build_gives_the_same_tables(raw, reference, tmp_path):
    data_dir = data_with(raw, tmp_path)
    build(data_dir, progress=False)
    for cache in [text_cache(data_dir / "cache" / "text"), request_tables.read_cache(data_dir)]:
        cache.close()
        cache.path.write_bytes(b"garbage" * 1000)
        for suffix in ("-wal", "-shm"):
            cache.path.with_name(cache.path.name + suffix).unlink(missing_ok=True)
    build(data_dir, progress=False)
    assert_same_tables(data_dir, reference)
