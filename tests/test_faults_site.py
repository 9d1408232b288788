"""Bad input aimed at the published site (issue 8): nothing can be written through it.

The site's time limit on queries and the escaping of scraped text are tested in test_site.py
(test_serving_settings_are_applied, test_scraped_html_and_script_are_shown_as_text) and
test_site_mirror.py (markup planted in the mirror).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from urllib.parse import urlencode

import pytest

from publish.sample import write_sample
from publish.site import publish
from tests.sitecheck import Site

WRITES = [
    "insert into requests (request_id) values ('planted')",
    "update requests set title = 'planted'",
    "delete from requests",
    "drop table requests",
    "create table planted (a)",
    "with x as (select 1) delete from requests",   # a write behind a SELECT-looking start
    "attach database 'planted.db' as planted",
    "pragma query_only = 0",
    "vacuum",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("readonly")
    write_sample(data_dir, builds=1)
    publish(data_dir)
    return data_dir, Site(data_dir)


def digest(data_dir) -> str:
    return hashlib.sha256((data_dir / "site" / "foi.db").read_bytes()).hexdigest()


def post(site: Site, path: str):
    async def send():
        return await site.app.client.post(path, json={"row": {"request_id": "planted"}, "sql": WRITES[2]})
    return asyncio.run(send())


def test_sql_writes_through_the_site_are_refused(site):
    data_dir, app = site
    before, count = digest(data_dir), app.rows("select count(*) as n from requests")[0]["n"]
    for sql in WRITES:
        response = app.get("/foi.json?" + urlencode({"sql": sql}))
        assert response.status_code == 400 and not response.json()["ok"], sql
    assert app.rows("select count(*) as n from requests")[0]["n"] == count
    assert not app.rows("select name from sqlite_master where name = 'planted'")
    assert digest(data_dir) == before


def test_posts_to_the_site_write_nothing(site):
    data_dir, app = site
    before = digest(data_dir)
    # Datasette's write API, the database and table pages, and the JSON endpoint.
    for path in ["/foi/requests/-/insert", "/foi/requests/-/upsert", "/foi/requests/-/drop", "/foi/-/create",
                 "/foi", "/foi.json", "/foi/requests"]:
        assert post(app, path).status_code >= 400, path
    assert digest(data_dir) == before


def test_no_canned_query_writes(site):
    data_dir, _ = site
    metadata = json.loads((data_dir / "site" / "metadata.json").read_text())
    queries = [q for db in metadata.get("databases", {}).values() for q in db.get("queries", {}).values()]
    assert queries and not any(isinstance(q, dict) and q.get("write") for q in queries)
