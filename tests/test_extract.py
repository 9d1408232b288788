"""extract_file on files generated here: one known sentence per format."""
from pathlib import Path

from fpdf import FPDF

from transform.extract import Extraction, extract_file

SENTENCE = "The force does not currently use live facial recognition technology."


def make_text_pdf(path: Path, paragraphs: list[str]) -> Path:
    pdf = FPDF()
    for para in paragraphs:
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 8, para)
    pdf.output(str(path))
    return path


def test_pdf_text_layer(tmp_path):
    ex = extract_file(make_text_pdf(tmp_path / "answer.bin", [SENTENCE, "Second page."]))
    assert isinstance(ex, Extraction)
    assert (ex.content_type, ex.method, ex.pages, ex.error) == ("application/pdf", "text_layer", 2, None)
    assert SENTENCE in ex.text.replace("\n", " ")
    assert ex.chars == len(ex.text)


def test_html_by_content_not_name(tmp_path):
    path = tmp_path / "reply.pdf"  # the name lies; the bytes decide
    path.write_text(f"<html><head><script>var x;</script></head><body><p>{SENTENCE}</p>"
                    "<table><tr><td>LFR</td><td>No</td></tr></table></body></html>")
    ex = extract_file(path, name_hint="reply.pdf")
    assert (ex.content_type, ex.method) == ("text/html", "html")
    assert SENTENCE in ex.text and "LFR | No" in ex.text and "var x" not in ex.text


def test_plain_text_cp1252(tmp_path):
    path = tmp_path / "a"
    path.write_bytes(f"{SENTENCE} Cost \u00a3400.\r\n".encode("cp1252"))
    ex = extract_file(path)
    assert (ex.content_type, ex.method) == ("text/plain", "text")
    assert ex.text == f"{SENTENCE} Cost \u00a3400."
