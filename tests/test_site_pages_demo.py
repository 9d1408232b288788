"""The site's own pages on a real demo build: mirror over HTTP -> spiders -> transform -> publish,
once for this module (tests/test_end_to_end.py's fixture), read through Datasette's in-process
client. The exact overview cells of a few forces the mirror was written for, and every cell of
the overview and the map against force_status_wide itself."""

from parsel import Selector

from publish.pages import status_fields
from tests.test_end_to_end import demo_site  # noqa: F401  (the module's demo build fixture)
from tests.test_site_pages import cells


def page(site, path) -> Selector:
    response = site.get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert "DEMO DATA" in response.text, path
    return Selector(text=response.text)


# What the mirror's replies say (mirror/content/): a confirmed user, a force that denies
# everything, a neither-confirm-nor-deny force, replies the rules are unsure of, and a force
# whose only request is still waiting for an answer.
EXPECTED = {
    "metropolitan": {"lfr_use": ("yes", "yes 2024-02-07"), "rfr_use": ("yes", "yes 2024-04-05"),
                     "oifr_use": ("never_asked", "never asked"), "planned": ("never_asked", "never asked"),
                     "dpia": ("provided", "provided 2024-02-07")},
    # North Yorkshire's page prints no date: the folder's month (july-2025) dates it, shown as the month.
    "north-yorkshire": {"lfr_use": ("no", "no 2025-07"), "rfr_use": ("no", "no 2025-07"),
                        "oifr_use": ("no", "no 2025-07"), "planned": ("no", "no 2024-03-08"),
                        "dpia": ("not_held", "not held 2024-03-08")},
    "northumbria": {"lfr_use": ("ncnd", "NCND 2024-03-13"), "rfr_use": ("yes", "yes 2023-03-22"),
                    "oifr_use": ("ncnd", "NCND 2023-03-22"), "planned": ("ncnd", "NCND 2022-06-09"),
                    "dpia": ("never_asked", "never asked")},
    "kent": {"lfr_use": ("needs_review", "review (not held) 2024-03-11"),
             "rfr_use": ("needs_review", "review (not held) 2024-03-11"),
             "oifr_use": ("needs_review", "review (not held) 2024-03-11"),
             "planned": ("never_asked", "never asked"),
             "dpia": ("needs_review", "review (not held) 2024-03-11")},
    "gloucestershire": {field: ("awaiting", "awaiting reply")
                        for field in ["lfr_use", "rfr_use", "oifr_use", "planned", "dpia"]},
}
# None of these forces was asked about drones (reference/technologies/drones.yaml).
for expected in EXPECTED.values():
    expected.update({field: ("never_asked", "never asked") for field in ("drone_use", "drones_planned", "drones_dpia")})
# Drones, the second technology (mirror/content/wdtk/requests/drones.yaml): a list of technologies
# each answered yes or no, drones and facial recognition in one reply, a force without drones.
NEVER = ("never_asked", "never asked")
EXPECTED |= {
    # Norfolk has a facial recognition request still waiting: its plans and DPIA are awaited.
    "norfolk": {"lfr_use": ("no", "no 2025-09-22"), "rfr_use": ("no", "no 2025-09-22"), "oifr_use": ("no", "no 2025-09-22"),
                "planned": ("awaiting", "awaiting reply"), "dpia": ("awaiting", "awaiting reply"),
                "drone_use": ("yes", "yes 2025-09-22"), "drones_planned": NEVER,
                "drones_dpia": NEVER},
    "hertfordshire": {"lfr_use": ("no", "no 2025-07-30"), "rfr_use": NEVER, "oifr_use": NEVER, "planned": NEVER, "dpia": NEVER,
                      "drone_use": ("yes", "yes 2025-10-30"), "drones_planned": NEVER,
                      "drones_dpia": ("provided", "provided 2025-10-30")},
    "suffolk": {"lfr_use": NEVER, "rfr_use": NEVER, "oifr_use": NEVER, "planned": NEVER, "dpia": NEVER,
                "drone_use": ("no", "no 2025-11-25"), "drones_planned": ("no", "no 2025-11-25"), "drones_dpia": NEVER},
}


def test_overview_cells_of_forces_the_mirror_was_written_for(demo_site):
    home = page(demo_site, "/")
    for force_id, expected in EXPECTED.items():
        assert cells(home, force_id) == expected, force_id


def test_every_overview_cell_and_map_tile_is_the_force_status_answer(demo_site):
    home = page(demo_site, "/")
    fields = [f["field"] for f in status_fields()]
    status = {r["force_id"]: r for r in demo_site.rows("select * from force_status_wide")}
    maps = {field: {a.attrib["data-force"]: a.attrib["data-state"] for a in page(demo_site, f"/map?field={field}").xpath(
        '//*[local-name()="svg"]/*[local-name()="a"]')} for field in fields}
    for force_id, row in status.items():
        shown = cells(home, force_id)
        for field in fields:
            state = shown[field][0]
            # An empty answer is never asked or awaiting (no finding; a request waiting or not) or
            # not answered (findings, none determinate).
            assert state == row[field] or (not row[field] and state in ("never_asked", "awaiting", "not_answered")), \
                (force_id, field)
            assert maps[field][force_id] == state, (force_id, field)


def test_force_page_quotes_its_pdf_and_the_finding_page_highlights_it(demo_site):
    met = page(demo_site, "/force/metropolitan")
    lfr = met.css('table.force-answers tr[data-field="lfr_use"]')
    finding_url = lfr.css("td.answer a::attr(href)").get()
    assert finding_url.startswith("/foi/findings/")
    finding = page(demo_site, finding_url)
    mark = finding.css("pre.evidence-text mark")
    row = demo_site.rows("select f.evidence_start, f.evidence_end, f.evidence_quote, d.text, d.url from force_status_wide s "
                         "join findings f on f.finding_id = s.lfr_use_finding_id "
                         "join documents d on d.document_id = f.evidence_document_id where s.force_id = 'metropolitan'")[0]
    assert (int(mark.attrib["data-start"]), int(mark.attrib["data-end"])) == (row["evidence_start"], row["evidence_end"])
    assert mark.css("::text").get() == row["text"][row["evidence_start"]:row["evidence_end"]] == row["evidence_quote"]
    assert finding.css("a.original::attr(href)").get() == row["url"] and row["url"].lower().endswith(".pdf")


def test_batch_page_lists_who_has_not_replied(demo_site):
    batch_id = demo_site.rows("select batch_id from requests where batch_id is not null limit 1")[0]["batch_id"]
    batch = page(demo_site, f"/batch/{batch_id}")
    requests = demo_site.rows("select force_id, response_date from requests where batch_id = :b", b=batch_id)
    assert sorted(batch.css("tr[data-force]::attr(data-force)").getall()) == sorted(r["force_id"] for r in requests)
    assert len(batch.css("span.awaiting a")) == len([r for r in requests if not r["response_date"]]) > 0
