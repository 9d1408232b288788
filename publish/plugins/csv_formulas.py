"""Spreadsheet formulas in scraped text are defused in every CSV the project writes.

Request titles, messages and quotes are written by anyone on the internet. A CSV cell starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula when the file is
opened in Excel or LibreOffice ("CSV injection"), so such a cell gets a leading single quote, as
OWASP advises: the spreadsheet then shows the text instead of running it. Parquet, SQLite and JSON
keep the exact text.

``defuse`` is the one definition: publish's downloads and transform's review queue use it, and so
does the ``asgi_wrapper`` below, which rewrites Datasette's own ``.csv`` responses (table, row and
query exports) record by record as they stream. That wrapper sees only the CSV text, not the
column types, so it leaves a cell that is a plain number (``-1``, ``2.5e-05``) alone: a
spreadsheet reads it as that number, never as a formula.

Self-contained: publish copies this file into DIR/site/plugins/ for Datasette to load.
"""

import codecs
import csv
import io
import re

from datasette import hookimpl

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# How Python (and so Datasette) writes an int or a float that is not infinite.
NUMBER = re.compile(r"-?\d+(\.\d+)?(e[+-]?\d+)?")


def defuse(value):
    """``value`` as it should be written into a CSV cell: a text that a spreadsheet would run as a
    formula gets a leading ``'``; other texts and every number, date or None are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class CsvRecords:
    """Defuses a CSV stream as it arrives: complete records are parsed, their text cells
    defused and written again; an incomplete record waits for the rest of it."""

    def __init__(self):
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.pending = ""  # text not yet written: the start of a record
        self.scanned = 0   # how far into ``pending`` line ends have been looked for
        self.quotes = 0    # quote characters seen so far in the pending record

    def feed(self, data: bytes, final: bool = False) -> bytes:
        text = self.pending + self.decoder.decode(data, final)
        done = 0  # end of the complete records in ``text``
        while (end := text.find("\n", self.scanned)) != -1:
            self.quotes += text.count('"', self.scanned, end)
            self.scanned = end + 1
            if self.quotes % 2 == 0:  # an odd count: the line break is inside a quoted cell
                done, self.quotes = end + 1, 0
        if final:
            done = len(text)
        self.pending, self.scanned = text[done:], self.scanned - done
        return _defused(text[:done]).encode("utf-8")


def _defused(records: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)  # Datasette's own dialect, so an untouched record is written as it was
    for row in csv.reader(io.StringIO(records, newline="")):
        writer.writerow([cell if NUMBER.fullmatch(cell) else defuse(cell) for cell in row])
    return out.getvalue()


class DefuseCsv:
    def __init__(self, app, datasette):
        self.app = app
        self.datasette = datasette

    def _datasette_csv(self, scope) -> bool:
        """A ``.csv`` of a database, table, row or query; not a static download, which publish
        has already defused."""
        if scope["type"] != "http" or not scope["path"].endswith(".csv"):
            return False
        first = scope["path"].lstrip("/").split("/")[0].removesuffix(".csv")
        return first in {db.route for db in self.datasette.databases.values()}

    async def __call__(self, scope, receive, send):
        if not self._datasette_csv(scope):
            return await self.app(scope, receive, send)
        records = None

        async def rewrite(message):
            nonlocal records
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                # text/plain is Datasette's CSV without ?_dl; ?_trace gives HTML, left alone.
                if message["status"] == 200 and content_type.startswith((b"text/csv", b"text/plain")):
                    records = CsvRecords()
                    message = {**message, "headers": [(k, v) for k, v in headers if k.lower() != b"content-length"]}
            elif message["type"] == "http.response.body" and records is not None:
                final = not message.get("more_body", False)
                message = {**message, "body": records.feed(message.get("body", b""), final)}
            await send(message)

        await self.app(scope, receive, rewrite)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        return DefuseCsv(app, datasette)
    return wrap
