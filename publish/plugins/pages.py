"""The site's own pages, served inside Datasette through its plugin hooks:

- ``/`` (Datasette's index, template ``index.html``): the overview, every force against every
  answer of force_status_wide, with counts and a legend;
- ``/force/<force_id>``: one force's answers, timeline, documents, suppliers and exemptions;
- ``/gaps``: forces never asked about a question or whose latest answer is over a year old, with
  a link that opens a new WhatDoTheyKnow request to them;
- ``/map``: one tile per force, coloured by the chosen answer;
- ``/batch/<batch_id>``: the answers of a batch request's forces side by side;
- a finding's (or supplier mention's, or exemption's) row page: its document's text with the
  quote highlighted;
- ``/using-the-data`` (a Datasette custom page, templates/pages/using-the-data.html): the names
  of the download files.

What the pages show comes from ``pages.json`` beside this file (written by publish from
publish/pages.py: columns from schema/tables.py, colours, map tiles and letter as data).
Everything scraped reaches the page through Jinja's autoescaping, never as markup. Every query
is a lookup by an indexed column (force_id, request_id, batch_id, evidence_document_id) or reads
force_status_wide, one row per force, so no page scans the large tables. The response cache plugin
wraps these routes like every other page.
"""

import json
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

from datasette import hookimpl
from datasette.utils import tilde_decode
from datasette.utils.asgi import NotFound, Response

CONFIG = json.loads((Path(__file__).parent / "pages.json").read_text(encoding="utf-8"))
FIELDS = CONFIG["fields"]
PALETTE = CONFIG["palette"]
REVIEW_STATES = ("needs_review", "conflicting")
# Characters of the document shown either side of a highlighted quote.
CONTEXT_CHARS = 1500
# Rows of a force's timeline and documents on its page; the rest are a click away.
TIMELINE_ROWS = DOCUMENT_ROWS = 200


def _db(datasette):
    return datasette.get_database(CONFIG["database"])


async def _rows(datasette, sql: str, params=None) -> list[dict]:
    results = await _db(datasette).execute(sql, params or {})
    return [dict(row) for row in results.rows]


def _asked_columns() -> str:
    """One column per answer: whether the force has any finding on it (an index lookup per
    force and answer, on findings (force_id, question, technology, ...))."""
    return ", ".join(
        f"exists(select 1 from findings x where x.force_id = s.force_id and x.question = '{f['question']}' "
        f"and x.technology = '{f['technology']}') as [asked_{f['field']}]" for f in FIELDS)


async def force_rows(datasette, where: str = "", params=None) -> list[dict]:
    """force_status_wide rows joined with the force's registry entry, each with a ``cells`` dict of
    field -> cell (see ``cell``) and its suppliers as (id, name), ordered by country and name."""
    rows = await _rows(datasette, f"""select s.*, f.wdtk_url_name, f.disclosure_log_url, {_asked_columns()}
from force_status_wide s join forces f on f.force_id = s.force_id {where}
order by s.country, s.name""", params)
    names = {r["supplier_id"]: r["name"] for r in await _rows(datasette, "select supplier_id, name from suppliers")}
    awaiting = await awaiting_requests(datasette)
    for row in rows:
        waiting = awaiting.get(row["force_id"], [])
        row["awaiting"] = waiting[0] if waiting else None
        # A request waiting for its answer is "awaiting" only for the technologies it asks about.
        families = {family for r in waiting for family in json.loads(r["technologies"] or "[]")}
        row["cells"] = {f["field"]: cell(row, f["field"], row[f"asked_{f['field']}"], f["family"] in families)
                        for f in FIELDS}
        row["supplier_names"] = [(s, names.get(s, s)) for s in json.loads(row["suppliers"] or "[]")]
    return rows


# Waiting requests read per force: enough to cover every technology a force is asked about.
AWAITING_PER_FORCE = 20


async def awaiting_requests(datasette) -> dict:
    """force_id -> its requests still waiting for an answer, oldest first (at most
    AWAITING_PER_FORCE). Per force and waiting state, one seek on the requests index (force_id,
    status, sent_date), whatever the table's size: an ``in (...)`` over the states or a group by let
    SQLite walk all of a force's requests, or the whole table (45 ms at 50k). ``cross join`` keeps
    force_status_wide as the outer loop."""
    oldest = " union all ".join(
        f"""select * from (select w.request_id, w.sent_date from requests w
    where w.force_id = s.force_id and w.status = :s{i} order by w.sent_date limit {AWAITING_PER_FORCE})"""
        for i in range(len(CONFIG["awaiting_states"])))
    rows = await _rows(datasette, f"""select s.force_id, r.request_id, r.title, r.url, r.sent_date, r.technologies
from force_status_wide s cross join requests r on r.request_id in (
  select request_id from ({oldest}) order by sent_date limit {AWAITING_PER_FORCE})
order by s.force_id, r.sent_date""",
                       {f"s{i}": state for i, state in enumerate(CONFIG["awaiting_states"])})
    waiting: dict[str, list[dict]] = {}
    for r in rows:
        waiting.setdefault(r["force_id"], []).append(r)
    return waiting


def cell(row: dict, field: str, asked: bool, awaiting: bool = False) -> dict:
    """What one answer of a force shows: its state (an answer, needs_review, conflicting,
    not_answered when findings exist but none answers; with none, awaiting when a request to the
    force is waiting for its answer, never_asked when not), the word and colours of that state,
    the candidate answer behind a review state, and its evidence."""
    status = row.get(field)
    state = status or ("not_answered" if asked else "awaiting" if awaiting else "never_asked")
    candidate = row.get(f"{field}_candidate") if state in REVIEW_STATES else None
    return {"state": state, "word": word(state), "css": state if state in PALETTE else "unclear",
            "candidate": word(candidate) if candidate else None,
            "date": shown_date(row.get(f"{field}_date"), row.get(f"{field}_date_precision")),
            "quote": row.get(f"{field}_quote"),
            "url": row.get(f"{field}_url"), "finding_id": row.get(f"{field}_finding_id")}


def shown_date(value, precision: str | None):
    """A date as precise as it is known: "2025-07" when only the month is (a disclosure log's folder)."""
    return str(value)[:7] if value and precision == "month" else value


def word(state: str) -> str:
    """The word shown for an answer; a value the palette does not know yet shows as itself."""
    return PALETTE[state]["word"] if state in PALETTE else state


def counts(rows: list[dict]) -> list[dict]:
    """Per technology: how many forces say yes, no, neither confirm nor deny, were never asked,
    and the rest (withheld, not held, under review, conflicting...)."""
    result = []
    for f in FIELDS:
        if f["question"] != "use":
            continue
        states = [r["cells"][f["field"]]["state"] for r in rows]
        named = {s: states.count(s) for s in ("yes", "no", "ncnd", "never_asked")}
        result.append({**f, **named, "other": len(states) - sum(named.values())})
    return result


def by_country(rows: list[dict]) -> list[tuple]:
    groups: dict = {}
    for row in rows:
        groups.setdefault(row["country"] or "Other", []).append(row)
    return list(groups.items())


async def _built_at(datasette) -> str:
    rows = await _rows(datasette, "select built_at from build_info order by built_at desc limit 1")
    return rows[0]["built_at"] if rows else ""


def _common() -> dict:
    return {"fields": FIELDS, "palette": PALETTE, "database_name": CONFIG["database"]}


async def _render(datasette, request, template: str, context: dict) -> Response:
    html = await datasette.render_template(template, {**_common(), **context}, request=request,
                                           view_name=template.rsplit(".", 1)[0])
    return Response.html(html)


# ---- / (overview) ------------------------------------------------------------------------------

async def overview(datasette) -> dict:
    rows = await force_rows(datasette)
    return {**_common(), "overview_groups": by_country(rows), "overview_counts": counts(rows)}


# ---- /force/<force_id> -------------------------------------------------------------------------

async def force_page(datasette, request):
    force_id = request.url_vars["force_id"]
    rows = await force_rows(datasette, "where s.force_id = :force_id", {"force_id": force_id})
    if not rows:
        raise NotFound(f"No force with id {force_id}")
    force = rows[0]
    # The force_timeline canned query's rows (its SQL, from pages.json: Datasette 1.0 has no
    # get_canned_query), so the two never disagree; the newest TIMELINE_ROWS of them (a force
    # asked thousands of times would make a page of megabytes), newest first.
    timeline = await _rows(datasette, f"""select * from ({CONFIG['timeline_sql']})
order by date desc, event desc, detail desc limit {TIMELINE_ROWS + 1}""", {"force_id": force_id})
    # The force's documents from its newest requests (by the requests index (force_id,
    # sent_date)): sorting all of a force's documents took 41 ms for the Met at 50k.
    documents = await _rows(datasette, """select d.document_id, d.kind, d.filename, d.sent_at, d.url, d.pages,
  d.extraction_method, d.extraction_error, r.title, r.request_id
from (select request_id, title from requests where force_id = :force_id order by sent_date desc limit :limit) r
join documents d on d.request_id = r.request_id
where d.author_role = 'force'
order by d.sent_at desc, d.document_id limit :limit""", {"force_id": force_id, "limit": DOCUMENT_ROWS})
    suppliers = await _rows(datasette, """select m.supplier_id, s.name, group_concat(distinct m.product) as products,
  group_concat(distinct m.technology) as technologies, count(*) as mentions,
  max(m.evidence_url) as evidence_url
from supplier_mentions m left join suppliers s on s.supplier_id = m.supplier_id
where m.force_id = :force_id group by m.supplier_id order by s.name""", {"force_id": force_id})
    exemptions = await _rows(datasette, """select section, count(*) as citations, sum(ncnd) as ncnd,
  group_concat(distinct subsection) as subsections
from exemptions where force_id = :force_id group by section order by citations desc, section""",
                             {"force_id": force_id})
    return await _render(datasette, request, "force.html", {
        "force": force, "timeline": timeline[:TIMELINE_ROWS], "timeline_more": len(timeline) > TIMELINE_ROWS,
        "documents": documents, "document_rows": DOCUMENT_ROWS, "suppliers": suppliers, "exemptions": exemptions,
        "wdtk": CONFIG["wdtk"]})


# ---- /gaps ---------------------------------------------------------------------------------------

def ask_url(force: dict, field: dict) -> str | None:
    """WhatDoTheyKnow's new-request form for the force, with title and letter filled in.
    Alaveteli's /new/<url_name> reads ``title`` and ``default_letter`` (the letter between its
    own greeting and sign-off) from the query string; docs/site.md records this assumption."""
    if not force.get("wdtk_url_name"):
        return None
    letter = CONFIG["letters"][field["question"]]
    words = {"force": force["name"], "technology": field["technology_name"],
             "law": CONFIG["law"].get(force["country"] or "", CONFIG["law"]["default"])}
    query = urlencode({"title": letter["title"].format(**words),
                       "default_letter": letter["letter"].strip().format(**words)}, quote_via=quote)
    return f"{CONFIG['wdtk']}/new/{quote(force['wdtk_url_name'])}?{query}"


def gaps(rows: list[dict], built_at: str) -> list[dict]:
    """The forces with a gap, each with ``gaps``: field -> reason (never_asked: no finding;
    stale: dated more than stale_days before the build) and ask link. Dated against the
    build, not today, so a page is the same for every visitor of one build (and cacheable)."""
    cutoff = (date.fromisoformat(built_at[:10]) - timedelta(days=CONFIG["stale_days"])).isoformat() if built_at else ""
    result = []
    for row in rows:
        found = {}
        for field in FIELDS:
            c = row["cells"][field["field"]]
            if c["state"] == "never_asked":
                reason = "never_asked"
            elif c["date"] and c["date"] < cutoff:
                reason = "stale"
            else:
                continue
            found[field["field"]] = {"reason": reason, "ask_url": ask_url(row, field)}
        if found:
            result.append({**row, "gaps": found})
    return result


async def gaps_page(datasette, request):
    rows = await force_rows(datasette)
    built_at = await _built_at(datasette)
    return await _render(datasette, request, "gaps.html", {
        "gaps": gaps(rows, built_at), "built_at": built_at[:10], "stale_days": CONFIG["stale_days"]})


# ---- /map ----------------------------------------------------------------------------------------

TILE_W, TILE_H, GAP = 64, 44, 4


def tiles(rows: list[dict], field: str) -> list[dict]:
    by_id = {r["force_id"]: r for r in rows}
    result = []
    for tile in CONFIG["map"]:
        force = by_id.get(tile["force_id"])
        if force is None:
            continue
        result.append({**tile, "x": tile["col"] * (TILE_W + GAP), "y": tile["row"] * (TILE_H + GAP),
                       "name": force["name"], "cell": force["cells"][field]})
    return result


async def map_page(datasette, request):
    names = [f["field"] for f in FIELDS]
    field = request.args.get("field") or names[0]
    if field not in names:
        field = names[0]
    placed = tiles(await force_rows(datasette), field)
    width = (max(t["col"] for t in CONFIG["map"]) + 1) * (TILE_W + GAP)
    height = (max(t["row"] for t in CONFIG["map"]) + 1) * (TILE_H + GAP)
    return await _render(datasette, request, "map.html", {
        "tiles": placed, "field": next(f for f in FIELDS if f["field"] == field),
        "width": width, "height": height, "tile_w": TILE_W, "tile_h": TILE_H})


# ---- /batch/<batch_id> ---------------------------------------------------------------------------

async def batch_page(datasette, request):
    batch_id = request.url_vars["batch_id"]
    requests = await _rows(datasette, """select r.request_id, r.force_id, f.name, r.title, r.url, r.status,
  r.sent_date, r.response_date
from requests r left join forces f on f.force_id = r.force_id
where r.batch_id = :batch_id order by f.name, r.request_id""", {"batch_id": batch_id})
    if not requests:
        raise NotFound(f"No batch with id {batch_id}")
    findings = await _rows(datasette, """select x.request_id, x.question, x.technology, x.answer, x.finding_id,
  x.evidence_quote, x.confidence
from requests r join findings x on x.request_id = r.request_id where r.batch_id = :batch_id""",
                           {"batch_id": batch_id})
    answers = {(f["request_id"], f["question"], f["technology"]): f for f in findings}
    for r in requests:
        r["answers"] = {f["field"]: answers.get((r["request_id"], f["question"], f["technology"])) for f in FIELDS}
    return await _render(datasette, request, "batch.html", {
        "batch_id": batch_id, "requests": requests,
        "awaiting": [r for r in requests if not r["response_date"]]})


# ---- evidence on a row page ----------------------------------------------------------------------

def highlight(text: str, start, end, quote_text: str | None) -> dict | None:
    """The document text around the quote, cut into before / quote / after so the template can
    escape each piece and mark the quote; None when the offsets do not hold the quote."""
    if text is None or start is None or end is None or not 0 <= start <= end <= len(text):
        return None
    if quote_text is not None and text[start:end] != quote_text:
        return None
    lo, hi = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    return {"before": text[lo:start], "quote": text[start:end], "after": text[end:hi],
            "cut_before": lo > 0, "cut_after": hi < len(text), "start": start, "end": end}


async def evidence(datasette, table: str, request) -> dict:
    key = CONFIG["evidence_tables"][table]
    pk = tilde_decode(request.url_vars["pks"])
    rows = await _rows(datasette, f"""select x.evidence_start, x.evidence_end, x.evidence_quote, x.evidence_url,
  d.document_id, d.kind, d.filename, d.sent_at, d.url, d.content_type, d.pages, d.extraction_method,
  d.ocr_confidence, d.sha256, d.text, r.request_id, r.title, r.url as request_url
from [{table}] x join documents d on d.document_id = x.evidence_document_id
left join requests r on r.request_id = d.request_id
where x.[{key}] = :pk""", {"pk": pk})
    if not rows:
        return {}
    row = rows[0]
    return {"evidence": {**row, "text": None,
                         "highlight": highlight(row["text"], row["evidence_start"], row["evidence_end"],
                                                row["evidence_quote"])}}


@hookimpl
def extra_template_vars(view_name, table, request, datasette):
    if view_name == "index":
        return lambda: overview(datasette)
    if view_name == "page":  # templates/pages/using-the-data.html names the download files
        return {"download_prefix": CONFIG["download_prefix"], "database_name": CONFIG["database"]}
    if view_name == "table":
        return {"key_columns": CONFIG["key_columns"].get(table, [])}
    if view_name == "row" and table in CONFIG["evidence_tables"] and request is not None:
        return lambda: evidence(datasette, table, request)
    return {}


def key_first(columns, keys) -> list[int]:
    """Positions of a table page's columns with the key ones first (in ``keys`` order), the rest
    after in their own order; columns a ?_col= or ?_nocol= left out are simply not there."""
    names = [c["name"] for c in columns]
    first = [names.index(k) for k in keys if k in names]
    return first + [i for i in range(len(names)) if i not in first]


def web_url(value) -> str:
    """A scraped URL as a link target only if it is http(s): a javascript: or data: URL in the
    data must never become a link that runs. Empty otherwise."""
    value = str(value or "")
    return value if value.lower().startswith(("https://", "http://")) else ""


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["key_first"] = key_first
    env.filters["web_url"] = web_url


@hookimpl
def register_routes():
    return [
        (r"^/force/(?P<force_id>[^/]+)$", force_page),
        (r"^/gaps$", gaps_page),
        (r"^/map$", map_page),
        (r"^/batch/(?P<batch_id>[^/]+)$", batch_page),
    ]
