"""Content type of a downloaded body, by its bytes: WDTK and the disclosure logs serve types by
URL extension (anything unknown as application/octet-stream), so the raw items record what
the bytes are. The magic-byte table itself is transform's (transform/extract/sniff.py), kept in
one place for the whole project."""

from __future__ import annotations

import tempfile
from pathlib import Path

from transform.extract.sniff import sniff


def sniff_content_type(body: bytes) -> str:
    # transform's sniffer reads container formats (ZIP, OLE2) from a file, so give it one.
    with tempfile.NamedTemporaryFile(prefix="sniff-") as handle:
        handle.write(body)
        handle.flush()
        return sniff(Path(handle.name))
