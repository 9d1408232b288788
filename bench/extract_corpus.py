"""Generators for every file type the extractor reads, used by the tests and the benchmark.

Each function writes one file containing the sentences it is given and returns its path. Nothing
here is copied from real responses: the files are made from scratch, so tests can check that the
known sentences come back out.
"""
from __future__ import annotations

import csv
import email.message
import io
import struct
import textwrap
import zipfile
from pathlib import Path

from .extract_cfb import write_cfb

# --- PDF and images -----------------------------------------------------------------------------


def text_pdf(path: Path, pages: list[str]) -> Path:
    from fpdf import FPDF
    pdf = FPDF()
    for text in pages:
        pdf.add_page()
        _typed(pdf, text)
    pdf.output(str(path))
    return path


def _typed(pdf, text: str) -> None:
    """Type text line by line. Wrapping it ourselves is linear; fpdf2's multi_cell measures each
    line again for every character and took most of the benchmark's corpus generation."""
    pdf.set_font("helvetica", size=11)
    for para in text.split("\n"):
        for line in textwrap.wrap(para, width=90, break_on_hyphens=False) or [""]:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")


def page_image(text: str, width: int = 1700, height: int = 2200, font_size: int = 34):
    """A white A4 page at ~200 dpi with the text typed on it, as a scanner would produce."""
    from PIL import Image, ImageDraw, ImageFont
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=font_size)
    y = 150
    for para in text.split("\n"):
        for line in textwrap.wrap(para, width=int(width / (font_size * 0.52))) or [""]:
            draw.text((140, y), line, fill=0, font=font)
            y += int(font_size * 1.5)
        y += font_size
    return image


def scanned_pdf(path: Path, pages: list[str | None]) -> Path:
    """A PDF whose pages are images with no text layer. A ("typed", text) entry is a text-layer
    page instead, which makes a mixed PDF; a ("header", typed, scanned) entry is a scan with a
    typed header line over it, as document systems stamp them; a ("sideways", text) entry is a
    landscape page scanned turned by 90 degrees."""
    from fpdf import FPDF
    pdf = FPDF()
    for text in pages:
        pdf.add_page()
        if isinstance(text, tuple) and text[0] == "typed":
            _typed(pdf, text[1])
        elif isinstance(text, tuple) and text[0] == "sideways":  # a page scanned turned 90 degrees
            jpeg = io.BytesIO()
            page_image(text[1], width=2200, height=1700).rotate(90, expand=True).save(jpeg, format="JPEG", quality=80)
            pdf.image(jpeg, x=0, y=0, w=210, h=297)
        elif isinstance(text, tuple):  # ("header", typed, scanned)
            jpeg = io.BytesIO()
            page_image(text[2]).save(jpeg, format="JPEG", quality=80)
            pdf.image(jpeg, x=0, y=0, w=210, h=297)
            _typed(pdf, text[1])
        else:
            # JPEG, as scanners write it (fpdf2 embeds JPEG bytes as they are: fast to make).
            jpeg = io.BytesIO()
            page_image(text).save(jpeg, format="JPEG", quality=80)
            pdf.image(jpeg, x=0, y=0, w=210, h=297)
    pdf.output(str(path))
    return path


def image_file(path: Path, text: str, fmt: str) -> Path:
    image = page_image(text, width=1400, height=500, font_size=36)
    if fmt in ("GIF", "BMP"):
        image = image.convert("P" if fmt == "GIF" else "RGB")
    image.save(path, format=fmt)
    return path


def fax_tiff(path: Path, pages: list[str]) -> Path:
    """A multi-page bilevel TIFF (CCITT Group 4), the format fax servers and old scanners write."""
    frames = [page_image(text, width=1728, height=1100).convert("1") for text in pages]
    frames[0].save(path, format="TIFF", save_all=True, append_images=frames[1:], compression="group4")
    return path


def encrypted_pdf(path: Path, text: str) -> Path:
    from fpdf import FPDF
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    _typed(pdf, text)
    pdf.output(str(path))
    return path


def huge_image_header(path: Path, width: int = 50_000, height: int = 50_000) -> Path:
    """A PNG that declares an enormous size (the decompression-bomb pattern): only its header
    is valid, and it is all a reader needs to refuse it."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
                     chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))
    return path


# --- Office ---------------------------------------------------------------------------------------


def docx_file(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    import docx
    document = docx.Document()
    for para in paragraphs:
        document.add_paragraph(para)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    document.save(str(path))
    return path


def doc_file(path: Path, paragraphs: list[str]) -> Path:
    """A Word 97 file: a FIB pointing at a piece table, with the text in two pieces, one
    8-bit (Windows-1252) and one UTF-16, as Word writes after edits."""
    text = "\r".join(paragraphs) + "\r"
    half = len(text) // 2
    first, second = text[:half], text[half:]
    fib = bytearray(1024)
    struct.pack_into("<6H", fib, 0, 0xA5EC, 0x00C1, 0, 0x0809, 0, 0x0200)  # flags: use 1Table
    struct.pack_into("<H", fib, 32, 14)          # csw: 14 shorts follow
    struct.pack_into("<H", fib, 62, 22)          # cslw: 22 longs follow
    struct.pack_into("<I", fib, 64 + 12, len(text))  # ccpText
    struct.pack_into("<H", fib, 152, 93)         # cbRgFcLcb: the Word 97 count of fc/lcb pairs
    body = first.encode("cp1252") + second.encode("utf-16-le")
    fc_first = 1024
    fc_second = 1024 + len(first)
    cps = struct.pack("<3I", 0, len(first), len(text))
    pcds = struct.pack("<HIH", 0, (fc_first * 2) | 0x40000000, 0) + struct.pack("<HIH", 0, fc_second, 0)
    plc = cps + pcds
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    table = bytearray(16) + clx
    struct.pack_into("<II", fib, 154 + 33 * 8, 16, len(clx))
    word_document = bytes(fib) + body
    write_cfb(path, {"WordDocument": word_document, "1Table": bytes(table)})
    return path


def xlsx_file(path: Path, sheets: dict[str, list[list]]) -> Path:
    import openpyxl
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(str(path))
    return path


def xls_file(path: Path, sheets: dict[str, list[list]]) -> Path:
    import xlwt
    wb = xlwt.Workbook()
    for name, rows in sheets.items():
        ws = wb.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                ws.write(r, c, value)
    wb.save(str(path))
    return path


_ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2"')


def _odf(path: Path, mimetype: str, body: str) -> Path:
    content = f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF_NS}><office:body>{body}</office:body></office:document-content>'
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # first and stored, as ODF requires
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def _x(s) -> str:
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def odt_file(path: Path, paragraphs: list[str]) -> Path:
    body = "".join(f"<text:p>{_x(p)}</text:p>" for p in paragraphs)
    return _odf(path, "application/vnd.oasis.opendocument.text", f"<office:text>{body}</office:text>")


def ods_file(path: Path, sheets: dict[str, list[list]]) -> Path:
    tables = ""
    for name, rows in sheets.items():
        xml_rows = "".join("<table:table-row>" + "".join(
            f"<table:table-cell><text:p>{_x(v)}</text:p></table:table-cell>" for v in row) +
            '<table:table-cell table:number-columns-repeated="16000"/></table:table-row>' for row in rows)
        xml_rows += '<table:table-row table:number-rows-repeated="1048000"><table:table-cell/></table:table-row>'
        tables += f'<table:table table:name="{_x(name)}">{xml_rows}</table:table>'
    return _odf(path, "application/vnd.oasis.opendocument.spreadsheet",
                f"<office:spreadsheet>{tables}</office:spreadsheet>")


def pptx_file(path: Path, slides: list[list[str]]) -> Path:
    """A minimal PPTX: one slide part per slide, each paragraph a DrawingML text run."""
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        for i, paras in enumerate(slides, 1):
            body = "".join(f"<a:p><a:r><a:t>{_x(p)}</a:t></a:r></a:p>" for p in paras)
            z.writestr(f"ppt/slides/slide{i}.xml",
                       f'<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
                       f'xmlns:a="{a}"><p:cSld><p:spTree><p:sp><p:txBody>{body}</p:txBody></p:sp>'
                       "</p:spTree></p:cSld></p:sld>")
    return path


def rtf_file(path: Path, paragraphs: list[str]) -> Path:
    def esc(s: str) -> str:
        out = []
        for ch in s:
            if ch in "\\{}":
                out.append("\\" + ch)
            elif ord(ch) > 127:
                out.append(f"\\'{ch.encode('cp1252').hex()}")
            else:
                out.append(ch)
        return "".join(out)
    body = "".join(f"{esc(p)}\\par\n" for p in paragraphs)
    path.write_bytes(("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Arial;}}\\f0\\fs24 "
                      + body + "}").encode("ascii"))
    return path


# --- text, mail, archives --------------------------------------------------------------------------


def csv_file(path: Path, rows: list[list]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def html_file(path: Path, paragraphs: list[str]) -> Path:
    body = "".join(f"<p>{_x(p)}</p>" for p in paragraphs)
    path.write_text(f"<!DOCTYPE html><html><head><title>FOI</title><style>p{{}}</style></head>"
                    f"<body>{body}</body></html>", encoding="utf-8")
    return path


def eml_file(path: Path, body: str, attachments: dict[str, bytes], subject: str = "FW: FOI response") -> Path:
    msg = email.message.EmailMessage()
    msg["From"] = "Information Compliance <foi@example.police.uk>"
    msg["To"] = "requester@example.org"
    msg["Subject"] = subject
    msg["Date"] = "Wed, 07 Feb 2024 11:02:44 +0000"
    msg.set_content(body)
    for name, data in attachments.items():
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    path.write_bytes(bytes(msg))
    return path


def msg_file(path: Path, body: str, attachments: dict[str, bytes], subject: str = "FW: FOI response") -> Path:
    def u(s: str) -> bytes:
        return s.encode("utf-16-le")
    tree: dict = {
        "__substg1.0_0037001F": u(subject),
        "__substg1.0_1000001F": u(body),
        "__substg1.0_007D001F": u("Date: Wed, 07 Feb 2024 11:02:44 +0000\r\nSubject: " + subject + "\r\n"),
        "__properties_version1.0": bytes(32),
    }
    for i, (name, data) in enumerate(attachments.items()):
        tree[f"__attach_version1.0_#{i:08X}"] = {
            "__substg1.0_3707001F": u(name),
            "__substg1.0_37010102": data,
            "__properties_version1.0": bytes(8),
        }
    write_cfb(path, tree)
    return path


def zip_file(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def nested_zip(path: Path, depth: int, leaf: bytes) -> Path:
    data = leaf
    for level in range(depth, 0, -1):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(f"level{level}.zip" if data is not leaf else "answer.txt", data)
        data = buf.getvalue()
    path.write_bytes(data)
    return path


def zip_bomb(path: Path, megabytes: int = 50) -> Path:
    """One member of zeros that deflates about 1000:1."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("report.txt", b"\0" * (megabytes * 1024 * 1024))
    return path
