"""The published tables: the one place where every column is declared.

Each column carries its type and its description (``comment``). The Parquet schema, the SQLite
tables and the Datasette metadata are derived from these definitions by ``schema.derive``; nothing
else declares a column. Table-level ``info`` holds how the table is presented on the site
(label column, default sort, facets, full-text search columns).
"""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from reference import technologies

metadata = MetaData()

# Answer vocabulary (DESIGN.md); kept here so every module validates against the same lists.
USE_ANSWERS = ("yes", "no", "ncnd", "withheld", "not_held", "not_answered", "unclear")
PLANNED_ANSWERS = ("yes", "no", "ncnd", "not_answered")
DOCUMENT_ANSWERS = ("provided", "withheld", "not_held", "exists", "not_answered")
# The technologies findings are about: every kind of the technology registry (reference/technologies/).
TECHNOLOGIES = technologies.kind_ids()
GOVERNANCE_DOCUMENTS = ("dpia", "policy", "sop", "eia")
QUESTIONS = ("use", "planned") + GOVERNANCE_DOCUMENTS

TECHNOLOGY_NAMES = {kind.technology_id: kind.name for kind in technologies.kinds()}
# The answer columns of force_status_wide, per family: the use of each kind, then plans and the DPIA.
STATUS_FIELDS = technologies.status_fields()


def _evidence_columns(prefix: str = "evidence") -> list[Column]:
    """The columns every evidence-backed row carries, so a journalist can click through."""
    return [
        Column(f"{prefix}_document_id", String, ForeignKey("documents.document_id"),
               comment="The document the evidence quote comes from"),
        Column(f"{prefix}_quote", Text, comment="The sentence of the force's reply that supports this row"),
        Column(f"{prefix}_start", Integer, comment="Character offset where the quote starts in the document text"),
        Column(f"{prefix}_end", Integer, comment="Character offset where the quote ends in the document text"),
        Column(f"{prefix}_url", String, comment="Where the evidence document can be read at its source"),
    ]


forces = Table(
    "forces",
    metadata,
    Column("force_id", String, primary_key=True,
           comment="Stable force id: the data.police.uk id where one exists"),
    Column("name", String, nullable=False, comment="The force's official name"),
    Column("aliases", JSON, comment="Other names the force is known by (JSON list)"),
    Column("country", String, comment="England, Wales, Scotland, Northern Ireland or UK-wide"),
    Column("type", String, comment="territorial, special or national"),
    Column("ons_code", String, comment="ONS police force area code (E23/W15), where the force has an area"),
    Column("website", String, comment="The force's web domain"),
    Column("wdtk_url_name", String, comment="The force's body url_name on WhatDoTheyKnow"),
    Column("disclosure_log_url", String, comment="Where the force publishes its FOI disclosure log, if known"),
    Column("platform", String, comment="Disclosure-log platform: soh (Single Online Home), bespoke, or blank if unknown"),
    Column("soh_slug", String, comment="The force's tenant slug on the Single Online Home platform"),
    Column("hq_lat", Float, comment="Latitude of the force headquarters, where known"),
    Column("hq_lon", Float, comment="Longitude of the force headquarters, where known"),
    Column("hq_postcode", String, comment="Postcode of the force headquarters, where known"),
    Column("wikidata_qid", String, comment="Wikidata item id"),
    Column("source", String, comment="Codes of the sources of this row (see reference/README.md)"),
    Column("notes", Text, comment="Notes on the registry row"),
    comment="Every UK police force in the registry (reference/forces.csv), whether or not it has answered",
    info={"label_column": "name", "sort": "name", "facets": ["country", "type", "platform"]},
)

suppliers = Table(
    "suppliers",
    metadata,
    Column("supplier_id", String, primary_key=True, comment="Stable supplier id"),
    Column("name", String, nullable=False, comment="Supplier name"),
    Column("aliases", JSON, comment="Other names the supplier is known by (JSON list)"),
    Column("products", JSON, comment="Facial recognition products or services of this supplier (JSON list)"),
    Column("country", String, comment="Country where the supplier is based"),
    Column("technology", String, ForeignKey("technologies.technology_id"),
           comment="The technology the supplier's name alone stands for (a kind, or a family)"),
    Column("name_needs_context", String, comment="yes: the name alone counts only in a sentence naming that technology"),
    Column("exact_case", JSON, comment="Names that are also ordinary words, counted only written as here (JSON list)"),
    Column("notes", Text, comment="Notes on the supplier"),
    comment="Suppliers of surveillance technology products and services (reference/suppliers.csv)",
    info={"label_column": "name", "sort": "name"},
)

technologies_table = Table(
    "technologies",
    metadata,
    Column("technology_id", String, primary_key=True,
           comment="Id used in findings.technology and force_status.technology: a family (fr) or one of its kinds"),
    Column("family", String, comment="The family it belongs to (its own id for a family's row)"),
    Column("name", String, nullable=False, comment="Name of the technology"),
    Column("short_name", String, comment="Short name or abbreviation used on the site"),
    Column("description", Text, comment="What the technology does"),
    Column("products", JSON, comment="Products whose use is use of this technology (JSON list)"),
    comment="The technologies the dataset tracks, from the technology registry (reference/technologies/)",
    info={"label_column": "name", "sort": "technology_id"},
)

requests = Table(
    "requests",
    metadata,
    Column("request_id", String, primary_key=True,
           comment="Stable id: the source name and the source's own stable id, e.g. wdtk:900001"),
    Column("source", String, nullable=False, comment="Where the request was found: wdtk or a disclosure-log family"),
    Column("force_id", String, ForeignKey("forces.force_id"), comment="The force the request was sent to"),
    Column("title", Text, comment="The request's title as published"),
    Column("url", String, comment="The request's page at its source"),
    Column("other_urls", JSON, comment="Other places the same request is published (JSON list)"),
    Column("reference", String, comment="The force's own FOI reference number, where printed"),
    Column("batch_id", String, comment="WhatDoTheyKnow batch id when the request was sent to many forces at once"),
    Column("sent_date", Date, comment="When the request was sent or received"),
    Column("response_date", Date, comment="When the force's latest response was sent"),
    Column("response_date_precision", String,
           comment="day, or month when a disclosure log prints no response date and response_date is the "
                   "first day of the month its page was filed under"),
    Column("status", String,
           comment="WhatDoTheyKnow described_state, or for a disclosure-log item the status its text supports "
                   "(successful, partially_successful, rejected, neither_confirm_nor_deny, not_held)"),
    Column("awaiting_classification", Boolean,
           comment="True when a response arrived and nobody has classified it yet"),
    Column("documents", Integer, comment="Number of documents (messages and attachments) in the request"),
    Column("technologies", JSON, comment="Technology families the request is about, as named in its title and "
                                         "text (JSON list of technologies ids)"),
    comment="FOI requests and disclosure-log items about the registry's technologies, one row per request",
    info={"label_column": "title", "sort_desc": "response_date",
          "facets": ["force_id", "source", "status", {"date": "response_date"}], "fts": ["title"]},
)

documents = Table(
    "documents",
    metadata,
    Column("document_id", String, primary_key=True, comment="Stable id of the message, attachment or page"),
    Column("request_id", String, ForeignKey("requests.request_id"), comment="The request the document belongs to"),
    Column("kind", String, comment="request, response, followup, annotation, attachment or page"),
    Column("author_role", String,
           comment="Who wrote it: requester, force or third_party (annotations); only force text yields findings"),
    Column("sent_at", DateTime, comment="When the message was sent (UTC)"),
    Column("url", String, comment="Where the document can be read at its source"),
    Column("filename", String, comment="File name of an attachment"),
    Column("content_type", String, comment="Type sniffed from the file's bytes"),
    Column("sha256", String, comment="SHA-256 of the original bytes as downloaded"),
    Column("size_bytes", Integer, comment="Size of the original file in bytes"),
    Column("pages", Integer, comment="Number of pages (PDF) or sheets, where that applies"),
    Column("extraction_method", String, comment="How the text was obtained: html, text_layer, ocr, office, ..."),
    Column("ocr_confidence", Float, comment="Mean OCR word confidence (0-100) where OCR was used"),
    Column("chars", Integer, comment="Number of characters of extracted text"),
    Column("extraction_error", Text, comment="Why the text could not be extracted, when it could not"),
    Column("hidden", Boolean, comment="True when the source hides this message or attachment"),
    Column("text", Text, comment="The extracted text (personal data removed)"),
    comment="Every message, attachment and page of the requests, with its extracted text",
    # No default facets: on a full-text search they would count every matching document once per
    # facet (0.7 s more for a word in half the documents at 50k); "Facet by this" still facets a column.
    info={"label_column": "document_id", "sort_desc": "sent_at", "fts": ["text", "filename"]},
)

findings = Table(
    "findings",
    metadata,
    Column("finding_id", String, primary_key=True, comment="Stable id: request, question and technology"),
    Column("request_id", String, ForeignKey("requests.request_id"), comment="The request the answer was given to"),
    Column("force_id", String, ForeignKey("forces.force_id"), comment="The force that gave the answer"),
    Column("technology", String, ForeignKey("technologies.technology_id"),
           comment="The technology (technologies table): a kind such as lfr, rfr or oifr, or a family such as fr "
                   "for the technology in general (plans, documents, answers that name no kind)"),
    Column("question", String, comment="use, planned, dpia, policy, sop or eia"),
    Column("answer", String, comment="The answer, in the vocabulary of the project (see README)"),
    Column("response_date", Date, comment="When the force gave the answer"),
    *_evidence_columns(),
    Column("method", String, comment="The rule that produced the finding, or override"),
    Column("confidence", Float, comment="How sure the rule is, 0 to 1"),
    comment="One answer per request, question and technology, each with the sentence it came from",
    info={"label_column": "finding_id", "sort_desc": "response_date",
          "facets": ["technology", "question", "answer", "force_id", "method", {"date": "response_date"}]},
)

supplier_mentions = Table(
    "supplier_mentions",
    metadata,
    Column("mention_id", String, primary_key=True, comment="Stable id of the mention"),
    Column("request_id", String, ForeignKey("requests.request_id"), comment="The request whose response names the supplier"),
    Column("force_id", String, ForeignKey("forces.force_id"), comment="The force that names the supplier"),
    Column("supplier_id", String, ForeignKey("suppliers.supplier_id"), comment="The supplier named"),
    Column("product", String, comment="The product named, when one is"),
    Column("technology", String, ForeignKey("technologies.technology_id"),
           comment="The kind of technology the product is used for, where stated"),
    *_evidence_columns(),
    Column("method", String, comment="The rule that produced the mention, or override"),
    comment="Suppliers that a force's own reply says it uses (a supplier named only in the question is not listed)",
    info={"label_column": "mention_id", "facets": ["supplier_id", "force_id", "technology"]},
)

exemptions = Table(
    "exemptions",
    metadata,
    Column("exemption_id", String, primary_key=True, comment="Stable id of the citation"),
    Column("request_id", String, ForeignKey("requests.request_id"), comment="The request the exemption was cited in"),
    Column("force_id", String, ForeignKey("forces.force_id"), comment="The force that cited it"),
    Column("section", String, comment="FOIA section cited, e.g. s24 (s1, s16 and s17 are not exemptions)"),
    Column("subsection", String, comment="Section with sub-section as cited, e.g. s24(2)"),
    Column("ncnd", Boolean, comment="True when the section is cited to neither confirm nor deny"),
    *_evidence_columns(),
    comment="Exemptions the force cited in its reply",
    info={"label_column": "exemption_id", "facets": ["section", "ncnd", "force_id"]},
)


def _status_columns(name: str, label: str) -> list[Column]:
    return [
        Column(name, String, comment=f"Latest answer on {label}: needs_review when the finding behind it "
                                     f"is below the review threshold, conflicting when recent answers disagree"),
        Column(f"{name}_candidate", String,
               comment=f"For needs_review or conflicting: the answer the latest finding on {label} gives, "
                       f"not yet confirmed"),
        Column(f"{name}_date", Date, comment=f"Date of the latest answer on {label}"),
        Column(f"{name}_date_precision", String, comment=f"day, or month when the date of the latest answer on "
                                                         f"{label} is only the month a disclosure log filed it under"),
        Column(f"{name}_quote", Text, comment=f"The sentence the latest answer on {label} came from"),
        Column(f"{name}_url", String, comment=f"Where the evidence for {label} can be read"),
        Column(f"{name}_finding_id", String, ForeignKey("findings.finding_id"),
               comment=f"The finding behind the latest answer on {label}"),
    ]


# The answer each force's page shows, per technology and question: one row per force x
# technology x question (docs/rollup.md). A new technology in the registry adds rows, not columns.
force_status = Table(
    "force_status",
    metadata,
    Column("status_id", String, primary_key=True, comment="Stable id: force, technology and question"),
    Column("force_id", String, ForeignKey("forces.force_id"), comment="The force"),
    Column("technology", String, ForeignKey("technologies.technology_id"),
           comment="The technology: a kind (lfr, rfr, oifr...) for use, the family (fr...) for plans and documents"),
    Column("question", String, comment="use, planned or dpia"),
    Column("status", String, comment="The force's latest determinate answer; needs_review when the finding "
                                     "behind it is below the review threshold, conflicting when recent answers "
                                     "disagree, unclear when no answer was determinate, empty when never answered"),
    Column("candidate", String, comment="For needs_review or conflicting: the answer the latest finding gives, "
                                        "not yet confirmed"),
    Column("answer_date", Date, comment="Date of the reply the status comes from"),
    Column("answer_date_precision", String,
           comment="day, or month when answer_date is only the month a disclosure log filed the reply under"),
    Column("evidence_quote", Text, comment="The sentence the status came from"),
    Column("evidence_url", String, comment="Where the evidence can be read"),
    Column("finding_id", String, ForeignKey("findings.finding_id"), comment="The finding behind the status"),
    comment="The answer each force's page shows, per technology and question, with its date, evidence and "
            "review state (force_status_wide is the same, one row per force)",
    info={"label_column": "status_id", "sort": "status_id", "facets": ["technology", "question", "status"]},
)

force_status_wide = Table(
    "force_status_wide",
    metadata,
    Column("force_id", String, ForeignKey("forces.force_id"), primary_key=True, comment="The force"),
    Column("name", String, comment="The force's name"),
    Column("country", String, comment="The force's country"),
    *[c for f in STATUS_FIELDS for c in _status_columns(f.field, f.description)],
    Column("suppliers", JSON, comment="Suppliers the force's replies say it uses (JSON list of supplier ids)"),
    Column("exemptions", JSON, comment="FOIA sections the force has cited (JSON list)"),
    Column("requests", Integer, comment="Number of requests found for the force"),
    Column("last_response_date", Date, comment="Date of the force's latest response"),
    comment="One row per force: its latest answers (force_status, one column per technology and question), "
            "with the date and evidence for each, its suppliers and exemptions",
    info={"label_column": "name", "sort": "name",
          "facets": [*(f.field for f in STATUS_FIELDS), "country"],
          "array_facets": ["suppliers", "exemptions"],
          # The finding behind each answer, linked from the force's page.
          "links": {f"{f.field}_finding_id": "findings" for f in STATUS_FIELDS}},
)

changes = Table(
    "changes",
    metadata,
    Column("change_id", String, primary_key=True, comment="Stable id of the change"),
    Column("build_id", String, ForeignKey("build_info.build_id"), comment="The build that saw the change"),
    Column("force_id", String, ForeignKey("forces.force_id"), comment="The force whose answer changed"),
    Column("field", String, comment="The force_status_wide column that changed"),
    Column("old_value", String, comment="Value in the previous build"),
    Column("new_value", String, comment="Value in this build"),
    Column("evidence_url", String, comment="Where the new value's evidence can be read"),
    Column("changed_at", DateTime, comment="When the build that saw the change ran (UTC)"),
    comment="What changed in a force's answers (force_status_wide) between a build and the one before it",
    info={"label_column": "change_id", "sort_desc": "changed_at", "facets": ["field", "force_id", {"date": "changed_at"}]},
)

build_info = Table(
    "build_info",
    metadata,
    Column("build_id", String, primary_key=True, comment="Id of the build (its UTC time)"),
    Column("built_at", DateTime, comment="When the build ran (UTC)"),
    Column("mode", String, comment="live (from the real sites) or demo (from the local mirror: not real findings)"),
    Column("requests", Integer, comment="Number of requests in the build"),
    Column("documents", Integer, comment="Number of documents in the build"),
    Column("documents_failed", Integer, comment="Number of documents whose text could not be extracted"),
    Column("findings", Integer, comment="Number of findings in the build"),
    Column("sources", JSON, comment="Requests per source, as source=count (JSON list)"),
    Column("blocked_sources", JSON, comment="Sources that refused the crawler, per force (JSON list)"),
    Column("versions", JSON, comment="Versions of the software that made the build, as name=version (JSON list)"),
    comment="When each build ran, from what, and with which software",
    info={"label_column": "build_id", "sort_desc": "built_at"},
)

# Indexes of the published SQLite database (publish creates them): the columns the site's pages
# filter, sort, facet and join on (default sorts and facets above; on documents, which has no
# default facets, the columns to facet with Datasette's "Facet by this": kind, author_role,
# extraction_method, content_type; the canned queries of publish/queries.py; the counts of linked
# rows on a row's page; the batch page and each force's oldest waiting request in publish/plugins/pages.py),
# so no page scans a large table.
_INDEXES = {
    "force_status": [("force_id",), ("technology", "question", "status")],
    "requests": [("force_id", "sent_date"), ("status", "sent_date", "request_id"), ("source",), ("response_date",),
                 ("batch_id",), ("force_id", "status", "sent_date")],
    "documents": [("request_id",), ("sent_at",), ("kind",), ("author_role",), ("extraction_method",),
                  ("content_type",)],
    "findings": [("force_id", "question", "technology", "response_date"), ("request_id",), ("technology",),
                 ("question",), ("answer",), ("method",), ("response_date",), ("evidence_document_id",)],
    "supplier_mentions": [("supplier_id", "force_id"), ("force_id",), ("request_id",), ("technology",),
                          ("evidence_document_id",)],
    "exemptions": [("section",), ("force_id",), ("request_id",), ("ncnd",), ("evidence_document_id",)],
    "changes": [("build_id",), ("force_id",), ("field",), ("changed_at",)],
}
for _name, _indexes in _INDEXES.items():
    for _columns in _indexes:
        Index(f"ix_{_name}_{'_'.join(_columns)}", *(metadata.tables[_name].c[c] for c in _columns))

PUBLISHED_TABLES = [t.name for t in metadata.sorted_tables]
