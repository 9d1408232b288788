"""The Single Online Home spider over HTTP against the mirror: each force template parsed into a
request (force, reference, dates, request text, response text without the platform's
boilerplate, attachments), items not about facial recognition filtered out, and a site behind a
JavaScript challenge reported as blocked and read from the Internet Archive instead."""

import re

import pytest

from mirror import Mirror
from mirror.sites import archive, soh
from scrapers.sites import soh as soh_rules
from tests.logcrawl import crawl, items

MET = "https://www.met.police.uk/foi-ai/metropolitan-police"
# The platform furniture of spec §2.6, which no text keeps.
BOILERPLATE = ["Quickly exit", "Leave this site", "cookie", "technical problem", "beta", "Beta", "feedback",
               "Was this page helpful"]
DECISION_WORDS = re.compile(r"decided to disclose|neither confirms? nor denies|exempt under|section \d+\(\d\)|"
                            r"is not held|Response:", re.IGNORECASE)


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


# force, a distinctive part of the item URL, reference as printed, received, responded and its
# precision (spec §2.6: the text's own date line, else the folder's month), words of the request
# (None: no boundary was found, the split is unknown and the whole text is the response), words
# of the response
TEMPLATES = [
    ("metropolitan", "/d/may-2022/retrospective-facial-recognition-searches/", "01.FOI.22.022487",
     "2022-03-03", "2022-05-01", "month", "How many RFR searches", "sections 23(5) and 24(2)"),
    # Met pages without a "Decision" heading: the reply starts with the decision itself.
    ("metropolitan", "february-2024/live-facial-recognition-deployments/", "01.FOI.24.034567",
     "2024-01-10", "2024-02-01", "month", "Does the MPS intend to keep using", "I have today decided to disclose"),
    ("metropolitan", "protests-and-facial-recognition", "01.FOI.23.029876", "2023-05-02", "2023-06-01", "month",
     "at any protest in London", "decided to disclose some of the requested information"),
    ("warwickshire", "foi-208--feb-2023--facial-recognition", "208-2023", "2023-02-20", "2023-02-01", "month",
     "Q1a. If so, on how many occasions?", "has not used live facial recognition"),
    # A dated letter head.
    ("warwickshire", "foi-118--jan-2025--pnd-facial-searches", "118-2025", "2025-01-09", "2025-02-21", "day",
     "How many PND facial searches", "provided in the attached spreadsheet"),
    ("west-mercia", "/2021/december/foi-141620/", "141620", "2021-12-22", "2022-01-18", "day",
     "two-step process", "Police National Database"),
    ("cleveland", "foi-66724-facewatch", "667 - 24", "2024-07-03", "2024-07-24", "day",
     "alerts from the Facewatch system", "does not receive alerts from Facewatch"),
    ("cleveland", "foi-10226-live-facial-recognition-vans", "102 - 26", "2026-01-12", "2026-02-06", "day",
     "borrowed a live facial recognition van", "has not borrowed or deployed"),
    ("north-yorkshire", "foi-0230-202526-facial-recognition-technology", "0230-2025/26", None, "2025-07-01",
     "month", "Please state the supplier", "Extent and Result of Searches"),
    ("south-wales", "/disclosure-log/2025/march/foi-28525/", "285/25", None, "2025-03-01", "month",
     "How many operator initiated facial recognition", "We consulted with our Digital Services Department"),
    ("dyfed-powys", "facial-recognition-technology-4122025", "412/25", None, "2025-05-28", "day",
     "body worn video", "Response 2:\nThe force uses the Police National Database facial search"),
    ("essex", "retrospective-facial-recognition-rfr", "16552", "2021-07-19", "2021-08-10", "day",
     "Please tell me whether Essex Police uses", "Full Refusal Section 17 with Partial NCND"),
    ("devon-and-cornwall", "facial-recognition-cameras-1234-25", "1234/25", None, "2025-12-29", "day",
     None, "Has the force used live facial recognition cameras in 2025?\nThe force has not used"),
]


@pytest.mark.parametrize("force, url_part, reference, received, responded, precision, asked, answered", TEMPLATES)
def test_each_template_is_parsed(crawled, force, url_part, reference, received, responded, precision, asked,
                                 answered):
    item = one(crawled, url_part)
    request, response = item["messages"]
    assert (item["source"], item["force_id"], item["reference"]) == ("soh", force, reference)
    assert (item["created_at"], item["response_date"], item["response_date_precision"]) == (
        received, responded, precision)
    # A month-precise date is the item's only: the message's sent_at holds day-precise dates.
    assert response["sent_at"] == (responded if precision == "day" else None)
    assert (request["direction"], response["direction"]) == ("outgoing", "incoming")
    if asked is None:
        assert item["request_split"] == "unknown" and request["text"] == ""
    else:
        assert item["request_split"] == "headings"
        assert asked in request["text"] and asked not in response["text"]
    assert answered in response["text"] and answered not in request["text"]
    for words in BOILERPLATE:
        assert words not in response["text"] and words not in request["text"]
    assert item["source_id"] == item["url"].split(".uk", 1)[1]


def test_the_force_s_decision_and_exemptions_never_go_into_the_request(crawled):
    for item in crawled["items"].values():
        request = item["messages"][0]["text"]
        assert not DECISION_WORDS.search(request), (item["url"], request)


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


def test_a_welsh_locale_page_reads_as_its_english_copy():
    """Spec §2.6: /cy-GB/ pages print the platform's furniture in Welsh around the English body."""
    import urllib.request

    path = "/foi-ai/south-wales-police/disclosure-log/2025/march/foi-28525/"
    with Mirror(sites=soh.build()) as mirror:
        base = mirror.base_url("https://www.south-wales.police.uk")
        pages = [urllib.request.urlopen(base + prefix + path).read() for prefix in ("", "/cy-GB")]
    english, welsh = (soh_rules.read_item(page, [], path) for page in pages)
    assert b"Allanfa Gyflym" in pages[1] and b"problem dechnegol" in pages[1]
    assert welsh["lines"] == english["lines"]
    assert (welsh["request_text"], welsh["response_text"]) == (english["request_text"], english["response_text"])


@pytest.mark.parametrize("path, month", [
    ("/foi-ai/x/disclosure-2024/august/some-title/", "2024-08-01"),
    ("/foi-ai/x/disclosure-log/2025/march/foi-28525/", "2025-03-01"),
    ("/foi-ai/x/foi-disclosure-2021-22/july-2025/foi-0230-202526-x/", "2025-07-01"),
    ("/foi-ai/x/d/may-2022/some-title/", "2022-05-01"),
    ("/foi-ai/x/disclosure2022/october/facial-recognition-technology-6712022/", "2022-10-01"),
    ("/foi-ai/x/other-information/previous-foi-requests/retrospective-facial-recognition-rfr/", None),
    ("/foi-ai/x/may/no-year/", None),
])
def test_the_folder_gives_the_month_of_publication(path, month):
    assert soh_rules.folder_month(path) == month


# Spec-style items and the status their text supports (tests/test_logs_status.py has the sentences).
STATUSES = {
    "february-2024/live-facial-recognition-deployments/": "successful",
    "protests-and-facial-recognition": "partially_successful",
    "retrospective-facial-recognition-searches": "partially_successful",
    "retrospective-facial-recognition-rfr": "rejected",
    "facial-recognition-cameras-1234-25": "neither_confirm_nor_deny",
    "foi-0230-202526-facial-recognition-technology": "not_held",
    "foi-118--jan-2025--pnd-facial-searches": "successful",
}


@pytest.mark.parametrize("url_part", STATUSES)
def test_each_item_has_the_status_its_text_supports(crawled, url_part):
    item = one(crawled, url_part)
    assert (item["text_status"], item["described_state"]) == (STATUSES[url_part], None)


def test_the_build_publishes_the_status_and_the_date_s_precision(crawled):
    import pyarrow.parquet as pq

    from transform.build import build

    build(crawled["data_dir"], progress=False)
    rows = {row["url"]: row for row in pq.read_table(crawled["data_dir"] / "parquet" / "requests.parquet").to_pylist()}
    nyp = next(row for url, row in rows.items() if "foi-0230-202526" in url)
    assert (nyp["status"], str(nyp["response_date"]), nyp["response_date_precision"]) == ("not_held", "2025-07-01",
                                                                                         "month")
    cleveland = next(row for url, row in rows.items() if "foi-10226" in url)
    assert (str(cleveland["response_date"]), cleveland["response_date_precision"]) == ("2026-02-06", "day")


@pytest.mark.parametrize("text, received, responded", [
    ("Date Responded: 22 March 2023", None, "2023-03-22"),
    ("Response Date: 3 June 2025", None, "2025-06-03"),
    ("Date: 06/02/26", None, "2026-02-06"),
    ("Version Date: 29/12/2025", None, "2025-12-29"),
    ("This information was disclosed on 28/05/2025.", None, "2025-05-28"),
    # The request's date is never the response's.
    ("Your request, which was received on 20th February 2023, is answered below.", "2023-02-20", "2023-02-01"),
    ("14 March 2024\nREFERENCE NO: 1-2024", None, "2024-03-14"),  # a dated letter head
])
def test_the_response_date_is_the_text_s_own_else_the_folder_s_month(text, received, responded):
    body = "<html><body><main>" + "".join(f"<p>{line}</p>" for line in text.split("\n")) + "</main></body></html>"
    page = soh_rules.read_item(body.encode(), [], "/foi-ai/x/disclosure-2023/february/item/")
    assert (page["received"], page["responded"]) == (received, responded)
