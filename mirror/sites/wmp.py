"""West Midlands Police's FOI log (https://foi.west-midlands.police.uk), a WordPress site.

Served like a WordPress theme: the home page and year archives (/<yyyy>/, /<yyyy>/page/N/) and
category archives (/category/<slug>/, .../page/N/) list posts newest first with an "Older posts"
link, every page has the sidebar's Archives and Categories widgets, items are /<slug>/ and their
files are under /wp-content/uploads/<yyyy>/<mm>/. Content: mirror/content/wmp/items.yaml.
"""

from __future__ import annotations

from html import escape

from mirror.server import Request, Response, Site, text_response
from mirror.sites import logpages

ORDER = 30
PAGE_SIZE = 2


class WmpSite(Site):
    name = "wmp"
    real_base_url = "https://foi.west-midlands.police.uk"
    # WordPress sends no ETag or Last-Modified on its PHP pages (archives, posts) unless a cache
    # plugin adds them; the spec records none: the crawler must not depend on them.
    validators = False

    def __init__(self, items: list[dict]) -> None:
        super().__init__()
        self.items = sorted(items, key=lambda item: str(item["date"]), reverse=True)
        self.by_slug = {item["slug"]: item for item in items}
        self.files = {f"/wp-content/uploads/{str(item['date'])[:4]}/{str(item['date'])[5:7]}/{a['name']}": a
                      for item in items for a in item.get("attachments", [])}
        self.route(r"/(?:page/(?P<page>\d+)/)?", self.home)
        self.route(r"/(?P<year>\d{4})/(?:page/(?P<page>\d+)/)?", self.year)
        self.route(r"/category/(?P<category>[a-z0-9-]+)/(?:page/(?P<page>\d+)/)?", self.category)
        self.route(r"(?P<path>/wp-content/uploads/\d{4}/\d{2}/[^/]+)", self.file)
        self.route(r"/(?P<slug>[a-z0-9_-]+)/", self.post)

    def _page(self, title: str, main: str) -> Response:
        years = sorted({str(item["date"])[:4] for item in self.items}, reverse=True)
        categories = sorted({item["category"] for item in self.items})
        html = f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="UTF-8"><title>{escape(title)} &#8211; West Midlands Police FOI</title>
<link rel="alternate" type="application/rss+xml" href="/feed/"></head>
<body class="wp-theme">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead" class="site-header"><p class="site-title"><a href="/" rel="home">West Midlands Police Freedom of Information</a></p>
<form role="search" action="/"><input type="search" name="s"><button>Search</button></form></header>
<div id="content" class="site-content">
<main id="main" class="site-main">
{main}
</main>
<aside id="secondary" class="widget-area">
<section class="widget"><h2 class="widget-title">Archives</h2><ul>{"".join(f'<li><a href="/{y}/">{y}</a></li>' for y in years)}</ul></section>
<section class="widget"><h2 class="widget-title">Categories</h2><ul>{"".join(f'<li><a href="/category/{c}/">{escape(c.replace("-", " ").title())}</a></li>' for c in categories)}</ul></section>
</aside></div>
<footer class="site-footer"><p>Proudly powered by WordPress</p></footer>
</body></html>"""
        return logpages.html_response(html)

    def _listing(self, heading: str, posts: list[dict], base: str, page: str | None) -> Response:
        number = int(page or 1)
        shown, older = logpages.page_of(posts, number, PAGE_SIZE)
        if not shown:
            return text_response("Page not found", 404)
        articles = "\n".join(
            f"""<article class="post type-post"><header class="entry-header"><h2 class="entry-title">
<a href="/{post['slug']}/" rel="bookmark">{escape(post['title'])}</a></h2>
<div class="entry-meta">Posted on <time datetime="{post['date']}">{logpages.long_date(post['date'])}</time></div></header>
<div class="entry-summary"><p>{escape(_first_lines(post['body']))} [&hellip;]</p></div></article>""" for post in shown)
        navigation = f'<div class="nav-previous"><a href="{base}page/{number + 1}/">Older posts</a></div>' if older else ""
        if number > 1:
            navigation += f'<div class="nav-next"><a href="{base}page/{number - 1}/">Newer posts</a></div>'
        main = (f'<header class="page-header"><h1 class="page-title">{escape(heading)}</h1></header>{articles}'
                f'<nav class="navigation posts-navigation">{navigation}</nav>')
        return self._page(heading, main)

    def home(self, request: Request, page: str | None = None) -> Response:
        return self._listing("Latest disclosures", self.items, "/", page)

    def year(self, request: Request, year: str, page: str | None = None) -> Response:
        return self._listing(f"Year: {year}", [i for i in self.items if str(i["date"]).startswith(year)],
                             f"/{year}/", page)

    def category(self, request: Request, category: str, page: str | None = None) -> Response:
        return self._listing(f"Category: {category.replace('-', ' ').title()}",
                             [i for i in self.items if i["category"] == category], f"/category/{category}/", page)

    def post(self, request: Request, slug: str) -> Response:
        item = self.by_slug.get(slug)
        if not item:
            return text_response("Page not found", 404)
        folder = f"/wp-content/uploads/{str(item['date'])[:4]}/{str(item['date'])[5:7]}/"
        files = "".join(f'<p><a href="{folder}{escape(a["name"])}">{escape(a["name"].rsplit(".", 1)[0])}</a></p>'
                        for a in item.get("attachments", []))
        main = f"""<article class="post type-post">
<header class="entry-header"><h1 class="entry-title">{escape(item['title'])}</h1>
<div class="entry-meta">Posted on <time datetime="{item['date']}">{logpages.long_date(item['date'])}</time></div></header>
<div class="entry-content">
{logpages.body_html(item['body'])}
{files}
</div>
<footer class="entry-footer">Posted in <a href="/category/{item['category']}/">{escape(item['category'])}</a></footer>
</article>"""
        return self._page(item["title"], main)

    def file(self, request: Request, path: str) -> Response:
        spec = self.files.get(path)
        return logpages.file_response(path, spec) if spec else text_response("Not Found", 404)



def _first_lines(body: str) -> str:
    text = " ".join(line for line in body.split("\n") if line.strip() and not line.startswith("## "))
    return text[:150]


def build(profile: str = "full") -> WmpSite:
    return WmpSite([item for _path, items in logpages.load("wmp") for item in items])
