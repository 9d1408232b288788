"""No crawl of a real site without a contact address (DESIGN.md rule 5): the one place that decides.

The user agent carries the contact so that a site's operators can reach us instead of blocking
us. The contact is the setting CONTACT: FOI_CRAWL_CONTACT by default (scrapers/settings.py), or
`scrapy crawl ... -s CONTACT=you@example.org`; the ``ContactInUserAgent`` add-on makes the user
agent from it as finally given. ``RequireContact`` is an extension (enabled for every spider in
settings.py); Scrapy builds extensions after the spider, so it sees every site the spider may
fetch from (the same origins as the off-site rule, scrapers/offsite.py) and refuses, before the
first request, a crawl that may reach anything but our own loopback mirror. The refusal fails
the crawl's start, so `scrapy crawl` exits 1 and `make refresh` stops without publishing.
"""

from __future__ import annotations

import logging

from scrapers.offsite import allowed_origins
from scrapers.siteurls import is_loopback

logger = logging.getLogger(__name__)

VARIABLE = "FOI_CRAWL_CONTACT"


def user_agent(contact: str) -> str:
    return f"police-surveillance-foi/0.1 (open data on police FOI disclosures; contact: {contact or 'unset'})"


class ContactInUserAgent:
    """A Scrapy add-on (settings.ADDONS): the user agent names the CONTACT setting as the crawl
    finally has it, so `-s CONTACT=...` reaches it as it reaches the check below (settings.py can
    only read the environment). A USER_AGENT given with a higher priority than CONTACT is kept."""

    def update_settings(self, settings):
        priority = settings.getpriority("CONTACT")
        if priority >= settings.getpriority("USER_AGENT"):
            settings.set("USER_AGENT", user_agent(settings.get("CONTACT")), priority=priority)


class ContactMissing(RuntimeError):
    """A crawl of a real site was asked for without a contact address."""


def missing_contact(settings, origins: set[str] | list[str]) -> str | None:
    """Why a crawl fetching from ``origins`` may not start, or None when it may. No origins at
    all means the crawl is not limited to any site (scrapers/offsite.py), so it needs a contact."""
    live = sorted(origin for origin in origins if not is_loopback(origin))
    if settings.get("CONTACT") or (origins and not live):
        return None
    where = ", ".join(live[:3]) + (f" and {len(live) - 3} other sites" if len(live) > 3 else "") or "any site"
    return (f"{VARIABLE} is not set: a crawl of {where} must say in its user agent how its operators "
            f"can reach you. Set it to your URL or e-mail address and run again, e.g. "
            f"`export {VARIABLE}=you@example.org` (a crawl of the local mirror needs none).")


class RequireContact:
    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        origins = allowed_origins(crawler.spider, settings.getlist("ATTACHMENT_HOSTS"),
                                  settings.get("SITE_URLS_FILE") or None)
        problem = missing_contact(settings, origins)
        if problem:
            logger.error("%s: %s", crawler.spider.name, problem)
            raise ContactMissing(problem)
        return cls()
