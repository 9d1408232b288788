"""WhatDoTheyKnow's routes: URL shapes, redirects, status codes and headers of spec §1, §7, §8."""

from __future__ import annotations

import math
import threading
from datetime import datetime, timedelta
from urllib.parse import unquote, urlencode

from mirror.server import Request, Response, Site, redirect, text_response
from mirror.sites.wdtk import api, feeds, pages
from mirror.sites.wdtk.attachments import AttachmentRoutes
from mirror.sites.wdtk.caching import LONG_CACHE, MEDIUM_CACHE, NO_CACHE
from mirror.sites.wdtk.content import Content
from mirror.sites.wdtk.model import VIEW_STATES, InfoRequest, simplify_url_part
from mirror.sites.wdtk.search import Query, search

PER_PAGE = 25
MAX_PAGES = 20  # Alaveteli: MAX_RESULTS 500 / 25 per page
BODIES_PER_PAGE = 100

# Alaveteli's public/robots.txt (spec §7.1), comment line included.
ROBOTS_TXT = """# See https://www.robotstxt.org/robotstxt.html for documentation on how to use the robots.txt file

User-agent: *
Disallow: */annotate/*
Disallow: */new/*
Disallow: */search/*
Disallow: */similar/*
Disallow: */track/*
Disallow: */upload/*
Disallow: */user/contact/*
Disallow: */feed/*
Disallow: */profile/*
Disallow: */signin*
Disallow: */tor*
Allow: */request/*/response/*/attach/*
Disallow: */request/*/response/*
Disallow: */request/*/download*
Disallow: */change_request/*
Disallow: */outgoing_messages/*/mail_server_logs*
Disallow: */outgoing_messages/*/delivery_status*
Disallow: *?*update_status=1*
Disallow: */request/*/annotate
Disallow: */request/*/feed
Disallow: */request/*/followups/new
Disallow: */request/*/similar
Disallow: */request/*/track
Disallow: */request/*/upload
"""

SLUG = r"(?P<slug>[a-z0-9_]+)"
ATTACH = SLUG + r"/response/(?P<im>\d+)/attach"


class WdtkSite(AttachmentRoutes, Site):
    name = "wdtk"
    real_base_url = "https://www.whatdotheyknow.com"

    def __init__(self, content: Content, version_info: dict) -> None:
        super().__init__()
        self.content = content
        self.version_info = version_info
        self._listing_cache: dict[tuple, list] = {}
        self._cache_lock = threading.Lock()
        r = self.route
        r(r"/robots\.txt", self.robots)
        r(r"/version\.json", self.version)
        r(r"/cy(?P<rest>/.*)?", self.welsh_prefix)
        r(r"/body/all-authorities\.csv", self.all_authorities)
        r(r"/body/list/(?P<tag>[^/]+)", self.body_list)
        r(r"/body/(?P<url_name>[^/]+)\.json", self.body_json)
        r(r"/body/(?P<url_name>[^/.]+)(?:/(?P<view>all|successful|unsuccessful|awaiting))?", self.body_page)
        r(r"/request/(?P<request_id>\d+)(?P<rest>\.json|/.*)?", self.numeric_request)
        r(r"/request/" + SLUG + r"\.json", self.request_json)
        r(r"/request/" + SLUG, self.request_page)
        r(r"/request/" + SLUG + r"/details", self.request_details)
        r(r"/request/" + SLUG + r"/feed(?P<json>\.json)?", self.request_feed)
        r(r"/feed/request/" + SLUG + r"(?P<json>\.json)?", self.old_request_feed)
        r(r"/feed/body/(?P<url_name>[^/.]+)(?P<json>\.json)?", self.body_feed)
        r(r"/request/" + ATTACH + r"/html/(?P<part>\d+)/(?P<filename>[^/]+)\.html", self.attachment_html)
        r(r"/request/" + ATTACH + r"/(?P<part>\d+)/?", self.directory_listing)
        r(r"/request/" + ATTACH + r"/(?P<part>\d+)/(?P<filename>[^/]+)", self.attachment)
        r(r"/attachments/(?P<token>[^/]+)/(?P<step>wait|done)", self.attachment_wait)
        r(r"/info_request_batch/(?P<batch_id>\d+)", self.batch_page)
        r(r"/request_event/(?P<event_id>\d+)", self.request_event)
        r(r"/user/(?P<url_name>[^/.]+)\.json", self.user_json)
        r(r"/user/(?P<url_name>[^/.]+)", self.user_page)

    # -- changing content (tests) -------------------------------------------------------------

    def add_response(self, ref: int | str, text: str, attachments: list[dict] | None = None,
                     state: str | None = None, at: datetime | None = None, from_name: str | None = None):
        """Add an incoming message to a request (by id or slug), as if the authority replied.

        ``at`` defaults to a day after the request's last event; ``state`` classifies it.
        """
        with self.content.lock:
            info_request = self.content.request(ref)
            at = at or info_request.events[-1].created_at.replace(tzinfo=None) + timedelta(days=1)
            return self.content.add_response(info_request, at, text, from_name, attachments, state=state)

    # -- framework ----------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        locale = self.locale(request)
        # ?locale=cy is stored in a cookie and, except on body pages, redirected away (spec §8.3).
        if request.arg("locale") in ("cy", "en") and not request.path.startswith("/body/"):
            query = {k: v[0] for k, v in request.query.items() if k != "locale"}
            target = request.path + ("?" + urlencode(query) if query else "")
            return self._rails(redirect(target, 302, [("Set-Cookie", f"locale={locale}; path=/")]), locale, NO_CACHE)
        with self.content.lock:
            response = super().handle(request)
        if request.path == "/robots.txt":
            return response
        if request.arg("locale") in ("cy", "en"):
            response.headers.append(("Set-Cookie", f"locale={locale}; path=/"))
        return self._rails(response, locale)

    @staticmethod
    def _rails(response: Response, locale: str, cache: str | None = None) -> Response:
        """Headers every Rails answer carries (spec §7.2)."""
        if not response.header("Cache-Control"):
            response.headers.append(("Cache-Control", cache or NO_CACHE))
        response.headers += [("Vary", "Cookie"), ("Content-Language", locale)]
        return response

    @staticmethod
    def locale(request: Request) -> str:
        chosen = request.arg("locale") or request.cookies.get("locale")
        if chosen in ("cy", "en"):
            return chosen
        # USE_DEFAULT_BROWSER_LANGUAGE: the first Accept-Language tag decides.
        first = request.headers.get("accept-language", "").split(",")[0].strip().lower()
        return "cy" if first.startswith("cy") else "en"

    def ctx(self, request: Request) -> pages.PageContext:
        return pages.PageContext(request.base_url, self.locale(request), self.content.today)

    def html(self, request: Request, text: str, status: int = 200, cache: str = NO_CACHE,
             headers: list[tuple[str, str]] | None = None) -> Response:
        return text_response(text, status, "text/html; charset=utf-8", [("Cache-Control", cache), *(headers or [])])

    def error_page(self, request: Request, status: int, heading: str, message: str) -> Response:
        return self.html(request, pages.message_page(heading, [message], self.ctx(request), "error"), status)

    def not_found(self, request: Request, message: str = "The page doesn't exist.") -> Response:
        return self.error_page(request, 404, "Sorry, we couldn't find that page", message)

    def removed(self, request: Request, info_request: InfoRequest) -> Response:
        reason = info_request.prominence_reason or "There are various reasons why we might have done this, sorry we can't be more specific here."
        return self.html(request, pages.message_page("Request has been removed", [reason], self.ctx(request),
                                                     "hidden_request"), 403)

    # -- simple documents ---------------------------------------------------------------------

    def robots(self, request: Request) -> Response:
        return text_response(ROBOTS_TXT)

    def version(self, request: Request) -> Response:
        content = self.content
        info = dict(self.version_info)
        info.update(visible_public_body_count=len(content.bodies),
                    visible_request_count=sum(r.public for r in content.requests),
                    confirmed_user_count=len(content.users),
                    visible_comment_count=sum(1 for r in content.requests for e in r.events
                                              if e.comment and e.comment.visible))
        return Response(200, api.dumps(info), [("Content-Type", "application/json; charset=utf-8")])

    def welsh_prefix(self, request: Request, rest: str | None) -> Response:
        query = {k: v[0] for k, v in request.query.items()}
        query["locale"] = "cy"
        return redirect((rest or "/") + "?" + urlencode(query), 301)

    def all_authorities(self, request: Request) -> Response:
        return Response(200, api.all_authorities_csv(list(self.content.bodies.values())), [
            ("Content-Type", "text/csv; charset=utf-8; header=present"),
            ("Content-Disposition", 'attachment; filename="all-authorities.csv"'),
            ("Cache-Control", LONG_CACHE)])

    # -- bodies -------------------------------------------------------------------------------

    def _page_number(self, request: Request) -> int | None:
        try:
            page = int(request.arg("page", "1") or "1")
        except ValueError:
            return 1
        return max(page, 1)

    def body_list(self, request: Request, tag: str) -> Response:
        bodies = [b for b in self.content.bodies.values() if tag == "all" or b.has_tag(tag)]
        bodies.sort(key=lambda b: b.name.lower())
        page = self._page_number(request)
        total_pages = max(1, math.ceil(len(bodies) / BODIES_PER_PAGE))
        shown = bodies[(page - 1) * BODIES_PER_PAGE: page * BODIES_PER_PAGE]
        counts = [(b, sum(r.public for r in self.content.body_requests(b))) for b in shown]
        pager = pages.pagination(request.path, {k: v[0] for k, v in request.query.items()}, page, total_pages)
        return self.html(request, pages.body_list_page(tag, counts, len(bodies), pager, self.ctx(request)),
                         cache=MEDIUM_CACHE)

    def _find_body(self, request: Request, url_name: str, suffix: str = ""):
        """(body, None) or (None, answer), in PublicBodyController#show's order: past page 20 is
        a 404, a name not in simplified form 301s to it, a historic name 302s to the current one.
        Both redirects rebuild the path only (`redirect_to url_name: ...`): the query, page and
        date parameters are dropped, so they land on the unfiltered page 1 (spec §10.2)."""
        if self._page_number(request) > MAX_PAGES:
            return None, self.not_found(request, f"Sorry. No pages after {MAX_PAGES}.")
        canonical = simplify_url_part(unquote(url_name), "body", 10_000)
        if canonical != url_name:
            return None, redirect(f"/body/{canonical}{suffix}", 301)
        body = self.content.bodies.get(url_name)
        if body:
            return body, None
        old = self.content.historic_url_names.get(url_name)
        if old:
            return None, redirect(f"/body/{old.url_name}{suffix}", 302)
        return None, self.not_found(request)

    def body_json(self, request: Request, url_name: str) -> Response:
        body, other = self._find_body(request, url_name, ".json")
        if other:
            return other
        data = api.body_json(body, self.content.body_requests(body), self.content.today)
        return Response(200, api.dumps(data), [("Content-Type", "application/json; charset=utf-8"),
                                               ("Cache-Control", LONG_CACHE)])

    def body_page(self, request: Request, url_name: str, view: str | None) -> Response:
        body, other = self._find_body(request, url_name, f"/{view}" if view else "")
        if other:
            return other
        page = self._page_number(request)
        query_text = request.arg("query")
        after, before = request.arg("request_date_after"), request.arg("request_date_before")
        hits = self._listing(body, view or "all", query_text, after, before)
        ctx = self.ctx(request)
        shown = hits[(page - 1) * PER_PAGE: page * PER_PAGE]
        items = [pages.listing_item(r, e, ctx) for r, e in shown]
        params = {k: v[0] for k, v in request.query.items()}
        pager = pages.pagination(request.path, params, page, math.ceil(len(hits) / PER_PAGE))
        total = sum(r.public for r in self.content.body_requests(body))
        return self.html(request, pages.body_page(body, items, pager, ctx, total_requests=total,
                                                  query=query_text, request_date_after=after,
                                                  request_date_before=before), cache=LONG_CACHE)

    def _listing(self, body, view: str, query_text: str, after: str, before: str) -> list:
        key = (body.url_name, view, query_text, after, before, self.content.version)
        with self._cache_lock:
            if key in self._listing_cache:
                return self._listing_cache[key]
        hits = search(self.content.body_requests(body), Query.parse(query_text, after, before))
        if view in VIEW_STATES:
            hits = [(r, e) for r, e in hits if r.calculated_status(self.content.today) in VIEW_STATES[view]]
        with self._cache_lock:
            if len(self._listing_cache) > 500:
                self._listing_cache.clear()
            self._listing_cache[key] = hits
        return hits

    # -- requests -----------------------------------------------------------------------------

    def numeric_request(self, request: Request, request_id: str, rest: str | None) -> Response:
        info_request = self.content.by_id.get(int(request_id))
        if not info_request:
            return self.not_found(request)
        query = "?" + urlencode({k: v[0] for k, v in request.query.items()}) if request.query else ""
        return redirect(f"/request/{info_request.url_title}{rest or ''}{query}", 301)

    def _find_request(self, request: Request, slug: str):
        info_request = self.content.by_slug.get(slug)
        if not info_request:
            return None, self.not_found(request)
        if not info_request.public:
            return None, self.removed(request, info_request)
        return info_request, None

    def request_json(self, request: Request, slug: str) -> Response:
        info_request = self.content.by_slug.get(slug)
        if not info_request:
            return self.not_found(request)
        if not info_request.public:
            # A hidden request's JSON is a 403 with an empty body (spec §1.1, §8.1).
            return Response(403, b"", [("Content-Type", "application/json; charset=utf-8")])
        data = api.request_json(info_request, self.content.body_requests(info_request.body), self.content.today)
        return Response(200, api.dumps(data), [("Content-Type", "application/json; charset=utf-8"),
                                               ("Cache-Control", MEDIUM_CACHE), *self._robots_tag(info_request)])

    @staticmethod
    def _robots_tag(info_request: InfoRequest) -> list[tuple[str, str]]:
        return [("X-Robots-Tag", "noindex")] if info_request.prominence == "backpage" else []

    def request_page(self, request: Request, slug: str) -> Response:
        info_request, other = self._find_request(request, slug)
        if other:
            return other
        batch = self.content.batches.get(info_request.batch_id) if info_request.batch_id else None
        similar = [r for r in self.content.body_requests(info_request.body)
                   if r is not info_request and r.searchable][:5]
        ctx = self.ctx(request)
        ctx.unfold = request.arg("unfold") == "1"
        text = pages.request_page(info_request, batch, similar, ctx)
        return self.html(request, text, cache=MEDIUM_CACHE, headers=self._robots_tag(info_request))

    def request_event(self, request: Request, event_id: str) -> Response:
        for info_request in self.content.requests:
            for event in info_request.events:
                if event.id == int(event_id):
                    anchor = f"#incoming-{event.incoming.id}" if event.incoming else \
                        f"#outgoing-{event.outgoing.id}" if event.outgoing else ""
                    return redirect(f"/request/{info_request.url_title}{anchor}", 301)
        return self.not_found(request)

    def batch_page(self, request: Request, batch_id: str) -> Response:
        batch = self.content.batches.get(int(batch_id))
        if not batch:
            return self.not_found(request)
        members = [r for r in batch.requests if r.searchable]
        page = self._page_number(request)
        ctx = self.ctx(request)
        items = [pages.listing_item(r, r.events[0], ctx) for r in members[(page - 1) * PER_PAGE: page * PER_PAGE]]
        pager = pages.pagination(request.path, {k: v[0] for k, v in request.query.items()}, page,
                                 math.ceil(len(members) / PER_PAGE))
        return self.html(request, pages.batch_page(batch, items, pager, ctx), cache=MEDIUM_CACHE)

    def request_details(self, request: Request, slug: str) -> Response:
        info_request, other = self._find_request(request, slug)
        if other:
            return other
        return self.html(request, pages.details_page(info_request, self.ctx(request)), cache=LONG_CACHE)

    def user_page(self, request: Request, url_name: str) -> Response:
        user = self.content.users.get(url_name)
        if not user:
            return self.not_found(request)
        mine = sorted((r for r in self.content.requests if r.user is user and r.searchable),
                      key=lambda r: r.created_at, reverse=True)
        page = self._page_number(request)
        ctx = self.ctx(request)
        items = [pages.listing_item(r, r.events[0], ctx) for r in mine[(page - 1) * PER_PAGE: page * PER_PAGE]]
        pager = pages.pagination(request.path, {k: v[0] for k, v in request.query.items()}, page,
                                 math.ceil(len(mine) / PER_PAGE))
        return self.html(request, pages.user_page(user, items, len(mine), pager, ctx), cache=MEDIUM_CACHE)

    # -- feeds (disallowed by robots.txt; served for parser tests) ----------------------------

    def _feed(self, request: Request, title: str, requests: list[InfoRequest], json: str | None) -> Response:
        page = self._page_number(request)
        events = feeds.page_of(feeds.feed_events(requests), page)
        if json:
            data = feeds.json_feed(events, self.content.today, self.content.body_requests)
            return Response(200, api.dumps(data), [("Content-Type", "application/json; charset=utf-8"),
                                                   ("Cache-Control", MEDIUM_CACHE)])
        path = request.path + ("?page=" + str(page) if request.arg("page") else "")
        text = feeds.atom(title, path, events, self.ctx(request))
        return text_response(text, 200, "application/atom+xml; charset=utf-8", [("Cache-Control", MEDIUM_CACHE)])

    def body_feed(self, request: Request, url_name: str, json: str | None) -> Response:
        body = self.content.bodies.get(url_name)
        if not body:
            return self.not_found(request)
        return self._feed(request, f"FOI requests to '{body.name}'", self.content.body_requests(body), json)

    def request_feed(self, request: Request, slug: str, json: str | None) -> Response:
        info_request, other = self._find_request(request, slug)
        if other:
            return other
        return self._feed(request, f"New updates for the request '{info_request.title}'", [info_request], json)

    def old_request_feed(self, request: Request, slug: str, json: str | None) -> Response:
        return redirect(f"/request/{slug}/feed{json or ''}", 301)

    def user_json(self, request: Request, url_name: str) -> Response:
        user = self.content.users.get(url_name)
        if not user:
            return self.not_found(request)
        return Response(200, api.dumps(api.user_json(user)), [("Content-Type", "application/json; charset=utf-8"),
                                                              ("Cache-Control", MEDIUM_CACHE)])
