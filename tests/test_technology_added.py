"""A new technology is a registry file: added to a copy of reference/technologies/ (through
FOI_TECHNOLOGIES_DIR), with no change to any code, its answers reach the findings, force_status
and force_status_wide, a canned query and the site's overview."""

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reference import technologies

ROOT = Path(__file__).resolve().parent.parent

NEW_FAMILY = r"""
family: prints
name: mobile fingerprint scanning
short_name: Prints
description: Officers check a person's fingerprints against national databases on a handheld device.
names: ['\bmobile\s+fingerprint', '\bfingerprint\s+scanners?\b']
list_noun: 'fingerprint\s+scann(?:ers?|ing)'
search_terms:
  wdtk: [mobile fingerprint]
  logs: [fingerprint]
log_items:
  about: ['fingerprint']
  candidate: ['biometric']
kinds:
  - id: mobile_prints
    name: mobile fingerprint scanners
    short_name: MFS
    description: Handheld scanners or phone apps that search fingerprint databases at the roadside.
    names: ['\bmobile\s+fingerprint', '\bfingerprint\s+scanners?\b']
    list_word: 'mobile'
    products: []
    examples:
      names_it: ["Officers carry mobile fingerprint devices."]
      does_not_name_it: ["Fingerprints are taken in custody."]
"""

REPLY = ("Dear requester,\n\nKent Police uses mobile fingerprint scanners on officers' phones. "
         "We do not use live facial recognition.\n\nYours sincerely,\n\nInformation Team\n")

# Run in a fresh interpreter so that the registry is read from the copy: build, publish, then ask
# the published site.
SCRIPT = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    import pyarrow.parquet as pq
    from parsel import Selector
    from scrapers.rawstore import ItemWriter
    from transform.build import build
    from publish.site import publish
    from tests.sitecheck import Site

    data = Path(sys.argv[1])
    writer = ItemWriter(data, "wdtk", "20261201T000000000000Z")
    writer.write(json.loads(sys.argv[2]))
    writer.close()
    build(data, mode="demo", progress=False)
    publish(data)
    table = lambda name: pq.read_table(data / "parquet" / f"{name}.parquet").to_pylist()
    site = Site(data)
    home = Selector(text=site.get("/").text)
    cell = home.css('tr[data-force="kent"] td[data-field="mobile_prints_use"]')
    print(json.dumps({
        "findings": [(f["technology"], f["question"], f["answer"], f["evidence_quote"]) for f in table("findings")],
        "status": [(s["force_id"], s["technology"], s["question"], s["status"]) for s in table("force_status")],
        "wide": {r["force_id"]: {k: v for k, v in r.items() if k.startswith(("mobile_prints", "prints"))}
                 for r in table("force_status_wide") if r["force_id"] == "kent"},
        "technologies": [r["technology_id"] for r in table("technologies")],
        "query": site.rows("select * from force_status where technology = 'mobile_prints'"),
        "canned": site.get("/foi/forces_using_mobile_prints.json?_shape=objects").json()["rows"],
        "overview_cell": cell.attrib.get("data-state") if cell else None,
        "overview_heading": "MFS" in home.css("thead ::text").getall(),
    }, default=str))
""")


def item() -> dict:
    site, url = "http://127.0.0.1:1", "http://127.0.0.1:1/request/fingerprint_scanners"
    return {
        "item_type": "request", "source": "wdtk", "source_id": "9001", "force_id": "kent",
        "body_url_name": "kent_police", "site": site, "url": url, "url_title": "fingerprint_scanners",
        "title": "Mobile fingerprint scanners", "created_at": "2026-10-01T09:00:00+00:00",
        "updated_at": "2026-10-20T09:00:00+00:00", "described_state": "successful",
        "awaiting_description": False, "prominence": "normal", "law_used": "foi", "batch_id": None,
        "reference": None, "listing_signature": "incoming-2|2026-10-20T09:00:00+00:00|successful",
        "fetched_at": "2026-11-01T00:00:00+00:00", "json_sha256": None, "html_sha256": None,
        "messages": [
            {"message_id": "outgoing-1", "direction": "outgoing", "event_type": "sent", "author": "A Requester",
             "sent_at": "2026-10-01T09:00:00+00:00", "hidden": False, "attachments": [],
             "text": "Dear Kent Police,\n\nDoes the force use mobile fingerprint scanners?\n\nYours faithfully,\n\nA Requester"},
            {"message_id": "incoming-2", "direction": "incoming", "event_type": "response", "author": "Kent Police",
             "sent_at": "2026-10-20T09:00:00+00:00", "hidden": False, "attachments": [], "text": REPLY},
        ],
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    registry = tmp_path_factory.mktemp("registry")
    for path in technologies.TECHNOLOGIES_DIR.glob("*.yaml"):
        shutil.copy(path, registry / path.name)
    (registry / "mobile_fingerprints.yaml").write_text(NEW_FAMILY, encoding="utf-8")
    data = tmp_path_factory.mktemp("data")
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(data), json.dumps(item())], cwd=ROOT,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "FOI_TECHNOLOGIES_DIR": str(registry)})
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_its_answer_is_a_finding_with_the_sentence_it_came_from(built):
    assert ["mobile_prints", "use", "yes", "Kent Police uses mobile fingerprint scanners on officers' phones."] \
        in built["findings"]
    # the other technology in the same reply is still read as before
    assert any(f[:3] == ["lfr", "use", "no"] for f in built["findings"])


def test_it_is_a_row_of_force_status_and_columns_of_the_wide_table(built):
    assert ["kent", "mobile_prints", "use", "yes"] in built["status"]
    assert built["wide"]["kent"]["mobile_prints_use"] == "yes"
    assert {"prints_planned", "prints_dpia"} <= set(built["wide"]["kent"])
    assert {"prints", "mobile_prints"} <= set(built["technologies"])


def test_it_has_a_canned_query_and_a_column_on_the_overview(built):
    assert [row["force_id"] for row in built["canned"]] == ["kent"]
    assert {row["status"] for row in built["query"] if row["force_id"] == "kent"} == {"yes"}
    assert built["overview_cell"] == "yes" and built["overview_heading"]
