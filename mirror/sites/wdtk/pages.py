"""HTML rendering for the WDTK mirror: Jinja templates plus the Rails helpers they need.

The markup follows spec §4 (request page, body page, listing items) and §1.5 (will_paginate).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from pathlib import Path
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from mirror.sites.wdtk.dates import iso_s, simple_date, title_stamp
from mirror.sites.wdtk.files import attachment_bytes, paragraphs
from mirror.sites.wdtk.model import (
    STATUS_LABELS, VIEWABLE, Attachment, Batch, Body, Event, InfoRequest, display_size,
)

LABELS = {
    "en": {},
    "cy": {"Attachments": "Atodiadau", "Attachment": "Atodiad", "View": "Gweld", "Download": "Lawrlwytho"},
}

# The masks Alaveteli writes into message text (spec §8.2); the email mask is a help link in HTML.
EMAIL_MASK = "[email address]"
EMAIL_MASK_HTML = '[<a href="/help/officers#mobiles">email address</a>]'


def rails_escape(text: str) -> str:
    """ERB::Util.html_escape: & < > " ' as &amp; &lt; &gt; &quot; &#39;."""
    return escape(text, quote=True).replace("&#x27;", "&#39;")


def simple_format(text: str) -> Markup:
    """Rails simple_format: <p> per paragraph, <br /> for single newlines."""
    html = rails_escape(text).replace(EMAIL_MASK, EMAIL_MASK_HTML)
    paras = [p.strip("\n") for p in re.split(r"\n\s*\n", html) if p.strip()]
    return Markup("\n\n".join("<p>" + p.replace("\n", "\n<br />") + "</p>" for p in paras))


def time_tag(value: datetime | date, locale: str = "en") -> Markup:
    """Rails time_tag with title: date.to_s; a plain date (a due date) has no time part."""
    if isinstance(value, datetime):
        stamp, title = iso_s(value), title_stamp(value)
    else:
        stamp = title = value.isoformat()
    return Markup(f'<time datetime="{stamp}" title="{title}">{simple_date(value, locale)}</time>')


def icon(attachment: Attachment) -> str:
    major, _, minor = attachment.content_type.partition("/")
    if attachment.content_type == "application/octet-stream":
        return "/assets/content_type/icon_unknown.png"
    minor = re.sub(r"[^a-z0-9]", "_", minor)
    return f"/assets/content_type/icon_{major}_{minor}_large.png"


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text or "")


_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
_env.globals.update(simple_format=simple_format, iso_s=iso_s, title_stamp=title_stamp, quote=quote, icon=icon,
                    viewable=VIEWABLE, strip_tags=_strip_tags)


@dataclass
class PageContext:
    base_url: str  # the site's own base, for the absolute links Alaveteli writes
    locale: str = "en"
    today: date | None = None
    unfold: bool = False  # ?unfold=1 shows quoted sections of e-mails

    def render(self, template: str, **values) -> str:
        values.setdefault("lang", "cy" if self.locale == "cy" else "en-GB")
        return _env.get_template(template).render(
            base_url=self.base_url, unfold=self.unfold, time_tag=lambda v: time_tag(v, self.locale),
            t=lambda s: LABELS[self.locale].get(s, s), size=self._size, **values)

    @staticmethod
    def _size(attachment: Attachment) -> str:
        return display_size(len(attachment_bytes(attachment)))


# -- status sentences (#request_status > p) ----------------------------------------------------

def status_sentence(request: InfoRequest, status: str, ctx: PageContext) -> Markup:
    body = Markup(f'<a href="/body/{request.body.url_name}">{escape(request.body.name)}</a>')
    due = Markup(f"<strong>{time_tag(request.date_response_required_by(), ctx.locale)}</strong>")
    details = Markup('(<a href="/help/requesting#quickly_response">details</a>)')
    user = escape(request.requester_name)
    sentences = {
        "waiting_response": f"Currently <strong>waiting for a response</strong> from {body}, they must respond "
                            f"promptly and normally no later than {due} {details}.",
        "waiting_response_overdue": f"Response to this request is <strong>delayed</strong>. By law, {body} should "
                                    f"normally have responded <strong>promptly</strong> and by {due} {details}.",
        "waiting_response_very_overdue": f"Response to this request is <strong>long overdue</strong>. By law, under "
                                         f"all circumstances, {body} should have responded by now {details}.",
        "waiting_classification": f"This request has an <strong>unknown status</strong>. We're waiting for {user} "
                                  "to read a recent response and update the status.",
        "waiting_clarification": f"The request is <strong>waiting for clarification</strong>. If you are {user}, "
                                 "please sign in to send a follow up message.",
        "gone_postal": "The authority would like to / has <strong>responded by postal mail</strong> to this request.",
        "not_held": f"{body} <strong>did not have</strong> the information requested.",
        "rejected": f"The request was <strong>refused</strong> by {body}.",
        "successful": "The request was <strong>successful</strong>.",
        "partially_successful": "The request was <strong>partially successful</strong>.",
        "internal_review": f"Waiting for an <strong>internal review</strong> by {body} of their handling of this request.",
        "error_message": "There was a <strong>delivery error</strong> or similar, which needs fixing by the "
                         "WhatDoTheyKnow team.",
        "requires_admin": "This request has had an <strong>unusual response</strong>, and requires attention from "
                          "the WhatDoTheyKnow team.",
        "user_withdrawn": "This request has been <strong>withdrawn</strong> by the person who made it. There may be "
                          "an explanation in the correspondence below.",
        "attention_requested": "This request has been <strong>reported</strong> as needing administrator attention.",
        "vexatious": "This request has been <strong>reviewed</strong> by an administrator and is considered to be "
                     "vexatious.",
        "not_foi": "This request has been <strong>reviewed</strong> by an administrator and is considered not to be "
                   "a valid FOI request.",
    }
    return Markup(sentences[status])


# -- listing items (spec §4.6) -----------------------------------------------------------------

@dataclass
class ListingItem:
    request: InfoRequest
    anchor: str
    sentence: Markup
    status: str
    status_label: str
    excerpt: str


def listing_item(request: InfoRequest, event: Event, ctx: PageContext) -> ListingItem:
    base = ctx.base_url
    body = Markup(f'<a href="{base}/body/{request.body.url_name}">{escape(request.body.name)}</a>')
    if request.user:
        user = Markup(f'<a href="{base}/user/{request.user.url_name}">{escape(request.user.name)}</a>')
    else:
        user = escape(request.requester_name)
    when = time_tag(event.created_at, ctx.locale)
    if event.event_type == "response":
        anchor, sentence, text = f"#incoming-{event.incoming.id}", f"Response by {body} to {user} on {when}.", event.incoming.text
    elif event.event_type == "comment":
        commenter = Markup(f'<a href="{base}/user/{event.comment.user.url_name}">{escape(event.comment.user.name)}</a>')
        anchor, sentence, text = f"#comment-{event.comment.id}", f"Request to {body} by {user}. Annotated by {commenter} on {when}.", event.comment.text
    elif event.event_type == "followup_sent":
        # ApplicationHelper#event_description names a follow-up by its calculated state.
        label = {"internal_review": "Internal review request", "waiting_response": "Clarification"}.get(
            event.calculated_state, "Follow up")
        anchor, sentence, text = f"#outgoing-{event.outgoing.id}", f"{label} sent to {body} by {user} on {when}.", event.outgoing.text
    else:
        anchor, sentence, text = "", f"Request sent to {body} by {user} on {when}.", event.outgoing.text
    status = request.calculated_status(ctx.today)
    excerpt = " ".join(text.split())
    excerpt = excerpt if len(excerpt) <= 150 else excerpt[:147] + "..."
    return ListingItem(request, anchor, Markup(sentence), status, STATUS_LABELS[status], excerpt)


# -- will_paginate 4.0 default renderer (spec §1.5) -----------------------------------------------

def _windowed(current: int, total: int, inner: int = 4, outer: int = 1) -> list:
    window_from, window_to = current - inner, current + inner
    if window_to > total:
        window_from -= window_to - total
        window_to = total
    if window_from < 1:
        window_to += 1 - window_from
        window_from = 1
        window_to = min(window_to, total)
    middle = list(range(window_from, window_to + 1))
    left = list(range(1, outer + 2)) + ["gap"] if outer + 3 < middle[0] else list(range(1, middle[0]))
    right = ["gap"] + list(range(total - outer, total + 1)) if total - outer - 2 > middle[-1] \
        else list(range(middle[-1] + 1, total + 1))
    return left + middle + right


def pagination(path: str, params: dict[str, str], current: int, total: int) -> Markup:
    """The pager, or nothing for a single page; links keep the other query parameters."""
    if total <= 1:
        return Markup("")

    def href(page: int) -> str:
        query = {k: v for k, v in params.items() if k != "page" and v != ""}
        query["page"] = str(page)
        return escape(path + "?" + urlencode(query))

    def rel(page: int) -> str:
        return {current - 1: ' rel="prev"', current + 1: ' rel="next"'}.get(page, "")

    parts = []
    if current > 1:
        parts.append(f'<a class="previous_page" aria-label="Previous page"{rel(current - 1)} href="{href(current - 1)}">&#8592; Previous</a>')
    else:
        parts.append('<span class="previous_page disabled" aria-label="Previous page">&#8592; Previous</span>')
    for page in _windowed(current, total):
        if page == "gap":
            parts.append('<span class="gap">&hellip;</span>')
        elif page == current:
            parts.append(f'<em class="current" aria-label="Page {page}" aria-current="page">{page}</em>')
        else:
            parts.append(f'<a aria-label="Page {page}"{rel(page)} href="{href(page)}">{page}</a>')
    if current < total:
        parts.append(f'<a class="next_page" aria-label="Next page"{rel(current + 1)} href="{href(current + 1)}">Next &#8594;</a>')
    else:
        parts.append('<span class="next_page disabled" aria-label="Next page">Next &#8594;</span>')
    return Markup('<div class="pagination" role="navigation" aria-label="Pagination">' + " ".join(parts) + "</div>")


# -- whole pages -------------------------------------------------------------------------------

def request_page(request: InfoRequest, batch: Batch | None, similar: list[InfoRequest], ctx: PageContext) -> str:
    status = request.calculated_status(ctx.today)
    law_name = "Environmental Information Regulations" if request.law_used == "eir" else "Freedom of Information"
    first_text = request.outgoing_messages[0].text
    return ctx.render("request.html", request=request, batch=batch, similar=similar, status=status,
                      status_sentence=status_sentence(request, status, ctx), law_name=law_name,
                      events=request.events, og_description=" ".join(first_text.split())[:300])


def body_page(body: Body, items: list[ListingItem], pager: Markup, ctx: PageContext, *,
              total_requests: int, query: str, request_date_after: str, request_date_before: str) -> str:
    return ctx.render("body.html", body=body, items=items, pagination=pager,
                      total_requests=total_requests, query=query, show_filter=total_requests > 4,
                      request_date_after=request_date_after, request_date_before=request_date_before)


def batch_page(batch: Batch, items: list[ListingItem], pager: Markup, ctx: PageContext) -> str:
    return ctx.render("batch.html", batch=batch, items=items, pagination=pager)


def body_list_page(tag: str, bodies: list[tuple[Body, int]], found: int, pager: Markup, ctx: PageContext) -> str:
    return ctx.render("body_list.html", tag=tag, bodies=bodies, found=found, pagination=pager)


def details_page(request: InfoRequest, ctx: PageContext) -> str:
    return ctx.render("details.html", request=request)


def user_page(user, items: list[ListingItem], found: int, pager: Markup, ctx: PageContext) -> str:
    return ctx.render("user.html", user=user, items=items, found=found, pagination=pager)


def message_page(heading: str, paragraphs: list[str], ctx: PageContext, page_id: str = "message",
                 refresh: int | None = None) -> str:
    return ctx.render("message.html", heading=heading, paragraphs=paragraphs, page_id=page_id, refresh=refresh)


TYPE_NAMES = {"pdf": "PDF file", "txt": "Text file", "rtf": "RTF file", "doc": "Word document",
              "docx": "Word document", "xls": "Excel spreadsheet", "xlsx": "Excel spreadsheet",
              "ppt": "PowerPoint presentation", "pptx": "PowerPoint presentation", "tif": "TIFF image",
              "csv": "Comma-separated values file"}


def attachment_view(attachment: Attachment, download_url: str, ctx: PageContext) -> str:
    """attach/html (spec §8.7, Alaveteli 0.46): text is converted, PDFs are an iframe of the
    download, Office files an iframe of the Google Docs viewer."""
    absolute = ctx.base_url + download_url
    if attachment.extension == "pdf":
        iframe = download_url
    elif attachment.extension in ("txt", "rtf"):
        iframe = None
    else:
        iframe = "https://docs.google.com/viewer?" + urlencode({"url": absolute, "embedded": "true"})
    return ctx.render("attachment_view.html", attachment=attachment, download_url=download_url, iframe_src=iframe,
                      type_name=TYPE_NAMES.get(attachment.extension, "File"), paragraphs=paragraphs(attachment.spec))
