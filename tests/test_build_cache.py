"""The transform's caches never change a result: what the reader found (the answer cache) and the
text of the attachments (the extraction cache, one SQLite file). A changed reader input reads
every request again; an interrupted cache write leaves a cache the next build uses. A build in
which no request changed copies the previous documents.parquet; any change writes it again."""
import json
import multiprocessing
import os
import shutil
import signal

import pytest

from bench import corpus
from scrapers import rawstore
from transform import answers, build as build_module, request_tables
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
    rows, read, run_pool = request_tables._read, answers.read_request, batch._run_pool

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
    monkeypatch.setattr(answers, "read_request", counting_read)  # imported from there when needed
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


@pytest.fixture
def chunks_read(monkeypatch):
    """Counts the chunks of requests read (rows from the cache or made), which a build that
    reuses the previous documents.parquet does not read at all."""
    calls = {"chunks": 0}
    read_chunk = build_module.read_chunk

    def counting(*args):
        calls["chunks"] += 1
        return read_chunk(*args)
    monkeypatch.setattr(build_module, "read_chunk", counting)
    return calls


def test_no_change_build_copies_the_documents_file_without_reading_any_request(raw, reference, tmp_path,
                                                                              chunks_read):
    data_dir = data_with(raw, tmp_path)
    build(data_dir, progress=False)
    assert chunks_read["chunks"] > 0
    chunks_read.update(chunks=0)
    build(data_dir, progress=False)
    assert chunks_read["chunks"] == 0
    assert_same_tables(data_dir, reference)


def copy_of(raw, data_dir):
    """A data directory with its own copy of the raw layer, to change."""
    shutil.copytree(raw, data_dir / "raw")
    return data_dir


def change_one_request(data_dir):
    """A later crawl of one answered request, its reply reworded (a new run file); returns what
    undoes it."""
    stored, item = next((s, i) for s, i in rawstore.iter_stored(data_dir)
                        if any(m["direction"] == "incoming" for m in i["messages"]))
    reply = next(m for m in item["messages"] if m["direction"] == "incoming")
    reply["text"] += "\n\nA paragraph added since the last crawl."
    item["fetched_at"] = "2026-11-27T12:00:00.000000Z"
    later = stored.path.with_name("20261127T120000000000Z.jsonl")
    later.write_text(json.dumps(item) + "\n")
    return later.unlink


def lose_one_attachment_file(data_dir):
    """An attachment file gone from the raw layer (its document becomes an error row); returns
    what puts it back."""
    sha = next(a["sha256"] for i in rawstore.iter_items(data_dir) for m in i["messages"] for a in m["attachments"])
    path = rawstore.file_path(data_dir, sha)
    body = path.read_bytes()
    path.unlink()
    return lambda: path.write_bytes(body)


@pytest.mark.parametrize("change", [change_one_request, lose_one_attachment_file])
def test_a_change_to_the_raw_layer_writes_the_documents_file_again(raw, tmp_path, counted, change):
    # Fails if the previous documents.parquet were copied after a change.
    data_dir = copy_of(raw, tmp_path / "data")
    build(data_dir, progress=False)
    change(data_dir)
    counted.update(rows=0)
    build(data_dir, progress=False)
    assert counted["rows"] == 1
    cached = tmp_path / "cached"
    shutil.copytree(data_dir / "parquet", cached / "parquet")
    for folder in ("cache", "parquet"):  # the same data directory built from nothing (error rows name it)
        shutil.rmtree(data_dir / folder)
    build(data_dir, progress=False)
    assert_same_tables(cached, data_dir)


@pytest.mark.parametrize("change", [change_one_request, lose_one_attachment_file])
def test_back_to_an_earlier_raw_layer_the_documents_file_is_written_again(raw, reference, tmp_path, counted,
                                                                           change):
    # Every request's rows are in the cache again, but the file on disk is the changed build's.
    data_dir = copy_of(raw, tmp_path)
    build(data_dir, progress=False)
    undo = change(data_dir)
    build(data_dir, progress=False)
    undo()
    counted.update(rows=0)
    build(data_dir, progress=False)
    assert counted["rows"] == 0
    assert_same_tables(data_dir, reference)


def test_a_replaced_documents_file_is_written_again(raw, reference, tmp_path):
    data_dir = data_with(raw, tmp_path)
    build(data_dir, progress=False)
    documents = data_dir / "parquet" / "documents.parquet"
    documents.write_bytes((data_dir / "parquet" / "requests.parquet").read_bytes())
    build(data_dir, progress=False)
    assert_same_tables(data_dir, reference)


def test_a_build_killed_before_recording_its_documents_file_leaves_no_false_match(raw, reference, tmp_path,
                                                                                 monkeypatch):
    # Build 1 records the file it wrote; build 2 (one request changed) replaces the tables but dies
    # before recording its own file; build 3 sees build 1's requests again: it must not take the
    # file on disk (build 2's) for build 1's.
    data_dir = copy_of(raw, tmp_path)
    build(data_dir, progress=False)
    change_one_request(data_dir)
    put = request_tables.Cache.put

    def killed(cache, key, value):
        if key == build_module.DOCUMENTS_WRITTEN:
            raise KeyboardInterrupt("killed")
        put(cache, key, value)
    monkeypatch.setattr(request_tables.Cache, "put", killed)
    with pytest.raises(KeyboardInterrupt):
        build(data_dir, progress=False)
    monkeypatch.undo()
    [later] = (data_dir / "raw" / "items" / "wdtk").glob("20261127T*.jsonl")
    later.unlink()
    build(data_dir, progress=False)
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
    for edited in ["transform/answers/rules.py", "transform/answers/rule_table.yaml",
                   "reference/technologies/facial_recognition.yaml",
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
