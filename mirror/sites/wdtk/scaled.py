"""Scaled WDTK corpora for the benchmarks (bench/): profiles "scale-1k", "scale-10k", "scale-50k"
or any "scale-<n>" (e.g. "scale-200" for a quick run).

A scaled profile is the hand-written cases plus n generated requests spread round robin over the
49 force bodies. ``plan(n)`` is the one description of those requests: the mirror serves it over
HTTP (``generate``) and bench/corpus.py writes the same requests straight into the raw layer,
so a crawled corpus and a synthesised one hold the same titles, texts and attachment bytes.

Deterministic: every choice comes from the request's number (a seeded Random per request), so
the same n always gives the same ids, dates and bytes.

Attachment mix, per answered request (FOI answers on WDTK are mostly PDF letters):
30% none (the answer is in the e-mail), 50% one text-layer PDF of 1-3 pages, 8% a PDF and a CSV,
6% a Word file, 3% a PDF and a spreadsheet, 2% a scanned PDF, 1% a Word file and a PDF.
Text-layer PDFs, CSVs and Word files are unique to their request. Scanned PDFs and spreadsheets
come from small pools (4 and 8 files) of identical bytes: OCR takes seconds a page and the
extraction cache is keyed by content hash, so each pooled file is extracted once per build.
Benchmarks that quote pages per second must say so.

Text-layer PDFs and Word files are written by small writers in files.py (text_pdf, text_docx), not
by fpdf2 or python-docx (over 100 ms a file: 50k requests would take over an hour to generate).
They hold real text layers and real document XML, which is what the extractors read.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mirror.sites.wdtk import files

SCANNED_POOL, SHEET_POOL = 4, 8


def size(profile: str) -> int | None:
    """The number of generated requests a profile asks for ("scale-1k": 1000, "scale-200": 200), or
    None for another profile."""
    match = re.fullmatch(r"scale-(\d+)(k?)", profile or "")
    return int(match.group(1)) * (1000 if match.group(2) else 1) if match else None


# --- what the requests say --------------------------------------------------------------------

TOPICS = ["Live facial recognition deployments", "Retrospective facial recognition searches",
          "Facial recognition watchlists", "Facial recognition contracts and suppliers",
          "Facial recognition data protection impact assessment", "Operator initiated facial recognition",
          "Facial recognition and PND facial search", "Facial recognition at public events"]
USERS = ["a_campaigner", "b_researcher", "c_reporter", "d_student", "f_resident"]
SUPPLIERS = ["NEC NeoFace Live", "NEC NeoFace Retrospective", "Cognitec FaceVACS", "Idemia",
             "PND facial search (Home Office)", "Facewatch"]

# (share out of 100 requests, state, e-mail text, answer paragraphs). {force} {n} {supplier} {count}
OUTCOMES = [
    (22, "successful", "Please find attached the force's response to your request.", [
        "1. Yes. {force} has deployed live facial recognition on {count} occasions in the period.",
        "2. The system used is {supplier}.",
        "3. A data protection impact assessment is held and published on the force website."]),
    (20, "successful", "Please find attached our response.", [
        "1. {force} does not use live facial recognition and has never done so.",
        "2. Yes. Retrospective facial recognition is carried out using {supplier}; {count} searches were made.",
        "3. No. Operator initiated facial recognition is not used."]),
    (16, "not_held", "Please find our response attached.", [
        "Having searched its records, {force} does not hold information within the scope of your request.",
        "Section 1(1)(a) of the Freedom of Information Act 2000 therefore applies."]),
    (14, "partially_successful", "Please find attached the response to your request.", [
        "1. Yes. {force} uses retrospective facial recognition through {supplier}.",
        "2. The number of images on the watchlist is exempt under section 31(1)(a), law enforcement.",
        "The public interest in maintaining the exemption outweighs the public interest in disclosure."]),
    (8, "rejected", "Please find attached our response to your request.", [
        "{force} can neither confirm nor deny that it holds the information you requested, "
        "by virtue of sections 24(2) and 31(3) of the Act.",
        "This should not be taken as an indication that the information exists or does not exist."]),
    (8, "rejected", "Please find the force's response attached.", [
        "The cost of locating and retrieving the information would exceed the appropriate limit "
        "and section 12(1) of the Act applies.",
        "You may wish to narrow your request to a single year, which may bring it within the limit."]),
    (12, None, "", []),  # no answer yet: the request awaits a response
]
FILLER = ("The force is committed to openness and transparency and routinely publishes information "
          "about its use of technology. Requests are handled in accordance with the Act and the "
          "guidance of the Information Commissioner. Where an exemption applies the force has "
          "considered the public interest test and explained its reasoning above. If you are "
          "dissatisfied with the handling of your request you may ask for an internal review within "
          "forty working days of the date of this letter, and after that complain to the "
          "Information Commissioner.").split(". ")


@dataclass
class PlannedAttachment:
    name: str
    kind: str  # pdf, scanned, csv, docx, xlsx
    spec: dict  # for the mirror's file builders; bytes come from attachment_bytes(kind, spec)


@dataclass
class PlannedRequest:
    number: int
    body: str  # WDTK url_name
    user: str
    title: str
    sent_at: datetime
    request_text: str
    state: str | None = None  # None: awaiting a response
    answered_at: datetime | None = None
    response_text: str = ""
    from_name: str = "Freedom of Information Unit"
    attachments: list[PlannedAttachment] = field(default_factory=list)


def _outcome(number: int):
    slot, total = number % 100, 0
    for outcome in OUTCOMES:
        total += outcome[0]
        if slot < total:
            return outcome
    return OUTCOMES[-1]


def _letter(rng: random.Random, answers: list[str], pages: int) -> str:
    """An answer letter: the answers, then enough of the usual paragraphs to fill ``pages``."""
    paras = list(answers)
    while sum(len(p) for p in paras) < pages * 2600:
        paras.append(". ".join(rng.sample(FILLER, 4)) + ".")
    return "\n\n".join(paras)


def plan(n: int, bodies: list[str], part: int = 0, parts: int = 1, start: datetime = datetime(2019, 1, 7, 9, 0)):
    """The n requests, one at a time (a generator: 50k plans are never all in memory); with
    ``parts`` > 1 only the numbers in ``part`` of that many, so processes can share the work."""
    for number in range(part, n, parts):
        rng = random.Random(number)
        body = bodies[number % len(bodies)]
        force = body.replace("_", " ").title()
        topic = TOPICS[number % len(TOPICS)]
        sent = start + timedelta(minutes=(number * 90) % (7 * 365 * 24 * 60 - 60 * 24 * 90))
        year = sent.year - 1
        title = f"{topic} {year} (ref {number:06d})"
        text = (f"Dear {force},\n\nUnder the Freedom of Information Act 2000 please tell me:\n\n"
                f"1. Whether the force used live facial recognition in {year}.\n\n"
                f"2. Whether the force used retrospective facial recognition in {year}, and which system.\n\n"
                f"3. Whether a data protection impact assessment is held.\n\nYours faithfully,")
        request = PlannedRequest(number, body, USERS[number % len(USERS)], title, sent, text)
        share, state, email, answers = _outcome(number)
        if state is None:
            yield request
            continue
        tokens = dict(force=force, n=number, supplier=SUPPLIERS[number % len(SUPPLIERS)],
                      count=rng.randint(1, 400))
        answers = [a.format(**tokens) for a in answers]
        request.state = state
        request.answered_at = sent + timedelta(days=rng.randint(10, 40), hours=rng.randint(0, 7))
        ref = f"FOI-{number:06d}"
        request.attachments = _attachments(number, rng, ref, answers)
        body_text = email if request.attachments else "\n\n".join(answers)
        request.response_text = f"Dear requester,\n\nReference: {ref}\n\n{body_text}\n\nYours sincerely,"
        yield request


def _attachments(number: int, rng: random.Random, ref: str, answers: list[str]) -> list[PlannedAttachment]:
    slot = (number * 37) % 100  # not the outcome's slot, so every outcome gets every mix
    letter = lambda pages: _letter(rng, answers, pages)  # noqa: E731
    pdf = lambda: PlannedAttachment(f"{ref} response.pdf", "pdf", {"title": f"Response {ref}",  # noqa: E731
                                                                   "text": letter(rng.choice((1, 1, 2, 3)))})
    if slot < 30:
        return []
    if slot < 80:
        return [pdf()]
    if slot < 88:
        rows = [["Year", "Searches", "Matches"]] + [[2018 + i, rng.randint(0, 900), rng.randint(0, 50)] for i in range(6)]
        return [pdf(), PlannedAttachment(f"{ref} figures.csv", "csv", {"rows": rows})]
    if slot < 94:
        return [PlannedAttachment(f"{ref} response.docx", "docx", {"title": f"Response {ref}", "text": letter(1)})]
    if slot < 97:
        sheet = number % SHEET_POOL
        rows = [["Deployment", "Date", "Alerts"]] + [[f"Deployment {sheet}-{i}", f"2023-0{1 + i % 9}-1{i % 9}", i * 3]
                                                       for i in range(30)]
        return [pdf(), PlannedAttachment(f"Deployments {sheet}.xlsx", "xlsx", {"rows": rows})]
    if slot < 99:
        scan = number % SCANNED_POOL
        return [PlannedAttachment(f"Scanned letter {scan}.pdf", "scanned",
                                  {"scanned": True, "text": f"Scanned reply {scan}. " + " ".join(FILLER[:3])})]
    return [PlannedAttachment(f"{ref} letter.docx", "docx", {"title": f"Letter {ref}", "text": letter(1)}), pdf()]


# --- file bytes -------------------------------------------------------------------------------

FORMATS = {"pdf": "bench-pdf", "docx": "bench-docx"}  # files.py's fast writers, by the spec's format
POOLED = ("scanned", "xlsx")


def file_spec(attachment: PlannedAttachment) -> dict:
    return {**attachment.spec, "format": FORMATS[attachment.kind]} if attachment.kind in FORMATS else attachment.spec


def attachment_bytes(attachment: PlannedAttachment) -> bytes:
    """The bytes the mirror serves for this attachment (pooled files are built once)."""
    build = files.cached_file if attachment.kind in POOLED else files.build_file
    return build(attachment.name.rsplit(".", 1)[1], file_spec(attachment))


# --- the mirror hook ----------------------------------------------------------------------------


def force_bodies(content) -> list[str]:
    return [b.url_name for b in content.bodies.values() if b.force_id]


def generate(loader, n: int) -> None:
    """Add the n planned requests to the mirror's content (after the hand-written cases)."""
    content = loader.content
    for planned in plan(n, force_bodies(content)):
        body = content.bodies[planned.body]
        request = content.new_request(body, content.users[planned.user], planned.title, planned.sent_at,
                                      planned.request_text)
        if planned.state:
            content.add_response(request, planned.answered_at, planned.response_text, from_name=planned.from_name,
                                 attachments=[{"name": a.name, **file_spec(a)} for a in planned.attachments],
                                 state=planned.state)
