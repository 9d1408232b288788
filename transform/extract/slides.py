"""PowerPoint (PPTX): the text of each slide, in slide order.

Slides are plain DrawingML XML in the ZIP, so lxml reads them directly; python-pptx would add a
dependency to do the same walk.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from .model import Extraction
from .textutil import tidy

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_SLIDE = re.compile(r"ppt/slides/slide(\d+)\.xml$")


def extract_pptx(path: Path, content_type: str) -> Extraction:
    with zipfile.ZipFile(path) as z:
        slides = sorted((int(m.group(1)), name) for name in z.namelist() if (m := _SLIDE.match(name)))
        texts = []
        for number, name in slides:
            root = etree.fromstring(z.read(name), etree.XMLParser(resolve_entities=False))
            paras = ["".join(t.text or "" for t in p.iter(_A + "t")) for p in root.iter(_A + "p")]
            texts.append(f"Slide {number}\n" + "\n".join(p for p in paras if p.strip()))
    return Extraction(content_type, "office", pages=len(slides), text=tidy("\n\n".join(texts)))
