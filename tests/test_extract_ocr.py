"""OCR with Tesseract: scanned PDFs, mixed PDFs (OCR only for the pages without text), images."""
import shutil

import pytest

from bench import extract_corpus as make
from transform.extract import extract_file

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None,
                                reason="tesseract not installed (apt-get install tesseract-ocr tesseract-ocr-eng)")

ANSWER = "Humberside Police does not use live facial recognition technology."
QUESTION = "Does the force use live facial recognition?"


def words(text: str) -> list[str]:
    return " ".join(text.split()).lower().split()


def test_scanned_pdf_recovers_answer_sentence(tmp_path):
    path = make.scanned_pdf(tmp_path / "scan", [f"Dear Requester,\n{QUESTION}\n{ANSWER}\nYours sincerely"])
    ex = extract_file(path)
    assert (ex.content_type, ex.method, ex.pages, ex.error) == ("application/pdf", "ocr", 1, None)
    assert ANSWER in " ".join(ex.text.split())
    assert 0.8 < ex.ocr_confidence <= 1
    # Good enough for the finding: the answers step reads "no" for live facial recognition.
    from transform.answers import Document, read_request
    answers = read_request([Document("scan", "attachment", "force", ex.text)])
    assert [(f.technology, f.question, f.answer) for f in answers.findings] == [("lfr", "use", "no")]
    assert " ".join(answers.findings[0].quote.split()) == ANSWER


def test_mixed_pdf_ocrs_only_scanned_pages(tmp_path):
    typed = "Our reference FOI 2024/123. " + "This page was typed and has a text layer. " * 3
    path = make.scanned_pdf(tmp_path / "mixed", [("typed", typed), ANSWER])
    ex = extract_file(path)
    assert (ex.method, ex.pages, ex.error) == ("mixed", 2, None)
    first, second = ex.text.split("\n\n", 1)
    assert "FOI 2024/123" in first and ANSWER in " ".join(second.split())
    assert ex.ocr_confidence is not None


def test_multipage_fax_tiff(tmp_path):
    ex = extract_file(make.fax_tiff(tmp_path / "fax", ["Page one of the letter.", ANSWER]))
    assert (ex.content_type, ex.method, ex.pages, ex.error) == ("image/tiff", "ocr", 2, None)
    assert "Page one of the letter." in ex.text and ANSWER in " ".join(ex.text.split())


def test_scan_with_typed_header_is_ocred(tmp_path):
    header = "OFFICIAL. Freedom of Information request reference 2024/00123. Page 1 of 1."
    ex = extract_file(make.scanned_pdf(tmp_path / "stamped", [("header", header, f"\n\n\n{ANSWER}")]))
    assert (ex.method, ex.pages, ex.error) == ("ocr", 1, None)
    assert ex.text.startswith(header) and ANSWER in " ".join(ex.text.split())


def test_sideways_scan_is_turned_upright(tmp_path):
    ex = extract_file(make.scanned_pdf(tmp_path / "sideways", [("sideways", f"Table of deployments\n{ANSWER}")]))
    assert (ex.method, ex.error) == ("ocr", None)
    assert ANSWER in " ".join(ex.text.split()) and ex.ocr_confidence > 0.8


@pytest.mark.parametrize("fmt,mime", [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("TIFF", "image/tiff"),
                                      ("GIF", "image/gif"), ("BMP", "image/bmp")])
def test_images(tmp_path, fmt, mime):
    ex = extract_file(make.image_file(tmp_path / "img", ANSWER, fmt))
    assert (ex.content_type, ex.method, ex.pages, ex.error) == (mime, "ocr", 1, None)
    assert words(ANSWER) == words(ex.text)[: len(words(ANSWER))]
