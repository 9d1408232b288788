"""extract_file on files generated here: each format gives back the sentences written into it,
and the type comes from the bytes, never from the name."""
import pytest

from bench import extract_corpus as make
from transform.extract import Extraction, extract_file
from transform.extract.redaction import content_words, find_redactions, mask_redactions

SENTENCE = "The force does not currently use live facial recognition technology."
TABLE = [["Technology", "Used"], ["Live facial recognition", "No"]]


def flat(text: str) -> str:
    return " ".join(text.split())


def check(ex: Extraction, content_type: str, method: str, *sentences: str) -> None:
    assert ex.error is None, ex.error
    assert (ex.content_type, ex.method) == (content_type, method)
    for sentence in sentences:
        assert sentence in flat(ex.text)
    assert ex.chars == len(ex.text)


def test_pdf_text_layer(tmp_path):
    ex = extract_file(make.text_pdf(tmp_path / "answer.bin", [SENTENCE, "Second page."]))
    check(ex, "application/pdf", "text_layer", SENTENCE, "Second page.")
    assert ex.pages == 2 and ex.ocr_confidence is None


def test_html_by_content_not_name(tmp_path):
    path = tmp_path / "reply.pdf"  # the name lies; the bytes decide
    path.write_text(f"<html><head><script>var x;</script></head><body><p>{SENTENCE}</p>"
                    "<table><tr><td>LFR</td><td>No</td></tr></table></body></html>")
    ex = extract_file(path, name_hint="reply.pdf")
    check(ex, "text/html", "html", SENTENCE, "LFR | No")
    assert "var x" not in ex.text


def test_plain_text_cp1252(tmp_path):
    path = tmp_path / "a"
    path.write_bytes(f"{SENTENCE} Cost \u00a3400.\r\n".encode("cp1252"))
    ex = extract_file(path)
    check(ex, "text/plain", "text")
    assert ex.text == f"{SENTENCE} Cost \u00a3400."


def test_short_letter_with_commas_is_text_not_csv(tmp_path):
    path = tmp_path / "a"
    path.write_text("Dear Sir, thank you for your request.\nYours faithfully, Information Compliance\n")
    assert extract_file(path).content_type == "text/plain"


def test_csv(tmp_path):
    rows = [["number", "question", "answer"], ["1", "Q1", SENTENCE], ["2", "Q2", "Not held, see s.21"]]
    ex = extract_file(make.csv_file(tmp_path / "a", rows))
    check(ex, "text/csv", "text", f"1 | Q1 | {SENTENCE}", "2 | Q2 | Not held, see s.21")


def test_docx_paragraphs_and_tables(tmp_path):
    ex = extract_file(make.docx_file(tmp_path / "a", [SENTENCE], TABLE))
    check(ex, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "office",
          SENTENCE, "Live facial recognition | No")


def test_doc_word97(tmp_path):
    ex = extract_file(make.doc_file(tmp_path / "a", ["Dear Requester,", SENTENCE, "Fee: \u00a30, caf\u00e9."]))
    check(ex, "application/msword", "office", "Dear Requester,", SENTENCE, "Fee: \u00a30, caf\u00e9.")


def test_xlsx_every_sheet(tmp_path):
    ex = extract_file(make.xlsx_file(tmp_path / "a", {"Answers": TABLE, "Notes": [[SENTENCE], [2023.0, None, "x"]]}))
    check(ex, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "office",
          "Sheet: Answers", "Live facial recognition | No", "Sheet: Notes", SENTENCE, "2023 | | x")


def test_xls_every_sheet(tmp_path):
    ex = extract_file(make.xls_file(tmp_path / "a", {"Answers": TABLE, "Notes": [[SENTENCE]]}))
    check(ex, "application/vnd.ms-excel", "office", "Sheet: Answers", "Live facial recognition | No",
          "Sheet: Notes", SENTENCE)


def test_odt(tmp_path):
    ex = extract_file(make.odt_file(tmp_path / "a", ["Dear Requester,", SENTENCE]))
    check(ex, "application/vnd.oasis.opendocument.text", "office", "Dear Requester,", SENTENCE)


def test_ods_does_not_expand_repeated_empty_rows(tmp_path):
    ex = extract_file(make.ods_file(tmp_path / "a", {"Answers": TABLE, "Notes": [[SENTENCE]]}))
    check(ex, "application/vnd.oasis.opendocument.spreadsheet", "office",
          "Sheet: Answers", "Live facial recognition | No", "Sheet: Notes", SENTENCE)
    assert ex.chars < 500


def test_pptx(tmp_path):
    ex = extract_file(make.pptx_file(tmp_path / "a", [["Briefing"], ["Options considered", SENTENCE]]))
    check(ex, "application/vnd.openxmlformats-officedocument.presentationml.presentation", "office",
          "Slide 1 Briefing", f"Slide 2 Options considered {SENTENCE}")
    assert ex.pages == 2


def test_rtf(tmp_path):
    ex = extract_file(make.rtf_file(tmp_path / "a", [SENTENCE, "Fee: \u00a30, caf\u00e9."]))
    check(ex, "application/rtf", "office", SENTENCE, "Fee: \u00a30, caf\u00e9.")


def test_eml_with_attachments(tmp_path):
    docx = make.docx_file(tmp_path / "answer.docx", [SENTENCE]).read_bytes()
    ex = extract_file(make.eml_file(tmp_path / "a", "Please find our response attached.",
                                    {"FOI 123.docx": docx, "note.txt": b"Nothing further."}))
    check(ex, "message/rfc822", "email", "Subject: FW: FOI response", "Please find our response attached.",
          SENTENCE, "Nothing further.")
    assert [name for name, _ in ex.children] == ["FOI 123.docx", "note.txt"]
    assert ex.children[0][1].method == "office"
    assert "foi@example.police.uk" not in ex.text  # addresses are personal data, left out


def test_msg_with_attachments(tmp_path):
    xlsx = make.xlsx_file(tmp_path / "answer.xlsx", {"Answers": TABLE}).read_bytes()
    pdf = make.text_pdf(tmp_path / "answer.pdf", [SENTENCE]).read_bytes()
    ex = extract_file(make.msg_file(tmp_path / "a", "Please find our response attached.",
                                    {"answer.xlsx": xlsx, "FOI response.pdf": pdf}))
    check(ex, "application/vnd.ms-outlook", "email", "Please find our response attached.",
          "Live facial recognition | No", SENTENCE)
    assert {name: c.method for name, c in ex.children} == {"answer.xlsx": "office", "FOI response.pdf": "text_layer"}


def test_zip_recursive(tmp_path):
    pdf = make.text_pdf(tmp_path / "p", [SENTENCE]).read_bytes()
    inner = make.zip_file(tmp_path / "inner", {"table.csv": b"technology,answer,year\nLFR,No,2024\nRFR,Yes,2024\n"}).read_bytes()
    ex = extract_file(make.zip_file(tmp_path / "a", {"responses/answer.pdf": pdf, "more.zip": inner,
                                                     "__MACOSX/._answer.pdf": b"junk"}))
    check(ex, "application/zip", "archive", SENTENCE, "LFR | No | 2024")
    assert [name for name, _ in ex.children] == ["responses/answer.pdf", "more.zip"]
    assert ex.children[1][1].children[0][0] == "table.csv"


@pytest.mark.parametrize("maker", ["text_pdf", "html_file", "docx_file"])
def test_redaction_marks_survive_extraction(tmp_path, maker):
    sentence = "Please write to [email address] or xxxx.xxxx@xxxxxxx.xxx.xx for the DPIA."
    ex = extract_file(getattr(make, maker)(tmp_path / "a", [sentence]))
    assert sentence in flat(ex.text)
    marks = [ex.text[a:b] for a, b in find_redactions(ex.text)]
    assert marks == ["[email address]", "xxxx.xxxx@xxxxxxx.xxx.xx"]
    words = content_words(ex.text)
    assert "email" not in words and not any(w.startswith("xx") for w in words) and "DPIA" in words
    assert len(mask_redactions(ex.text)) == len(ex.text)  # offsets unchanged
