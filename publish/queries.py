"""The canned queries of the site: the questions people come with, each one click away.

Each query has a title and a description shown on its page; the SQL is plain so a reader can
copy it and change it. Queries only read the published tables (declared in schema/tables.py).
"""

from schema.tables import TECHNOLOGIES, TECHNOLOGY_NAMES
from transform.overrides import REVIEW_THRESHOLD as REVIEW_CONFIDENCE

# WhatDoTheyKnow states in which the force still owes the requester an answer.
AWAITING_STATES = ("waiting_response", "internal_review")


def _forces_using(technology: str, label: str) -> dict:
    return {
        "title": f"Forces using {label}",
        "description": (f"Forces whose latest determinate answer says they use {label}, with the date of "
                        "that answer, the sentence it came from and where to read it."),
        "sql": f"""select s.force_id, f.name, f.country, s.answer_date, s.evidence_quote, s.evidence_url, s.finding_id
from force_status s join forces f on f.force_id = s.force_id
where s.technology = '{technology}' and s.question = 'use' and s.status = 'yes'
order by f.name""",
    }


# A response date as precise as it is known: the month alone when a disclosure log's folder is all
# that dates the reply (requests.response_date_precision).
RESPONSE_DATE_SHOWN = "case when r.response_date_precision = 'month' then substr(r.response_date, 1, 7) else r.response_date end"

_AWAITING = ", ".join(f"'{s}'" for s in AWAITING_STATES)

QUERIES = {
    **{f"forces_using_{t}": _forces_using(t, TECHNOLOGY_NAMES[t]) for t in TECHNOLOGIES},
    "forces_by_supplier": {
        "title": "Forces by supplier",
        "description": ("Each supplier and the forces whose own replies say they use it, with the products "
                        "named, the number of mentions and the latest evidence. A supplier named only in "
                        "a question is not counted."),
        "sql": """select m.supplier_id, s.name as supplier, m.force_id, f.name as force,
  group_concat(distinct m.product) as products, group_concat(distinct m.technology) as technologies,
  count(*) as mentions, max(m.evidence_url) as evidence_url
from supplier_mentions m
left join suppliers s on s.supplier_id = m.supplier_id
left join forces f on f.force_id = m.force_id
group by m.supplier_id, m.force_id
order by supplier, force""",
    },
    "dpia_withheld_or_not_held": {
        "title": "DPIA withheld or not held",
        "description": ("Forces whose latest answer on their data protection impact assessment (DPIA) for "
                        "a technology is that they withheld it or do not hold one."),
        "sql": """select s.force_id, f.name, f.country, s.technology, s.status as dpia, s.answer_date, s.evidence_quote,
  s.evidence_url, s.finding_id
from force_status s join forces f on f.force_id = s.force_id
where s.question = 'dpia' and s.status in ('withheld', 'not_held')
order by s.technology, s.status, f.name""",
    },
    "refusals_by_exemption": {
        "title": "Refusals by exemption",
        "description": ("How often each section of the Freedom of Information Act was cited, in how many "
                        "requests and by which forces; ncnd counts citations used to neither confirm nor deny."),
        "sql": """select e.section, count(*) as citations, count(distinct e.request_id) as requests,
  count(distinct e.force_id) as forces, sum(e.ncnd) as ncnd_citations,
  group_concat(distinct f.name) as force_names
from exemptions e
left join forces f on f.force_id = e.force_id
group by e.section
order by citations desc, e.section""",
    },
    "force_timeline": {
        "title": "One force's timeline",
        "description": ("Everything dated for one force, oldest first: requests sent, the answers found in "
                        "its replies, exemptions cited and changes between builds. Give a force id such as "
                        "metropolitan (see the forces table)."),
        "sql": """select * from (
  select sent_date as date, 'request sent' as event, title as detail, null as answer,
    null as evidence_quote, url, request_id
  from requests where force_id = :force_id
  union all
  select {shown}, 'answer: ' || f.question || ' ' || f.technology, f.finding_id, f.answer,
    f.evidence_quote, f.evidence_url, f.request_id
  from findings f join requests r on r.request_id = f.request_id where f.force_id = :force_id
  union all
  select {shown}, 'exemption cited', e.subsection, case when e.ncnd then 'ncnd' end,
    e.evidence_quote, e.evidence_url, e.request_id
  from exemptions e join requests r on r.request_id = e.request_id where e.force_id = :force_id
  union all
  select substr(changed_at, 1, 10), 'changed in build ' || build_id, field,
    coalesce(old_value, '(none)') || ' -> ' || coalesce(new_value, '(none)'), null, evidence_url, null
  from changes where force_id = :force_id
)
order by date, event, detail""".replace("{shown}", RESPONSE_DATE_SHOWN),
    },
    "changes_since_previous_build": {
        "title": "What changed since the previous build",
        "description": ("Answers in force_status_wide that differ from the previous build: the force, the field, "
                        "the old and new value and where the new value's evidence can be read. The full "
                        "history is in the changes table and the Atom feed on the downloads page."),
        "sql": """select c.force_id, f.name as force, c.field, c.old_value, c.new_value, c.evidence_url,
  c.build_id, c.changed_at
from changes c
left join forces f on f.force_id = c.force_id
where c.build_id = (select max(build_id) from build_info)
order by force, c.field""",
    },
    "requests_awaiting_answer": {
        "title": "Requests awaiting an answer",
        "description": ("Requests whose status says the force has not yet answered (waiting for a response "
                        "or for an internal review), oldest first, with the days since they were sent."),
        "sql": f"""select request_id, force_id, title, status, sent_date,
  cast(julianday('now') - julianday(sent_date) as integer) as days_since_sent, url
from requests
where status in ({_AWAITING})
order by sent_date, request_id""",
    },
    "review_queue": {
        "title": "Review queue",
        "description": (f"Findings a maintainer should check: those the rules are unsure of (confidence below "
                        f"{REVIEW_CONFIDENCE}), answers two rules disagreed on, unclear answers, and those behind a "
                        "force_status_wide answer shown as conflicting. "
                        "A correction goes into the committed overrides file and holds on every later build."),
        "sql": f"""select f.finding_id, f.force_id, f.question, f.technology, f.answer, f.confidence,
  case when s.status = 'conflicting' then 'conflicting answers'
    when f.method like '%+conflict' then 'rules disagree'
    when f.answer = 'unclear' then 'answer unclear'
    else 'low confidence' end as reason,
  f.response_date, f.evidence_quote, f.evidence_url, f.method
from findings f
left join force_status s
  on s.force_id = f.force_id and s.question = f.question and s.technology = f.technology
where f.method != 'override' and (f.confidence < {REVIEW_CONFIDENCE} or s.status = 'conflicting'
  or f.method like '%+conflict' or f.answer = 'unclear')
order by f.force_id, f.question, f.technology, f.response_date""",
    },
    "search": {
        "title": "Search request titles and document text",
        "description": ("Full-text search across the titles of the requests and the text of every message, "
                        "attachment and page. The words are searched as one phrase; the matching passage is "
                        "shown with the match in [brackets]."),
        # The search words are quoted as one FTS phrase so any input is valid FTS syntax.
        "sql": """select * from (
  select 'request title' as found_in, r.request_id, r.force_id, r.title,
    snippet(requests_fts, -1, '[', ']', '...', 16) as passage, r.url, requests_fts.rank as rank
  from requests_fts join requests r on r.rowid = requests_fts.rowid
  where requests_fts match '"' || replace(:q, '"', '""') || '"'
  union all
  select 'document ' || d.kind, d.request_id, r.force_id, r.title,
    snippet(documents_fts, -1, '[', ']', '...', 16), d.url, documents_fts.rank
  from documents_fts join documents d on d.rowid = documents_fts.rowid
  left join requests r on r.request_id = d.request_id
  where documents_fts match '"' || replace(:q, '"', '""') || '"'
)
order by rank
limit 500""",
    },
}
