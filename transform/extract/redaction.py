"""WhatDoTheyKnow's redaction marks, so later steps can recognise them and never read them as words.

WhatDoTheyKnow replaces addresses in messages with "[email address]" (and request addresses with
"[FOI #123 email]", "[Example Police request email]"), and masks addresses inside attachments
with runs of x that keep the shape of the address: "xxxx.xxxx@xxxxxxx.xxx.xx". Extraction keeps
these exactly as found; `mask_redactions` blanks them without moving any character offset.
"""
from __future__ import annotations

import re

REDACTION = re.compile(
    r"\[(?:[^\[\]\n]{1,60} )?(?:email address|e-mail address|email|phone number|mobile number|name)\]"
    r"|\[name removed\]|\[redacted\]"
    # x-masked addresses and words: runs of x joined by the punctuation of addresses
    r"|(?<![A-Za-z0-9])[xX]{2,}(?:[.@_-]+[xX]{2,})*(?:@[xX]{2,}(?:\.[xX]{2,})*)?(?![A-Za-z0-9])",
)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


def find_redactions(text: str) -> list[tuple[int, int]]:
    """(start, end) of every redaction mark. A lone "xx" is a mark only when 3+ x long or
    part of an address shape, so a real word is never taken for one."""
    spans = []
    for m in REDACTION.finditer(text):
        token = m.group(0)
        if token[0] in "xX" and len(token) < 3:
            continue
        spans.append(m.span())
    return spans


def mask_redactions(text: str, fill: str = " ") -> str:
    """The text with each redaction mark replaced by `fill` characters of the same length."""
    chars = list(text)
    for start, end in find_redactions(text):
        chars[start:end] = fill * (end - start)
    return "".join(chars)


def content_words(text: str) -> list[str]:
    """Words of the text, leaving out redaction marks."""
    return _WORD.findall(mask_redactions(text))
