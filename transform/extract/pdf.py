"""PDF: the text layer with pypdfium2, OCR for the pages that have none.

pypdfium2 wraps PDFium, Chrome's PDF engine: fast (C++), tolerant of the damaged files police
scanners produce, maintained, wheels on PyPI with no system dependency, and it also renders pages
for OCR, so one library serves both paths. Only pages without usable text are rendered and OCRed,
so a mixed PDF (typed letter plus scanned enclosure) costs OCR time only for its scanned pages.
"""
from __future__ import annotations

import re
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
_NOT_ALNUM = re.compile(r"[\W_]+")
# A page mostly covered by an image and with little text is a scan with a typed header.
SCAN_ALNUM_CEILING = 200
SCAN_IMAGE_COVERAGE = 0.5
# Scans are rendered at their own resolution within these bounds: rendering above the scan's
# resolution adds no detail but costs OCR time; below 200 dpi Tesseract misreads small print.
OCR_MIN_DPI = 200


def extract_pdf(path: Path, content_type: str) -> Extraction:
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            return failed(content_type, "encrypted PDF: it needs a password to open")
        return failed(content_type, f"damaged or truncated PDF, cannot be opened: {msg}")
    try:
        ex = _extract(pdf, content_type)
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


def _extract(pdf, content_type: str) -> Extraction:
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
    if scanned and not tesseract_available():
        errors.append(f"{len(scanned)} page(s) have no text layer and tesseract is not installed "
                      "(apt-get install tesseract-ocr tesseract-ocr-eng)")
    elif scanned:
        if len(scanned) > limits.MAX_OCR_PAGES:
            errors.append(f"only the first {limits.MAX_OCR_PAGES} of {len(scanned)} scanned pages were OCRed")
        for i in scanned[: limits.MAX_OCR_PAGES]:
            try:
                page = pdf[i]
                ocr_text, conf = ocr_image(_render(page, _images(page)))
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


def _images(page) -> list[tuple[float, float]]:
    """(area on the page in square points, resolution in dpi) of each image on the page."""
    out = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        # get_bounds in pypdfium2 5, get_pos in 4
        left, bottom, right, top = obj.get_bounds() if hasattr(obj, "get_bounds") else obj.get_pos()
        width_pt, height_pt = max(0.0, right - left), max(0.0, top - bottom)
        px_width = obj.get_px_size()[0] if hasattr(obj, "get_px_size") else 0
        dpi = px_width / (width_pt / 72) if width_pt and px_width else limits.OCR_DPI
        out.append((width_pt * height_pt, dpi))
    return out


def _needs_ocr(page, text: str) -> bool:
    """A page is OCRed only when it carries an image and too little text: a short typed page
    or a blank one has nothing more for OCR to find."""
    # A typed page has enough letters in its first lines: counting the rest of it cost a fifth of
    # the time of reading its text layer.
    if len(_NOT_ALNUM.sub("", text[:4 * SCAN_ALNUM_CEILING])) >= SCAN_ALNUM_CEILING:
        return False  # decided without listing the page's objects, the common case
    alnum = len(_NOT_ALNUM.sub("", text))  # a regex counts in C; a Python loop cost 30% of the time
    if alnum >= SCAN_ALNUM_CEILING:
        return False
    images = _images(page)
    if not images:
        return False
    if alnum < MIN_TEXT_LAYER_ALNUM:
        return True
    width, height = page.get_size()
    return sum(area for area, _ in images) >= SCAN_IMAGE_COVERAGE * width * height


def _render(page, images: list[tuple[float, float]]):
    width, height = page.get_size()  # points, 1/72 inch
    largest_dpi = max(images)[1] if images else limits.OCR_DPI
    scale = min(limits.OCR_DPI, max(OCR_MIN_DPI, largest_dpi)) / 72
    pixels = width * scale * height * scale
    if pixels > limits.MAX_RENDER_PIXELS:
        scale *= (limits.MAX_RENDER_PIXELS / pixels) ** 0.5
    return page.render(scale=scale, grayscale=True).to_pil()
