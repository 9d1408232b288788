"""Serve /robots.txt: search engines may index the home and downloads pages but are kept off the
table, row and query pages, which are endless (every facet and sort is another URL) and costly."""

from datasette import hookimpl
from datasette.utils.asgi import Response

ROBOTS_TXT = """User-agent: *
Disallow: /foi
Disallow: /-/
Allow: /downloads
"""


async def robots_txt():
    return Response.text(ROBOTS_TXT)


@hookimpl
def register_routes():
    return [(r"^/robots\.txt$", robots_txt)]
