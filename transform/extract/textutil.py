"""Decoding and tidying shared by the extractors."""
from __future__ import annotations

import re

_SPACES = re.compile(r"[ \t\u00a0]+\n")
_BLANKS = re.compile(r"\n{3,}")


def decode(data: bytes) -> str:
    """Bytes of unknown encoding -> str. UTF-8 first (most files), then BOMs, then a guess.

    UK police systems that do not write UTF-8 almost always write Windows-1252, and detectors
    guess badly on short texts (a lone pound sign), so cp1252 is tried before guessing.
    charset-normalizer (the detector requests uses) handles the rest.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding, "replace")
        except LookupError:
            pass
    return data.decode("cp1252", "replace")


def tidy(text: str) -> str:
    """One newline convention, no trailing spaces, no runs of blank lines, no NULs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\x0c", "\n")
    # Each pattern is tried only if the text has what it removes: trying _SPACES at every space
    # of a long text cost more than the rest of tidying.
    if " \n" in text or "\t\n" in text or "\u00a0\n" in text:
        text = _SPACES.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANKS.sub("\n\n", text)
    return text.strip()
