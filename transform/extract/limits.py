"""Every safety limit in one place, so a maintainer can see and tune them together."""

# Per document, enforced by extract_many: a worker still busy after this is killed.
DOCUMENT_SECONDS = 120
# One Tesseract run on one page or image.
OCR_PAGE_SECONDS = 60
# Address space of a worker process: an enormous image or a decompression bomb hits this and
# becomes a MemoryError in that worker instead of pushing the machine into swap.
WORKER_MEMORY_BYTES = 2 * 1024**3

# Images: refuse anything above this many pixels before decoding (Pillow checks the header).
MAX_IMAGE_PIXELS = 60_000_000
# PDF pages are rendered for OCR at this resolution, lowered for very large pages.
OCR_DPI = 300
MAX_RENDER_PIXELS = 40_000_000
# A PDF with more pages than this is OCRed only up to the limit (the rest is reported).
MAX_OCR_PAGES = 200

# Archives (ZIP, and attachments inside e-mails).
MAX_ARCHIVE_DEPTH = 3                   # zip inside zip inside zip, no deeper
MAX_ARCHIVE_MEMBERS = 500               # files expanded from one top-level document
MAX_ARCHIVE_BYTES = 500 * 1024**2       # total uncompressed bytes from one top-level document
MAX_COMPRESSION_RATIO = 200             # a member that inflates more than this is a bomb

# Spreadsheets: rows beyond this per sheet are dropped (with a note in `error`).
MAX_SHEET_ROWS = 100_000
