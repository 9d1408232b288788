"""The Single Online Home spider over HTTP against the mirror: each force template parsed into a
request (force, reference, dates, request text, response text without the platform's
boilerplate, attachments), items not about facial recognition filtered out, and a site behind a
JavaScript challenge reported as blocked and read from the Internet Archive instead."""

import pytest

from mirror import Mirror
from mirror.sites import archive, soh
from tests.logcrawl import crawl, items

MET = "https://www.met.police.uk/foi-ai/metropolitan-police"
BOILERPLATE = ["Quickly exit", "Leave this site", "cookies", "Beta", "feedback", "Was this page helpful"]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("soh")
    with Mirror(sites=soh.build() + [archive.build()]) as mirror:
        result = crawl(mirror, data_dir, "soh")
        log = list(mirror.access_log)
    assert result.returncode == 0, result.stderr[-3000:]
    return {"items": {i["url"]: i for i in items(data_dir)}, "blocked": items(data_dir, "source_blocked"),
            "log": log, "stderr": result.stderr, "data_dir": data_dir}


def one(crawled, url_part):
    found = [item for url, item in crawled["items"].items() if url_part in url]
    assert len(found) == 1, (url_part, list(crawled["items"]))
    return found[0]


# force, a distinctive part of the item URL, reference as printed, received, responded,
# words of the request, words of the response
TEMPLATES = [
    ("metropolitan", "/d/may-2022/retrospective-facial-recognition-searches/", "01.FOI.22.022487",
     "2022-03-03", "2022-05-26", "How many RFR searches", "sections 23(5) and 24(2)"),
    ("warwickshire", "foi-208--feb-2023--facial-recognition", "208-2023", "2023-02-20", "2023-03-17",
     "Q1a. If so, on how many occasions?", "has not used live facial recognition"),
    ("west-mercia", "/2021/december/foi-141620/", "141620", "2021-12-22", "2022-01-18",
     "two-step process", "Police National Database"),
    ("cleveland", "foi-66724-facewatch", "667 - 24", "2024-07-03", "2024-07-24",
     "alerts from the Facewatch system", "does not receive alerts from Facewatch"),
    ("cleveland", "foi-10226-live-facial-recognition-vans", "102 - 26", "2026-01-12", "2026-02-06",
     "borrowed a live facial recognition van", "has not borrowed or deployed"),
    ("north-yorkshire", "foi-0230-202526-facial-recognition-technology", "0230-2025/26", None, "2025-07-15",
     "Please state the supplier", "Extent and Result of Searches"),
    ("south-wales", "/disclosure-log/2025/march/foi-28525/", "285/25", None, "2025-03-27",
     "How many operator initiated facial recognition", "Digital Services Department was consulted"),
    ("dyfed-powys", "facial-recognition-technology-4122025", "412/25", None, "2025-05-28",
     "body worn video", "Response 2:\nThe force uses the Police National Database facial search"),
    ("essex", "retrospective-facial-recognition-rfr", "16552", "2021-07-19", "2021-08-10",
     "Please tell me whether Essex Police uses", "Full Refusal Section 17 with Partial NCND"),
]


@pytest.mark.parametrize("force, url_part, reference, received, responded, asked, answered", TEMPLATES)
def test_each_template_is_parsed(crawled, force, url_part, reference, received, responded, asked, answered):
    item = one(crawled, url_part)
    request, response = item["messages"]
    assert (item["source"], item["force_id"], item["reference"]) == ("soh", force, reference)
    assert (item["created_at"], item["response_date"]) == (received, responded)
    assert (request["direction"], response["direction"]) == ("outgoing", "incoming")
    assert asked in request["text"] and asked not in response["text"]
    assert answered in response["text"] and answered not in request["text"]
    for words in BOILERPLATE:
        assert words not in response["text"] and words not in request["text"]
    assert item["source_id"] == item["url"].split(".uk", 1)[1]


def test_attachments_are_downloaded_pdf_and_xlsx(crawled):
    letter = one(crawled, "disclosure-2024/february-2024/live-facial-recognition-deployments")
    [pdf] = letter["messages"][1]["attachments"]
    assert pdf["url"].startswith("https://www.met.police.uk/SysSiteAssets/foi-media/metropolitan-police/")
    assert pdf["sniffed_content_type"] == "application/pdf" and pdf["sha256"] and pdf["size"] > 500
    assert (crawled["data_dir"] / "raw" / "files" / pdf["sha256"][:2] / pdf["sha256"]).exists()
    [sheet] = one(crawled, "retrospective-facial-recognition-searches")["messages"][1]["attachments"]
    assert sheet["filename"].endswith(".xlsx")
    assert sheet["sniffed_content_type"].endswith("spreadsheetml.sheet")


def test_items_not_about_facial_recognition_are_filtered_out(crawled):
    titles = {item["title"] for item in crawled["items"].values()}
    assert "Protests and facial recognition" in titles
    assert not {"Facial composite software", "Fingerprint and DNA retention",
                "FOI 0155-2025/26 Mobile biometric devices"} & titles


def test_lister_pages_are_followed(crawled):
    met_paths = [e["path"] for e in crawled["log"] if e["site"] == "soh_metropolitan"]
    assert any("q=facial+recognition&page=2" in p for p in met_paths)
    # the only FR hit on page 2 of that search
    assert one(crawled, "protests-and-facial-recognition")["reference"] == "01.FOI.23.029876"


def test_links_on_the_bare_host_and_welsh_copies_give_one_canonical_url(crawled):
    nyp = one(crawled, "north-yorkshire-police")
    assert nyp["url"].startswith("https://www.northyorkshire.police.uk/foi-ai/")
    welsh = one(crawled, "foi-28525")
    assert "/cy-GB/" not in welsh["url"]


def test_a_challenged_site_is_reported_once_and_read_from_the_archive(crawled):
    [blocked] = crawled["blocked"]
    assert (blocked["source"], blocked["force_id"], blocked["status"]) == ("soh", "hampshire", 403)
    assert "JavaScript challenge" in blocked["reason"]
    # The site got one request per path at most: nothing is retried, nothing more is sent once
    # the challenge was seen (robots.txt and the first search).
    hampshire = [e["path"] for e in crawled["log"] if e["site"] == "soh_hampshire"]
    assert len(hampshire) <= 2 and len(set(hampshire)) == len(hampshire)
    item = one(crawled, "live-facial-recognition-trial")
    assert item["url"].startswith("https://www.hampshire.police.uk/foi-ai/hampshire-constabulary/")
    assert item["archive_url"] == ("https://web.archive.org/web/20240611093540/" + item["url"])
    assert item["messages"][1]["url"] == item["archive_url"]  # the evidence link is the snapshot
    assert item["reference"] == "000512/24" and item["created_at"] == "2024-03-11"
    [pdf] = item["messages"][1]["attachments"]
    assert pdf["sha256"] and pdf["archive_url"].startswith("https://web.archive.org/web/20240611093602/")
