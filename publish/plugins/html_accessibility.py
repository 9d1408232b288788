"""What Datasette 0.65's own page templates leave out for assistive technology, added to every
HTML page as it is sent: the page's language on ``<html>`` (screen readers pick their voice by
it), and names for the table page's filter and sort controls (a column list, an operator list, a
value box and, on a narrow screen, a sort list, none with a label). The site's own templates label their controls themselves; this covers the
pages Datasette draws (tables, rows, queries). A page where a marker is not found is sent as it
is. Checked by tests/browser/test_accessibility.py (axe-core).

Self-contained: publish copies this file into DIR/site/plugins/ for Datasette to load.
"""

import re

from datasette import hookimpl

LANGUAGE = "en-GB"
REWRITES = [
    (re.compile(rb"<html>"), f'<html lang="{LANGUAGE}">'.encode()),
    (re.compile(rb'<select name="_filter_column(_\d+)?">'), rb'<select name="_filter_column\1" aria-label="Column to filter">'),
    (re.compile(rb'<select name="_filter_op(_\d+)?">'), rb'<select name="_filter_op\1" aria-label="How to compare">'),
    (re.compile(rb'<input type="text" name="_filter_value(_\d+)?" class="filter-value"'),
     rb'<input type="text" name="_filter_value\1" class="filter-value" aria-label="Value to compare with"'),
    (re.compile(rb'<select name="_sort" id="sort_by">'), rb'<select name="_sort" id="sort_by" aria-label="Sort by">'),
]


def rewrite(body: bytes) -> bytes:
    for pattern, replacement in REWRITES:
        body = pattern.sub(replacement, body)
    return body


class AccessibleHtml:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        html = False

        async def wrapped_send(message):
            nonlocal html
            if message["type"] == "http.response.start":
                headers = message.get("headers") or []
                html = any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers)
                if html:  # the body changes length: let the server send it chunked
                    message = {**message, "headers": [(k, v) for k, v in headers if k.lower() != b"content-length"]}
            elif message["type"] == "http.response.body" and html:
                message = {**message, "body": rewrite(message.get("body", b""))}
            await send(message)

        await self.app(scope, receive, wrapped_send)


@hookimpl
def asgi_wrapper(datasette):
    return AccessibleHtml
