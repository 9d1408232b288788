"""A minimal writer for OLE2 compound files (the container of DOC, XLS and MSG), so tests and
the benchmark can generate Word 97 and Outlook files without Office. Version 3 layout: 512-byte
sectors, streams under 4096 bytes in the mini stream, one FAT, no DIFAT (files up to ~7 MB).
"""
from __future__ import annotations

import struct

SECTOR, MINI, CUTOFF = 512, 64, 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def write_cfb(path, tree: dict) -> None:
    """`tree` maps names to bytes (a stream) or to a dict (a storage)."""
    entries = [{"name": "Root Entry", "type": 5, "kids": [], "data": b""}]

    def add(node: dict, parent: dict) -> None:
        for name, value in node.items():
            entry = {"name": name, "type": 1 if isinstance(value, dict) else 2, "kids": [],
                     "data": b"" if isinstance(value, dict) else value}
            entries.append(entry)
            parent["kids"].append(len(entries) - 1)
            if isinstance(value, dict):
                add(value, entry)
    add(tree, entries[0])

    # Small streams go into the mini stream, in 64-byte mini sectors.
    mini_stream, mini_fat = bytearray(), []
    for e in entries[1:]:
        if e["type"] == 2 and len(e["data"]) < CUTOFF:
            n = max(1, -(-len(e["data"]) // MINI)) if e["data"] else 0
            e["start"] = len(mini_stream) // MINI if n else END
            mini_fat += [len(mini_fat) + i + 1 for i in range(n - 1)] + ([END] if n else [])
            mini_stream += e["data"].ljust(n * MINI, b"\0")

    sectors: list[bytes] = []
    fat: list[int] = []

    def put(data: bytes) -> int:
        n = -(-len(data) // SECTOR)
        if n == 0:
            return END
        start = len(sectors)
        for i in range(n):
            sectors.append(data[i * SECTOR:(i + 1) * SECTOR].ljust(SECTOR, b"\0"))
            fat.append(start + i + 1 if i < n - 1 else END)
        return start

    for e in entries[1:]:
        if e["type"] == 2 and len(e["data"]) >= CUTOFF:
            e["start"] = put(e["data"])
    entries[0]["start"] = put(bytes(mini_stream))
    entries[0]["data"] = mini_stream
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat)
    mini_fat_start = put(mini_fat_bytes.ljust(-(-len(mini_fat_bytes) // SECTOR) * SECTOR, b"\xff"))

    for e in entries:
        e["left"] = e["right"] = e["child"] = NOSTREAM
    for e in entries:
        kids = sorted(e["kids"], key=lambda i: (len(entries[i]["name"]), entries[i]["name"].upper()))
        e["child"] = _tree(kids, entries)
    directory = b"".join(_dir_entry(e) for e in entries)
    directory += _dir_entry(None) * ((-len(entries)) % (SECTOR // 128))
    dir_start = put(directory)

    n_fat = 1
    while n_fat * (SECTOR // 4) < len(sectors) + n_fat:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("file too large for this minimal writer")
    fat_start = len(sectors)
    fat += [FATSECT] * n_fat
    fat += [FREE] * (n_fat * (SECTOR // 4) - len(fat))
    for i in range(n_fat):
        sectors.append(struct.pack("<128I", *fat[i * 128:(i + 1) * 128]))

    difat = [fat_start + i for i in range(n_fat)] + [FREE] * (109 - n_fat)
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\0" * 16,
                         0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0, n_fat, dir_start, 0, CUTOFF,
                         mini_fat_start if mini_fat else END, -(-len(mini_fat) // 128), END, 0)
    header += struct.pack("<109I", *difat)
    with open(path, "wb") as f:
        f.write(header + b"".join(sectors))


def _tree(kids: list[int], entries: list[dict]) -> int:
    """A balanced binary tree of sibling entries (all black: readers do not check colours)."""
    if not kids:
        return NOSTREAM
    mid = len(kids) // 2
    node = entries[kids[mid]]
    node["left"] = _tree(kids[:mid], entries)
    node["right"] = _tree(kids[mid + 1:], entries)
    return kids[mid]


def _dir_entry(e: dict | None) -> bytes:
    if e is None:
        return b"\0" * 64 + struct.pack("<HBBIII16sIQQIQ", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM,
                                        b"\0" * 16, 0, 0, 0, 0, 0)
    name = e["name"].encode("utf-16-le") + b"\0\0"
    size = len(e["data"]) if e["type"] in (2, 5) else 0
    start = e.get("start", END) if e["type"] != 1 else 0
    return name.ljust(64, b"\0") + struct.pack("<HBBIII16sIQQIQ", len(name), e["type"], 1, e["left"],
                                               e["right"], e["child"], b"\0" * 16, 0, 0, 0, start, size)
