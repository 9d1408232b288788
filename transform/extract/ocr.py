"""OCR with Tesseract, called as a program.

Tesseract is the maintained open-source OCR engine and a Debian package (tesseract-ocr,
tesseract-ocr-eng). We call the binary directly rather than through pytesseract: one subprocess
call, TSV output gives both the text and per-word confidence in a single pass, and the call can
be given a timeout.
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import warnings
from pathlib import Path

from PIL import Image, ImageSequence

from . import limits
from .model import Extraction

Image.MAX_IMAGE_PIXELS = limits.MAX_IMAGE_PIXELS  # larger images raise DecompressionBombError


class OCRError(Exception):
    pass


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


# Below this mean confidence the page may be sideways or upside down (landscape tables are often
# scanned that way): Tesseract's orientation detection is asked, and the page read again turned.
# Only then, because orientation detection on every page would nearly double the OCR time.
RETRY_ROTATED_BELOW = 0.6


def ocr_image(image: Image.Image) -> tuple[str, float | None]:
    """Text of one page image and its mean word confidence (0..1; None when no words)."""
    if not tesseract_available():
        raise OCRError("tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)")
    image = _prepare(image)
    text, confidence = _parse_tsv(_tesseract(image, "3", "tsv"))
    if confidence is None or confidence < RETRY_ROTATED_BELOW:
        angle = _orientation(image)
        if angle:
            turned_text, turned_confidence = _parse_tsv(_tesseract(image.rotate(-angle, expand=True), "3", "tsv"))
            if (turned_confidence or 0) > (confidence or 0):
                return turned_text, turned_confidence
    return text, confidence


def _tesseract(image: Image.Image, psm: str, *config: str) -> str:
    png = io.BytesIO()
    image.save(png, format="PNG")
    # One thread per Tesseract: extract_many already runs one worker per core.
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        proc = subprocess.run(["tesseract", "stdin", "stdout", "-l", "eng", "--psm", psm, *config],
                              input=png.getvalue(), capture_output=True, env=env,
                              timeout=limits.OCR_PAGE_SECONDS)
    except subprocess.TimeoutExpired:
        raise OCRError(f"tesseract took longer than {limits.OCR_PAGE_SECONDS}s on one page")
    if proc.returncode != 0:
        raise OCRError("tesseract failed: " + proc.stderr.decode("utf-8", "replace").strip()[-300:])
    return proc.stdout.decode("utf-8", "replace")


def _orientation(image: Image.Image) -> int:
    """Degrees to turn the page clockwise to make it upright (0 when unknown)."""
    try:
        report = _tesseract(image, "0")  # orientation and script detection only
    except OCRError:
        return 0  # too little text to tell, or osd data missing: keep the page as it is
    for line in report.splitlines():
        if line.startswith("Rotate:"):
            try:
                return int(line.split(":")[1]) % 360
            except ValueError:
                return 0
    return 0


def _prepare(image: Image.Image) -> Image.Image:
    """Greyscale, and small scans enlarged: Tesseract reads text best at about 30 px per line."""
    if image.mode != "L":  # also bilevel fax scans ("1"), which resizing does not accept
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            background = Image.new("RGBA", image.size, "white")
            image = Image.alpha_composite(background, image)
        image = image.convert("L")
    if max(image.size) < 1200:
        image = image.resize((image.width * 2, image.height * 2), Image.LANCZOS)
    return image


def _parse_tsv(tsv: str) -> tuple[str, float | None]:
    """Rebuild lines and paragraphs from Tesseract's word table."""
    lines: dict[tuple, list[str]] = {}
    confs: list[tuple[float, int]] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        word = cols[11].strip()
        if not word:
            continue
        block, par, line = cols[2], cols[3], cols[4]
        lines.setdefault((int(block), int(par), int(line)), []).append(word)
        conf = float(cols[10])
        if conf >= 0:
            confs.append((conf, len(word)))
    out, last_par = [], None
    for (block, par, _), words in sorted(lines.items()):
        if last_par is not None and (block, par) != last_par:
            out.append("")  # blank line between paragraphs
        out.append(" ".join(words))
        last_par = (block, par)
    weight = sum(n for _, n in confs)
    confidence = round(sum(c * n for c, n in confs) / weight / 100, 3) if weight else None
    return "\n".join(out), confidence


def mean_confidence(parts: list[tuple[float | None, int]]) -> float | None:
    """Confidence over several pages, weighted by the characters each page gave."""
    scored = [(c, n) for c, n in parts if c is not None and n > 0]
    total = sum(n for _, n in scored)
    return round(sum(c * n for c, n in scored) / total, 3) if total else None


def extract_image(path: Path, content_type: str) -> Extraction:
    """Images are OCRed frame by frame (multi-page TIFFs are common for faxed letters)."""
    texts, parts, note = [], [], None
    with warnings.catch_warnings():
        # Pillow only warns between 1x and 2x its pixel limit; we refuse there too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        im = Image.open(path)
    with im:
        frames = 0
        for frame in ImageSequence.Iterator(im):
            if frames == limits.MAX_OCR_PAGES:
                note = f"only the first {limits.MAX_OCR_PAGES} frames were OCRed"
                break
            frames += 1
            text, conf = ocr_image(frame.copy())
            texts.append(text)
            parts.append((conf, len(text)))
    return Extraction(content_type, "ocr", pages=frames, text="\n\n".join(texts).strip(),
                      ocr_confidence=mean_confidence(parts), error=note)
