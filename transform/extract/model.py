"""The record every extractor returns, and its JSON form for the on-disk cache."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Extraction:
    content_type: str                 # MIME type sniffed from the bytes, never from the name
    method: str                       # text_layer, ocr, mixed, office, html, text, email, archive, none
    pages: int | None = None          # PDF pages, image frames, slides; None where pages mean nothing
    text: str = ""
    chars: int = 0
    ocr_confidence: float | None = None  # mean Tesseract word confidence, 0..1, only when OCR ran
    error: str | None = None          # set when extraction failed, wholly or in part
    children: list = field(default_factory=list)  # [(name, Extraction)] for archives and e-mails

    def __post_init__(self):
        # chars always matches text, so callers never have to recount.
        self.chars = len(self.text)

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in
             ("content_type", "method", "pages", "text", "chars", "ocr_confidence", "error")}
        d["children"] = [[name, child.to_dict()] for name, child in self.children]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Extraction":
        children = [(name, cls.from_dict(c)) for name, c in d.get("children", [])]
        return cls(d["content_type"], d["method"], d.get("pages"), d.get("text", ""), 0,
                   d.get("ocr_confidence"), d.get("error"), children)


def failed(content_type: str, message: str, method: str = "none", text: str = "", **kw) -> Extraction:
    """An error row: whatever text was recovered, plus a message naming the problem."""
    return Extraction(content_type, method, text=text, error=message, **kw)
