"""The bespoke disclosure-log spiders (West Midlands, Northumbria, Avon and Somerset, PSNI,
Police Scotland) over HTTP against the mirror: each family's FR item parsed into a request
(force, reference, dates, request text, response text, attachments), listing pages followed,
entries without candidate words never fetched and fetched items not about FR filtered out."""

import json

import pytest

from mirror import Fault, Mirror
from mirror.server import Site
from mirror.sites import avon_and_somerset, logpages, northumbria, police_scotland, psni, wmp
from tests.logcrawl import crawl, items

SPIDERS = ["wmp", "northumbria", "avon_and_somerset", "psni", "police_scotland"]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    sites = [wmp.build(), northumbria.build(), avon_and_somerset.build(), psni.build(), police_scotland.build()]
    out = {}
    with Mirror(sites=sites) as mirror:
        for spider in SPIDERS:
            data_dir = tmp_path_factory.mktemp(spider)
            mirror.log.clear()
            result = crawl(mirror, data_dir, spider)
            assert result.returncode == 0, result.stderr[-3000:]
            out[spider] = {"items": {i["url"]: i for i in items(data_dir)},
                           "paths": [e["path"] for e in mirror.access_log]}
    return out


def item(crawled, spider, url):
    assert url in crawled[spider]["items"], list(crawled[spider]["items"])
    return crawled[spider]["items"][url]


# spider, item URL, force, reference as printed, received, responded, request words, response
# words, attachment file names
CASES = [
    ("wmp", "https://foi.west-midlands.police.uk/facial-recognition-330a-23/", "west-midlands", "330A/23",
     None, "2023-03-14", "Between January 2022 and January 2023",
     "has not used live facial recognition or operator initiated", ["330A_23_ATTACHMENT_01.pdf"]),
    ("wmp", "https://foi.west-midlands.police.uk/facial-recognition-13457_18/", "west-midlands", "13457_18",
     None, "2018-11-02", "trialled automated facial recognition", "Please find the response attached.",
     ["13457_18_ATTACHMENT_01.pdf", "13457_18_PIT_01.pdf"]),
    ("northumbria", "https://beta.northumbria.police.uk/about-us/publications-and-documents/accessing-information/"
     "disclosure-log/operational-policing/facial-recognition-38223/", "northumbria", "382/23", None, "2023-03-22",
     "Does the force plan to use any of these", "can neither confirm nor deny", []),
    ("northumbria", "https://beta.northumbria.police.uk/about-us/publications-and-documents/accessing-information/"
     "disclosure-log/other/facial-recognition-70818/", "northumbria", "708/18", None, "2018-08-30",
     "what did any trial cost", "has not trialled automated facial recognition", ["708-18-response.pdf"]),
    ("avon_and_somerset", "https://www.avonandsomerset.police.uk/about/freedom-of-information/previous-foi-requests/"
     "requests/facial-recognition-technology-2025/", "avon-and-somerset", "490-25", "2025-04-08", None,
     "facial recognition with body worn video?", "Retrospective facial recognition searches are run",
     ["490-25-response.pdf"]),
    ("psni", "https://www.psni.police.uk/foi-disclosure-log/facial-recognition-technology", "northern-ireland",
     "FOI/00013725", None, "2025-01-28", "Request 2\nDoes PSNI use retrospective facial recognition?",
     "Answer 1\nPSNI does not use live facial recognition.", ["FOI-00013725-attachment.pdf"]),
    ("police_scotland", "https://www.scotland.police.uk/access-to-information/freedom-of-information/disclosure-log/"
     "0/2023/march/23-0512-facial-recognition/", "police-scotland", "23-0512", None, "2023-03-14",
     "has it any plans to introduce live facial recognition?", "In terms of section 17 of the Act",
     ["23-0512-response.pdf"]),
]


@pytest.mark.parametrize("spider, url, force, reference, received, responded, asked, answered, files", CASES)
def test_each_family_is_parsed(crawled, spider, url, force, reference, received, responded, asked, answered, files):
    found = item(crawled, spider, url)
    request, response = found["messages"]
    assert (found["source"], found["force_id"], found["reference"]) == (spider, force, reference)
    assert (found["created_at"], found["response_date"]) == (received, responded)
    assert asked in request["text"] and asked not in response["text"]
    assert answered in response["text"] and answered not in request["text"]
    for text in (request["text"], response["text"]):
        assert "cookie" not in text.lower() and "Privacy notice" not in text and "Skip to content" not in text
    assert [a["filename"] for a in response["attachments"]] == files
    assert all(a["sha256"] and a["sniffed_content_type"] == "application/pdf" for a in response["attachments"])


@pytest.mark.parametrize("spider, kept, filtered, never_fetched", [
    ("wmp", ["/predictive-policing-11998-19/"], ["/anpr-camera-locations-12050-19/", "/body-worn-video-cameras-1146a-22/"],
     ["/stop-and-search-figures-21773-19/", "/overtime-payments-2112-22/"]),
    ("northumbria", [], ["/body-worn-video-51223/"], ["/dog-section-10423/", "/knife-crime-figures-10223/"]),
    ("avon_and_somerset", [], ["/requests/cctv-camera-network/"], ["/requests/vehicle-fleet-costs/"]),
    ("psni", [], ["/foi-disclosure-log/surveillance-camera-code"], ["/foi-disclosure-log/police-kit"]),
    ("police_scotland", [], ["/24-1377-biometric-data/"], ["/19-0954-data02/"]),
])
def test_only_facial_recognition_items_are_kept(crawled, spider, kept, filtered, never_fetched):
    urls = list(crawled[spider]["items"])
    paths = crawled[spider]["paths"]
    for part in kept:
        assert any(part in url for url in urls)
    for part in filtered:
        assert any(part in path for path in paths), f"{part} should have been fetched"
        assert not any(part in url for url in urls), f"{part} is not about facial recognition"
    for part in never_fetched:
        assert not any(part in path for path in paths), f"{part} has no candidate words in the listing"


def test_listing_pages_and_sub_listings_are_followed(crawled):
    assert "/2019/page/2/" in crawled["wmp"]["paths"]  # a year archive's "Older posts"
    northumbria_paths = crawled["northumbria"]["paths"]
    assert any(p.endswith("/disclosure-log/operational-policing/?page=2") for p in northumbria_paths)
    assert any("previous-foi-requests/?page=2" in p for p in crawled["avon_and_somerset"]["paths"])


def test_northumbria_moved_to_www_is_found(tmp_path):
    [(_path, spec)] = logpages.load("northumbria", "site.yaml")
    moved = logpages.LogSite({**spec, "real_base_url": "https://www.northumbria.police.uk"})
    closed = Site()  # the old beta host now answers 404 everywhere
    closed.name, closed.real_base_url = "northumbria_beta", "https://beta.northumbria.police.uk"
    with Mirror(sites=[closed, moved]) as mirror:
        result = crawl(mirror, tmp_path, "northumbria")
    assert result.returncode == 0, result.stderr[-3000:]
    urls = [i["url"] for i in items(tmp_path)]
    assert any(url.startswith("https://www.northumbria.police.uk/") and url.endswith("facial-recognition-38223/")
               for url in urls)


def test_an_item_gone_since_listing_is_skipped_without_failing_the_crawl(tmp_path):
    with Mirror(sites=[wmp.build()]) as mirror:
        mirror.add_fault("https://foi.west-midlands.police.uk",
                         Fault(r"^/facial-recognition-330a-23/$", "status", status=404, times=None))
        result = crawl(mirror, tmp_path, "wmp")
    assert result.returncode == 0, result.stderr[-3000:]
    urls = [i["url"] for i in items(tmp_path)]
    assert len(urls) == 2 and not any("330a-23" in url for url in urls)
    [report] = (tmp_path / "reports" / "wmp").glob("*.json")
    assert json.loads(report.read_text())["errors"] == 0
