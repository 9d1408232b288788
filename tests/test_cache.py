"""transform.cache: one SQLite file that a killed process leaves usable, and that is set aside
when it cannot be read."""
import multiprocessing
import os
import signal

from transform.cache import Cache


def _killed_mid_transaction(path, started) -> None:
    cache = Cache(path)
    cache.put("committed", {"text": "kept"})
    db = cache._connection()
    db.execute("BEGIN")
    db.execute("INSERT INTO entries VALUES ('uncommitted', '{}')")
    db.execute("INSERT INTO entries VALUES ('half', '{}')")
    started.set()
    os.kill(os.getpid(), signal.SIGKILL)  # dies inside the transaction, as a killed build would


def test_killed_writer_leaves_committed_entries_and_nothing_else(tmp_path):
    path = tmp_path / "cache.sqlite"
    ctx = multiprocessing.get_context("spawn")
    started = ctx.Event()
    child = ctx.Process(target=_killed_mid_transaction, args=(path, started))
    child.start()
    child.join(60)
    assert started.is_set() and child.exitcode == -signal.SIGKILL
    cache = Cache(path)
    assert cache.get("committed") == {"text": "kept"}
    assert cache.get("uncommitted") is None and cache.keys() == {"committed"}
    cache.put("next", [1, 2])  # and it can still be written
    assert Cache(path).keys() == {"committed", "next"}


def test_unreadable_file_is_moved_aside_and_the_cache_starts_empty(tmp_path, caplog):
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"not a database" * 100)
    cache = Cache(path)
    assert cache.get("anything") is None
    cache.put("a", "b")
    assert Cache(path).get("a") == "b"
    assert (tmp_path / "cache.sqlite.damaged").read_bytes().startswith(b"not a database")
    assert "cannot be read" in caplog.text and str(path) in caplog.text


def test_keys_by_prefix_and_pickled_into_another_process(tmp_path):
    cache = Cache(tmp_path / "c.sqlite")
    cache.put_many([("v1:a", 1), ("v1:b", 2), ("v2:a", 3)])
    assert cache.keys("v1:") == {"v1:a", "v1:b"}
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        assert pool.apply(Cache.get, (cache, "v2:a")) == 3
