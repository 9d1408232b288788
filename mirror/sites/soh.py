"""Single Online Home force sites: one mirrored site per force in mirror/content/soh/<force>.yaml.

Each serves the platform's published-items lister (`?q=` search, `?page=N`), the force's item
pages under /foi-ai/<slug>/ (plus the Welsh copy under /cy-GB/ where the content says so) and
attachments under /SysSiteAssets/. Every page carries the platform furniture a crawler must
strip: the quick-exit control, the cookie sentences, the technical-problem line, the beta banner
and the feedback box (in Welsh on /cy-GB/ pages), as spec §2.6 lists them. Item pages print no
"Published:" line (the real ones do not); the lister shows each result's date. A force
marked `blocked: challenge` answers every request with 403 and a JavaScript challenge page, as
Cloudflare does to clients without JavaScript (spec §2.3); its content is still served through
the Internet Archive mirror (mirror/sites/archive.py).
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

from mirror.server import Request, Response, Site, text_response
from mirror.sites import logpages

ORDER = 20
# The platform's furniture as the real pages print it (spec §2.6), in our own words: the quick
# exit control, the cookie sentences (the "saved" one twice), the technical-problem line and the
# beta banner; Welsh-locale pages (/cy-GB/) print it in Welsh around an English body.
FURNITURE = {
    "en": {
        "exit": "Quickly exit this site with your Escape key Leave this site",
        "cookies": ["We use some essential cookies to keep this site working properly.",
                    "You can manage your preferences for the optional cookies at any time.",
                    "Your cookie choices are stored; change them whenever you like.",
                    "Your cookie choices are stored; change them whenever you like."],
        "accept": "Accept optional cookies", "reject": "Reject optional cookies",
        "problem": "Sorry, a technical problem got in the way. Please try once more.",
        "beta": "This site is a beta, which means it's a work in progress - tell us what you think of it.",
    },
    "cy": {
        "exit": "Allanfa Gyflym - pwyswch y fysell Escape i adael y wefan",
        "cookies": ["Rydym yn defnyddio rhai cwcis hanfodol i gadw'r wefan hon i weithio.",
                    "Gallwch reoli eich dewisiadau ar gyfer y cwcis dewisol unrhyw bryd.",
                    "Mae eich dewisiadau cwcis wedi cael eu cadw.",
                    "Mae eich dewisiadau cwcis wedi cael eu cadw."],
        "accept": "Derbyn cwcis dewisol", "reject": "Gwrthod cwcis dewisol",
        "problem": "Mae'n ddrwg gennym, roedd problem dechnegol. Rhowch gynnig arall arni.",
        "beta": "Diolch am roi cynnig ar fersiwn 'beta' ein gwefan newydd.",
    },
}
LISTER_PATH = "/foi-ai/af/accessing-information/published-items/"
PAGE_SIZE = 3


class SohSite(Site):
    # The spec records no validators on SOH pages (search answers are dynamic): none are sent.
    validators = False

    def __init__(self, spec: dict) -> None:
        super().__init__()
        self.spec = spec
        self.name = f"soh_{spec['force_id'].replace('-', '_')}"
        self.real_base_url = spec["real_base_url"]
        self.host = urlsplit(self.real_base_url).hostname
        self.items = {item["path"]: item for item in spec["items"]}
        self.files = {a["path"]: a for item in spec["items"] for a in item.get("attachments", [])}
        self.route(LISTER_PATH, self.lister)
        self.route(r"(?P<welsh>/cy-GB)?(?P<path>/foi-ai/[^?]+/)", self.item)
        self.route(r"(?P<path>/SysSiteAssets/.+)", self.file)

    def handle(self, request: Request) -> Response:
        if self.spec.get("blocked") == "challenge":
            return logpages.challenge(self.host)
        return super().handle(request)

    def unblocked(self, request: Request) -> Response:
        """The page as the site serves it to a browser that passed the challenge (the archive's view)."""
        return super().handle(request)

    # -- pages --------------------------------------------------------------------------------

    def _page(self, title: str, main: str, lang: str = "en-GB") -> Response:
        slug = self.spec["slug"]
        force = escape(self.spec["force_name"])
        words = FURNITURE["cy" if lang == "cy" else "en"]
        html = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)} | {force}</title></head>
<body>
<header><a href="/">{force}</a>
<nav aria-label="Main"><a href="/report/">Report</a> <a href="/foi-ai/{slug}/">Freedom of information</a>
<a href="{LISTER_PATH}">Published items</a></nav></header>
<main id="main-content">
<div class="exit-this-page"><a href="https://www.bbc.co.uk/weather" class="button">{words["exit"]}</a></div>
<div class="consent">{"".join(f"<p>{line}</p>" for line in words["cookies"])}
<button>{words["accept"]}</button> <button>{words["reject"]}</button></div>
<div class="error-summary" hidden><p>{words["problem"]}</p></div>
<div class="phase-banner"><p>{words["beta"]}</p></div>
{main}
<div class="feedback"><p>Was this page helpful? <a href="/feedback/?v=yes">Yes</a> <a href="/feedback/?v=no">No</a></p></div>
</main>
<footer><p>&copy; {force}</p><a href="/cookies/">Cookies</a> <a href="/accessibility/">Accessibility</a></footer>
</body></html>"""
        return logpages.html_response(html)

    def lister(self, request: Request) -> Response:
        query = request.arg("q").strip()
        page = logpages.int_arg(request.arg("page"))
        hits = [item for item in self.spec["items"]
                if query and logpages.matches(query, item["title"], item["body"])]
        shown, has_next = logpages.page_of(hits, page, PAGE_SIZE)
        entries = "\n".join(
            f'<li><h2><a href="{escape(item.get("link", item["path"]))}">{escape(item["title"])}</a></h2>'
            f'<p>FOI disclosure &middot; Published {escape(str(item["published"]))}</p>'
            f'<p>{escape(item["body"].strip()[:160])}...</p></li>' for item in shown)
        main = f"""<h1>Published items</h1>
<form action="{LISTER_PATH}" method="get"><label for="q">Search</label><input id="q" name="q" value="{escape(query)}">
<button type="submit">Search</button></form>
<p>{len(hits)} results for "{escape(query)}"</p>
<ol class="search-results">{entries}</ol>
{logpages.pager(LISTER_PATH, {"q": query}, page, has_next)}"""
        return self._page("Published items", main)

    def item(self, request: Request, path: str, welsh: str | None = None) -> Response:
        item = self.items.get(path)
        if not item or (welsh and not item.get("welsh")):
            return text_response("Page not found", 404)
        downloads = "".join(f'<li><a href="{escape(a["path"])}">{escape(a["label"])}</a></li>'
                            for a in item.get("attachments", []))
        language = f'<p><a href="/cy-GB{escape(path)}" hreflang="cy">Cymraeg</a></p>' if item.get("welsh") else ""
        main = f"""<nav aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li>
<li><a href="/foi-ai/{self.spec["slug"]}/">Freedom of information</a></li></ol></nav>
{language}
<h1>{escape(item["title"])}</h1>
<div class="rich-text">
{logpages.body_html(item["body"])}
</div>
{f'<h2>Downloads</h2><ul class="downloads">{downloads}</ul>' if downloads else ""}"""
        return self._page(item["title"], main, lang="cy" if welsh else "en-GB")

    def file(self, request: Request, path: str) -> Response:
        spec = self.files.get(path)
        if not spec:
            return text_response("Not Found", 404)
        return logpages.file_response(path, spec)



def load_sites() -> list[SohSite]:
    return [SohSite(spec) for _path, spec in logpages.load("soh")]


def build(profile: str = "full") -> list[SohSite]:
    return load_sites()
