"""HTML to readable text with lxml (fast C parser, tolerant of broken markup, already a Scrapy
dependency). Block elements become line breaks so sentences from different cells or paragraphs
never run together."""
from __future__ import annotations

from pathlib import Path

import lxml.html

from .model import Extraction
from .textutil import decode, tidy

_DROP = {"script", "style", "noscript", "template", "head"}
_BLOCK = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
          "blockquote", "pre", "section", "article", "header", "footer", "dt", "dd", "hr",
          "address", "form", "fieldset", "nav", "aside", "main", "figure", "figcaption"}
_CELL = {"td", "th"}


def html_to_text(markup: str | bytes) -> str:
    if isinstance(markup, bytes):
        markup = decode(markup)
    if not markup.strip():
        return ""
    # lxml refuses str input that carries an XML encoding declaration; strip it.
    if markup.lstrip().startswith("<?xml"):
        markup = markup.split("?>", 1)[-1]
    root = lxml.html.document_fromstring(markup)
    parts: list[str] = []
    _walk(root, parts)
    text = "".join(parts)
    # A row ends with a cell separator; drop it so rows read as "a | b".
    return tidy("\n".join(line.strip().removesuffix("|").strip() for line in text.split("\n")))


def _walk(el, parts: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _DROP or not isinstance(el.tag, str) or tag == "br":  # also comments, PIs
        if tag == "br":
            parts.append("\n")  # a line break, not a paragraph break
        if el.tail:
            parts.append(el.tail)
        return
    if tag in _BLOCK:
        parts.append("\n")
    if el.text:
        parts.append(el.text)
    for child in el:
        _walk(child, parts)
    if tag in _BLOCK:
        parts.append("\n")
    elif tag in _CELL:
        parts.append(" | ")
    if el.tail:
        parts.append(el.tail)


def extract_html(path: Path, content_type: str) -> Extraction:
    return Extraction(content_type, "html", text=html_to_text(path.read_bytes()))
