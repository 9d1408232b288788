"""Bad input becomes an error row with a clear message, never an exception or a stall."""
import zipfile

from bench import extract_corpus as make
from bench.extract_cfb import write_cfb
from transform.extract import extract_file
from transform.extract.limits import MAX_ARCHIVE_DEPTH

SENTENCE = "The force does not currently use live facial recognition technology."


def test_zero_byte_file(tmp_path):
    (tmp_path / "empty.pdf").write_bytes(b"")
    ex = extract_file(tmp_path / "empty.pdf")
    assert (ex.content_type, ex.text, ex.error) == ("application/x-empty", "", "empty file (zero bytes)")


def test_missing_file(tmp_path):
    ex = extract_file(tmp_path / "nowhere")
    assert ex.error.startswith("cannot read file")


def test_encrypted_pdf(tmp_path):
    ex = extract_file(make.encrypted_pdf(tmp_path / "a", SENTENCE))
    assert ex.content_type == "application/pdf"
    assert ex.error == "encrypted PDF: it needs a password to open"


def test_truncated_pdf(tmp_path):
    data = make.text_pdf(tmp_path / "a", [SENTENCE] * 3).read_bytes()
    (tmp_path / "cut").write_bytes(data[: len(data) // 2])
    ex = extract_file(tmp_path / "cut")
    assert ex.content_type == "application/pdf" and "truncated PDF" in ex.error


def test_truncated_docx_and_xlsx(tmp_path):
    for name, path in [("DOCX", make.docx_file(tmp_path / "d", [SENTENCE] * 50)),
                       ("XLSX", make.xlsx_file(tmp_path / "x", {"A": [[SENTENCE]] * 50}))]:
        data = path.read_bytes()
        (tmp_path / "cut").write_bytes(data[: len(data) // 2])
        ex = extract_file(tmp_path / "cut")
        assert ex.error.startswith(f"damaged or truncated {name} file"), ex.error


def test_damaged_doc(tmp_path):
    write_cfb(tmp_path / "a", {"WordDocument": b"\0" * 600, "1Table": b""})
    ex = extract_file(tmp_path / "a")
    assert ex.content_type == "application/msword" and ex.error.startswith("damaged DOC file")


def test_encrypted_office_file(tmp_path):
    # Password-protected DOCX/XLSX are OLE containers holding an encrypted package.
    write_cfb(tmp_path / "a", {"EncryptionInfo": b"\4\0\4\0" + bytes(100), "EncryptedPackage": bytes(5000)})
    ex = extract_file(tmp_path / "a")
    assert ex.error == "encrypted Office document: it needs a password to open"


def test_unknown_binary(tmp_path):
    (tmp_path / "a").write_bytes(bytes(range(256)) * 8)
    ex = extract_file(tmp_path / "a")
    assert ex.error == "unsupported file type application/octet-stream"


def test_enormous_image(tmp_path):
    ex = extract_file(make.huge_image_header(tmp_path / "a"))
    assert ex.content_type == "image/png" and ex.error.startswith("image too large to OCR safely")


def test_zip_bomb(tmp_path):
    ex = extract_file(make.zip_bomb(tmp_path / "a", megabytes=20))
    assert ex.method == "archive" and "looks like a zip bomb" in ex.error
    assert ex.children[0][1].error.startswith("not expanded")


def test_deeply_nested_archives(tmp_path):
    ex = extract_file(make.nested_zip(tmp_path / "a", MAX_ARCHIVE_DEPTH + 3, SENTENCE.encode()))
    assert f"nested deeper than {MAX_ARCHIVE_DEPTH} levels" in ex.error
    shallow = extract_file(make.nested_zip(tmp_path / "b", MAX_ARCHIVE_DEPTH, SENTENCE.encode()))
    assert shallow.error is None and SENTENCE in shallow.text


def test_archive_file_count_and_size_limits(tmp_path, monkeypatch):
    from transform.extract import containers
    monkeypatch.setattr(containers.limits, "MAX_ARCHIVE_MEMBERS", 3)
    ex = extract_file(make.zip_file(tmp_path / "a", {f"{i}.txt": f"File {i}.".encode() for i in range(10)}))
    assert len(ex.children) == 3 and "stopped after 3 files" in ex.error
    monkeypatch.setattr(containers.limits, "MAX_ARCHIVE_BYTES", 1000)
    ex = extract_file(make.zip_file(tmp_path / "b", {"big.txt": b"word " * 1000}))
    assert "archive size limit" in ex.error


def test_encrypted_and_damaged_zip_members(tmp_path):
    path = tmp_path / "a"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("secret.pdf", b"%PDF-1.4 not really")
        z.writestr("ok.txt", SENTENCE)
    # Mark the first member encrypted, as a password-protected entry is, in its local header
    # and in the central directory (zipfile cannot write encrypted members itself).
    data = bytearray(path.read_bytes())
    data[6] |= 0x1
    data[data.index(b"PK\x01\x02") + 8] |= 0x1
    path.write_bytes(bytes(data))
    ex = extract_file(path)
    assert SENTENCE in ex.text
    assert dict(ex.children)["secret.pdf"].error == "encrypted ZIP member: needs a password"
    assert "1 of 2 contained files had errors: secret.pdf" in ex.error


def test_truncated_zip(tmp_path):
    data = make.zip_file(tmp_path / "a", {f"{i}.txt": SENTENCE.encode() * 20 for i in range(5)}).read_bytes()
    (tmp_path / "cut").write_bytes(data[: len(data) // 2])
    ex = extract_file(tmp_path / "cut")
    assert ex.error.startswith("damaged or truncated ZIP archive")
