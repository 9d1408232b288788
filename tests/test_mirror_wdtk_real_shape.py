"""The mirror's request and body pages keep the structure of the real templates.

`../shared/specs/real-shape/wdtk/` holds pages built from Alaveteli's own view templates (copied
to tests/fixtures/wdtk/*_real_shape.html, where test_wdtk_parsers checks what they parse to).
Here the mirror's pages, fetched over HTTP, are reduced to a skeleton of the elements the
spider's selectors (scrapers/sites/wdtk.py SELECTORS) match: each match as its tag, id shape and
classes, under its parent and grandparent. Every shape of the real page must occur in the
mirror's, and the mirror may show no shape the real page lacks except the variants listed in
MIRROR_ONLY (states the real-shape page does not happen to show). So the mirror cannot drift from
the templates without this test naming the selector and the shape."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest
from parsel import Selector

from mirror import Mirror
from scrapers.sites.wdtk import LISTING_SELECTORS, SELECTOR_SCOPE, SELECTORS

FIXTURES = Path(__file__).parent / "fixtures" / "wdtk"
REAL = "https://www.whatdotheyknow.com"
REQUEST_SELECTORS = sorted(set(SELECTORS) - LISTING_SELECTORS)

# Shapes the mirror shows that the real-shape page does not happen to contain: a hidden incoming
# or outgoing message (the `hidden` prominence class, p#hidden_message; spec §8.1, Alaveteli
# request/_hidden_correspondence.html.erb).
HIDDEN_INCOMING = "div#incoming-N.correspondence.hidden.incoming.js-collapsible"
MIRROR_ONLY = {
    "author": {f"{HIDDEN_INCOMING} > div.correspondence__header > span.correspondence__header__author.js-collapsible-trigger"},
    "correspondence": {f"div.entirebody > div#left_column.left_column > {HIDDEN_INCOMING}"},
    "hidden_message": {
        f"div#left_column.left_column > {HIDDEN_INCOMING} > p#hidden_message.hidden_message",
        "div#left_column.left_column > div#outgoing-N.correspondence.js-collapsible.outgoing > p#hidden_message.hidden_message",
    },
}


def shape(element) -> str:
    """tag#id.classes, with numbers in ids and status suffixes in classes generalised."""
    dom_id = re.sub(r"\d+", "N", element.get("id") or "")
    classes = sorted(re.sub(r"(--|\bicon_)[a-z_]+$", r"\1*", c) for c in (element.get("class") or "").split())
    return element.tag + (f"#{dom_id}" if dom_id else "") + "".join(f".{c}" for c in classes)


def matches(sel: Selector, name: str):
    css = re.sub(r"::(attr\([^)]*\)|text)", "", SELECTORS[name])
    scopes = matches(sel, SELECTOR_SCOPE[name]) if name in SELECTOR_SCOPE else [sel]
    return [node for scope in scopes for node in scope.css(css)]


def skeleton(html: str | bytes, names) -> dict[str, set[str]]:
    sel = Selector(text=html.decode() if isinstance(html, bytes) else html)
    result = {}
    for name in names:
        paths = set()
        for node in matches(sel, name):
            chain, element = [], node.root
            for _ in range(3):
                if element is None or element.tag == "body":
                    break
                chain.insert(0, shape(element))
                element = element.getparent()
            paths.add(" > ".join(chain))
        result[name] = paths
    return result


def fetch(url: str) -> bytes:
    return urllib.request.urlopen(url).read()


def union(pages, names) -> dict[str, set[str]]:
    total = {name: set() for name in names}
    for html in pages:
        for name, paths in skeleton(html, names).items():
            total[name] |= paths
    return total


@pytest.fixture(scope="module")
def mirror_pages():
    """Every public request page of the hand-written cases; body pages with and without a pager."""
    with Mirror(profile="small") as mirror:
        base = mirror.base_url(REAL)
        requests = [fetch(f"{base}/request/{r.url_title}") for r in mirror.wdtk.content.requests if r.public]
        bodies = [fetch(f"{base}/body/kent_police?query=facial+recognition")]
    with Mirror(profile="full") as mirror:
        met = mirror.base_url(REAL) + "/body/the_met?query=facial+recognition"
        bodies += [fetch(met), fetch(f"{met}&page=20")]
    return {"request": requests, "body": bodies}


@pytest.mark.parametrize("kind, names", [("request", REQUEST_SELECTORS), ("body", sorted(LISTING_SELECTORS))])
def test_the_mirror_keeps_the_real_templates_structure(mirror_pages, kind, names):
    real = skeleton((FIXTURES / f"{'request' if kind == 'request' else 'body_listing'}_real_shape.html").read_bytes(), names)
    mirror = union(mirror_pages[kind], names)
    missing = {name: sorted(real[name] - mirror[name]) for name in names if real[name] - mirror[name]}
    extra = {name: sorted(mirror[name] - real[name] - MIRROR_ONLY.get(name, set()))
             for name in names if mirror[name] - real[name] - MIRROR_ONLY.get(name, set())}
    assert not missing, f"shapes of the real {kind} page the mirror never renders: {missing}"
    assert not extra, f"shapes the mirror renders that the real {kind} page lacks: {extra}"


def test_the_skeleton_sees_a_change_of_markup():
    real = (FIXTURES / "request_real_shape.html").read_text()
    drifted = real.replace('<div class="row">', '<div class="header-row">', 1)
    assert skeleton(real, ["title"]) != skeleton(drifted, ["title"])
