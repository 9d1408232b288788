"""PDF: the text layer with pypdfium2, OCR for the pages that have none.

pypdfium2 wraps PDFium, Chrome's PDF engine: fast (C++), tolerant of the damaged files police
scanners produce, maintained, wheels on PyPI with no system dependency, and it also renders pages
for OCR, so one library serves both paths. Only pages without usable text are rendered and OCRed,
so a mixed PDF (typed letter plus scanned enclosure) costs OCR time only for its scanned pages.
"""
from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from . import limits
from .model import Extraction, failed
from .ocr import OCRError, mean_confidence, ocr_image, tesseract_available
from .textutil import tidy

# A page whose text layer has fewer letters and digits than this is treated as scanned
# (a scan often carries a stamped page number or a header, but never a real answer).
MIN_TEXT_LAYER_ALNUM = 30
# A page mostly covered by an image and with little text is a scan with a typed header.
SCAN_ALNUM_CEILING = 200
SCAN_IMAGE_COVERAGE = 0.5


def extract_pdf(path: Path, content_type: str, ocr: bool = True) -> Extraction:
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            return failed(content_type, "encrypted PDF: it needs a password to open")
        return failed(content_type, f"damaged or truncated PDF, cannot be opened: {msg}")
    try:
        ex = _extract(pdf, content_type, ocr)
    finally:
        pdf.close()
    if not _has_eof_marker(path):
        # PDFium repairs what it can; say the text may be incomplete.
        ex.error = "; ".join(filter(None, ["truncated PDF (no %%EOF marker): text may be incomplete", ex.error]))
    return ex


def _has_eof_marker(path: Path) -> bool:
    with open(path, "rb") as f:
        f.seek(max(0, path.stat().st_size - 2048))
        return b"%%EOF" in f.read()


def _extract(pdf, content_type: str, ocr: bool) -> Extraction:
    n_pages = len(pdf)
    page_texts: list[str] = []
    scanned: list[int] = []
    errors: list[str] = []
    for i in range(n_pages):
        try:
            page = pdf[i]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            if _needs_ocr(page, text):
                scanned.append(i)
            textpage.close()
            page.close()
        except pdfium.PdfiumError as e:
            text = ""
            errors.append(f"page {i + 1}: {e}")
        page_texts.append(text)

    ocr_done, conf_parts = [], []
    if scanned and not ocr:
        pass
    elif scanned and not tesseract_available():
        errors.append(f"{len(scanned)} page(s) have no text layer and tesseract is not installed "
                      "(apt-get install tesseract-ocr tesseract-ocr-eng)")
    elif scanned:
        if len(scanned) > limits.MAX_OCR_PAGES:
            errors.append(f"only the first {limits.MAX_OCR_PAGES} of {len(scanned)} scanned pages were OCRed")
        for i in scanned[: limits.MAX_OCR_PAGES]:
            try:
                ocr_text, conf = ocr_image(_render(pdf[i]))
            except (OCRError, pdfium.PdfiumError, MemoryError) as e:
                errors.append(f"page {i + 1}: OCR failed: {e}")
                continue
            # Keep any stamped header from the text layer, then the OCR text.
            page_texts[i] = (page_texts[i].strip() + "\n" + ocr_text).strip()
            ocr_done.append(i)
            conf_parts.append((conf, len(ocr_text)))

    if not ocr_done:
        method = "text_layer"
    elif len(ocr_done) == n_pages:
        method = "ocr"
    else:
        method = "mixed"
    text = "\n\n".join(tidy(t) for t in page_texts)
    return Extraction(content_type, method, pages=n_pages, text=tidy(text),
                      ocr_confidence=mean_confidence(conf_parts) if ocr_done else None,
                      error="; ".join(errors) or None)


def _needs_ocr(page, text: str) -> bool:
    """A page is OCRed only when it carries an image and too little text: a short typed page
    or a blank one has nothing more for OCR to find."""
    alnum = sum(ch.isalnum() for ch in text)
    if alnum >= SCAN_ALNUM_CEILING:
        return False
    width, height = page.get_size()
    images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))
    if not images:
        return False
    if alnum < MIN_TEXT_LAYER_ALNUM:
        return True
    covered = 0.0
    for obj in images:
        left, bottom, right, top = obj.get_pos()
        covered += max(0, right - left) * max(0, top - bottom)
    return covered >= SCAN_IMAGE_COVERAGE * width * height


def _render(page):
    width, height = page.get_size()  # points, 1/72 inch
    scale = limits.OCR_DPI / 72
    pixels = width * scale * height * scale
    if pixels > limits.MAX_RENDER_PIXELS:
        scale *= (limits.MAX_RENDER_PIXELS / pixels) ** 0.5
    return page.render(scale=scale, grayscale=True).to_pil()
